"""The start page for each role, the calendar feed, and the language switch."""
from __future__ import annotations

from flask import Blueprint, Response, current_app, flash, redirect, render_template, request, session, url_for
from flask_babel import gettext as _
from flask_login import current_user, login_required

from coordinator.edge import settings
from coordinator.services import accounts, briefs, channels, host_samples, ical, overview, pairings
from coordinator.views.forms import EmptyForm
from coordinator.views.pages import actor, safe_next
from coordinator.views.portal_sample_forms import SampleRequestForm
from coordinator.views.portal_samples import carrier_names

bp = Blueprint("main", __name__)


@bp.get("/")
@login_required
def home():
    """Commissioners see their campaigns; streamers see their own sessions; both, channels switched off for failing."""
    who = actor()
    switched_off = channels.disabled_for(who)
    if who.is_commissioner:
        return render_template("main/commissioner_home.html", summary=overview.commissioner_summary(who),
                               switched_off=switched_off)
    summary = overview.streamer_summary(who)
    feed = url_for("main.ical_feed", token=ical.own_feed_token(who, settings()), _external=True) \
        if summary.streamer else None
    samples = host_samples.for_host(who, settings(), summary.upcoming)
    return render_template("main/streamer_home.html", summary=summary, lineups=briefs.lineups(summary.upcoming),
                           pairings=pairings.streamer_pairings(who), answer_form=EmptyForm(), ical_url=feed,
                           switched_off=switched_off, host_samples=samples, sample_form=SampleRequestForm(),
                           may_ask=host_samples.may_ask, carrier_names=carrier_names())


@bp.get("/calendar/<token>.ics")
def ical_feed(token: str):
    """A streamer's sessions as an iCal feed; the signed token in the URL is the only key."""
    body = ical.feed(ical.streamer_for_token(settings(), token))
    return Response(body, mimetype="text/calendar", headers={"Cache-Control": "no-store"})


@bp.post("/my/calendar/renew")
@login_required
def renew_calendar():
    """The host turns their old calendar link off (shared by mistake) and gets a new one."""
    if EmptyForm().validate_on_submit():
        ical.renew_own(actor(), settings())
        flash(_("Your calendar has a new link; the old one no longer works. Subscribe to the new one."), "info")
    return redirect(url_for("main.home") + "#calendar")


@bp.post("/language")
def set_language():
    """Remember the chosen language in the session (and on the account when logged in)."""
    lang = request.form.get("lang", "")
    if lang in current_app.config["LANGUAGES"]:
        session["lang"] = lang
        if current_user.is_authenticated:
            accounts.set_locale(actor(), lang)
    return redirect(safe_next(request.form.get("next", "")))
