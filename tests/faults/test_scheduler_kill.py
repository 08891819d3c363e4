"""kill -9 of the standalone scheduler in the middle of a transition, then a restart: every due session ends in
the right status, moved once, and no host is reminded twice (SQLite and PostgreSQL)."""
from __future__ import annotations

import time
from datetime import timedelta

import pytest

from tests.faults.helpers import (SchedulerProcess, iso, reminder_rows, reminders, statuses, transitions, utcnow,
                                  wait_until)
from tests.sessions.helpers import build, post, session_body


@pytest.fixture
def clock():
    """Real time: a real scheduler process acts on it."""
    return utcnow


def test_kill_9_during_a_transition_then_restart_moves_each_session_once(app, client, database_url):
    now = utcnow()
    world = build(app, client, starts=iso(now - timedelta(hours=1)), ends=iso(now + timedelta(days=1)), streamers=22)
    scheduler = SchedulerProcess(database_url).start()
    try:
        # Up first, so that however slow its start on a loaded machine, the sessions below fall due while it runs.
        assert scheduler.wait_for_line("scheduler running", 30), scheduler.log
        start = utcnow() + timedelta(seconds=3)

        def create(streamer: int, begins, ends) -> int:
            body = session_body(world, iso(begins), iso(ends), streamer)
            return post(client, world.headers, "/sessions", body)["id"]

        # Sixteen sessions start in the same second; half of them end while the scheduler is dead.
        short = [create(n, start, start + timedelta(seconds=3)) for n in range(8)]
        long = [create(n, start, start + timedelta(minutes=10)) for n in range(8, 16)]
        # These start while the scheduler is dead.
        late = [create(n, start + timedelta(seconds=2), start + timedelta(minutes=10)) for n in range(16, 20)]
        # Their one-minute reminder falls due while the scheduler is dead.
        later = [create(n, start + timedelta(seconds=63), start + timedelta(minutes=20)) for n in range(20, 22)]
        everyone = short + long + late + later

        assert utcnow() < start, "creating the sessions took until they were due"
        # Kill it the moment the first transition is logged: the UPDATE is committed, the pushes and log lines of
        # the other fifteen are on their way.
        assert scheduler.wait_for_line("is now live", (start - utcnow()).total_seconds() + 3, poll=0.002), \
            scheduler.log
        scheduler.kill()
        first_log = scheduler.log
        assert statuses(database_url, short + long) == {sid: "live" for sid in short + long}
        # Dead across the short sessions' end, the late ones' start and the later ones' reminder.
        time.sleep(max(0.0, (start + timedelta(seconds=3.5) - utcnow()).total_seconds()))  # stay down
        assert set(statuses(database_url, late).values()) == {"scheduled"}

        scheduler.start()
        expected = {**{sid: "ended" for sid in short}, **{sid: "live" for sid in long + late},
                    **{sid: "scheduled" for sid in later}}
        assert wait_until(lambda: statuses(database_url, everyone) == expected
                          and all(reminder_rows(database_url)[(sid, 1)] for sid in later), 15), \
            (statuses(database_url, everyone), scheduler.log)
        assert scheduler.wait_for_line(f"of session {later[-1]} (1 min)", 5)
    finally:
        scheduler.stop()
    second_log = scheduler.log

    before, after = transitions(first_log), transitions(second_log)
    for sid in short + long:  # went live before the kill: the restart does not move them to live again
        assert before[(sid, "live")] <= 1 and after[(sid, "live")] == 0, (sid, first_log, second_log)
    assert sum(before[(sid, "live")] for sid in short + long) >= 1  # the kill really came after a transition
    for sid in short:
        assert after[(sid, "ended")] == 1 and before[(sid, "ended")] == 0
    for sid in late:  # caught up once, by the restarted scheduler
        assert (before[(sid, "live")], after[(sid, "live")]) == (0, 1)
    assert not any(key[0] in later for key in before + after)
    # Every host reminded exactly once across both lives of the scheduler, and one row each in the table.
    told = reminders(first_log) + reminders(second_log)
    assert told == {(sid, 1): 1 for sid in everyone}, (first_log, second_log)
    assert reminder_rows(database_url) == {(sid, 1): 1 for sid in everyone}
    assert "Traceback" not in first_log + second_log
