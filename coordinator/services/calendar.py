"""The session calendar of a campaign: a day or week of sessions by streamer, clashes marked."""
from __future__ import annotations

from dataclasses import dataclass
from datetime import date, timedelta

from sqlalchemy import select

from coordinator import clock
from coordinator.domain import scheduling
from coordinator.domain.access_facts import Actor
from coordinator.domain.enums import SessionStatus
from coordinator.domain.settings import Settings
from coordinator.extensions import db
from coordinator.models import Campaign, LiveSession, Product, Streamer
from coordinator.services import access, enrolment
from coordinator.services.sessions import ACTIVE, session_for


@dataclass
class CalendarView:
    """What the calendar page draws."""

    campaign: Campaign
    day: date
    days: list[date]
    cells: dict[tuple[int, date], list[LiveSession]]
    clashes: set[int]
    streamers: list[Streamer]
    all_streamers: list[Streamer]
    names: dict[int, str]
    may_change: bool


def days_of(view: str, day: date) -> list[date]:
    """The day itself, or the Monday-to-Sunday week around it."""
    first = day if view == "day" else day - timedelta(days=day.weekday())
    return [first + timedelta(days=n) for n in range(1 if view == "day" else 7)]


def calendar(actor: Actor, settings: Settings, campaign_id: int, view: str, day: date | None,
             streamer_id: int | None) -> CalendarView:
    """A week (or day) of the sessions the actor sees, one row per streamer; its first day defaults to today or
    the campaign's start, whichever is later."""
    campaign, facts = access.campaign_for(actor, "campaign.read_part", campaign_id)
    if day is None:
        day = max(campaign.starts_at.astimezone(settings.zone).date(), clock.now().astimezone(settings.zone).date())
    rows = list(db.session.scalars(select(LiveSession).where(
        LiveSession.campaign_id == campaign.id, LiveSession.status != SessionStatus.CANCELLED.value,
        access.sessions_clause(actor, facts)).order_by(LiveSession.starts_at)))
    by_streamer: dict[int, list[scheduling.Slot]] = {}
    cells: dict[tuple[int, date], list[LiveSession]] = {}
    for row in rows:
        if row.status in ACTIVE:
            by_streamer.setdefault(row.streamer_id, []).append(scheduling.Slot(row.id, row.starts_at, row.ends_at))
        cells.setdefault((row.streamer_id, row.starts_at.astimezone(settings.zone).date()), []).append(row)
    streamers = enrolment.campaign_streamers(campaign.id)
    if not access.allowed(actor, "campaign.read", facts):
        streamers = [s for s in streamers if s.id in by_streamer or any(key[0] == s.id for key in cells)]
    names = {p.id: p.name for p in enrolment.campaign_products(campaign.id)}
    return CalendarView(campaign, day, days_of(view, day), cells, scheduling.conflicting_ids(by_streamer, settings.min_gap),
                        [s for s in streamers if streamer_id in (None, s.id)], streamers, names,
                        access.allowed(actor, "campaign.change", facts))


@dataclass
class SessionEdit:
    """What the session form shows: the session, its host and the products it may carry."""

    session: LiveSession
    streamer: Streamer
    products: list[Product]


def session_edit(actor: Actor, session_id: int) -> SessionEdit:
    """A session to edit, with its host and the campaign's products."""
    session = session_for(actor, session_id, "item.change")
    return SessionEdit(session, db.session.get(Streamer, session.streamer_id),
                       enrolment.campaign_products(session.campaign_id))
