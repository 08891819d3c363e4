"""The streamer's own pages on a phone: answering pairings, product briefs, the session on air, their profile."""
from __future__ import annotations

from functools import wraps
from typing import Callable

from flask import Blueprint, abort, flash, redirect, render_template, request, url_for
from flask_babel import gettext as _
from flask_login import current_user, login_required

from coordinator.domain.cells import format_windows
from coordinator.domain.errors import DomainError
from coordinator.services import briefs, live, pairings, streamers
from coordinator.views.forms import EmptyForm
from coordinator.views.planning import show_errors
from coordinator.views.planning_forms import ProfileForm, streamer_changes

bp = Blueprint("portal", __name__, url_prefix="/my")


def streamer_required(view: Callable) -> Callable:
    """Only streamer accounts answer pairings."""

    @wraps(view)
    @login_required
    def wrapped(*args, **kwargs):
        if current_user.is_commissioner:
            abort(403)
        return view(*args, **kwargs)

    return wrapped


@bp.get("/sessions/<int:session_id>/live")
@streamer_required
def live_session(session_id: int):
    """The host's own session on air: the tally live and each product's stock left."""
    view = live.host_view(current_user, session_id)
    return render_template("portal/live.html", view=view)


@bp.get("/products/<int:product_id>")
@streamer_required
def product_brief(product_id: int):
    """What to say about a product on air; only products paired with the host or in their sessions open."""
    return render_template("portal/brief.html", brief=briefs.product_brief(current_user, product_id))


@bp.route("/profile", methods=["GET", "POST"])
@streamer_required
def profile():
    """The streamer's own platform, categories, region and weekly availability, edited by themself."""
    streamer = streamers.streamer_for_read(current_user, current_user.streamer_id)
    # Filled from the profile only to show it: a post carries every field, and one left out is an error, not
    # the stored list (which is no text) slipping through.
    form = ProfileForm(obj=streamer) if request.method == "GET" else ProfileForm()
    if request.method == "GET":
        form.categories.data = ", ".join(streamer.categories)
        form.availability.data = format_windows([(w.weekday, w.start_minute, w.end_minute) for w in streamer.availability])
    if form.validate_on_submit():
        try:
            data, windows = streamer_changes(form)
            streamers.update_streamer(current_user, streamer.id, data, windows)
        except DomainError as error:
            show_errors(form, error)
        else:
            flash(_("Your profile is saved; the commissioner plans with it from now on."), "info")
            return redirect(url_for("portal.profile"))
    status = 422 if request.method == "POST" else 200
    return render_template("portal/profile.html", form=form, streamer=streamer), status


@bp.post("/pairings/<int:pairing_id>/<any(accept, decline):answer>")
@streamer_required
def answer_pairing(pairing_id: int, answer: str):
    """Accept, or decline with a reason; the commissioner's board shows it at once."""
    if not EmptyForm().validate_on_submit():
        abort(400)
    try:
        pairings.respond(current_user, pairing_id, answer == "accept", request.form.get("reason", ""))
    except DomainError as error:
        if error.status in (403, 404):
            abort(error.status)
        flash(_("Please say why you decline.") if answer == "decline" else _(error.detail), "error")
    else:
        flash(_("Thank you, the commissioner can see your answer."), "info")
    return redirect(url_for("main.home") + "#pairings")
