"""What a tally screen shows besides the live snapshot: its scopes and the per-minute series."""
from __future__ import annotations

from datetime import timedelta

from sqlalchemy import select

from coordinator import clock
from coordinator.domain.enums import SessionStatus
from coordinator.domain.ingest import minute_of
from coordinator.extensions import db
from coordinator.models import Campaign, LiveSession, Streamer, TallyMinute

SERIES_MINUTES = 60


def scopes_for(campaign_id: int) -> list[dict]:
    """The campaign, then each session live now: what a rotating screen cycles through."""
    campaign = db.session.get(Campaign, campaign_id)
    rows = db.session.execute(
        select(LiveSession.id, LiveSession.title, Streamer.display_name).join(Streamer, Streamer.id == LiveSession.streamer_id)
        .where(LiveSession.campaign_id == campaign_id, LiveSession.status == SessionStatus.LIVE.value)
        .order_by(LiveSession.starts_at)).all()
    return [{"scope": "campaign", "id": campaign_id, "title": campaign.name}] + [
        {"scope": "session", "id": sid, "title": f"{name} · {title}" if title else name} for sid, title, name in rows]


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


def session_in_campaign(session_id: int, campaign_id: int) -> bool:
    """True when the session belongs to the screen's campaign."""
    session = db.session.get(LiveSession, session_id)
    return session is not None and session.campaign_id == campaign_id
