"""Socket.IO namespace /live: handlers receive, publish sends (services call publish only)."""
from __future__ import annotations

from flask import Flask


def init_app(app: Flask) -> None:
    """Register the /live handlers on the bound Socket.IO server."""
    from coordinator.extensions import socketio
    from coordinator.realtime import live_guard, tally_push
    from coordinator.realtime.handlers import HANDLERS
    from coordinator.realtime.publish import NAMESPACE

    # Registered on each new server: @socketio.on at import time would reach only the first app's server.
    for event, handler in HANDLERS.items():
        socketio.on_event(event, handler, namespace=NAMESPACE)
    tally_push.init_app(app)
    live_guard.init_app(app)
