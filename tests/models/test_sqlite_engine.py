"""SQLite as the single-process default: WAL, a busy timeout, foreign keys, and BEGIN IMMEDIATE for writes.

Why BEGIN IMMEDIATE: a deferred transaction (plain BEGIN) takes no lock until it needs one. Two
transactions that each read a counter and then update it both start as readers; in WAL mode the
second to write finds that the database changed after its snapshot, and SQLite answers
"database is locked" (SQLITE_BUSY_SNAPSHOT) at once, without calling the busy handler, because
waiting could never help: the reader would have to see data newer than its snapshot.
coordinator/database.py starts every transaction outside GET/HEAD/OPTIONS requests with
BEGIN IMMEDIATE, which takes the write lock before the first read; a second writer then waits at
its BEGIN (that wait is what the busy timeout is for) and reads only after the first commits.
`test_a_deferred_reader_cannot_upgrade_to_writer` shows the failure; the eight writers show the cure.
"""
from __future__ import annotations

import sqlite3
import threading
import time

import pytest
from sqlalchemy import select

from coordinator.extensions import db
from coordinator.models import TallyCounter

pytestmark = pytest.mark.parametrize("database_url", ["sqlite"], indirect=True)

THREADS, ROUNDS = 8, 50


def sqlite_path(app) -> str:
    return app.config["SQLALCHEMY_DATABASE_URI"].removeprefix("sqlite:///")


def add_counter(app) -> None:
    with app.app_context():
        db.session.add(TallyCounter(scope="campaign", scope_id=1, dimension="total", dimension_id=0))
        db.session.commit()


def other_writer_can_start(app) -> bool:
    """Whether another connection could take the write lock right now (it does not wait)."""
    other = sqlite3.connect(sqlite_path(app), timeout=0, isolation_level=None)
    try:
        other.execute("BEGIN IMMEDIATE")
        other.execute("ROLLBACK")
        return True
    except sqlite3.OperationalError as error:
        assert "database is locked" in str(error)
        return False
    finally:
        other.close()


def test_every_connection_uses_wal_a_busy_timeout_and_foreign_keys(app):
    with app.app_context(), db.engine.connect() as connection:
        assert connection.exec_driver_sql("PRAGMA journal_mode").scalar() == "wal"
        assert connection.exec_driver_sql("PRAGMA busy_timeout").scalar() == app.config["SQLITE_BUSY_TIMEOUT_MS"] > 0
        assert connection.exec_driver_sql("PRAGMA foreign_keys").scalar() == 1
        assert connection.exec_driver_sql("PRAGMA synchronous").scalar() == 1  # NORMAL


def test_eight_writers_reading_then_writing_lose_no_update(app):
    add_counter(app)
    errors: list[BaseException] = []

    def writer() -> None:
        try:
            for _ in range(ROUNDS):
                # A fresh app context is a fresh session: read, then write, in one transaction.
                with app.app_context():
                    row = db.session.scalars(select(TallyCounter)).one()
                    row.orders = row.orders + 1
                    db.session.commit()
        except BaseException as exc:  # noqa: BLE001 - collected and asserted below
            errors.append(exc)

    threads = [threading.Thread(target=writer) for _ in range(THREADS)]
    started = time.monotonic()
    for thread in threads:
        thread.start()
    for thread in threads:
        thread.join(timeout=30)
    assert errors == []
    assert time.monotonic() - started < 15
    with app.app_context():
        assert db.session.scalars(select(TallyCounter)).one().orders == THREADS * ROUNDS


def test_a_transaction_outside_requests_holds_the_write_lock_from_its_first_read(app):
    add_counter(app)
    with app.app_context():
        db.session.scalars(select(TallyCounter)).one()  # only a read so far
        assert not other_writer_can_start(app)
        db.session.rollback()
        assert other_writer_can_start(app)


@pytest.mark.parametrize("method,takes_write_lock", [("POST", True), ("PATCH", True), ("DELETE", True),
                                                      ("GET", False), ("HEAD", False)])
def test_requests_that_may_write_begin_immediate_and_reads_do_not_block_writers(app, method, takes_write_lock):
    add_counter(app)
    with app.test_request_context("/", method=method):
        db.session.scalars(select(TallyCounter)).one()
        assert other_writer_can_start(app) is not takes_write_lock
        db.session.rollback()


def test_a_deferred_reader_cannot_upgrade_to_writer(app):
    """The failure BEGIN IMMEDIATE prevents, on bare sqlite3 connections with a 15 s busy timeout."""
    add_counter(app)
    first = sqlite3.connect(sqlite_path(app), timeout=15, isolation_level=None)
    second = sqlite3.connect(sqlite_path(app), timeout=15, isolation_level=None)
    try:
        first.execute("BEGIN")  # deferred
        first.execute("SELECT orders FROM tally_counters").fetchone()
        second.execute("BEGIN")
        second.execute("UPDATE tally_counters SET orders = orders + 1")
        second.execute("COMMIT")
        started = time.monotonic()
        with pytest.raises(sqlite3.OperationalError, match="database is locked"):
            first.execute("UPDATE tally_counters SET orders = orders + 1")
        assert time.monotonic() - started < 1, "the busy timeout does not help a stale reader"
    finally:
        first.close()
        second.close()
