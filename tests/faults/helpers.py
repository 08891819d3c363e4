"""What the fault tests share: a standalone scheduler process whose log can be read while it runs, counters,
the sales totals straight from the database, and a PostgreSQL outage on demand."""
from __future__ import annotations

import os
import re
import signal
import subprocess
import sys
import threading
import time
from collections import Counter
from datetime import datetime, timezone

from sqlalchemy import create_engine, text

from tests import databases
from tests.servers import ROOT, drain


def utcnow() -> datetime:
    return datetime.now(timezone.utc)


def iso(moment: datetime) -> str:
    return moment.isoformat(timespec="milliseconds")


class SchedulerProcess:
    """`flask --app wsgi scheduler` in a child process; its log lines are collected as they are printed."""

    def __init__(self, database_url: str, **env: str) -> None:
        self.env = {**os.environ, "DATABASE_URL": database_url, "SCHEDULER_MODE": "standalone",
                    "REMINDER_LEAD_MINUTES": "1", "PYTHONUNBUFFERED": "1", **env}
        self.process: subprocess.Popen | None = None
        self.lines: list[str] = []
        self._reader: threading.Thread | None = None

    def start(self) -> "SchedulerProcess":
        self.lines = []
        self.process = subprocess.Popen([sys.executable, "-m", "flask", "--app", "wsgi", "scheduler"], cwd=ROOT,
                                        env=self.env, stdout=subprocess.PIPE, stderr=subprocess.STDOUT, text=True)
        self._reader = drain(self.process, self.lines)
        return self

    def wait_for_line(self, needle: str, seconds: float, poll: float = 0.05) -> bool:
        """Poll this child's output until a line contains needle (False at the deadline or if it died)."""
        deadline = time.monotonic() + seconds
        while time.monotonic() < deadline:
            if any(needle in line for line in list(self.lines)):
                return True
            if self.process is None or self.process.poll() is not None:
                return any(needle in line for line in list(self.lines))
            time.sleep(poll)  # polling a child process, not waiting on our own clock
        return False

    def kill(self) -> None:
        """SIGKILL: no shutdown, no flushing, like a crash or the OOM killer."""
        self.process.kill()
        self.process.wait()
        self._reader.join(timeout=5)

    def stop(self) -> None:
        if self.process is not None and self.process.poll() is None:
            self.process.send_signal(signal.SIGINT)  # Ctrl-C: the command shuts its scheduler down
            try:
                self.process.wait(timeout=10)
            except subprocess.TimeoutExpired:
                self.process.kill()
                self.process.wait()
        if self._reader is not None:
            self._reader.join(timeout=5)

    @property
    def log(self) -> str:
        return "\n".join(self.lines)


TRANSITION = re.compile(r"session (\d+) is now (\w+)")
REMINDER = re.compile(r"reminded streamer \d+ of session (\d+) \((\d+) min\)")


def transitions(log: str) -> Counter:
    """(session id, status) -> how many times a scheduler log says it moved the session there."""
    return Counter((int(sid), status) for sid, status in TRANSITION.findall(log))


def reminders(log: str) -> Counter:
    """(session id, lead minutes) -> how many times a scheduler log says it reminded the host."""
    return Counter((int(sid), int(lead)) for sid, lead in REMINDER.findall(log))


def rows(url: str, sql: str) -> list[tuple]:
    """Every row of a query, on an engine of the test's own (the application's processes are separate)."""
    engine = create_engine(url)
    try:
        with engine.connect() as connection:
            return [tuple(row) for row in connection.execute(text(sql)).all()]
    finally:
        engine.dispose()


def statuses(url: str, ids: list[int]) -> dict[int, str]:
    return {sid: status for sid, status in rows(url, "SELECT id, status FROM live_sessions") if sid in set(ids)}


def reminder_rows(url: str) -> Counter:
    """(session id, lead minutes) -> rows in session_reminders."""
    return Counter(rows(url, "SELECT session_id, lead_minutes FROM session_reminders"))


def wait_until(predicate, seconds: float, poll: float = 0.1) -> bool:
    """Poll what other processes do on real time, up to a deadline."""
    deadline = time.monotonic() + seconds
    while time.monotonic() < deadline:
        if predicate():
            return True
        time.sleep(poll)  # other processes act on real time
    return predicate()


LATEST_ID = "SELECT campaign_id FROM sale_events ORDER BY id DESC LIMIT 1"
LATEST = f"campaign_id = ({LATEST_ID})"


def totals(url: str) -> tuple[int, int, int]:
    """(sum of stored events, their count, the campaign counter's gross) straight from the database."""
    engine = create_engine(url)
    try:
        with engine.connect() as connection:
            # The stream's campaign is the one of the latest sale (the demo also holds last year's, with its sales).
            stored, count = connection.execute(text(
                f"SELECT COALESCE(SUM(amount_fen), 0), COUNT(*) FROM sale_events WHERE {LATEST}")).one()
            counted = connection.execute(text("SELECT COALESCE(MAX(gross_fen), 0) FROM tally_counters WHERE scope = "
                                              f"'campaign' AND dimension = 'total' AND scope_id = ({LATEST_ID})")
                                         ).scalar_one()
    finally:
        engine.dispose()
    return int(stored), int(count), int(counted)


class Outage:
    """PostgreSQL refusing one database: its connections terminated, new ones refused until the end."""

    def __init__(self, url: str) -> None:
        self.name = url.rsplit("/", 1)[1]
        self.admin = create_engine(databases.PG_ADMIN_URL, isolation_level="AUTOCOMMIT")

    def _run(self, sql: str) -> None:
        with self.admin.connect() as connection:
            connection.execute(text(sql), {"n": self.name})

    def begin(self) -> None:
        self._run(f'ALTER DATABASE "{self.name}" ALLOW_CONNECTIONS false')
        self._run("SELECT pg_terminate_backend(pid) FROM pg_stat_activity WHERE datname = :n AND pid <> pg_backend_pid()")

    def terminate(self, pid: int) -> None:
        """Cut one server connection, as a PostgreSQL restart or a network blip would."""
        with self.admin.connect() as connection:
            connection.execute(text("SELECT pg_terminate_backend(:pid)"), {"pid": pid})
        self.admin.dispose()

    def end(self) -> None:
        self._run(f'ALTER DATABASE "{self.name}" ALLOW_CONNECTIONS true')
        self.admin.dispose()
