"""The sale event of CONTRACT section 3, validated straight from the raw body."""
from __future__ import annotations

from typing import Annotated, Literal

from datetime import datetime

from pydantic import AwareDatetime, BaseModel, ConfigDict, Field, StringConstraints, TypeAdapter, field_validator

MAX_EVENTS = 1000
MAX_ID = 2**31 - 1  # the database's integer keys
MAX_QUANTITY = 10**6
MAX_AMOUNT_FEN = 10**12  # RMB 10 billion in one order: far above any real one, far below 64-bit sums
# Times beyond these years are typos, and near year 1 or 9999 converting to UTC overflows.
EARLIEST_YEAR, LATEST_YEAR = 1970, 2200


class SaleEventIn(BaseModel):
    """One order or refund."""

    model_config = ConfigDict(extra="ignore")

    # Control characters (NUL above all, which PostgreSQL text refuses) are never part of an order id.
    id: Annotated[str, StringConstraints(strict=True, min_length=1, max_length=128, pattern=r"^[^\x00-\x1f\x7f]+$")]
    kind: Literal["order", "refund"]
    session_id: Annotated[int, Field(strict=True, ge=1, le=MAX_ID)]
    product_id: Annotated[int, Field(strict=True, ge=1, le=MAX_ID)]
    quantity: Annotated[int, Field(strict=True, gt=0, le=MAX_QUANTITY)]
    amount_fen: Annotated[int, Field(strict=True, ge=0, le=MAX_AMOUNT_FEN)]
    occurred_at: AwareDatetime

    @field_validator("occurred_at")
    @classmethod
    def _plausible_year(cls, value: datetime) -> datetime:
        if not EARLIEST_YEAR <= value.year <= LATEST_YEAR:
            raise ValueError(f"occurred_at must fall between the years {EARLIEST_YEAR} and {LATEST_YEAR}")
        return value


ONE_EVENT = TypeAdapter(SaleEventIn)


class SaleBatchIn(BaseModel):
    """Up to 1000 events, stored all or nothing (documents the body; parsing is per event for exact errors)."""

    events: Annotated[list[SaleEventIn], Field(min_length=1, max_length=MAX_EVENTS)]


class SalesAccepted(BaseModel):
    """Sent only after the events are durably committed."""

    accepted: int
    duplicates: int
