"""When to try a delivery again, how fast each robot may be sent to, and what an answer means."""
from __future__ import annotations

import json
from dataclasses import dataclass
from datetime import datetime, timedelta, timezone
from email.utils import parsedate_to_datetime

DEFAULT_RETRY_SCHEDULE = (0, 5, 300, 1800, 7200, 18000, 36000, 36000)
# A channel whose every attempt has failed for this long is switched off and its owners told.
DISABLE_AFTER = timedelta(days=5)
# The vendors' documented limits per robot: (window in seconds, messages in it).
RATE_LIMITS: dict[str, tuple[tuple[int, int], ...]] = {
    "wecom": ((60, 20),),
    "dingtalk": ((60, 20),),
    "feishu": ((60, 100), (1, 5)),
}
# Robots' answers that mean "too fast": wait a whole window before trying again.
RATE_LIMIT_CODES = frozenset({45009, 45033, 130101, 11232, 9499})
MAX_RETRY_AFTER = timedelta(days=1)


def parse_schedule(raw: str) -> tuple[int, ...]:
    """NOTIFY_RETRY_SCHEDULE: comma-separated seconds, the first attempt's delay first."""
    try:
        values = tuple(int(part) for part in raw.split(",") if part.strip())
    except ValueError as exc:
        raise ValueError(f"NOTIFY_RETRY_SCHEDULE must be comma-separated seconds, got {raw!r}") from exc
    if not values or min(values) < 0:
        raise ValueError(f"NOTIFY_RETRY_SCHEDULE must list seconds of 0 or more, got {raw!r}")
    return values


@dataclass(frozen=True)
class Answer:
    """What one attempt came to: delivered or not, why not, and how long the receiver asked us to wait."""

    ok: bool
    status_code: int | None = None
    error: str = ""
    retry_after: timedelta | None = None


def judge(kind: str, status_code: int, body: bytes, retry_after_header: str | None, now: datetime) -> Answer:
    """An HTTP answer judged as CONTRACT section 6 says: non-2xx, or a robot's nonzero errcode/code, failed."""
    wait = retry_after(retry_after_header, now)
    if not 200 <= status_code < 300:
        return Answer(False, status_code, f"HTTP {status_code}", wait)
    if kind in ("wecom", "dingtalk", "feishu"):
        code, message = _robot_code(body)
        if code is None:
            return Answer(False, status_code, "the robot's answer was not the JSON it documents", wait)
        if code != 0:
            if code in RATE_LIMIT_CODES:
                wait = max(wait or timedelta(0), timedelta(seconds=60))
            return Answer(False, status_code, f"robot error {code}: {message}"[:500], wait)
    return Answer(True, status_code)


def _robot_code(body: bytes) -> tuple[int | None, str]:
    try:
        answer = json.loads(body.decode("utf-8", "replace") or "null")
    except ValueError:
        return None, ""
    if not isinstance(answer, dict):
        return None, ""
    for key in ("errcode", "code", "StatusCode"):
        if isinstance(answer.get(key), int):
            return answer[key], str(answer.get("errmsg") or answer.get("msg") or answer.get("StatusMessage") or "")
    return None, ""


def retry_after(header: str | None, now: datetime) -> timedelta | None:
    """A Retry-After header (seconds or an HTTP date) as a wait, capped at a day; None if absent or garbage."""
    if not header:
        return None
    header = header.strip()
    if header.isdigit():
        return min(timedelta(seconds=int(header)), MAX_RETRY_AFTER)
    try:
        moment = parsedate_to_datetime(header)
    except (TypeError, ValueError):
        return None
    if moment.tzinfo is None:
        moment = moment.replace(tzinfo=timezone.utc)
    return min(max(moment - now, timedelta(0)), MAX_RETRY_AFTER)


def next_attempt(attempts_made: int, schedule: tuple[int, ...], now: datetime,
                 asked_wait: timedelta | None = None) -> datetime | None:
    """When to try again after this many attempts, or None when the schedule is spent (the delivery failed).

    The schedule's first entry is the first attempt's delay; entry n is the wait before attempt n+1.
    """
    if attempts_made >= len(schedule):
        return None
    wait = timedelta(seconds=schedule[attempts_made])
    return now + max(wait, asked_wait or timedelta(0))


def send_budget(kind: str, recent_sends: list[datetime], in_flight: int, now: datetime) -> int:
    """How many more messages a robot may be sent now without passing its vendor's limits."""
    budget = 10**6
    for window, limit in RATE_LIMITS.get(kind, ()):
        start = now - timedelta(seconds=window)
        used = sum(1 for moment in recent_sends if moment > start) + in_flight
        budget = min(budget, limit - used)
    return max(budget, 0)


def should_disable(failing_since: datetime | None, now: datetime) -> bool:
    """True when a channel has failed every attempt for DISABLE_AFTER."""
    return failing_since is not None and now - failing_since >= DISABLE_AFTER
