"""Sessions: create, read, list, reschedule and cancel; each change audited, its events returned for pushing."""
from __future__ import annotations

from datetime import date, datetime, timedelta
from typing import Any

from sqlalchemy import select

from coordinator import clock
from coordinator.domain import scheduling
from coordinator.domain.access_facts import Actor
from coordinator.domain.autoplan import local_moment
from coordinator.domain.enums import SessionStatus
from coordinator.domain.errors import Conflict, FieldError, InvalidInput, NotFound
from coordinator.domain.events import AccessChanged, Outcome, SessionStatusChanged, SessionTimesChanged
from coordinator.domain.settings import Settings
from coordinator.extensions import db
from coordinator.models import Campaign, CampaignProduct, CampaignStreamer, LineupItem, LiveSession, Product, Streamer
from coordinator.services import access, audit, outbox
from coordinator.services.campaigns import open_campaign
from coordinator.services.listing import Page, paginate

ACTIVE = (SessionStatus.SCHEDULED.value, SessionStatus.LIVE.value)
SORTS = {"starts_at": LiveSession.starts_at, "id": LiveSession.id, "status": LiveSession.status}


def lineup_facts(campaign_id: int, product_ids: list[int]) -> list[scheduling.LineupProduct]:
    """The named products as the lineup rules see them, with their enrolment in the campaign."""
    enrolled = select(CampaignProduct.product_id).where(CampaignProduct.campaign_id == campaign_id)
    rows = db.session.execute(select(Product, Product.id.in_(enrolled)).where(Product.id.in_(product_ids))).all()
    return [scheduling.LineupProduct(p.id, p.is_agricultural, p.stock, p.available_from, p.available_to, bool(inside))
            for p, inside in rows]


def busy_slots(streamer_id: int) -> list[scheduling.Slot]:
    """A streamer's scheduled and live sessions in every campaign."""
    return [scheduling.Slot(*row) for row in db.session.execute(
        select(LiveSession.id, LiveSession.starts_at, LiveSession.ends_at).where(
            LiveSession.streamer_id == streamer_id, LiveSession.status.in_(ACTIVE)))]


def _check(settings: Settings, campaign: Campaign, streamer_id: int, starts_at: datetime, ends_at: datetime,
           product_ids: list[int], session_id: int = 0) -> None:
    """Raise 422 for broken rules, then 409 naming the first session the slot clashes with."""
    errors = []
    if db.session.get(CampaignStreamer, (campaign.id, streamer_id)) is None:
        errors.append(FieldError(f"streamer {streamer_id} is not enrolled in campaign {campaign.id}", field="streamer_id"))
    errors += scheduling.slot_errors(starts_at, ends_at, (campaign.starts_at, campaign.ends_at), clock.now())
    day = starts_at.astimezone(settings.zone).date()
    errors += scheduling.lineup_errors(lineup_facts(campaign.id, product_ids), product_ids,
                                       campaign.min_agri_products_per_session, campaign.max_products_per_session, day)
    if errors:
        raise InvalidInput("The session breaks the campaign's rules.", errors)
    # Row lock on PostgreSQL so two requests cannot both book the streamer (SQLite writers already queue).
    db.session.execute(select(Streamer.id).where(Streamer.id == streamer_id).with_for_update())
    gap = settings.min_gap
    others = db.session.execute(select(LiveSession.id, LiveSession.starts_at, LiveSession.ends_at,
                                       LiveSession.campaign_id).where(
        LiveSession.streamer_id == streamer_id, LiveSession.status.in_(ACTIVE), LiveSession.id != session_id,
        LiveSession.starts_at < ends_at + gap, LiveSession.ends_at > starts_at - gap)).all()
    campaign_of = {row.id: row.campaign_id for row in others}
    clash = scheduling.first_overlap(scheduling.Slot(session_id, starts_at, ends_at),
                                     [scheduling.Slot(*row[:3]) for row in others], gap)
    if clash is not None:
        # Another campaign's session is named by its times alone: its team is not this caller's.
        which = f"session {clash.id}" if campaign_of[clash.id] == campaign.id else "a session in another campaign"
        raise Conflict(f"Streamer {streamer_id} already has {which} from {clash.starts_at.isoformat()} "
                       f"to {clash.ends_at.isoformat()}" + (f" (sessions need {gap} between them)." if gap else "."))


def times_changed(session: LiveSession) -> SessionTimesChanged:
    """The event that tells the scheduler of a session's times."""
    return SessionTimesChanged(session.id, session.starts_at, session.ends_at, session.status)


def schedule(actor: Actor, settings: Settings, campaign: Campaign, data: dict[str, Any]) -> LiveSession:
    """Add a session to a campaign the caller may change, checked, audited and not yet committed."""
    product_ids = list(data["product_ids"])
    _check(settings, campaign, data["streamer_id"], data["starts_at"], data["ends_at"], product_ids)
    session = LiveSession(campaign_id=campaign.id, streamer_id=data["streamer_id"], starts_at=data["starts_at"],
                          ends_at=data["ends_at"], title=data.get("title") or "", notes=data.get("notes") or "",
                          status=SessionStatus.SCHEDULED.value)
    session.lineup = [LineupItem(product_id=pid, position=i) for i, pid in enumerate(product_ids)]
    db.session.add(session)
    db.session.flush()
    audit.record(actor, "create", session, None, snapshot(session), campaign_id=campaign.id)
    return session


def create(actor: Actor, settings: Settings, data: dict[str, Any]) -> Outcome[LiveSession]:
    """Schedule a session after checking the window, the lineup rules and the streamer's other sessions."""
    campaign = db.session.get(Campaign, data["campaign_id"])
    facts = access.campaign_facts(actor, campaign) if campaign is not None else None
    if campaign is None or not access.allowed(actor, "campaign.see", facts):
        access.require(actor, "campaign.create")  # a host is refused for their role before the unknown campaign
        raise InvalidInput("Unknown campaign.", [FieldError(f"no campaign {data['campaign_id']}", field="campaign_id")])
    access.require(actor, "campaign.change", facts, f"campaign {campaign.id}")
    open_campaign(campaign)
    session = schedule(actor, settings, campaign, data)
    outbox.stage_session("session.scheduled", session, settings)
    db.session.commit()
    return Outcome(session, [times_changed(session)])


def session_for(actor: Actor, session_id: int, action: str = "item.read") -> LiveSession:
    """A session the actor may do the action to (NotFound or PermissionDenied otherwise)."""
    session = db.session.get(LiveSession, session_id)
    if session is None:
        raise NotFound(f"There is no session {session_id}.")
    access.require(actor, action, access.session_facts(actor, session), f"session {session_id}")
    return session


def _locked(actor: Actor, session_id: int) -> LiveSession:
    session_for(actor, session_id, "item.change")
    return db.session.scalar(select(LiveSession).where(LiveSession.id == session_id).with_for_update())


def reschedule(actor: Actor, settings: Settings, session_id: int, changes: dict[str, Any]) -> Outcome[LiveSession]:
    """Move a scheduled session or change its lineup or title; the same rules apply as on creation."""
    session = _locked(actor, session_id)
    if session.status != SessionStatus.SCHEDULED.value:
        raise Conflict(f"Session {session_id} is {session.status}; only scheduled sessions can be changed.")
    campaign = open_campaign(db.session.get(Campaign, session.campaign_id))
    before = snapshot(session)
    starts_at, ends_at = changes.get("starts_at", session.starts_at), changes.get("ends_at", session.ends_at)
    if "starts_at" in changes and "ends_at" not in changes:
        ends_at = starts_at + (session.ends_at - session.starts_at)
    carried = {item.product_id for item in session.lineup}
    product_ids = list(changes.get("product_ids", [item.product_id for item in session.lineup]))
    _check(settings, campaign, session.streamer_id, starts_at, ends_at, product_ids, session.id)
    session.starts_at, session.ends_at = starts_at, ends_at
    for key in ("title", "notes"):
        if changes.get(key) is not None:
            setattr(session, key, changes[key])
    if "product_ids" in changes:
        session.lineup = []
        db.session.flush()
        session.lineup = [LineupItem(product_id=pid, position=i) for i, pid in enumerate(product_ids)]
    session.updated_at = clock.now()
    audit.record(actor, "reschedule", session, before, audit.changed_fields(before, snapshot(session)),
                 campaign_id=session.campaign_id)
    events: list[object] = [times_changed(session)]
    outbox.stage_session("session.updated", session, settings)
    if set(product_ids) != carried:
        access.bump_epoch()  # the partners who may follow this session change with its lineup
        events.append(AccessChanged())
    db.session.commit()
    return Outcome(session, events)


def move_to_day(actor: Actor, settings: Settings, session_id: int, day: date) -> Outcome[LiveSession]:
    """The calendar's drag and drop: the same local time of day on another day."""
    session = session_for(actor, session_id, "item.change")
    local = session.starts_at.astimezone(settings.zone)
    start = datetime.combine(day, local.time().replace(tzinfo=None)).replace(tzinfo=settings.zone)
    return reschedule(actor, settings, session.id, {"starts_at": start})


def cancel(actor: Actor, settings: Settings, session_id: int) -> Outcome[LiveSession]:
    """Cancel a scheduled or live session; cancelling twice is harmless, an ended one is a 409."""
    session = _locked(actor, session_id)
    if session.status == SessionStatus.CANCELLED.value:
        return Outcome(session)
    if session.status == SessionStatus.ENDED.value:
        raise Conflict(f"Session {session_id} has ended; it cannot be cancelled.")
    before = snapshot(session)
    session.status, session.cancelled_at = SessionStatus.CANCELLED.value, clock.now()
    session.updated_at = session.cancelled_at
    audit.record(actor, "cancel", session, before, {"status": session.status}, campaign_id=session.campaign_id)
    outbox.stage_session("session.cancelled", session, settings)
    db.session.commit()
    return Outcome(session, [SessionStatusChanged(session.id, session.campaign_id, session.status)])


def list_sessions(actor: Actor, settings: Settings, page: int, per_page: int, campaign_id: int | None = None,
                  streamer_id: int | None = None, day: date | None = None, status: str | None = None) -> Page:
    """Sessions the actor sees, by campaign, streamer, local day or status, earliest first."""
    stmt = select(LiveSession).where(access.all_sessions_clause(actor))
    if campaign_id is not None:
        stmt = stmt.where(LiveSession.campaign_id == campaign_id)
    if streamer_id is not None:
        stmt = stmt.where(LiveSession.streamer_id == streamer_id)
    if day is not None:
        stmt = stmt.where(LiveSession.starts_at >= local_moment(day, 0, settings.zone),
                          LiveSession.starts_at < local_moment(day + timedelta(days=1), 0, settings.zone))
    if status is not None:
        stmt = stmt.where(LiveSession.status == status)
    return paginate(stmt, page, per_page, "starts_at", SORTS, LiveSession.id)


def snapshot(session: LiveSession) -> dict[str, Any]:
    """A session for the audit trail, lineup included."""
    return {**audit.snapshot(session), "product_ids": [item.product_id for item in session.lineup]}


def own_sessions(actor: Actor, settings: Settings, page: int, per_page: int) -> Page:
    """The host's own sessions, earliest first."""
    access.require(actor, "host.portal")
    return list_sessions(actor, settings, page, per_page)
