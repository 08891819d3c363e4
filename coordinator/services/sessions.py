"""Sessions: create, read, list, reschedule and cancel; each change audited, then pushed."""
from __future__ import annotations

from datetime import date, datetime, timedelta
from typing import Any, Callable
from zoneinfo import ZoneInfo

from flask import current_app
from sqlalchemy import select

from coordinator import clock
from coordinator.domain import scheduling
from coordinator.domain.autoplan import local_moment
from coordinator.domain.enums import SessionStatus
from coordinator.domain.errors import Conflict, FieldError, InvalidInput, NotFound
from coordinator.extensions import db
from coordinator.models import Campaign, CampaignProduct, CampaignStreamer, LineupItem, LiveSession, Product, Streamer, User
from coordinator.realtime.publish import publish_status
from coordinator.services import audit
from coordinator.services.campaigns import open_campaign
from coordinator.services.listing import Page, paginate

ACTIVE = (SessionStatus.SCHEDULED.value, SessionStatus.LIVE.value)
SORTS = {"starts_at": LiveSession.starts_at, "id": LiveSession.id, "status": LiveSession.status}
# The scheduler running in this process (if any) listens so it can wake exactly at the new times.
listeners: list[Callable[[LiveSession], None]] = []


def min_gap() -> timedelta:
    """The configured minimum gap between two sessions of one streamer."""
    return timedelta(minutes=current_app.config["SESSION_MIN_GAP_MINUTES"])


def zone() -> ZoneInfo:
    """The coordinator's display time zone."""
    return ZoneInfo(current_app.config["COORDINATOR_TIMEZONE"])


def lineup_facts(campaign_id: int, product_ids: list[int]) -> list[scheduling.LineupProduct]:
    """The named products as the lineup rules see them, with their enrolment in the campaign."""
    enrolled = select(CampaignProduct.product_id).where(CampaignProduct.campaign_id == campaign_id)
    rows = db.session.execute(select(Product, Product.id.in_(enrolled)).where(Product.id.in_(product_ids))).all()
    return [scheduling.LineupProduct(p.id, p.is_agricultural, p.stock, p.available_from, p.available_to, bool(inside))
            for p, inside in rows]


def _check(campaign: Campaign, streamer_id: int, starts_at: datetime, ends_at: datetime, product_ids: list[int],
           session_id: int = 0) -> None:
    """Raise 422 for broken rules, then 409 naming the first session the slot clashes with."""
    errors = []
    if db.session.get(CampaignStreamer, (campaign.id, streamer_id)) is None:
        errors.append(FieldError(f"streamer {streamer_id} is not enrolled in campaign {campaign.id}", field="streamer_id"))
    errors += scheduling.slot_errors(starts_at, ends_at, (campaign.starts_at, campaign.ends_at), clock.now())
    day = starts_at.astimezone(zone()).date()
    errors += scheduling.lineup_errors(lineup_facts(campaign.id, product_ids), product_ids,
                                       campaign.min_agri_products_per_session, campaign.max_products_per_session, day)
    if errors:
        raise InvalidInput("The session breaks the campaign's rules.", errors)
    # Row lock on PostgreSQL so two requests cannot both book the streamer (SQLite writers already queue).
    db.session.execute(select(Streamer.id).where(Streamer.id == streamer_id).with_for_update())
    gap = min_gap()
    others = db.session.execute(select(LiveSession.id, LiveSession.starts_at, LiveSession.ends_at).where(
        LiveSession.streamer_id == streamer_id, LiveSession.status.in_(ACTIVE), LiveSession.id != session_id,
        LiveSession.starts_at < ends_at + gap, LiveSession.ends_at > starts_at - gap)).all()
    clash = scheduling.first_overlap(scheduling.Slot(session_id, starts_at, ends_at),
                                     [scheduling.Slot(*row) for row in others], gap)
    if clash is not None:
        raise Conflict(f"Streamer {streamer_id} already has session {clash.id} from {clash.starts_at.isoformat()} "
                       f"to {clash.ends_at.isoformat()}" + (f" (sessions need {gap} between them)." if gap else "."))


def announce(session: LiveSession) -> None:
    """Tell this process's scheduler (if it runs here) about a session's new times."""
    for listener in listeners:
        listener(session)


def create(user: User | None, data: dict[str, Any], commit: bool = True) -> LiveSession:
    """Schedule a session after checking the window, the lineup rules and the streamer's other sessions."""
    campaign = db.session.get(Campaign, data["campaign_id"])
    if campaign is None:
        raise InvalidInput("Unknown campaign.", [FieldError(f"no campaign {data['campaign_id']}", field="campaign_id")])
    open_campaign(campaign.id)
    product_ids = list(data["product_ids"])
    _check(campaign, data["streamer_id"], data["starts_at"], data["ends_at"], product_ids)
    session = LiveSession(campaign_id=campaign.id, streamer_id=data["streamer_id"], starts_at=data["starts_at"],
                          ends_at=data["ends_at"], title=data.get("title") or "", notes=data.get("notes") or "",
                          status=SessionStatus.SCHEDULED.value)
    session.lineup = [LineupItem(product_id=pid, position=i) for i, pid in enumerate(product_ids)]
    db.session.add(session)
    db.session.flush()
    audit.record(user, "create", session, None, snapshot(session), campaign_id=campaign.id)
    if commit:
        db.session.commit()
        announce(session)
    return session


def get(session_id: int, user: User | None = None) -> LiveSession:
    """A session the user may read (a streamer only its own), or NotFound."""
    session = db.session.get(LiveSession, session_id)
    if session is None or (user is not None and not user.is_commissioner and session.streamer_id != user.streamer_id):
        raise NotFound(f"There is no session {session_id}.")
    return session


def _locked(session_id: int) -> LiveSession:
    session = db.session.scalar(select(LiveSession).where(LiveSession.id == session_id).with_for_update())
    if session is None:
        raise NotFound(f"There is no session {session_id}.")
    return session


def reschedule(user: User | None, session_id: int, changes: dict[str, Any]) -> LiveSession:
    """Move a scheduled session or change its lineup or title; the same rules apply as on creation."""
    session = _locked(session_id)
    if session.status != SessionStatus.SCHEDULED.value:
        raise Conflict(f"Session {session_id} is {session.status}; only scheduled sessions can be changed.")
    campaign = open_campaign(session.campaign_id)
    before = snapshot(session)
    starts_at, ends_at = changes.get("starts_at", session.starts_at), changes.get("ends_at", session.ends_at)
    if "starts_at" in changes and "ends_at" not in changes:
        ends_at = starts_at + (session.ends_at - session.starts_at)
    product_ids = list(changes.get("product_ids", [item.product_id for item in session.lineup]))
    _check(campaign, session.streamer_id, starts_at, ends_at, product_ids, session.id)
    session.starts_at, session.ends_at = starts_at, ends_at
    for key in ("title", "notes"):
        if changes.get(key) is not None:
            setattr(session, key, changes[key])
    if "product_ids" in changes:
        session.lineup = []
        db.session.flush()
        session.lineup = [LineupItem(product_id=pid, position=i) for i, pid in enumerate(product_ids)]
    session.updated_at = clock.now()
    audit.record(user, "reschedule", session, before, audit.changed_fields(before, snapshot(session)),
                 campaign_id=session.campaign_id)
    db.session.commit()
    announce(session)
    return session


def cancel(user: User | None, session_id: int) -> LiveSession:
    """Cancel a scheduled or live session; cancelling twice is harmless, an ended one is a 409."""
    session = _locked(session_id)
    if session.status == SessionStatus.CANCELLED.value:
        return session
    if session.status == SessionStatus.ENDED.value:
        raise Conflict(f"Session {session_id} has ended; it cannot be cancelled.")
    before = snapshot(session)
    session.status, session.cancelled_at = SessionStatus.CANCELLED.value, clock.now()
    session.updated_at = session.cancelled_at
    audit.record(user, "cancel", session, before, {"status": session.status}, campaign_id=session.campaign_id)
    db.session.commit()
    publish_status(session.id, session.campaign_id, session.status)
    return session


def list_sessions(user: User, page: int, per_page: int, campaign_id: int | None = None,
                  streamer_id: int | None = None, day: date | None = None, status: str | None = None) -> Page:
    """Sessions by campaign, streamer, local day or status, earliest first; a streamer sees only its own."""
    stmt = select(LiveSession)
    if not user.is_commissioner:
        stmt = stmt.where(LiveSession.streamer_id == user.streamer_id)
    if campaign_id is not None:
        stmt = stmt.where(LiveSession.campaign_id == campaign_id)
    if streamer_id is not None:
        stmt = stmt.where(LiveSession.streamer_id == streamer_id)
    if day is not None:
        stmt = stmt.where(LiveSession.starts_at >= local_moment(day, 0, zone()),
                          LiveSession.starts_at < local_moment(day + timedelta(days=1), 0, zone()))
    if status is not None:
        stmt = stmt.where(LiveSession.status == status)
    return paginate(stmt, page, per_page, "starts_at", SORTS, LiveSession.id)


def snapshot(session: LiveSession) -> dict[str, Any]:
    """A session for the audit trail, lineup included."""
    return {**audit.snapshot(session), "product_ids": [item.product_id for item in session.lineup]}
