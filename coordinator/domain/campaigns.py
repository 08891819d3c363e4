"""Rules about a campaign's window and lineup rules."""
from __future__ import annotations

from datetime import datetime

from coordinator.domain.errors import FieldError


def campaign_errors(starts_at: datetime, ends_at: datetime, min_agri: int, max_products: int) -> list[FieldError]:
    """A campaign's window must be ordered and its rules consistent."""
    errors = []
    if ends_at <= starts_at:
        errors.append(FieldError("must be after starts_at", field="ends_at"))
    if max_products < 1:
        errors.append(FieldError("at least 1", field="max_products_per_session"))
    if min_agri > max_products:
        errors.append(FieldError("cannot exceed max_products_per_session", field="min_agri_products_per_session"))
    return errors


def outside_window(starts_at: datetime, ends_at: datetime, slots: list[tuple[int, datetime, datetime]]) -> list[int]:
    """Ids of (id, start, end) slots that would fall outside the campaign window."""
    return [slot_id for slot_id, start, end in slots if start < starts_at or end > ends_at]
