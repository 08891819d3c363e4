"""Slot, overlap, lineup and clock rules of livestream sessions (pure: no Flask, no database)."""
from __future__ import annotations

from dataclasses import dataclass
from datetime import datetime, timedelta
from typing import Iterable, Sequence

from coordinator.domain.catalog import in_season
from coordinator.domain.coverage import lineup_problems
from coordinator.domain.enums import SessionStatus
from coordinator.domain.errors import FieldError

MAX_SESSION = timedelta(hours=12)


@dataclass(frozen=True)
class LineupProduct:
    """What the lineup rules need to know about a product."""

    id: int
    is_agricultural: bool
    stock: int
    available_from: object = None
    available_to: object = None
    enrolled: bool = True


@dataclass(frozen=True)
class Slot:
    """A session's time slot, as the overlap rule sees it."""

    id: int
    starts_at: datetime
    ends_at: datetime


def slot_errors(starts_at: datetime, ends_at: datetime, window: tuple[datetime, datetime],
                now: datetime) -> list[FieldError]:
    """A slot must be ordered, not start in the past, last at most 12 h and lie inside the campaign window."""
    errors = []
    if ends_at <= starts_at:
        errors.append(FieldError("must be after starts_at", field="ends_at"))
    elif ends_at - starts_at > MAX_SESSION:
        errors.append(FieldError("a session lasts at most 12 hours", field="ends_at"))
    if starts_at < now:
        errors.append(FieldError("must not be in the past", field="starts_at"))
    if starts_at < window[0] or starts_at >= window[1]:
        errors.append(FieldError("must be inside the campaign window", field="starts_at"))
    if ends_at > window[1] or ends_at <= window[0]:
        errors.append(FieldError("must be inside the campaign window", field="ends_at"))
    return errors


def first_overlap(slot: Slot, others: Iterable[Slot], min_gap: timedelta) -> Slot | None:
    """The earliest other slot closer to this one than the minimum gap, if any."""
    clashes = [o for o in others if o.id != slot.id
               and o.starts_at < slot.ends_at + min_gap and slot.starts_at < o.ends_at + min_gap]
    return min(clashes, key=lambda o: o.starts_at) if clashes else None


def conflicting_ids(slots_by_streamer: dict[int, Sequence[Slot]], min_gap: timedelta) -> set[int]:
    """Ids of every slot that clashes with another of the same streamer (for highlighting)."""
    out: set[int] = set()
    for slots in slots_by_streamer.values():
        ordered = sorted(slots, key=lambda s: s.starts_at)
        for i, slot in enumerate(ordered):
            for later in ordered[i + 1:]:
                if later.starts_at >= slot.ends_at + min_gap:
                    break
                out.update((slot.id, later.id))
    return out


def lineup_errors(products: Sequence[LineupProduct], requested: Sequence[int], min_agri: int,
                  max_products: int, day) -> list[FieldError]:
    """The lineup must name known, enrolled, in-season, in-stock products and keep the campaign's rules."""
    errors = []
    if len(set(requested)) != len(requested):
        errors.append(FieldError("a product appears twice in the lineup", field="product_ids"))
    known = {p.id: p for p in products}
    for index, product_id in enumerate(requested):
        product = known.get(product_id)
        field = f"product_ids.{index}"
        if product is None:
            errors.append(FieldError(f"no product {product_id}", field=field))
        elif not product.enrolled:
            errors.append(FieldError(f"product {product_id} is not enrolled in the campaign", field=field))
        elif not in_season(product.available_from, product.available_to, day):
            errors.append(FieldError(f"product {product_id} is out of season on {day.isoformat()}", field=field))
        elif product.stock <= 0:
            errors.append(FieldError(f"product {product_id} is out of stock", field=field))
    agri = sum(1 for pid in set(requested) if pid in known and known[pid].is_agricultural)
    errors += [FieldError(problem, field="product_ids")
               for problem in lineup_problems(agri, len(set(requested)), min_agri, max_products)]
    return errors


def due_status(status: str, starts_at: datetime, ends_at: datetime, now: datetime) -> str | None:
    """The status the clock says a session should have now, when it differs from the stored one."""
    if status in (SessionStatus.SCHEDULED, SessionStatus.LIVE) and ends_at <= now:
        return SessionStatus.ENDED.value
    if status == SessionStatus.SCHEDULED and starts_at <= now:
        return SessionStatus.LIVE.value
    return None


def due_reminders(starts_at: datetime, leads: Sequence[int], sent: set[int], now: datetime) -> list[int]:
    """Leads whose moment has come, not yet sent, for a session that has not started; smallest first."""
    if now >= starts_at:
        return []
    return sorted(lead for lead in leads if lead not in sent and starts_at - timedelta(minutes=lead) <= now)


def wake_times(starts_at: datetime, ends_at: datetime, status: str, leads: Sequence[int],
               now: datetime) -> list[datetime]:
    """The future moments at which the scheduler must look at a session."""
    if status == SessionStatus.SCHEDULED:
        times = [starts_at - timedelta(minutes=lead) for lead in leads] + [starts_at, ends_at]
    elif status == SessionStatus.LIVE:
        times = [ends_at]
    else:
        return []
    return [t for t in times if t > now]
