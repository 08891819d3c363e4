"""The sale event of CONTRACT section 3, validated straight from the raw body."""
from __future__ import annotations

from typing import Annotated, Literal

from pydantic import BaseModel, ConfigDict, Field, StringConstraints, TypeAdapter

from coordinator.schemas.common import MAX_FEN, MAX_INT32, AwareTime

MAX_EVENTS = 1000
MAX_QUANTITY = 10**6


class SaleEventIn(BaseModel):
    """One order or refund."""

    model_config = ConfigDict(extra="ignore")

    # Control characters (NUL above all, which PostgreSQL text refuses) are never part of an order id.
    id: Annotated[str, StringConstraints(strict=True, min_length=1, max_length=128, pattern=r"^[^\x00-\x1f\x7f]+$")]
    kind: Literal["order", "refund"]
    session_id: Annotated[int, Field(strict=True, ge=1, le=MAX_INT32)]
    product_id: Annotated[int, Field(strict=True, ge=1, le=MAX_INT32)]
    quantity: Annotated[int, Field(strict=True, gt=0, le=MAX_QUANTITY)]
    amount_fen: Annotated[int, Field(strict=True, ge=0, le=MAX_FEN)]
    occurred_at: AwareTime


ONE_EVENT = TypeAdapter(SaleEventIn)


class SaleBatchIn(BaseModel):
    """Up to 1000 events, stored all or nothing (documents the body; parsing is per event for exact errors)."""

    events: Annotated[list[SaleEventIn], Field(min_length=1, max_length=MAX_EVENTS)]


class SalesAccepted(BaseModel):
    """Sent only after the events are durably committed."""

    accepted: int
    duplicates: int
