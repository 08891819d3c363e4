"""Rules about products and streamers that need no database."""
from __future__ import annotations

from datetime import date

from coordinator.domain.errors import FieldError

MINUTES_PER_DAY = 24 * 60
# What a host may change on their own profile; handle, audience size and manager stay with the commissioners.
SELF_EDITABLE = frozenset({"display_name", "platform", "categories", "region", "bio", "availability"})


def harvest_window_errors(available_from: date | None, available_to: date | None) -> list[FieldError]:
    """A harvest window must not end before it starts."""
    if available_from and available_to and available_from > available_to:
        return [FieldError("must not be before available_from", field="available_to")]
    return []


def in_season(available_from: date | None, available_to: date | None, day: date) -> bool:
    """True when a product can be shipped on a day (an open end means no limit)."""
    return (available_from is None or available_from <= day) and (available_to is None or day <= available_to)


def season_overlaps(available_from: date | None, available_to: date | None, start: date, end: date) -> bool:
    """True when the harvest window shares at least one day with [start, end]."""
    return (available_from is None or available_from <= end) and (available_to is None or start <= available_to)


def parse_clock(text: str) -> int:
    """'19:30' as minutes after midnight; '24:00' is the end of the day."""
    hours, _, minutes = text.partition(":")
    if not (hours.isdigit() and minutes.isdigit() and len(minutes) == 2):
        raise ValueError("use HH:MM")
    value = int(hours) * 60 + int(minutes)
    if int(minutes) > 59 or value > MINUTES_PER_DAY:
        raise ValueError("use a time between 00:00 and 24:00")
    return value


def format_clock(minutes: int) -> str:
    """Minutes after midnight as 'HH:MM'."""
    return f"{minutes // 60:02d}:{minutes % 60:02d}"


def availability_errors(windows: list[tuple[int, int, int]]) -> list[FieldError]:
    """Weekly windows (weekday, start, end) must be ordered and must not overlap on a day."""
    errors: list[FieldError] = []
    for index, (weekday, start, end) in enumerate(windows):
        if not 0 <= weekday <= 6:
            errors.append(FieldError("weekday is 0 (Monday) to 6 (Sunday)", field=f"availability.{index}.weekday"))
        if start >= end:
            errors.append(FieldError("end must be after start", field=f"availability.{index}.end"))
    by_day = sorted((w, s, e, i) for i, (w, s, e) in enumerate(windows))
    for (w1, _s1, e1, _i1), (w2, s2, _e2, i2) in zip(by_day, by_day[1:]):
        if w1 == w2 and s2 < e1:
            errors.append(FieldError("overlaps another window on the same day", field=f"availability.{i2}.start"))
    return errors
