"""Pushes to /live subscribers; needs only the socketio object, so services may call it after commit."""
from __future__ import annotations

import logging

from coordinator.extensions import socketio

log = logging.getLogger(__name__)
NAMESPACE = "/live"


def campaign_room(campaign_id: int) -> str:
    """Everyone watching a campaign's tally."""
    return f"campaign:{campaign_id}"


def session_room(session_id: int) -> str:
    """Everyone watching a session's tally."""
    return f"session:{session_id}"


def planners_room(campaign_id: int) -> str:
    """The campaign's team watching it: they also see every pairing change."""
    return f"campaign:{campaign_id}:planners"


def partners_room(campaign_id: int, county_id: int) -> str:
    """A county partner watching a campaign: they see the pairing changes of their county's products."""
    return f"campaign:{campaign_id}:county:{county_id}"


def streamer_room(streamer_id: int) -> str:
    """Every page a streamer has open: reminders and news meant for them alone."""
    return f"streamer:{streamer_id}"


def _emit(event: str, payload: dict, room: str) -> None:
    # Socket.IO is at-most-once: a failed push is logged and the page resyncs on its next subscribe.
    try:
        socketio.emit(event, payload, to=room, namespace=NAMESPACE)
    except Exception:  # noqa: BLE001 - the change is committed; losing a push must not fail the request
        log.exception("could not push %s to %s", event, room)


def publish_pairing(pairing: dict) -> None:
    """Tell a campaign's team, and the partner of the product's county, that a pairing changed."""
    _emit("pairing", pairing, planners_room(pairing["campaign_id"]))
    if pairing.get("county_id") is not None:
        _emit("pairing", pairing, partners_room(pairing["campaign_id"], pairing["county_id"]))


def publish_sample(sample: dict) -> None:
    """Tell a campaign's team, the partner of the product's county and the host's open pages that a sample moved."""
    _emit("sample", sample, planners_room(sample["campaign_id"]))
    if sample.get("county_id") is not None:
        _emit("sample", sample, partners_room(sample["campaign_id"], sample["county_id"]))
    _emit("sample", sample, streamer_room(sample["streamer_id"]))


def publish_pairings_rerun(campaign_id: int, count: int) -> None:
    """Tell a campaign's planners that the engine replaced its proposals (one event, not one per pairing)."""
    _emit("pairings_rerun", {"campaign_id": campaign_id, "count": count}, planners_room(campaign_id))


def publish_tally(snapshot: dict) -> None:
    """Send a scope's new snapshot to its subscribers."""
    room = campaign_room(snapshot["id"]) if snapshot["scope"] == "campaign" else session_room(snapshot["id"])
    _emit("tally", snapshot, room)


def publish_status(session_id: int, campaign_id: int, status: str) -> None:
    """Tell a session's and its campaign's subscribers that the session's status changed."""
    payload = {"session_id": session_id, "campaign_id": campaign_id, "status": status}
    _emit("session_status", payload, campaign_room(campaign_id))
    _emit("session_status", payload, session_room(session_id))


def publish_campaign_status(campaign_id: int, status: str) -> None:
    """Tell a campaign's subscribers (screens above all) that the campaign moved along its lifecycle."""
    _emit("campaign_status", {"campaign_id": campaign_id, "status": status}, campaign_room(campaign_id))


def publish_reminder(streamer_id: int, reminder: dict) -> None:
    """Push a session reminder to the streamer's open pages."""
    _emit("reminder", reminder, streamer_room(streamer_id))


def deliver(events: list, app) -> None:
    """Push each committed event to whoever follows it (and tell this process's scheduler of new session times)."""
    from coordinator.domain import events as e
    from coordinator.realtime import live_guard, tally_push

    for event in events:
        if isinstance(event, e.SessionStatusChanged):
            publish_status(event.session_id, event.campaign_id, event.status)
        elif isinstance(event, e.PairingChanged):
            publish_pairing(event.pairing)
        elif isinstance(event, e.SampleChanged):
            publish_sample(event.sample)
        elif isinstance(event, e.PairingsRerun):
            publish_pairings_rerun(event.campaign_id, event.count)
        elif isinstance(event, e.CampaignStatusChanged):
            publish_campaign_status(event.campaign_id, event.status)
        elif isinstance(event, e.ReminderDue):
            publish_reminder(event.streamer_id, event.reminder)
        elif isinstance(event, e.TalliesChanged):
            tally_push.tallies_changed(app, set(event.scopes))
        elif isinstance(event, e.AccessChanged):
            live_guard.recheck_soon(app)
        elif isinstance(event, e.SessionTimesChanged):
            scheduler = app.extensions.get("coordinator.scheduler")
            if scheduler is not None:
                scheduler.session_changed(event)
