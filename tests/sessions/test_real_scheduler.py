"""The real APScheduler, on real time: transitions within seconds, catch-up after a restart, one scheduler only."""
from __future__ import annotations

import os
import subprocess
import sys
import time
from datetime import datetime, timedelta, timezone

import pytest
import requests

from coordinator import jobs
from tests.servers import ROOT, GeventServer, ServerProcess
from tests.sessions.helpers import build, post, session_body


def utcnow() -> datetime:
    return datetime.now(timezone.utc)


@pytest.fixture
def clock():
    """Real time: these tests watch the real scheduler fire."""
    return utcnow


def _iso(moment: datetime) -> str:
    return moment.isoformat(timespec="milliseconds")


def _world(app, client):
    now = utcnow()
    return build(app, client, starts=_iso(now - timedelta(hours=1)), ends=_iso(now + timedelta(days=1)))


def _wait_for(read, wanted: str, deadline: float) -> float:
    """Poll until read() gives wanted; returns the time it was seen."""
    while time.monotonic() < deadline:
        if read() == wanted:
            return time.monotonic()
        time.sleep(0.05)  # watching another thread or process act on real time
    raise AssertionError(f"never became {wanted}, last {read()}")


@pytest.mark.parametrize("app_config", [{"SCHEDULER_MODE": "embedded", "SCHEDULER_IN_TESTS": True}])
def test_embedded_scheduler_moves_a_session_within_seconds(app, client, app_config):
    try:
        world = _world(app, client)
        start = utcnow() + timedelta(seconds=2)
        # On air for four seconds: long enough that a poll slowed by a busy machine still sees it live.
        created = post(client, world.headers, "/sessions", session_body(
            world, _iso(start), _iso(start + timedelta(seconds=4))))
        read = lambda: client.get(f"/api/v1/sessions/{created['id']}", headers=world.headers).get_json()["status"]  # noqa: E731
        due = time.monotonic() + (start - utcnow()).total_seconds()
        assert _wait_for(read, "live", due + 2.0) - due < 2.0
        assert _wait_for(read, "ended", due + 6.0) - (due + 4.0) < 2.0
    finally:
        app.extensions[jobs.EXTENSION].shutdown()


def test_a_service_down_across_the_start_catches_up_on_restart(app, client, database_url):
    _down_across_the_start_then_live_within_2_s(ServerProcess(database_url, SCHEDULER_MODE="embedded"), app, client)


@pytest.mark.parametrize("database_url", ["postgresql"], indirect=True)
def test_under_gevent_the_embedded_scheduler_catches_up_on_restart(app, client, database_url):
    _down_across_the_start_then_live_within_2_s(GeventServer(database_url, SCHEDULER_MODE="embedded"), app, client)


def _down_across_the_start_then_live_within_2_s(server: ServerProcess, app, client) -> None:
    world = _world(app, client)
    server.start()
    try:
        start = utcnow() + timedelta(seconds=2)
        body = session_body(world, _iso(start), _iso(start + timedelta(minutes=5)))
        created = requests.post(f"{server.url}/api/v1/sessions", json=body, headers=world.headers, timeout=5).json()
        server.stop()
        time.sleep(max(0.0, (start - utcnow()).total_seconds()) + 0.5)  # stay down across the start
        server.start()
        up = time.monotonic()
        read = lambda: requests.get(f"{server.url}/api/v1/sessions/{created['id']}",  # noqa: E731
                                    headers=world.headers, timeout=5).json()["status"]
        assert _wait_for(read, "live", up + 2.0) - up < 2.0
    finally:
        server.stop()


def _scheduler(url: str) -> subprocess.Popen:
    env = {**os.environ, "DATABASE_URL": url, "SCHEDULER_MODE": "standalone", "REMINDER_LEAD_MINUTES": "1",
           "PYTHONUNBUFFERED": "1"}
    return subprocess.Popen([sys.executable, "-m", "flask", "--app", "wsgi", "scheduler"], cwd=ROOT, env=env,
                            stdout=subprocess.PIPE, stderr=subprocess.STDOUT, text=True)


def test_two_schedulers_on_postgresql_double_nothing(app, client, database_url):
    if not database_url.startswith("postgresql"):
        pytest.skip("the advisory lock is PostgreSQL's; SQLite runs one embedded scheduler")
    world = _world(app, client)
    # Far enough ahead that two scheduler processes are up before the start even on a loaded machine: a
    # scheduler that starts after the end would (rightly) jump straight to "ended" and log no "live".
    start = utcnow() + timedelta(seconds=12)
    bodies = [session_body(world, _iso(start), _iso(start + timedelta(seconds=2)), streamer=n) for n in (0, 1)]
    ids = [post(client, world.headers, "/sessions", body)["id"] for body in bodies]
    first, second = _scheduler(database_url), _scheduler(database_url)
    try:
        read = lambda: {client.get(f"/api/v1/sessions/{i}", headers=world.headers).get_json()["status"]  # noqa: E731
                        for i in ids}
        due = time.monotonic() + (start - utcnow()).total_seconds()
        _wait_for(lambda: ",".join(sorted(read())), "ended", due + 4.0)
    finally:
        for process in (first, second):
            process.terminate()
        logs = [process.communicate(timeout=10)[0] for process in (first, second)]
    joined = "\n".join(logs)
    for session_id in ids:
        for status in ("live", "ended"):
            assert joined.count(f"session {session_id} is now {status}") == 1, joined
        assert joined.count(f"of session {session_id} (1 min)") == 1, joined
    assert sum("is now" in log for log in logs) == 1, "exactly one process acted"


@pytest.mark.parametrize("app_config", [{"SCHEDULER_MODE": "embedded", "SCHEDULER_IN_TESTS": True,
                                         "SAMPLE_LATE_SWEEP_SECONDS": 1, "SAMPLE_LEAD_DAYS": 3,
                                         "NOTIFY_WORKER": "off"}])
def test_the_embedded_scheduler_tells_of_a_late_sample_once(app, app_config):
    from coordinator.edge import settings
    from coordinator.extensions import db
    from coordinator.models import Delivery, SampleLateNotice, User
    from coordinator.services import access, samples
    from tests.access import world as matrix

    try:
        with app.app_context():
            world = matrix.build()
            host = access.actor_for(db.session.get(User, world.ids["user:host"]))
            # PB1 is in the host's session two days ahead (at 11:00): within three lead days, late at once.
            samples.request(host, settings(), world.ids["P_hostB1"])

        def told() -> str:
            with app.app_context():
                try:
                    notices = db.session.query(SampleLateNotice).count()
                    return f"{notices} {db.session.query(Delivery).filter_by(event='sample.late').count()}"
                finally:
                    db.session.remove()

        seen = _wait_for(told, "1 2", time.monotonic() + 10)  # the campaign's webhook and the host's email
        time.sleep(2.5)  # two more looks of the scheduler, on real time
        assert told() == "1 2" and seen
    finally:
        app.extensions[jobs.EXTENSION].shutdown()
