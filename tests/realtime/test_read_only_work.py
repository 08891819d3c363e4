"""Work outside a request that only reads (the access sweep, tally pushes) leaves SQLite's write lock to writers:
run each second, it would otherwise make every sale wait behind it."""
from __future__ import annotations

import sqlite3

import pytest
from sqlalchemy import text

from coordinator.database import reading
from coordinator.extensions import db
from coordinator.realtime import live_guard


def _writer_gets_the_lock(path: str) -> bool:
    other = sqlite3.connect(path, timeout=0, isolation_level=None)
    try:
        other.execute("BEGIN IMMEDIATE")
        other.execute("ROLLBACK")
        return True
    except sqlite3.OperationalError:
        return False
    finally:
        other.close()


@pytest.mark.parametrize("database_url", ["sqlite"], indirect=True)
def test_a_read_marked_as_reading_lets_a_writer_in_and_other_work_does_not(app):
    path = app.config["SQLALCHEMY_DATABASE_URI"].removeprefix("sqlite:///")
    with app.app_context(), reading():
        db.session.execute(text("SELECT count(*) FROM campaigns"))  # inside its transaction now
        assert _writer_gets_the_lock(path)
        db.session.remove()
    with app.app_context():
        db.session.execute(text("SELECT count(*) FROM campaigns"))
        assert not _writer_gets_the_lock(path)  # a job that may write takes the lock up front
        db.session.remove()


@pytest.mark.parametrize("database_url", ["sqlite"], indirect=True)
@pytest.mark.parametrize("app_config", [{"SQLITE_BUSY_TIMEOUT_MS": 300}])
def test_the_access_sweep_runs_while_a_writer_holds_the_lock(app, app_config):
    writer = sqlite3.connect(app.config["SQLALCHEMY_DATABASE_URI"].removeprefix("sqlite:///"), isolation_level=None)
    writer.execute("BEGIN IMMEDIATE")
    try:
        live_guard.sweep(app, force=True)  # raises "database is locked" after the busy timeout if it asks to write
    finally:
        writer.execute("ROLLBACK")
        writer.close()
