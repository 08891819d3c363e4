"""The sale event of CONTRACT section 3, validated straight from the raw body."""
from __future__ import annotations

from typing import Annotated, Literal

from pydantic import AwareDatetime, BaseModel, ConfigDict, Field, StringConstraints, TypeAdapter

MAX_EVENTS = 1000


class SaleEventIn(BaseModel):
    """One order or refund."""

    model_config = ConfigDict(extra="ignore")

    id: Annotated[str, StringConstraints(strict=True, min_length=1, max_length=128)]
    kind: Literal["order", "refund"]
    session_id: Annotated[int, Field(strict=True, ge=1)]
    product_id: Annotated[int, Field(strict=True, ge=1)]
    quantity: Annotated[int, Field(strict=True, gt=0)]
    amount_fen: Annotated[int, Field(strict=True, ge=0)]
    occurred_at: AwareDatetime


ONE_EVENT = TypeAdapter(SaleEventIn)


class SaleBatchIn(BaseModel):
    """Up to 1000 events, stored all or nothing (documents the body; parsing is per event for exact errors)."""

    events: Annotated[list[SaleEventIn], Field(min_length=1, max_length=MAX_EVENTS)]


class SalesAccepted(BaseModel):
    """Sent only after the events are durably committed."""

    accepted: int
    duplicates: int
