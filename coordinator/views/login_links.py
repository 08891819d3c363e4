"""One-time login links: a commissioner makes one for a streamer, the streamer taps it on their phone."""
from __future__ import annotations

from flask import abort, flash, redirect, render_template, url_for
from flask_babel import format_datetime, gettext as _
from flask_login import login_required

from coordinator.domain.portal import LinkState
from coordinator.edge import done, settings
from coordinator.services import ical, login_links
from coordinator.views.auth import bp as auth_bp, start_login
from coordinator.views.forms import EmptyForm
from coordinator.views.pages import actor
from coordinator.views.planning import bp as plan_bp

# Unknown links are not found; used and expired ones are gone for good.
REFUSED_STATUS = {"unknown": 404, "used": 410, "expired": 410, "revoked": 410}


@plan_bp.post("/streamers/<int:streamer_id>/login-link")
@login_required
def create_login_link(streamer_id: int):
    """Make a link for a streamer the commissioner manages; the page shows it this once only."""
    if not EmptyForm().validate_on_submit():
        abort(400)
    issued = login_links.create_link(actor(), settings(), streamer_id)
    url = url_for("auth.login_link", token=issued.token, _external=True)
    return render_template("planning/login_link.html", issued=issued, url=url)


@plan_bp.get("/streamers/<int:streamer_id>/login-links")
@login_required
def streamer_login_links(streamer_id: int):
    """A streamer's login links: when each was made and by whom, whether it still works; revoke the open ones."""
    streamer, rows = login_links.link_rows(actor(), streamer_id)
    return render_template("planning/login_links.html", streamer=streamer, rows=rows, form=EmptyForm())


@plan_bp.post("/streamers/<int:streamer_id>/login-links/<int:link_id>/revoke")
@login_required
def revoke_login_link(streamer_id: int, link_id: int):
    """Turn off a link sent to the wrong person before anyone taps it."""
    if not EmptyForm().validate_on_submit():
        abort(400)
    link = login_links.revoke_link(actor(), streamer_id, link_id)
    state = login_links.state_of(link)
    if state is LinkState.REVOKED:
        flash(_("The link was revoked: it no longer logs anyone in."), "info")
    elif state is LinkState.USED:  # too late for the link: the phone that used it is logged in until signed out
        flash(_("That link was already used %(when)s: revoking it cannot log that phone out. If it was not "
                "the streamer, use “Sign out everywhere” below.", when=format_datetime(link.used_at, "yyyy-MM-dd HH:mm")),
              "error")
    else:
        flash(_("That link had already expired: nobody can use it."), "info")
    return redirect(url_for("plan.streamer_login_links", streamer_id=streamer_id))


@plan_bp.post("/streamers/<int:streamer_id>/sign-out-everywhere")
@login_required
def sign_out_streamer(streamer_id: int):
    """Log the streamer's account out of every browser and phone, e.g. after a link reached the wrong person."""
    if not EmptyForm().validate_on_submit():
        abort(400)
    streamer, had_account = done(login_links.sign_out_everywhere(actor(), streamer_id))
    if had_account:
        flash(_("%(name)s was signed out of every browser and phone. A new login link or their password logs "
                "them in again.", name=streamer.display_name), "info")
    else:
        flash(_("%(name)s has no account yet: nobody is logged in as them.", name=streamer.display_name), "info")
    return redirect(url_for("plan.streamer_login_links", streamer_id=streamer_id))


@plan_bp.post("/streamers/<int:streamer_id>/calendar/renew")
@login_required
def renew_streamer_calendar(streamer_id: int):
    """The manager turns off a host's calendar link that was shared too widely; the host sees the new one."""
    if not EmptyForm().validate_on_submit():
        abort(400)
    ical.renew(actor(), settings(), streamer_id)
    flash(_("The calendar link was renewed: the old one no longer opens. The host finds the new one on their "
            "start page."), "info")
    return redirect(url_for("plan.streamer_login_links", streamer_id=streamer_id))


def _refused(error: login_links.LinkRefused):
    return render_template("auth/login_link.html", state=error.state), REFUSED_STATUS.get(error.state, 404)


@auth_bp.get("/login/link/<token>")
def login_link(token: str):
    """Who the link is for and one button to log in (chat apps that preview links do not use it up)."""
    try:
        link, _user, streamer = login_links.peek(token)
    except login_links.LinkRefused as error:
        return _refused(error)
    return render_template("auth/login_link.html", state="valid", link=link, streamer=streamer, form=EmptyForm())


@auth_bp.post("/login/link/<token>")
def use_login_link(token: str):
    """Use the link up and log its streamer in, whoever was logged in on this phone before."""
    if not EmptyForm().validate_on_submit():
        abort(400)
    try:
        user = login_links.redeem(token)
    except login_links.LinkRefused as error:
        return _refused(error)
    start_login(user)
    flash(_("Welcome! You are logged in. Bookmark this page to come back."), "info")
    return redirect(url_for("main.home"))
