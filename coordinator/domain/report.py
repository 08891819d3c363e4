"""The arithmetic of a campaign's results: figures, shares, rates and time buckets, from counters and minutes.

Money is integer fen throughout. A rate or share whose denominator is zero (or below) is None: "no sales" is not
0 % of anything, and a page shows it as a dash.
"""
from __future__ import annotations

from dataclasses import dataclass
from datetime import date, datetime, timedelta
from typing import Iterable
from zoneinfo import ZoneInfo

from coordinator.domain.enums import SessionStatus

SHARE_DIGITS = 4  # shares and rates are fractions; four digits are 0.01 %, finer than any page shows


@dataclass(frozen=True)
class Figures:
    """What was sold: orders, net units (refunds take theirs back), gross and refunded money."""

    orders: int = 0
    units: int = 0
    gross_fen: int = 0
    refunded_fen: int = 0

    @property
    def net_fen(self) -> int:
        """What was sold less what was refunded."""
        return self.gross_fen - self.refunded_fen

    @property
    def empty(self) -> bool:
        """Nothing was sold or refunded."""
        return not (self.orders or self.units or self.gross_fen or self.refunded_fen)

    @property
    def average_order_fen(self) -> int | None:
        """Average order value (客单价): gross over orders, rounded to the fen; None without orders."""
        return round(self.gross_fen / self.orders) if self.orders > 0 else None

    @property
    def refund_rate(self) -> float | None:
        """The part of the gross that was refunded; None without gross."""
        return share(self.refunded_fen, self.gross_fen)

    def __add__(self, other: "Figures") -> "Figures":
        return Figures(self.orders + other.orders, self.units + other.units, self.gross_fen + other.gross_fen,
                       self.refunded_fen + other.refunded_fen)


NOTHING = Figures()


def total(figures: Iterable[Figures]) -> Figures:
    """The sum of several figures."""
    out = NOTHING
    for item in figures:
        out = out + item
    return out


def share(part: int, whole: int | None) -> float | None:
    """part / whole as a fraction, None when the whole is zero, negative or unknown."""
    if whole is None or whole <= 0:
        return None
    return round(part / whole, SHARE_DIGITS)


def sell_through(units: int, stock: int) -> float | None:
    """Units sold against the stock; None for a product without stock."""
    return share(units, stock)


def minutes_live(status: str, starts_at: datetime, ends_at: datetime, now: datetime) -> int:
    """Minutes a session has been on air: all of an ended one, so far of a live one, none otherwise.

    Sessions keep their scheduled times, and the clock moves them live and ended at those times, so the slot
    is the time on air.
    """
    if status == SessionStatus.ENDED.value:
        stop = ends_at
    elif status == SessionStatus.LIVE.value:
        stop = min(now, ends_at)
    else:
        return 0
    return max(0, int((stop - starts_at).total_seconds() // 60))


def per_live_hour(net_fen: int, minutes: int) -> int | None:
    """Net sales per hour on air, in fen; None for a host who was never on air."""
    return round(net_fen * 60 / minutes) if minutes > 0 else None


def local_buckets(minutes: Iterable[tuple[datetime, Figures]], zone: ZoneInfo
                  ) -> tuple[dict[date, Figures], list[Figures]]:
    """Per-minute rows summed by day and by hour of day, both in the zone (24 hours, midnight first)."""
    days: dict[date, Figures] = {}
    hours = [NOTHING] * 24
    for minute, figures in minutes:
        local = minute.astimezone(zone)
        day = local.date()
        days[day] = days.get(day, NOTHING) + figures
        hours[local.hour] = hours[local.hour] + figures
    return days, hours


def whole_hour_zone(zone: ZoneInfo, starts_at: datetime, ends_at: datetime) -> bool:
    """True when the zone is a whole number of hours from UTC in winter and in summer of the window's years:
    per-minute rows may then be summed by UTC hour first, and each such hour falls in one local hour."""
    years = range(starts_at.year - 1, ends_at.year + 2)  # and a year either side, for late orders
    return all((datetime(year, month, 1, tzinfo=zone).utcoffset() or timedelta()) % timedelta(hours=1) == timedelta()
               for year in years for month in (1, 7))


def day_list(starts_at: datetime, ends_at: datetime, zone: ZoneInfo, sold: Iterable[date]) -> list[date]:
    """Every day of the campaign's window in the zone, and any day with sales outside it, in order."""
    first = starts_at.astimezone(zone).date()
    # A window ending at midnight does not reach into the day that starts then.
    last = (ends_at - timedelta(microseconds=1)).astimezone(zone).date()
    days = set(sold)
    day = first
    while day <= last:
        days.add(day)
        day += timedelta(days=1)
    return sorted(days)


def counties_reached(by_county: Iterable[Figures]) -> int:
    """Counties with at least one order."""
    return sum(1 for figures in by_county if figures.orders > 0)


def agricultural_net(by_product: Iterable[tuple[Figures, bool]]) -> int:
    """Net sales of agricultural products, from (figures, is agricultural) of every product."""
    return sum(figures.net_fen for figures, agricultural in by_product if agricultural)


def largest_first(net_fen: int, row_id: int) -> tuple[int, int]:
    """The sort key of a list read largest net first, ties by id."""
    return -net_fen, row_id
