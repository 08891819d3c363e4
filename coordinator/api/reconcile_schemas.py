"""The shapes of the reconciliation API (CONTRACT section 8)."""
from __future__ import annotations

from datetime import datetime
from typing import Literal, Optional

from pydantic import BaseModel, Field

from coordinator.domain.reconcile import RowKind

KindName = Literal["matched", "missing_here", "missing_there", "different", "unknown", "invalid"]


class SummaryOut(BaseModel):
    """How many rows the file held and how many orders are of each kind."""

    rows: int
    matched: int
    missing_here: int
    missing_there: int
    different: int
    unknown: int
    invalid: int


class ReconciliationOut(BaseModel):
    """A reconciliation: whose orders, the column mapping used, the summary, and whether it was applied."""

    id: int
    campaign_id: int
    ingest_key_id: str
    filename: str
    created_at: datetime
    mapping: dict[str, str]
    summary: SummaryOut
    applied_at: Optional[datetime]
    accepted: Optional[int]
    duplicates: Optional[int]


class StoredOut(BaseModel):
    """What the coordinator stored where it differs from the file."""

    kind: Optional[str] = None
    session_id: Optional[int] = None
    product_id: Optional[int] = None
    quantity: Optional[int] = None
    amount_fen: Optional[int] = None


class RowOut(BaseModel):
    """One order: the file's row (line; none for missing there, which shows what was stored)."""

    line: Optional[int]
    order_id: str
    kind: Optional[str]
    session_id: Optional[int]
    product_id: Optional[int]
    quantity: Optional[int]
    amount_fen: Optional[int]
    occurred_at: Optional[datetime]
    stored: Optional[StoredOut]
    problem: Optional[str]


class ReconciliationRowsOut(ReconciliationOut):
    """A reconciliation with its rows of each kind (at most `limit` of each from `offset`)."""

    rows: dict[KindName, list[RowOut]]


class RowsQuery(BaseModel):
    """Which rows to list: one kind or all, and a page of each."""

    kind: Optional[KindName] = None
    limit: int = Field(1000, ge=1, le=10_000)
    offset: int = Field(0, ge=0)


class ReconciliationList(BaseModel):
    """A campaign's reconciliations, newest first."""

    reconciliations: list[ReconciliationOut]


class AppliedOut(BaseModel):
    """What applying stored: new orders, orders already stored, and rows the webhook would now refuse."""

    accepted: int
    duplicates: int
    refused: list[dict[str, str]]


ALL_KINDS = tuple(kind.value for kind in RowKind)
