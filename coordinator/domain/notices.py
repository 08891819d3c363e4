"""What the coordinator tells people outside the browser: the events of CONTRACT section 6 as notices.

A notice is built from plain values inside the transaction that made the change; the outbox turns it into one
delivery per channel that wants it. Nothing here reads a database or sends anything.
"""
from __future__ import annotations

from dataclasses import dataclass, field
from datetime import datetime, tzinfo
from typing import Any

SESSION_EVENTS = ("session.scheduled", "session.updated", "session.cancelled", "session.live", "session.ended",
                  "session.reminder")
PAIRING_EVENTS = ("pairing.proposed", "pairing.accepted", "pairing.declined")
SAMPLE_EVENTS = ("sample.shipped", "sample.received", "sample.late")
EVENTS = (*SESSION_EVENTS, *PAIRING_EVENTS, "campaign.status", *SAMPLE_EVENTS)
# Sent by "send a test message" only: no channel subscribes to it, every channel takes it.
TEST_EVENT = "channel.test"
# The events that also reach the host's own channels (the rest go to the campaign's alone).
HOST_EVENTS = frozenset({"session.reminder", "sample.shipped", "sample.late"})


@dataclass(frozen=True)
class Notice:
    """One event to tell: its name, whose channels hear it, the webhook's data and the words to render."""

    event: str
    campaign_id: int
    data: dict[str, Any]
    streamer_id: int | None = None  # the host whose own channels hear it too (reminders)
    # Names the message shows (campaign, host, session title...): never part of the webhook's data.
    names: dict[str, Any] = field(default_factory=dict)
    link: str = "/"  # the page that shows the team more, relative to the service's public address
    host_link: str = "/"  # the page that shows the host more: their start page lists their sessions and pairings


def wants(channel_events: list[str] | None, event: str) -> bool:
    """True when a channel subscribed to the event (None: to every event)."""
    return event == TEST_EVENT or channel_events is None or event in channel_events


def unknown_events(events: list[str]) -> list[str]:
    """The names in a channel's event list that are not events."""
    return [name for name in events if name not in EVENTS]


def _iso(moment: datetime) -> str:
    return moment.isoformat()


def session_notice(event: str, session: Any, names: dict[str, Any], zone: tzinfo,
                   minutes_before: int | None = None) -> Notice:
    """A session event; the data CONTRACT section 6 names, and minutes_before for a reminder. Its link opens the
    calendar on the session's own week, at the session (the calendar's default week may not hold it)."""
    data: dict[str, Any] = {"session_id": session.id, "campaign_id": session.campaign_id,
                            "streamer_id": session.streamer_id, "status": session.status,
                            "starts_at": _iso(session.starts_at), "ends_at": _iso(session.ends_at)}
    if minutes_before is not None:
        data["minutes_before"] = minutes_before
    host = session.streamer_id if event in HOST_EVENTS else None
    day = session.starts_at.astimezone(zone).date().isoformat()  # the coordinator's day, as the calendar shows it
    return Notice(event, session.campaign_id, data, host, names,
                  f"/campaigns/{session.campaign_id}/calendar?day={day}#session-{session.id}")


def pairing_notice(event: str, pairing: Any, names: dict[str, Any]) -> Notice:
    """A pairing proposed by hand, accepted or declined."""
    data = {"pairing_id": pairing.id, "campaign_id": pairing.campaign_id, "streamer_id": pairing.streamer_id,
            "product_id": pairing.product_id, "status": pairing.status, "decline_reason": pairing.decline_reason or ""}
    return Notice(event, pairing.campaign_id, data, None, names, f"/campaigns/{pairing.campaign_id}/pairings")


def sample_notice(event: str, sample: Any, names: dict[str, Any], tracking_url: str | None = None,
                  session: Any = None) -> Notice:
    """A sample shipped, received, or late for a session (the host hears of shipping and lateness too)."""
    data: dict[str, Any] = {"sample_id": sample.id, "campaign_id": sample.campaign_id,
                            "streamer_id": sample.streamer_id, "product_id": sample.product_id,
                            "pairing_id": sample.pairing_id, "quantity": sample.quantity, "status": sample.status,
                            "carrier": sample.carrier, "tracking_number": sample.tracking_number,
                            "tracking_url": tracking_url}
    if session is not None:
        data.update(session_id=session.id, starts_at=_iso(session.starts_at))
    host = sample.streamer_id if event in HOST_EVENTS else None
    return Notice(event, sample.campaign_id, data, host, names, f"/campaigns/{sample.campaign_id}/samples")


def proposals_notice(campaign_id: int, count: int, names: dict[str, Any]) -> Notice:
    """The engine's run: one message for all its proposals, not one per pairing."""
    return Notice("pairing.proposed", campaign_id, {"campaign_id": campaign_id, "count": count, "source": "engine"},
                  None, {**names, "count": count}, f"/campaigns/{campaign_id}/pairings")


def campaign_notice(campaign_id: int, status: str, before: str, names: dict[str, Any]) -> Notice:
    """A campaign moved along its lifecycle."""
    return Notice("campaign.status", campaign_id, {"campaign_id": campaign_id, "status": status, "previous": before},
                  None, names, f"/campaigns/{campaign_id}")


def test_notice(channel_id: int, campaign_id: int | None, names: dict[str, Any]) -> Notice:
    """The message "send a test message" sends to one channel."""
    return Notice(TEST_EVENT, campaign_id or 0, {"channel_id": channel_id}, None, names, "/")
