"""/live: authenticate at connect, subscribe to a tally scope, get a full snapshot in the ack."""
from __future__ import annotations

from flask import request
from flask_login import current_user
from flask_socketio import ConnectionRefusedError, join_room

from coordinator.extensions import db
from coordinator.realtime.publish import NAMESPACE, campaign_room, planners_room, session_room, streamer_room
from coordinator.services import live_access, sessions, tallies

_viewers: dict[str, live_access.Viewer] = {}


def connect(auth=None):
    """A client connects with auth {"token": ...} or the page's login cookie; anyone else is refused."""
    token = auth.get("token") if isinstance(auth, dict) and isinstance(auth.get("token"), str) else None
    try:
        viewer = live_access.identify(token, current_user if not token else None)
    finally:
        db.session.remove()
    if viewer is None:
        raise ConnectionRefusedError("unauthorized")
    _viewers[request.sid] = viewer
    if viewer.streamer_id is not None:
        join_room(streamer_room(viewer.streamer_id))


def disconnect(*_args):
    """Forget the client."""
    _viewers.pop(request.sid, None)


def _scope(data) -> tuple[int | None, int | None] | None:
    if not isinstance(data, dict):
        return None
    campaign_id, session_id = data.get("campaign_id"), data.get("session_id")
    valid = [v for v in (campaign_id, session_id) if isinstance(v, int) and not isinstance(v, bool)]
    if len(valid) != 1 or (campaign_id is not None and session_id is not None):
        return None
    return campaign_id, session_id


def subscribe(data=None):
    """Client sends {"campaign_id": N} or {"session_id": N}; the ack carries the scope's full snapshot (and a
    session's status: read after joining, so a change from then on arrives as a session_status event)."""
    viewer = _viewers.get(request.sid)
    scope = _scope(data)
    if viewer is None:
        return {"ok": False, "error": "not connected"}
    if scope is None:
        return {"ok": False, "error": "send {\"campaign_id\": N} or {\"session_id\": N}"}
    campaign_id, session_id = scope
    extra = {}
    try:
        allowed_campaign = live_access.may_watch(viewer, campaign_id, session_id)
        if allowed_campaign is None:
            return {"ok": False, "error": "not found or not allowed"}
        if session_id is not None:
            join_room(session_room(session_id))
            snapshot = tallies.read_snapshot("session", session_id)
            db.session.rollback()  # end the read begun before joining: the status must be as fresh as the room
            extra["status"] = sessions.get(session_id).status
        else:
            join_room(campaign_room(campaign_id))
            if viewer.is_commissioner:
                join_room(planners_room(campaign_id))
            snapshot = tallies.read_snapshot("campaign", campaign_id)
    finally:
        db.session.remove()
    return {"ok": True, "snapshot": snapshot, **extra}


HANDLERS = {"connect": connect, "disconnect": disconnect, "subscribe": subscribe}
