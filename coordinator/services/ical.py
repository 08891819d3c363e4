"""Each streamer's personal iCal feed, at a URL only a signed token opens."""
from __future__ import annotations

from datetime import timedelta

from flask import current_app
from icalendar import Calendar, Event
from itsdangerous import BadSignature, URLSafeSerializer
from sqlalchemy import select

from coordinator import clock
from coordinator.domain.enums import SessionStatus
from coordinator.domain.errors import NotFound
from coordinator.extensions import db
from coordinator.models import Campaign, LineupItem, LiveSession, Product, Streamer

SALT = "ical-feed"
STATUS = {SessionStatus.SCHEDULED.value: "CONFIRMED", SessionStatus.LIVE.value: "CONFIRMED",
          SessionStatus.ENDED.value: "CONFIRMED", SessionStatus.CANCELLED.value: "CANCELLED"}


def _signer() -> URLSafeSerializer:
    return URLSafeSerializer(current_app.config["SECRET_KEY"], salt=SALT)


def feed_token(streamer_id: int) -> str:
    """The secret part of a streamer's feed URL (signed with SECRET_KEY; rotating the key revokes every feed)."""
    return _signer().dumps(streamer_id)


def streamer_for_token(token: str) -> Streamer:
    """The streamer a feed token belongs to, or NotFound for anything forged."""
    try:
        streamer_id = _signer().loads(token)
    except BadSignature as exc:
        raise NotFound("There is no such calendar.") from exc
    streamer = db.session.get(Streamer, streamer_id) if isinstance(streamer_id, int) else None
    if streamer is None:
        raise NotFound("There is no such calendar.")
    return streamer


def feed(streamer: Streamer) -> bytes:
    """The streamer's sessions from the last 30 days on, cancelled ones marked so calendars drop them."""
    calendar = Calendar()
    calendar.add("prodid", "-//Livestream Campaign Coordinator//sessions//EN")
    calendar.add("version", "2.0")
    calendar.add("x-wr-calname", f"{streamer.display_name} · livestreams")
    since = clock.now() - timedelta(days=30)
    rows = db.session.execute(select(LiveSession, Campaign.name).join(Campaign, Campaign.id == LiveSession.campaign_id)
                              .where(LiveSession.streamer_id == streamer.id, LiveSession.ends_at >= since)
                              .order_by(LiveSession.starts_at)).all()
    names = _lineup_names([session.id for session, _ in rows])
    for session, campaign_name in rows:
        event = Event()
        event.add("uid", f"session-{session.id}@livestream-coordinator")
        event.add("summary", session.title or campaign_name)
        event.add("dtstart", session.starts_at)
        event.add("dtend", session.ends_at)
        event.add("dtstamp", clock.now())
        event.add("last-modified", session.updated_at)
        # Calendars apply a change only when SEQUENCE grows: seconds since creation always do.
        event.add("sequence", max(0, int((session.updated_at - session.created_at).total_seconds())))
        event.add("status", STATUS[session.status])
        event.add("description", "\n".join([campaign_name, *names.get(session.id, [])]))
        calendar.add_component(event)
    return calendar.to_ical()


def _lineup_names(session_ids: list[int]) -> dict[int, list[str]]:
    out: dict[int, list[str]] = {}
    if not session_ids:
        return out
    for session_id, name in db.session.execute(
            select(LineupItem.session_id, Product.name).join(Product, Product.id == LineupItem.product_id)
            .where(LineupItem.session_id.in_(session_ids)).order_by(LineupItem.session_id, LineupItem.position)):
        out.setdefault(session_id, []).append(name)
    return out
