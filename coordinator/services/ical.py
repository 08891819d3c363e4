"""Each streamer's personal iCal feed, at a URL only a signed token opens; the host or their manager renews it."""
from __future__ import annotations

from datetime import timedelta

from icalendar import Calendar, Event
from itsdangerous import BadSignature, URLSafeSerializer
from sqlalchemy import select, update

from coordinator import clock
from coordinator.domain.access_facts import Actor
from coordinator.domain.enums import SessionStatus
from coordinator.domain.errors import NotFound
from coordinator.domain.settings import Settings
from coordinator.extensions import db
from coordinator.models import Campaign, LineupItem, LiveSession, Product, Streamer
from coordinator.services import access, audit
from coordinator.services.streamers import streamer_for

SALT = "ical-feed"
STATUS = {SessionStatus.SCHEDULED.value: "CONFIRMED", SessionStatus.LIVE.value: "CONFIRMED",
          SessionStatus.ENDED.value: "CONFIRMED", SessionStatus.CANCELLED.value: "CANCELLED"}


def _signer(settings: Settings) -> URLSafeSerializer:
    return URLSafeSerializer(settings.calendar_key, salt=SALT)


def feed_token(settings: Settings, streamer: Streamer) -> str:
    """The secret part of a streamer's feed URL: their id and calendar generation, signed with the calendar key."""
    return _signer(settings).dumps([streamer.id, streamer.calendar_generation])


def own_feed_token(actor: Actor, settings: Settings) -> str:
    """The host's own feed token, for their start page."""
    return feed_token(settings, streamer_for(actor, actor.streamer_id, "streamer.renew_calendar"))


def streamer_for_token(settings: Settings, token: str) -> Streamer:
    """The streamer a feed token belongs to, or NotFound for anything forged or renewed since."""
    try:
        value = _signer(settings).loads(token)
    except BadSignature as exc:
        raise NotFound("There is no such calendar.") from exc
    valid = isinstance(value, list) and len(value) == 2 and all(type(v) is int for v in value)
    streamer = db.session.get(Streamer, value[0]) if valid and 0 < value[0] < 2**31 else None
    if streamer is None or streamer.calendar_generation != value[1]:
        raise NotFound("There is no such calendar.")
    return streamer


def renew(actor: Actor, settings: Settings, streamer_id: int) -> str:
    """Turn the old feed link off and return the new token (the host, their manager or an admin)."""
    streamer = streamer_for(actor, streamer_id, "streamer.renew_calendar")
    db.session.execute(update(Streamer).where(Streamer.id == streamer.id)
                       .values(calendar_generation=Streamer.calendar_generation + 1))
    audit.record(actor, "renew-calendar", streamer, None, None)
    db.session.commit()
    return feed_token(settings, db.session.get(Streamer, streamer.id))


def renew_own(actor: Actor, settings: Settings) -> str:
    """The host renews their own calendar link from their phone."""
    access.require(actor, "host.portal")
    return renew(actor, settings, actor.streamer_id)


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
