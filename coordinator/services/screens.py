"""What a tally screen shows besides the live snapshot: its scopes and the per-minute series, by its link."""
from __future__ import annotations

from datetime import timedelta

from sqlalchemy import select

from coordinator import clock
from coordinator.domain.enums import SessionStatus
from coordinator.domain.errors import NotAuthenticated, NotFound
from coordinator.domain.ingest import minute_of
from coordinator.extensions import db
from coordinator.models import Campaign, LiveSession, Streamer, TallyMinute
from coordinator.services import access, tallies
from coordinator.services.screen_links import screen_for_token

SERIES_MINUTES = 60


def screen_campaign(token: str) -> Campaign:
    """The campaign a working screen link shows; an unknown or revoked link is not found."""
    try:
        row = screen_for_token(token)
    except NotAuthenticated as error:
        raise NotFound("There is no such screen.") from error
    return db.session.get(Campaign, row.campaign_id)


def opening(token: str) -> tuple[Campaign, dict, list[dict]]:
    """What a screen shows the moment it opens, before /live answers: its campaign, the campaign's snapshot and
    series (on a weak line the socket's first snapshot can be seconds away; the wall should not read ¥0 meanwhile)."""
    campaign = screen_campaign(token)
    return campaign, tallies.read_snapshot("campaign", campaign.id), series("campaign", campaign.id)


def scopes_for(token: str) -> list[dict]:
    """The campaign, then each session live now: what a rotating screen cycles through."""
    campaign = screen_campaign(token)
    rows = db.session.execute(
        select(LiveSession.id, LiveSession.title, Streamer.display_name).join(Streamer, Streamer.id == LiveSession.streamer_id)
        .where(LiveSession.campaign_id == campaign.id, LiveSession.status == SessionStatus.LIVE.value)
        .order_by(LiveSession.starts_at)).all()
    return [{"scope": "campaign", "id": campaign.id, "title": campaign.name}] + [
        {"scope": "session", "id": sid, "title": f"{name} · {title}" if title else name} for sid, title, name in rows]


def series_for(token: str, scope: str, scope_id: int | None) -> list[dict]:
    """The per-minute series of the screen's campaign, or of one of its sessions (others are not found)."""
    campaign = screen_campaign(token)
    if scope == "campaign":
        return series("campaign", campaign.id)
    session = db.session.get(LiveSession, scope_id) if scope == "session" and scope_id else None
    screen = access.screen_actor(screen_for_token(token))
    if session is None or not access.allowed(screen, "item.tally", access.session_facts(screen, session)):
        raise NotFound("There is no such session on this screen.")
    return series("session", session.id)


def series(scope: str, scope_id: int) -> list[dict]:
    """Net sales and orders for each of the last sixty minutes, oldest first, quiet minutes as zero."""
    last = minute_of(clock.now())
    first = last - timedelta(minutes=SERIES_MINUTES - 1)
    rows = {r.minute: r for r in db.session.scalars(select(TallyMinute).where(
        TallyMinute.scope == scope, TallyMinute.scope_id == scope_id, TallyMinute.minute >= first))}
    out = []
    for step in range(SERIES_MINUTES):
        minute = first + timedelta(minutes=step)
        row = rows.get(minute)
        out.append({"minute": int(minute.timestamp()), "net_fen": row.gross_fen - row.refunded_fen if row else 0,
                    "orders": row.orders if row else 0})
    return out
