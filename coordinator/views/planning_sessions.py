"""The session calendar (day and week, by streamer, clashes highlighted), moving and editing, auto-planning."""
from __future__ import annotations

from datetime import date, datetime, timedelta

from flask import flash, jsonify, redirect, render_template, request, url_for
from flask_babel import gettext as _
from flask_babel import lazy_gettext as _l
from flask_login import current_user
from flask_wtf import FlaskForm
from sqlalchemy import select
from wtforms import DateTimeLocalField, StringField
from wtforms.validators import DataRequired, Length

from coordinator import clock
from coordinator.domain import scheduling
from coordinator.domain.errors import DomainError
from coordinator.extensions import db
from coordinator.models import LiveSession, Product, Streamer
from coordinator.services import autoplan, enrolment, sessions
from coordinator.services.campaigns import get_campaign
from coordinator.views.forms import EmptyForm
from coordinator.views.planning import as_local, bp, commissioner_required, local_to_utc, show_errors


class SessionForm(FlaskForm):
    """A session's time slot and title, in the coordinator's time zone."""

    starts_at = DateTimeLocalField(_l("Starts"), validators=[DataRequired()], format="%Y-%m-%dT%H:%M")
    ends_at = DateTimeLocalField(_l("Ends"), validators=[DataRequired()], format="%Y-%m-%dT%H:%M")
    title = StringField(_l("Title"), validators=[Length(max=200)])


def _problem(error: DomainError) -> str:
    return " ".join([_(error.detail), *[item.message for item in error.errors[:5]]])


def _days(view: str, day: date) -> list[date]:
    first = day if view == "day" else day - timedelta(days=day.weekday())
    return [first + timedelta(days=n) for n in range(1 if view == "day" else 7)]


@bp.route("/campaigns/<int:campaign_id>/calendar")
@commissioner_required
def calendar(campaign_id: int):
    """A week (or day) of a campaign's sessions, one row per streamer."""
    campaign = get_campaign(campaign_id)
    view = "day" if request.args.get("view") == "day" else "week"
    try:
        day = date.fromisoformat(request.args["day"])
    except (KeyError, ValueError):
        day = max(as_local(campaign.starts_at).date(), clock.now().astimezone(sessions.zone()).date())
    days = _days(view, day)
    hosts = enrolment.enrolled_streamers(campaign.id)
    chosen = request.args.get("streamer", type=int)
    rows = list(db.session.scalars(select(LiveSession).where(
        LiveSession.campaign_id == campaign.id, LiveSession.status != "cancelled").order_by(LiveSession.starts_at)))
    by_streamer: dict[int, list[scheduling.Slot]] = {}
    for row in rows:
        if row.status in sessions.ACTIVE:
            by_streamer.setdefault(row.streamer_id, []).append(scheduling.Slot(row.id, row.starts_at, row.ends_at))
    clashes = scheduling.conflicting_ids(by_streamer, sessions.min_gap())
    cells: dict[tuple[int, date], list[LiveSession]] = {}
    for row in rows:
        cells.setdefault((row.streamer_id, as_local(row.starts_at).date()), []).append(row)
    names = {p.id: p.name for p in enrolment.enrolled_products(campaign.id)}
    return render_template(
        "planning/calendar.html", campaign=campaign, view=view, day=day, days=days, cells=cells, clashes=clashes,
        streamers=[s for s in hosts if chosen in (None, s.id)], all_streamers=hosts, chosen=chosen, names=names,
        as_local=as_local, step=timedelta(days=len(days)), action_form=EmptyForm())


def _back(session: LiveSession) -> str:
    return url_for("plan.calendar", campaign_id=session.campaign_id, day=as_local(session.starts_at).date().isoformat())


@bp.route("/sessions/<int:session_id>/edit", methods=["GET", "POST"])
@commissioner_required
def edit_session(session_id: int):
    """Move a session, change its title or lineup."""
    session = sessions.get(session_id)
    form = SessionForm(data={"starts_at": as_local(session.starts_at), "ends_at": as_local(session.ends_at),
                             "title": session.title})
    products = enrolment.enrolled_products(session.campaign_id)
    chosen = [item.product_id for item in session.lineup]
    if form.validate_on_submit():
        chosen = [int(pid) for pid in request.form.getlist("product_ids") if pid.isdigit()]
        try:
            sessions.reschedule(current_user, session.id, {
                "starts_at": local_to_utc(form.starts_at.data), "ends_at": local_to_utc(form.ends_at.data),
                "title": form.title.data or "", "product_ids": chosen})
        except DomainError as error:
            db.session.rollback()
            show_errors(form, error)
            for item in error.errors:
                if not hasattr(form, (item.field or "").split(".")[0]):
                    flash(item.message, "error")
        else:
            flash(_("Session moved."), "info")
            return redirect(_back(session))
    streamer = db.session.get(Streamer, session.streamer_id)
    return render_template("planning/session_form.html", form=form, session=session, streamer=streamer,
                           products=products, chosen=chosen, action_form=EmptyForm(), back=_back(session))


@bp.post("/sessions/<int:session_id>/move")
@commissioner_required
def move_session(session_id: int):
    """Drag and drop: the same local time of day on another day; answers JSON for the calendar script."""
    if not EmptyForm().validate_on_submit():
        return jsonify(ok=False, error=_("The page expired; reload it.")), 400
    session = sessions.get(session_id)
    try:
        day = date.fromisoformat(request.form.get("day", ""))
    except ValueError:
        return jsonify(ok=False, error=_("Bad request")), 400
    local_start = datetime.combine(day, as_local(session.starts_at).time())
    try:
        sessions.reschedule(current_user, session.id, {"starts_at": local_to_utc(local_start)})
    except DomainError as error:
        db.session.rollback()
        return jsonify(ok=False, error=_problem(error)), error.status
    return jsonify(ok=True)


@bp.post("/sessions/<int:session_id>/cancel")
@commissioner_required
def cancel_session(session_id: int):
    """Cancel a session from its edit page."""
    session = sessions.get(session_id)
    if EmptyForm().validate_on_submit():
        try:
            sessions.cancel(current_user, session.id)
            flash(_("Session cancelled."), "info")
        except DomainError as error:
            flash(_problem(error), "error")
    return redirect(_back(session))


@bp.route("/campaigns/<int:campaign_id>/plan", methods=["GET", "POST"])
@commissioner_required
def plan_sessions(campaign_id: int):
    """Review the auto-planner's proposals and schedule the ticked ones."""
    campaign = get_campaign(campaign_id)
    form = EmptyForm()
    if form.validate_on_submit():
        picked = []
        for key in request.form.getlist("pick"):
            streamer_id, start, end, products = request.form.get(f"p-{key}", "|||").split("|")
            picked.append({"streamer_id": int(streamer_id), "starts_at": datetime.fromisoformat(start),
                           "ends_at": datetime.fromisoformat(end), "product_ids": [int(p) for p in products.split(",")]})
        try:
            rows = autoplan.confirm(current_user, campaign.id, picked)
        except DomainError as error:
            flash(_problem(error), "error")
        else:
            flash(_("%(n)d sessions scheduled.", n=len(rows)), "info")
            return redirect(url_for("plan.calendar", campaign_id=campaign.id,
                                    day=as_local(rows[0].starts_at).date().isoformat()))
    try:
        proposals = autoplan.propose(campaign.id)
    except DomainError as error:
        flash(_problem(error), "error")
        proposals = []
    hosts = {s.id: s for s in enrolment.enrolled_streamers(campaign.id)}
    names = dict(db.session.execute(select(Product.id, Product.name)).all())
    return render_template("planning/plan.html", campaign=campaign, proposals=proposals, hosts=hosts, names=names,
                           form=form, as_local=as_local)
