"""The one place the coordinator reads the time, so tests can inject a clock."""
from __future__ import annotations

from datetime import datetime, timezone
from typing import Callable

from flask import current_app, has_app_context

CLOCK_KEY = "coordinator.clock"


def now() -> datetime:
    """The current time, aware in UTC, from the app's injected clock if it has one."""
    if has_app_context():
        clock: Callable[[], datetime] | None = current_app.extensions.get(CLOCK_KEY)
        if clock is not None:
            return clock()
    return datetime.now(timezone.utc)
