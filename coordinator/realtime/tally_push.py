"""Wiring the coalescer to snapshots, the Socket.IO server and (when scaled out) a Redis rate limit."""
from __future__ import annotations

import logging

from flask import Flask

from coordinator.realtime.coalesce import INTERVAL_S, TallyCoalescer
from coordinator.realtime.publish import publish_tally

log = logging.getLogger(__name__)
EXTENSION_KEY = "coordinator.tally_push"


def _redis_limit(url: str):
    import redis

    client = redis.Redis.from_url(url, socket_timeout=0.2, socket_connect_timeout=0.2)

    def may_send(scope: str, scope_id: int) -> bool:
        try:
            return bool(client.set(f"lcc:tally-push:{scope}:{scope_id}", 1, nx=True, px=int(INTERVAL_S * 1000)))
        except redis.RedisError:
            return True  # Redis is down: pushes fail anyway and screens resync when it returns
    return may_send


def init_app(app: Flask) -> None:
    """Give the app a coalescer that reads snapshots inside its own app context."""
    from coordinator.database import reading
    from coordinator.extensions import db
    from coordinator.services import tallies

    def send(scope: str, scope_id: int) -> None:
        with app.app_context(), reading():
            try:
                publish_tally(tallies.read_snapshot(scope, scope_id))
            finally:
                db.session.remove()

    queue = app.config.get("SOCKETIO_MESSAGE_QUEUE") or ""
    app.extensions[EXTENSION_KEY] = TallyCoalescer(send, _redis_limit(queue) if queue.startswith("redis") else None,
                                                   autostart=app.config["TALLY_PUSH_THREAD"])


def tallies_changed(app: Flask, scopes: set[tuple[str, int]]) -> None:
    """Called after a commit: the changed scopes' subscribers get fresh snapshots shortly."""
    app.extensions[EXTENSION_KEY].mark(scopes)
