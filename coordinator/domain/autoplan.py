"""Proposing conflict-free sessions from pairings and weekly availability (pure)."""
from __future__ import annotations

from dataclasses import dataclass, field
from datetime import date, datetime, time, timedelta, timezone, tzinfo
from typing import Sequence

from coordinator.domain.catalog import in_season
from coordinator.domain.scheduling import LineupProduct, Slot, first_overlap, lineup_errors, slot_errors

EVENING = (18 * 60, 23 * 60)


@dataclass
class StreamerPlan:
    """One streamer's inputs: weekly windows (weekday, start, end minutes), paired products, busy slots."""

    streamer_id: int
    windows: Sequence[tuple[int, int, int]]
    products: Sequence[LineupProduct]
    busy: list[Slot] = field(default_factory=list)


@dataclass(frozen=True)
class PlanRules:
    """The campaign's window and rules, and how sessions are shaped."""

    window: tuple[datetime, datetime]
    min_agri: int
    max_products: int
    min_gap: timedelta = timedelta(0)
    slot_minutes: int = 120
    band: tuple[int, int] = EVENING
    per_streamer: int = 3


@dataclass(frozen=True)
class Proposal:
    """A session the planner suggests; nothing is stored until a commissioner confirms it."""

    streamer_id: int
    starts_at: datetime
    ends_at: datetime
    product_ids: tuple[int, ...]


def local_moment(day: date, minute: int, zone: tzinfo) -> datetime:
    """The UTC instant when the local clock in zone shows day at minute (DST-aware)."""
    local = datetime.combine(day, time(minute // 60, minute % 60), zone)
    return local.astimezone(timezone.utc)


def lineup_for(products: Sequence[LineupProduct], day: date, max_products: int) -> list[int]:
    """Agricultural products first, then the rest, limited to those shippable that day."""
    usable = [p for p in products if p.enrolled and p.stock > 0 and in_season(p.available_from, p.available_to, day)]
    usable.sort(key=lambda p: (not p.is_agricultural, p.id))
    return [p.id for p in usable[:max_products]]


def _days(rules: PlanRules, now: datetime, zone: tzinfo) -> list[date]:
    first = max(rules.window[0], now).astimezone(zone).date()
    last = rules.window[1].astimezone(zone).date()
    return [first + timedelta(days=n) for n in range((last - first).days + 1)]


def _candidates(plan: StreamerPlan, rules: PlanRules, now: datetime, zone: tzinfo) -> list[Proposal]:
    out = []
    for day in _days(rules, now, zone):
        for weekday, start, end in plan.windows:
            begin, finish = max(start, rules.band[0]), min(end, rules.band[1])
            if weekday != day.weekday() or finish - begin < rules.slot_minutes:
                continue
            starts_at = local_moment(day, begin, zone)
            ends_at = starts_at + timedelta(minutes=rules.slot_minutes)
            if slot_errors(starts_at, ends_at, rules.window, now):
                continue
            lineup = lineup_for(plan.products, day, rules.max_products)
            if lineup_errors(plan.products, lineup, rules.min_agri, rules.max_products, day):
                continue
            out.append(Proposal(plan.streamer_id, starts_at, ends_at, tuple(lineup)))
            break
    return out


def _spread(candidates: list[Proposal], count: int) -> list[Proposal]:
    """Up to count candidates spread evenly over the campaign."""
    if len(candidates) <= count:
        return candidates
    if count == 1:
        return [candidates[0]]
    picks = sorted({round(i * (len(candidates) - 1) / (count - 1)) for i in range(count)})
    return [candidates[i] for i in picks]


def propose(plans: Sequence[StreamerPlan], rules: PlanRules, now: datetime, zone: tzinfo) -> list[Proposal]:
    """Sessions for each streamer in evening slots of their availability, clashing with nothing."""
    proposals: list[Proposal] = []
    for plan in plans:
        free = [c for c in _candidates(plan, rules, now, zone)
                if first_overlap(Slot(0, c.starts_at, c.ends_at), plan.busy, rules.min_gap) is None]
        proposals += _spread(free, rules.per_streamer)
    return sorted(proposals, key=lambda p: (p.starts_at, p.streamer_id))
