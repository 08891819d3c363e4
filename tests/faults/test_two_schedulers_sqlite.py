"""A scheduler started twice on SQLite: two standalone `flask scheduler` processes on one file.

SQLite has no advisory lock, so both run (PostgreSQL's second scheduler waits on one: tests/sessions/
test_real_scheduler.py). What keeps them from doubling anything is the design's: every tick is one write
transaction (BEGIN IMMEDIATE, so two ticks queue for the file's write lock), transitions are conditional
UPDATEs that return only the rows they changed, and a reminder is pushed only by the tick whose insert stored it.
"""
from __future__ import annotations

import time
from datetime import timedelta

import pytest

from tests.faults.helpers import (SchedulerProcess, iso, reminder_rows, reminders, statuses, transitions, utcnow,
                                  wait_until)
from tests.sessions.helpers import build, post, session_body


@pytest.fixture
def clock():
    """Real time: real scheduler processes act on it."""
    return utcnow


@pytest.mark.parametrize("database_url", ["sqlite"], indirect=True)
def test_two_schedulers_on_one_sqlite_file_double_nothing(app, client, database_url):
    now = utcnow()
    world = build(app, client, starts=iso(now - timedelta(hours=1)), ends=iso(now + timedelta(days=1)), streamers=10)
    schedulers = [SchedulerProcess(database_url).start() for _ in range(2)]
    try:
        for scheduler in schedulers:
            assert scheduler.wait_for_line("scheduler running", 30), scheduler.log  # the second does not refuse
        start = utcnow() + timedelta(seconds=3)
        ids = [post(client, world.headers, "/sessions", session_body(
            world, iso(start), iso(start + timedelta(seconds=2)), streamer=n))["id"] for n in range(10)]
        assert wait_until(lambda: set(statuses(database_url, ids).values()) == {"ended"}, 15)
        # A few more sweeps of both after the last change: still nothing new.
        time.sleep(2.5)  # real processes on real time
    finally:
        for scheduler in schedulers:
            scheduler.stop()
    logs = [scheduler.log for scheduler in schedulers]
    moved = sum((transitions(log) for log in logs), start=transitions(""))
    assert moved == {(sid, status): 1 for sid in ids for status in ("live", "ended")}, logs
    told = sum((reminders(log) for log in logs), start=reminders(""))
    assert told == {(sid, 1): 1 for sid in ids}, logs
    assert reminder_rows(database_url) == {(sid, 1): 1 for sid in ids}
    joined = "\n".join(logs)
    assert "tick failed" not in joined and "Traceback" not in joined, joined
