"""Keeps /live honest: each process remembers its clients' credentials and subscriptions, and when the access
epoch moves (a revocation, a sign-out, a team change) re-checks them and cuts those no longer allowed."""
from __future__ import annotations

import logging
import threading

from flask import Flask

from coordinator.errors import first_line
from coordinator.realtime.publish import NAMESPACE

log = logging.getLogger(__name__)
EXTENSION_KEY = "coordinator.live_guard"
SWEEP_INTERVAL_S = 1.0  # a cut lands within two of these (the contract's 2 s)

_lock = threading.Lock()
_viewers: dict[str, object] = {}
_subscriptions: dict[str, set[tuple[str, int]]] = {}


def connected(sid: str, viewer) -> None:
    """Remember a client's credential."""
    with _lock:
        _viewers[sid] = viewer
        _subscriptions[sid] = set()


def subscribed(sid: str, scope: tuple[str, int]) -> None:
    """Remember what a client watches, to re-check it later."""
    with _lock:
        _subscriptions.setdefault(sid, set()).add(scope)


def viewer(sid: str):
    """The credential a client connected with, or None."""
    return _viewers.get(sid)


def forget(sid: str) -> None:
    """A client went away."""
    with _lock:
        _viewers.pop(sid, None)
        _subscriptions.pop(sid, None)


class Guard:
    """The per-app sweeper: compares the access epoch each second and re-checks every client when it moved."""

    def __init__(self, app: Flask) -> None:
        self.app = app
        self.seen_epoch: int | None = None
        self.wake = threading.Event()
        self.running = False

    def sweep(self, force: bool = False) -> list[str]:
        """Re-check the clients if the epoch moved (or when forced); returns the ids of those cut off."""
        from coordinator.database import reading
        from coordinator.extensions import db, socketio
        from coordinator.services import live_access

        with self.app.app_context(), reading():
            try:
                epoch = live_access.current_epoch()
                if not force and epoch == self.seen_epoch:
                    return []
                self.seen_epoch = epoch
                with _lock:
                    clients = [(sid, v, set(_subscriptions.get(sid, ()))) for sid, v in _viewers.items()]
                cut = [sid for sid, v, subs in clients if not live_access.still_allowed(v, subs)]
            finally:
                db.session.remove()
        for sid in cut:
            forget(sid)
            try:
                socketio.server.disconnect(sid, namespace=NAMESPACE, ignore_queue=True)
            except Exception:  # noqa: BLE001 - the client may have gone meanwhile
                log.debug("could not disconnect %s", sid, exc_info=True)
        if cut:
            log.info("cut %d /live connection(s) whose access ended", len(cut))
        return cut

    def run(self) -> None:
        """The sweeper's loop (a background task of the Socket.IO server)."""
        while self.running:
            try:
                self.sweep(force=self.wake.is_set())
            except Exception as error:  # noqa: BLE001 - the database may be briefly away; the next sweep retries
                log.warning("access sweep failed (retrying within the second): %s", first_line(error))
            self.wake.clear()
            self.wake.wait(SWEEP_INTERVAL_S)


def init_app(app: Flask) -> None:
    """Give the app its guard; its sweeper starts with the first /live client (see ensure_running)."""
    app.extensions[EXTENSION_KEY] = Guard(app)


def ensure_running(app: Flask) -> None:
    """Start the sweeper beside the Socket.IO server once a client is connected (unless the config keeps it off:
    the test suite sweeps by hand)."""
    guard = app.extensions[EXTENSION_KEY]
    with _lock:
        if guard.running or not app.config.get("LIVE_GUARD_THREAD", True):
            return
        guard.running = True
    from coordinator.extensions import socketio

    socketio.start_background_task(guard.run)


def recheck_soon(app: Flask) -> None:
    """A change of access was just committed here: sweep now instead of within the second."""
    guard = app.extensions.get(EXTENSION_KEY)
    if guard is not None:
        guard.wake.set()


def sweep(app: Flask, force: bool = True) -> list[str]:
    """Run one sweep by hand (tests), returning the ids of the clients cut off."""
    return app.extensions[EXTENSION_KEY].sweep(force)
