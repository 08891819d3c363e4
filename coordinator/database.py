"""Engine tuning: SQLite in WAL mode with BEGIN IMMEDIATE for writes; pooled PostgreSQL connections checked without
a round trip; a session end that survives a lost connection."""
from __future__ import annotations

import logging
import select
import sqlite3
from collections.abc import Iterator
from contextlib import contextmanager
from typing import Any

from flask import g, has_app_context, has_request_context, request
from sqlalchemy import event
from sqlalchemy.engine import Engine
from sqlalchemy.exc import InvalidatePoolError
from sqlalchemy.pool import Pool

from coordinator.errors import database_unavailable, first_line
from coordinator.extensions import db

log = logging.getLogger(__name__)

_installed = False
_busy_timeout_ms = 15000

READ_ONLY_METHODS = frozenset({"GET", "HEAD", "OPTIONS"})
_FRESH = "coordinator.fresh"
_READING = "coordinator_reading"


def _on_connect(dbapi_connection: Any, record: Any) -> None:
    record.info[_FRESH] = True  # (the info dictionary is cleared whenever the connection is replaced)
    if not isinstance(dbapi_connection, sqlite3.Connection):
        return
    # Let SQLAlchemy's "begin" event emit BEGIN itself (the documented pysqlite recipe).
    dbapi_connection.isolation_level = None
    cursor = dbapi_connection.cursor()
    cursor.execute(f"PRAGMA busy_timeout = {int(_busy_timeout_ms)}")
    cursor.execute("PRAGMA journal_mode = WAL")
    # NORMAL is durable across application crashes in WAL mode; only power loss can roll back.
    cursor.execute("PRAGMA synchronous = NORMAL")
    cursor.execute("PRAGMA foreign_keys = ON")
    cursor.close()


def _on_begin(conn: Any) -> None:
    if conn.dialect.name != "sqlite":
        return
    # A deferred transaction that reads and then writes can fail with "database is locked"
    # whatever the busy timeout; taking the write lock up front makes writers queue instead.
    if _only_reading():
        conn.exec_driver_sql("BEGIN")
    else:
        conn.exec_driver_sql("BEGIN IMMEDIATE")


def _only_reading() -> bool:
    if has_request_context() and request.method in READ_ONLY_METHODS:
        return True
    return has_app_context() and bool(g.get(_READING))


@contextmanager
def reading() -> Iterator[None]:
    """Mark work outside a request (a sweep, a tally push) as read-only, so SQLite does not take the write lock."""
    before = g.get(_READING)
    setattr(g, _READING, True)
    try:
        yield
    finally:
        setattr(g, _READING, before)


def _on_checkout(dbapi_connection: Any, record: Any, _proxy: Any) -> None:
    if isinstance(dbapi_connection, sqlite3.Connection) or record.info.pop(_FRESH, False):
        return  # a connection made for this checkout has had no time to go stale (the pre-ping skips those too)
    # A pooled connection is idle: the server sends nothing on it unless it is ending it (a terminated backend's
    # FATAL message, or the socket's end after a restart). So anything waiting to be read means the connection is
    # gone. This stands in for SQLAlchemy's pre-ping, which costs a BEGIN and a SELECT 1 per checkout (the webhook's
    # single-statement posts would pay three round trips instead of one); like a failed pre-ping, it has every
    # connection pooled before now replaced. A peer that vanished without a word is not seen here: TCP keepalives
    # (create_app) find it within about a minute, and the webhook repeats its statement once on a lost connection.
    if dbapi_connection.closed or dbapi_connection.broken or _readable(dbapi_connection.fileno()):
        raise InvalidatePoolError("the database server ended this pooled connection")


def _readable(fd: int) -> bool:
    poller = select.poll()  # not select.select: a busy server's descriptors can be above 1024
    poller.register(fd, select.POLLIN | select.POLLERR | select.POLLHUP)
    return bool(poller.poll(0))


def install_engine_events(busy_timeout_ms: int) -> None:
    """Register the SQLite connection and transaction hooks once per process."""
    global _installed, _busy_timeout_ms
    _busy_timeout_ms = busy_timeout_ms
    if _installed:
        return
    event.listen(Engine, "connect", _on_connect)
    event.listen(Engine, "begin", _on_begin)
    event.listen(Pool, "checkout", _on_checkout)
    _installed = True


def release_session(_error: BaseException | None) -> None:
    """End the request's session even when the server dropped its connection after the request's last query."""
    try:
        db.session.remove()
    except Exception as error:  # noqa: BLE001 - sorted just below
        if not database_unavailable(error):
            raise
        # Raised from the app context's teardown, this would replace a finished answer with a bare 500.
        # The failed close has already invalidated the connection; the second remove only clears the session.
        log.warning("database connection lost at the end of a request; it was discarded: %s", first_line(error))
        try:
            db.session.remove()
        finally:
            db.session.registry.clear()
