"""What the fault tests share: a standalone scheduler process whose log can be read while it runs, and counters."""
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
