"""The session calendar (day and week, by streamer, clashes highlighted), moving and editing, auto-planning."""
from __future__ import annotations

from datetime import date, datetime, timedelta

from flask import flash, jsonify, redirect, render_template, request, url_for
from flask_babel import gettext as _
from flask_babel import lazy_gettext as _l
from flask_login import login_required
from wtforms import DateTimeLocalField, StringField
from wtforms.validators import DataRequired, Length

from coordinator.domain.errors import DomainError
from coordinator.edge import done, settings
from coordinator.services import autoplan, calendar as calendars, sample_rows, sessions
from coordinator.views.forms import EmptyForm, SafeForm
from coordinator.views.pages import actor, as_local, describe, local_to_utc, redirect_with, show_errors
from coordinator.views.planning import bp


class SessionForm(SafeForm):
    """A session's time slot and title, in the coordinator's time zone."""

    starts_at = DateTimeLocalField(_l("Starts"), validators=[DataRequired()], format="%Y-%m-%dT%H:%M")
    ends_at = DateTimeLocalField(_l("Ends"), validators=[DataRequired()], format="%Y-%m-%dT%H:%M")
    title = StringField(_l("Title"), validators=[Length(max=200)])


@bp.route("/campaigns/<int:campaign_id>/calendar")
@login_required
def calendar(campaign_id: int):
    """A week (or day) of a campaign's sessions, one row per streamer."""
    view = "day" if request.args.get("view") == "day" else "week"
    try:
        day = date.fromisoformat(request.args["day"])
    except (KeyError, ValueError):
        day = None
    chosen = request.args.get("streamer", type=int)
    page = calendars.calendar(actor(), settings(), campaign_id, view, day, chosen)
    shown = [session.id for day_sessions in page.cells.values() for session in day_sessions]
    return render_template(
        "planning/calendar.html", campaign=page.campaign, view=view, day=page.day, days=page.days, cells=page.cells,
        clashes=page.clashes, streamers=page.streamers, all_streamers=page.all_streamers, chosen=chosen,
        names=page.names, as_local=as_local, step=timedelta(days=len(page.days)), action_form=EmptyForm(),
        may_change=page.may_change, late=sample_rows.late_by_session(actor(), settings(), campaign_id, shown))


def _back(session) -> str:
    return url_for("plan.calendar", campaign_id=session.campaign_id, day=as_local(session.starts_at).date().isoformat())


@bp.route("/sessions/<int:session_id>/edit", methods=["GET", "POST"])
@login_required
def edit_session(session_id: int):
    """Move a session, change its title or lineup."""
    edit = calendars.session_edit(actor(), session_id)
    session = edit.session
    form = SessionForm(data={"starts_at": as_local(session.starts_at), "ends_at": as_local(session.ends_at),
                             "title": session.title})
    chosen = [item.product_id for item in session.lineup]
    if form.validate_on_submit():
        chosen = [int(pid) for pid in request.form.getlist("product_ids") if pid.isdigit() and len(pid) < 10]
        try:
            done(sessions.reschedule(actor(), settings(), session.id, {
                "starts_at": local_to_utc(form.starts_at.data), "ends_at": local_to_utc(form.ends_at.data),
                "title": form.title.data or "", "product_ids": chosen}))
        except DomainError as error:
            show_errors(form, error)
        else:
            flash(_("Session moved."), "info")
            return redirect(_back(session))
    return render_template("planning/session_form.html", form=form, session=session, streamer=edit.streamer,
                           products=edit.products, chosen=chosen, action_form=EmptyForm(), back=_back(session))


@bp.post("/sessions/<int:session_id>/move")
@login_required
def move_session(session_id: int):
    """Drag and drop: the same local time of day on another day; answers JSON for the calendar script."""
    if not EmptyForm().validate_on_submit():
        return jsonify(ok=False, error=_("The page expired; reload it.")), 400
    try:
        day = date.fromisoformat(request.form.get("day", ""))
    except ValueError:
        return jsonify(ok=False, error=_("Bad request")), 400
    try:
        done(sessions.move_to_day(actor(), settings(), session_id, day))
    except DomainError as error:
        return jsonify(ok=False, error=describe(error)), error.status
    return jsonify(ok=True)


@bp.post("/sessions/<int:session_id>/cancel")
@login_required
def cancel_session(session_id: int):
    """Cancel a session from its edit page."""
    session = sessions.session_for(actor(), session_id, "item.change")
    if EmptyForm().validate_on_submit():
        try:
            done(sessions.cancel(actor(), settings(), session.id))
        except DomainError as error:
            return redirect_with(error, _back(session))
        flash(_("Session cancelled."), "info")
    return redirect(_back(session))


def _aware(text: str) -> datetime:
    moment = datetime.fromisoformat(text)
    if moment.tzinfo is None:
        raise ValueError("a planned time without its offset")
    return moment


def _picked() -> list[dict]:
    picked = []
    for key in request.form.getlist("pick"):
        streamer_id, start, end, products = (request.form.get(f"p-{key}", "") + "|||").split("|")[:4]
        try:
            picked.append({"streamer_id": int(streamer_id), "starts_at": _aware(start), "ends_at": _aware(end),
                           "product_ids": [int(p) for p in products.split(",")]})
        except ValueError:
            continue  # a tampered row is left out; the rest is checked by the service
    return picked


@bp.route("/campaigns/<int:campaign_id>/plan", methods=["GET", "POST"])
@login_required
def plan_sessions(campaign_id: int):
    """Review the auto-planner's proposals and schedule the ticked ones."""
    form = EmptyForm()
    if form.validate_on_submit():
        try:
            rows = done(autoplan.confirm(actor(), settings(), campaign_id, _picked()))
        except DomainError as error:
            return redirect_with(error, url_for("plan.plan_sessions", campaign_id=campaign_id))
        flash(_("%(n)d sessions scheduled.", n=len(rows)), "info")
        return redirect(url_for("plan.calendar", campaign_id=campaign_id,
                                day=as_local(rows[0].starts_at).date().isoformat()))
    try:
        proposals = autoplan.propose(actor(), settings(), campaign_id)
    except DomainError as error:
        show_errors(form, error)
        proposals = []
    return render_template("planning/plan.html", campaign=autoplan.campaign_of(actor(), campaign_id),
                           proposals=proposals, streamers=autoplan.streamers_by_id(actor(), campaign_id),
                           names=autoplan.product_names(actor(), campaign_id), form=form, as_local=as_local)
