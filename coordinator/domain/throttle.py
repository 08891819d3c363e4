"""How long a login must wait after repeated failures."""
from __future__ import annotations

from datetime import datetime, timedelta


def delay_after_failures(failures: int, free_failures: int, max_delay_s: int) -> int:
    """Seconds to wait before the next attempt: none at first, then doubling up to a cap."""
    if failures < free_failures:
        return 0
    return min(max_delay_s, 2 ** (failures - free_failures + 1))


def blocked_until(last_failure_at: datetime, failures: int, free_failures: int, max_delay_s: int) -> datetime | None:
    """When the next attempt may be made, or None when it may be made at once."""
    delay = delay_after_failures(failures, free_failures, max_delay_s)
    return last_failure_at + timedelta(seconds=delay) if delay else None


def throttle_key(username: str, address: str) -> str:
    """What failures are counted under: one username from one client address."""
    return f"{username.strip().lower()[:100]}|{address[:64]}"
