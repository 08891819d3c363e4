"""The start page for each role, and the language switch."""
from __future__ import annotations

from flask import Blueprint, Response, current_app, redirect, render_template, request, session, url_for
from flask_login import current_user, login_required

from coordinator.extensions import db
from coordinator.services import briefs, ical, overview, pairings
from coordinator.views.forms import EmptyForm

bp = Blueprint("main", __name__)


@bp.get("/")
@login_required
def home():
    """Commissioners see their campaigns; streamers see their own sessions."""
    if current_user.is_commissioner:
        return render_template("main/commissioner_home.html", summary=overview.commissioner_summary(current_user))
    feed = (url_for("main.ical_feed", token=ical.feed_token(current_user.streamer_id), _external=True)
            if current_user.streamer_id else None)
    summary = overview.streamer_summary(current_user)
    return render_template("main/streamer_home.html", summary=summary, lineups=briefs.lineups(summary.upcoming),
                           pairings=pairings.streamer_pairings(current_user), answer_form=EmptyForm(), ical_url=feed)


@bp.get("/calendar/<token>.ics")
def ical_feed(token: str):
    """A streamer's sessions as an iCal feed; the signed token in the URL is the only key."""
    body = ical.feed(ical.streamer_for_token(token))
    return Response(body, mimetype="text/calendar", headers={"Cache-Control": "no-store"})


@bp.post("/language")
def set_language():
    """Remember the chosen language in the session (and on the account when logged in)."""
    lang = request.form.get("lang", "")
    if lang in current_app.config["LANGUAGES"]:
        session["lang"] = lang
        if current_user.is_authenticated:
            current_user.locale = lang
            db.session.commit()
    target = request.form.get("next", "")
    return redirect(target if target.startswith("/") and not target.startswith("//") else url_for("main.home"))
