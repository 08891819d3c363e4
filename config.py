"""Configuration from the environment, with safe defaults for development."""
from __future__ import annotations

import json
import os
from pathlib import Path

BASE_DIR = Path(__file__).resolve().parent
INSTANCE_DIR = BASE_DIR / "instance"

# A key anyone can read: the public development key of earlier versions. Keys shorter than this resist no guessing.
PUBLIC_SECRET_KEYS = frozenset({"dev-only-secret-key-change-me"})
MIN_SECRET_KEY_LENGTH = 32
SCHEDULER_MODES = ("embedded", "standalone", "off")
ASYNC_MODES = ("threading", "gevent")


def _env_int(name: str, default: int) -> int:
    """Read an integer from the environment, failing loudly on garbage."""
    raw = os.environ.get(name)
    if raw is None or raw == "":
        return default
    try:
        return int(raw)
    except ValueError as exc:
        raise RuntimeError(f"{name} must be an integer, got {raw!r}") from exc


def _env_minutes(name: str, default: tuple[int, ...]) -> tuple[int, ...]:
    """Read a comma-separated list of positive minutes from the environment."""
    raw = os.environ.get(name)
    if raw is None or raw.strip() == "":
        return default
    try:
        values = tuple(sorted({int(part) for part in raw.split(",") if part.strip()}, reverse=True))
    except ValueError as exc:
        raise RuntimeError(f"{name} must be comma-separated whole minutes, got {raw!r}") from exc
    if not values or min(values) <= 0:
        raise RuntimeError(f"{name} must list positive minutes, got {raw!r}")
    return values


class Config:
    """Settings read once from the environment when the class body runs."""

    ENV_NAME = os.environ.get("COORDINATOR_ENV", "development")
    # Unset: a random key kept in instance/secret_key (mode 0600), made on first start (coordinator.security).
    SECRET_KEY = os.environ.get("SECRET_KEY") or None
    HOST = os.environ.get("HOST", "127.0.0.1")
    PORT = _env_int("PORT", 5000)

    SQLALCHEMY_DATABASE_URI = os.environ.get(
        "DATABASE_URL", f"sqlite:///{INSTANCE_DIR / 'coordinator.sqlite3'}"
    )
    SQLALCHEMY_ENGINE_OPTIONS: dict = {}
    # Connections each server process keeps open to PostgreSQL, and how many more it may open for a burst. Keep
    # the pool at least as large as the server's threads: a connection handed back to a full pool is closed, and
    # under load that closes and reopens connections without end (a new PostgreSQL backend for each).
    DATABASE_POOL_SIZE = _env_int("DATABASE_POOL_SIZE", 16)
    DATABASE_POOL_OVERFLOW = _env_int("DATABASE_POOL_OVERFLOW", 8)
    SQLITE_BUSY_TIMEOUT_MS = _env_int("SQLITE_BUSY_TIMEOUT_MS", 15000)

    SOCKETIO_MESSAGE_QUEUE = os.environ.get("SOCKETIO_MESSAGE_QUEUE") or None
    # "threading" (a thread per WebSocket; python wsgi.py or gunicorn --threads) or "gevent" (gunicorn -k gevent:
    # a greenlet per WebSocket, for a thousand screens and more). Set explicitly, never detected.
    SOCKETIO_ASYNC_MODE = os.environ.get("SOCKETIO_ASYNC_MODE", "threading")
    # Engine.IO's heartbeat, in seconds. A link that dies without the browser's offline event (a phone whose signal
    # fades, a county office's line that stalls) is noticed after interval + timeout: 20 s, where the default 25 + 20
    # left a wall showing stale figures as live for 45 s. A ping is a one-byte frame.
    SOCKETIO_PING_INTERVAL = _env_int("SOCKETIO_PING_INTERVAL", 10)
    SOCKETIO_PING_TIMEOUT = _env_int("SOCKETIO_PING_TIMEOUT", 10)
    SCHEDULER_MODE = os.environ.get("SCHEDULER_MODE", "embedded")
    COORDINATOR_TIMEZONE = os.environ.get("COORDINATOR_TIMEZONE", "Asia/Shanghai")
    # Minutes before a session's start when its host is reminded, e.g. "30,5".
    REMINDER_LEAD_MINUTES = _env_minutes("REMINDER_LEAD_MINUTES", (30, 5))
    # Minutes a streamer must have between two sessions.
    SESSION_MIN_GAP_MINUTES = _env_int("SESSION_MIN_GAP_MINUTES", 10)
    # How often the scheduler sweeps for due transitions besides its exact-time jobs.
    SCHEDULER_SWEEP_SECONDS = float(os.environ.get("SCHEDULER_SWEEP_SECONDS", "1"))
    # The test suite starts no scheduler unless a test sets this.
    SCHEDULER_IN_TESTS = False

    BABEL_DEFAULT_LOCALE = "zh_Hans"
    BABEL_DEFAULT_TIMEZONE = "UTC"
    LANGUAGES = ("zh_Hans", "en")

    # 2 MiB is the contract's ingest limit; other bodies are far smaller.
    MAX_CONTENT_LENGTH = 2 * 1024 * 1024

    # Responses are compressed (Flask-Compress; static files by coordinator.assets, once each) when the client
    # accepts br or gzip, the type is listed and the body is at least COMPRESS_MIN_SIZE bytes: below that the
    # header costs about what it saves. Spreadsheets, PNGs and PDFs are compressed already and are not listed.
    COMPRESS_ALGORITHM = "br, gzip"
    COMPRESS_ALGORITHM_STREAMING = "br, deflate"  # a streamed body (none today); Flask-Compress streams no gzip
    COMPRESS_LEVEL = _env_int("COMPRESS_LEVEL", 6)  # gzip, 1-9
    COMPRESS_BR_LEVEL = _env_int("COMPRESS_BR_LEVEL", 4)  # brotli, 0-11: 4 is quick and beats gzip 6 on our pages
    COMPRESS_MIN_SIZE = _env_int("COMPRESS_MIN_SIZE", 500)
    COMPRESS_MIMETYPES = [
        "text/html", "text/css", "text/javascript", "application/javascript", "text/plain", "text/csv",
        "text/calendar", "application/json", "application/problem+json", "image/svg+xml", "application/xml",
    ]

    SESSION_COOKIE_HTTPONLY = True
    SESSION_COOKIE_SAMESITE = "Lax"
    SESSION_COOKIE_SECURE = os.environ.get("SESSION_COOKIE_SECURE", "0") == "1"
    REMEMBER_COOKIE_HTTPONLY = True
    REMEMBER_COOKIE_SAMESITE = "Lax"
    WTF_CSRF_TIME_LIMIT = None

    # How many reverse proxies of ours stand in front of the service; their X-Forwarded-For says who the client is.
    TRUSTED_PROXY_COUNT = _env_int("TRUSTED_PROXY_COUNT", 0)
    LOGIN_FREE_FAILURES = _env_int("LOGIN_FREE_FAILURES", 3)
    LOGIN_MAX_DELAY_S = _env_int("LOGIN_MAX_DELAY_S", 300)
    # How long a one-time login link a commissioner sends a streamer stays valid.
    LOGIN_LINK_HOURS = _env_int("LOGIN_LINK_HOURS", 24)

    # Pairing: how many units a session is expected to sell (a product's capacity is stock // this), and
    # overrides of coordinator.domain.pairing_model.PairingWeights, e.g. {"category": 4.0}; documented there.
    PAIRING_EXPECTED_UNITS_PER_SESSION = _env_int("PAIRING_EXPECTED_UNITS_PER_SESSION", 50)
    PAIRING_WEIGHTS: dict = json.loads(os.environ.get("PAIRING_WEIGHTS", "{}"))

    # Notifications (CONTRACT section 6). Seconds before each attempt of a message, the first attempt's first.
    NOTIFY_RETRY_SCHEDULE = os.environ.get("NOTIFY_RETRY_SCHEDULE", "0,5,300,1800,7200,18000,36000,36000")
    # host:port pairs or CIDR networks that may receive messages although loopback, private or link-local.
    NOTIFY_ALLOW_PRIVATE = os.environ.get("NOTIFY_ALLOW_PRIVATE", "")
    # Delivery workers run beside the scheduler (embedded, standalone or off, as SCHEDULER_MODE) unless "off" here.
    NOTIFY_WORKER = os.environ.get("NOTIFY_WORKER", "on")
    NOTIFY_POLL_SECONDS = float(os.environ.get("NOTIFY_POLL_SECONDS", "0.5"))
    # Messages one worker sends at once (threads); a claim is held this long before another worker may retry it.
    NOTIFY_CONCURRENCY = _env_int("NOTIFY_CONCURRENCY", 8)
    NOTIFY_CLAIM_SECONDS = _env_int("NOTIFY_CLAIM_SECONDS", 60)
    # Samples (CONTRACT section 7): a sample not received this many days before a session with its product is late.
    SAMPLE_LEAD_DAYS = _env_int("SAMPLE_LEAD_DAYS", 2)
    # How often the scheduler looks for samples that became late, to send sample.late once per sample and session.
    SAMPLE_LATE_SWEEP_SECONDS = _env_int("SAMPLE_LATE_SWEEP_SECONDS", 60)
    # The address messages link to (the pages that show more); default this server's own.
    PUBLIC_URL = os.environ.get("PUBLIC_URL", "")
    SMTP_HOST = os.environ.get("SMTP_HOST", "127.0.0.1")
    SMTP_PORT = _env_int("SMTP_PORT", 25)
    SMTP_SECURITY = os.environ.get("SMTP_SECURITY", "none")
    SMTP_USER = os.environ.get("SMTP_USER", "")
    SMTP_PASSWORD = os.environ.get("SMTP_PASSWORD", "")
    MAIL_FROM = os.environ.get("MAIL_FROM", "coordinator@localhost")

    # A worker thread sends coalesced tally pushes; the test suite flushes by hand instead.
    TALLY_PUSH_THREAD = True
    # A sweeper re-checks /live connections when access changes; the test suite sweeps by hand instead.
    LIVE_GUARD_THREAD = True

    TESTING = False


class TestingConfig(Config):
    """Settings for the test suite: no scheduler, CSRF on unless a test turns it off."""

    ENV_NAME = "testing"
    TESTING = True
    SECRET_KEY = "testing-secret-key"
    SCHEDULER_MODE = "off"
    SQLALCHEMY_DATABASE_URI = "sqlite:///:memory:"
    SOCKETIO_MESSAGE_QUEUE = None
    TALLY_PUSH_THREAD = False
    LIVE_GUARD_THREAD = False
    NOTIFY_WORKER = "off"


def check_config(config: dict) -> None:
    """Refuse settings that would make the service unsafe or unusable."""
    if config.get("SCHEDULER_MODE") not in SCHEDULER_MODES:
        raise RuntimeError(
            f"SCHEDULER_MODE must be one of {', '.join(SCHEDULER_MODES)}, "
            f"got {config.get('SCHEDULER_MODE')!r}"
        )
    _check_async_mode(config)
    _check_notify(config)
    key = config.get("SECRET_KEY")
    # The test suite's fixed key is short on purpose; every other configuration gets a real one.
    if key and (key in PUBLIC_SECRET_KEYS or (len(key) < MIN_SECRET_KEY_LENGTH and not config.get("TESTING"))):
        raise RuntimeError(f"SECRET_KEY must be a secret of at least {MIN_SECRET_KEY_LENGTH} characters (or leave it "
                           "unset for a random key kept in instance/secret_key)")
    try:
        from zoneinfo import ZoneInfo

        ZoneInfo(config["COORDINATOR_TIMEZONE"])
    except Exception as exc:  # noqa: BLE001 - any failure means the zone is unusable
        raise RuntimeError(f"COORDINATOR_TIMEZONE {config.get('COORDINATOR_TIMEZONE')!r} is not a known time zone") from exc


def _check_notify(config: dict) -> None:
    from coordinator.domain.delivery_rules import parse_schedule
    from coordinator.domain.destinations import AllowList

    try:
        parse_schedule(config["NOTIFY_RETRY_SCHEDULE"])
        AllowList.parse(config["NOTIFY_ALLOW_PRIVATE"])
    except ValueError as exc:
        raise RuntimeError(str(exc)) from exc
    if config.get("SMTP_SECURITY") not in ("none", "starttls", "ssl"):
        raise RuntimeError(f"SMTP_SECURITY must be none, starttls or ssl, got {config.get('SMTP_SECURITY')!r}")
    if config.get("NOTIFY_WORKER") not in ("on", "off"):
        raise RuntimeError(f"NOTIFY_WORKER must be on or off, got {config.get('NOTIFY_WORKER')!r}")


def _check_async_mode(config: dict) -> None:
    mode = config.get("SOCKETIO_ASYNC_MODE")
    if mode not in ASYNC_MODES:
        raise RuntimeError(f"SOCKETIO_ASYNC_MODE must be one of {', '.join(ASYNC_MODES)}, got {mode!r}")
    # SQLite waits for its write lock inside C, which no greenlet can leave: one waiting request would stall every
    # connection of the process. PostgreSQL's driver waits cooperatively under gevent.
    if mode == "gevent" and str(config.get("SQLALCHEMY_DATABASE_URI", "")).startswith("sqlite"):
        raise RuntimeError("SOCKETIO_ASYNC_MODE=gevent needs PostgreSQL (DATABASE_URL=postgresql+psycopg://…); "
                           "with SQLite use the default threading mode")
    # Unpatched, blocking calls stall the loop and python-socketio's Redis queue refuses to work at all.
    if mode == "gevent" and not _gevent_patched():
        raise RuntimeError("SOCKETIO_ASYNC_MODE=gevent needs a process gevent has patched: serve with "
                           "gunicorn -k gevent or python wsgi.py, and leave it unset for flask commands")


def _gevent_patched() -> bool:
    try:
        from gevent import monkey
    except ImportError:
        return False
    return monkey.is_module_patched("socket")
