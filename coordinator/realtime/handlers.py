"""/live: authenticate at connect, subscribe to a tally scope (the caller re-checked each time), get a full
snapshot in the ack."""
from __future__ import annotations

from flask import current_app, request, session
from flask_socketio import ConnectionRefusedError, join_room

from coordinator.extensions import db
from coordinator.realtime import live_guard
from coordinator.realtime.publish import (
    campaign_room, partners_room, planners_room, session_room, streamer_room,
)
from coordinator.schemas.common import MAX_INT32
from coordinator.services import live_access

LOGIN_KEY = "login"  # where the page's cookie keeps its login session's secret (coordinator.security)


def connect(auth=None):
    """A client connects with auth {"token": ...} or the page's login cookie; anyone else is refused."""
    token = auth.get("token") if isinstance(auth, dict) and isinstance(auth.get("token"), str) else None
    try:
        viewer = live_access.identify(token, None if token else session.get(LOGIN_KEY))
    finally:
        db.session.remove()
    if viewer is None:
        raise ConnectionRefusedError("unauthorized")
    live_guard.connected(request.sid, viewer)
    live_guard.ensure_running(current_app._get_current_object())
    if viewer.streamer_id is not None:
        join_room(streamer_room(viewer.streamer_id))


def disconnect(*_args):
    """Forget the client."""
    live_guard.forget(request.sid)


def _scope(data) -> tuple[str, int] | None:
    if not isinstance(data, dict):
        return None
    given = [(name, data.get(f"{name}_id")) for name in ("campaign", "session") if data.get(f"{name}_id") is not None]
    if len(given) != 1:
        return None
    name, value = given[0]
    if type(value) is not int or not 1 <= value <= MAX_INT32:
        return None
    return name, value


def subscribe(data=None):
    """Client sends {"campaign_id": N} or {"session_id": N}; the ack carries the scope's full snapshot (and a
    session's status: read after joining, so a change from then on arrives as a session_status event)."""
    viewer = live_guard.viewer(request.sid)
    scope = _scope(data)
    if viewer is None:
        return {"ok": False, "error": "not connected"}
    if scope is None:
        return {"ok": False, "error": "send {\"campaign_id\": N} or {\"session_id\": N} with a positive id"}
    try:
        grant = live_access.authorize(viewer, *scope)
        if grant is None:
            return {"ok": False, "error": "not found or not allowed"}
        live_guard.subscribed(request.sid, scope)
        if grant.scope == "session":
            join_room(session_room(grant.scope_id))
        else:
            join_room(campaign_room(grant.scope_id))
            if grant.planner:
                join_room(planners_room(grant.scope_id))
            for county_id in grant.partner_county_ids:
                join_room(partners_room(grant.scope_id, county_id))
        body = live_access.snapshot_for(grant)
    finally:
        db.session.remove()
    return {"ok": True, **body}


HANDLERS = {"connect": connect, "disconnect": disconnect, "subscribe": subscribe}
