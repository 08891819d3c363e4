"""Real server processes for tests that need what the test client cannot give."""
from __future__ import annotations

import os
import socket
import subprocess
import sys
import threading
import time
from dataclasses import dataclass
from pathlib import Path

import requests
from sqlalchemy import create_engine, text

ROOT = Path(__file__).resolve().parent.parent


def free_port() -> int:
    """A TCP port nobody is listening on right now."""
    with socket.socket() as sock:
        sock.bind(("127.0.0.1", 0))
        return sock.getsockname()[1]


def drain(process: subprocess.Popen, lines: list[str]) -> threading.Thread:
    """Read a child's output as it comes, into lines: an unread pipe fills after about 64 KB and then blocks every
    thread of the child that logs."""
    def pump() -> None:
        for line in process.stdout:
            lines.append(line.rstrip("\n"))
    reader = threading.Thread(target=pump, daemon=True)
    reader.start()
    return reader


class ServerProcess:
    """`python wsgi.py` in a child process, as an operator would start it."""

    def __init__(self, database_url: str, **env: str) -> None:
        self.port = free_port()
        self.url = f"http://127.0.0.1:{self.port}"
        self.env = {
            **os.environ, "DATABASE_URL": database_url, "HOST": "127.0.0.1", "PORT": str(self.port),
            "SCHEDULER_MODE": "off", "PYTHONUNBUFFERED": "1", **env,
        }
        self.process: subprocess.Popen | None = None

    def start(self, timeout: float = 20.0) -> "ServerProcess":
        """Start the server and wait until it answers HTTP; its output is read as it comes (see drain)."""
        self.process = subprocess.Popen(
            self.command(), cwd=ROOT, env=self.env, stdout=subprocess.PIPE, stderr=subprocess.STDOUT, text=True,
        )
        self.output: list[str] = []
        self._reader = drain(self.process, self.output)
        deadline = time.monotonic() + timeout
        while time.monotonic() < deadline:
            if self.process.poll() is not None:
                self._reader.join(timeout=5)
                raise RuntimeError("server exited early:\n" + "\n".join(self.output))
            try:
                requests.get(self.url + "/api/v1/openapi.json", timeout=1)
                return self
            except (requests.ConnectionError, requests.Timeout):  # gunicorn listens before its worker has booted
                time.sleep(0.1)  # polling a child process's readiness, not waiting on our own clock
        self.stop()
        raise RuntimeError("server did not answer in time")

    def command(self) -> list[str]:
        """The command line that serves."""
        return [sys.executable, "wsgi.py"]

    def stop(self) -> str:
        """Stop the server and return what it printed."""
        if self.process is None:
            return ""
        if self.process.poll() is None:
            self.process.terminate()
            try:
                self.process.wait(timeout=10)
            except subprocess.TimeoutExpired:
                self.process.kill()
                self.process.wait()
        self._reader.join(timeout=5)
        self.process = None
        return "\n".join(self.output)

    def restart(self, timeout: float = 20.0) -> str:
        """Stop and start again on the same port, as an operator restarting the service would."""
        output = self.stop()
        self.start(timeout)
        return output

    def kill(self) -> None:
        """SIGKILL: no shutdown handlers, no flushing, like a crash."""
        if self.process is not None:
            self.process.kill()
            self.process.wait()
            self.process = None

    def __enter__(self) -> "ServerProcess":
        return self.start()

    def __exit__(self, *exc) -> None:
        self.stop()


class GeventServer(ServerProcess):
    """The many-screens deployment: gunicorn's gevent worker, a greenlet per connection, on PostgreSQL."""

    def __init__(self, database_url: str, **env: str) -> None:
        super().__init__(database_url, SOCKETIO_ASYNC_MODE="gevent", **env)

    def command(self) -> list[str]:
        gunicorn = str(Path(sys.executable).parent / "gunicorn")
        # A stop waits out the graceful timeout while screens stay connected: a second is enough to finish a post.
        return [gunicorn, "-k", "gevent", "-w", "1", "-b", f"127.0.0.1:{self.port}", "--graceful-timeout", "1",
                "wsgi:app"]


@dataclass
class Demo:
    """What `flask demo` printed and made: logins, the ingest key, and a live session to sell into."""

    key_id: str
    secret: str
    api_token: str
    screen_path: str
    campaign_id: int
    session_id: int
    product_id: int


def load_demo(database_url: str) -> Demo:
    """The demo on a freshly migrated database (loaded by `flask demo` once per process, then copied) and what a
    sale needs."""
    from tests.demo_copies import demo_on

    return demo_on(database_url, _run_demo)


def _run_demo(database_url: str) -> Demo:
    """Run the real `flask demo` against a migrated database and read back what a sale needs."""
    env = {**os.environ, "DATABASE_URL": database_url, "SCHEDULER_MODE": "off"}
    lines = subprocess.run([sys.executable, "-m", "flask", "--app", "wsgi", "demo"], cwd=ROOT, env=env, check=True,
                           capture_output=True, text=True, timeout=60).stdout.splitlines()
    key_id, secret = next(line for line in lines if line.startswith("Ingest key:")).split()[-2:]
    token = next(line for line in lines if line.startswith("Commissioner API token:")).split()[-1]
    engine = create_engine(database_url)
    with engine.connect() as connection:
        session_id, product_id, campaign_id = connection.execute(text(
            "SELECT s.id, l.product_id, s.campaign_id FROM live_sessions s JOIN lineup_items l ON l.session_id = s.id "
            "WHERE s.status = 'live' ORDER BY l.position LIMIT 1")).one()
    engine.dispose()
    return Demo(key_id, secret, token, lines[-1], campaign_id, session_id, product_id)
