"""What every loopback HTTP receiver shares: a ThreadingHTTPServer on 127.0.0.1 on a free port, the record of each
request, and scripted misbehaviour (fail the next N, Retry-After, slow, redirect, an endless answer). The vendors'
own checks are in vendors.py, written apart from the coordinator's code (nothing here imports its wire module).
"""
from __future__ import annotations

import json
import secrets
import threading
from collections import deque
from dataclasses import dataclass, field
from datetime import datetime, timedelta, timezone
from http.server import BaseHTTPRequestHandler, ThreadingHTTPServer
from typing import Any, Callable
from urllib.parse import parse_qs, urlsplit

OK = {"errcode": 0, "errmsg": "ok"}


def real_now() -> datetime:
    """The wall clock, for receivers not given the tests' clock."""
    return datetime.now(timezone.utc)


@dataclass
class Arrival:
    """One request as the receiver saw it, and whether its vendor would have taken it."""

    path: str
    query: dict[str, str]
    headers: dict[str, str]
    body: bytes
    at: datetime
    verdict: str = ""  # empty when the signature and the body are as the vendor documents them
    scripted: bool = False  # answered with a scripted failure (its verdict is still checked)

    @property
    def json(self) -> Any:
        """The body as JSON."""
        return json.loads(self.body)


@dataclass
class Mischief:
    """One scripted bad answer: a status, a body, headers, a delay, or an answer body that never ends."""

    status: int = 500
    body: dict | None = None
    headers: dict[str, str] = field(default_factory=dict)
    endless: bool = False


class _Server(ThreadingHTTPServer):
    daemon_threads = True
    allow_reuse_address = True
    request_queue_size = 128


class Receiver:
    """A loopback endpoint; subclasses check what their vendor checks and answer as it answers."""

    path = "/"

    def __init__(self, now: Callable[[], datetime] = real_now) -> None:
        self.now = now
        self.lock = threading.Lock()
        self.arrivals: list[Arrival] = []  # every request, taken or not
        self.accepted: list[Arrival] = []  # messages the vendor would have shown
        self.script: deque[Mischief] = deque()
        self.forever: Mischief | None = None  # the answer to every request once the script is spent
        self.delay = 0.0
        self.cut_short = 0  # endless answers the client stopped reading
        self.released = threading.Event()  # set at stop: slow answers finish at once
        self._server: _Server | None = None

    # What tests tell the receiver.
    def fail_next(self, times: int | None = 1, status: int = 500, body: dict | None = None,
                  headers: dict[str, str] | None = None) -> None:
        """Answer the next `times` requests (None: every one until heal()) with this status, body and headers."""
        if times is None:
            self.forever = Mischief(status, body, dict(headers or {}))
        for _ in range(times or 0):
            self.script.append(Mischief(status, body, dict(headers or {})))

    def heal(self) -> None:
        """Take requests again as the vendor would."""
        self.script.clear()
        self.forever, self.delay = None, 0.0

    def redirect_next(self, location: str) -> None:
        """Answer the next request with a 302 to `location`."""
        self.script.append(Mischief(302, None, {"Location": location}))

    def endless_next(self) -> None:
        """Answer the next request 200 with a body that goes on until the client hangs up."""
        self.script.append(Mischief(200, None, {}, endless=True))

    @property
    def port(self) -> int:
        """The port it listens on."""
        assert self._server is not None
        return self._server.server_address[1]

    @property
    def url(self) -> str:
        """Where the coordinator should post."""
        return f"http://127.0.0.1:{self.port}{self.path}"

    def channel_fields(self) -> dict[str, str]:
        """What a channel of this kind needs to reach this receiver."""
        return {"url": self.url}

    def check(self, arrival: Arrival) -> tuple[str, int, dict]:
        """Why the vendor would refuse the request (empty if it would not), and the status and answer it gives."""
        raise NotImplementedError

    def texts(self) -> list[str]:
        """The words of each message taken."""
        raise NotImplementedError

    # The server.
    def _handle(self, handler: BaseHTTPRequestHandler) -> None:
        body = handler.rfile.read(int(handler.headers.get("Content-Length") or 0))
        parts = urlsplit(handler.path)
        arrival = Arrival(parts.path, {k: v[0] for k, v in parse_qs(parts.query).items()},
                          {k.lower(): v for k, v in handler.headers.items()}, body, self.now())
        with self.lock:
            self.arrivals.append(arrival)
            mischief = self.script.popleft() if self.script else self.forever
            arrival.verdict, status, answer = self.check(arrival)
            if mischief is not None:
                arrival.scripted, status, answer = True, mischief.status, mischief.body or {}
            elif not arrival.verdict:
                self.accepted.append(arrival)
        if self.delay:
            self.released.wait(self.delay)
        if mischief is not None and mischief.endless:
            return self._endless(handler)
        data = json.dumps(answer).encode()
        handler.send_response(status)
        for name, value in {"Content-Type": "application/json", "Content-Length": str(len(data)),
                            **(mischief.headers if mischief else {})}.items():
            handler.send_header(name, value)
        handler.end_headers()
        handler.wfile.write(data)

    def _endless(self, handler: BaseHTTPRequestHandler) -> None:
        handler.send_response(200)
        handler.send_header("Content-Type", "application/json")
        handler.end_headers()
        chunk = b" " * 65536
        try:
            for _ in range(1024):  # 64 MB at most, should a client read it all
                handler.wfile.write(chunk)
        except (BrokenPipeError, ConnectionResetError):
            with self.lock:
                self.cut_short += 1

    def start(self) -> "Receiver":
        """Listen on 127.0.0.1, on a free port, in a daemon thread."""
        owner = self

        class Handler(BaseHTTPRequestHandler):
            def do_POST(self) -> None:  # noqa: N802 - http.server's name
                owner._handle(self)

            def log_message(self, *args: Any) -> None:
                return

        self._server = _Server(("127.0.0.1", 0), Handler)
        threading.Thread(target=self._server.serve_forever, args=(0.02,), name=type(self).__name__, daemon=True).start()
        return self

    def stop(self) -> None:
        """Stop listening."""
        self.released.set()
        if self._server is not None:
            self._server.shutdown()
            self._server.server_close()

    def recent(self, seconds: float) -> int:
        """How many messages were taken within the last `seconds` of the receiver's clock (a robot's rate)."""
        start = self.now() - timedelta(seconds=seconds)
        return sum(1 for arrival in self.accepted if arrival.at > start)


def token() -> str:
    """A random robot key."""
    return secrets.token_hex(16)
