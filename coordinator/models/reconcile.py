"""Reconciliations: a platform's order export compared by order id with the sales the webhook stored."""
from __future__ import annotations

from datetime import datetime
from typing import Any, Optional

from sqlalchemy import CheckConstraint, ForeignKey, Index, Integer, String
from sqlalchemy.orm import Mapped, mapped_column

from coordinator.domain.enums import SaleKind, sql_in
from coordinator.domain.reconcile import RowKind
from coordinator.models.base import Base, BigInt, JSONType, Money, UTCDateTime, utcnow


class Reconciliation(Base):
    """One uploaded export of one ingest key's orders for a campaign, its summary, and whether it was applied."""

    __tablename__ = "reconciliations"
    __table_args__ = (
        CheckConstraint("rows >= 0 AND matched >= 0 AND missing_here >= 0 AND missing_there >= 0 "
                        "AND different >= 0 AND unknown >= 0 AND invalid >= 0", name="counts_not_negative"),
        CheckConstraint("(applied_at IS NULL) = (accepted IS NULL)", name="applied_has_counts"),
    )

    id: Mapped[int] = mapped_column(primary_key=True)
    campaign_id: Mapped[int] = mapped_column(ForeignKey("campaigns.id", ondelete="CASCADE"), index=True)
    ingest_key_id: Mapped[int] = mapped_column(ForeignKey("ingest_keys.id", ondelete="RESTRICT"), index=True)
    created_by_id: Mapped[Optional[int]] = mapped_column(ForeignKey("users.id", ondelete="SET NULL"), index=True)
    created_at: Mapped[datetime] = mapped_column(UTCDateTime, default=utcnow)
    filename: Mapped[str] = mapped_column(String(255), default="")
    # Field -> the file's column header it was read from.
    mapping: Mapped[dict[str, Any]] = mapped_column(JSONType, default=dict)
    rows: Mapped[int] = mapped_column(Integer, default=0)
    matched: Mapped[int] = mapped_column(Integer, default=0)
    missing_here: Mapped[int] = mapped_column(Integer, default=0)
    missing_there: Mapped[int] = mapped_column(Integer, default=0)
    different: Mapped[int] = mapped_column(Integer, default=0)
    unknown: Mapped[int] = mapped_column(Integer, default=0)
    invalid: Mapped[int] = mapped_column(Integer, default=0)
    applied_at: Mapped[Optional[datetime]] = mapped_column(UTCDateTime)
    applied_by_id: Mapped[Optional[int]] = mapped_column(ForeignKey("users.id", ondelete="SET NULL"), index=True)
    accepted: Mapped[Optional[int]] = mapped_column(Integer)
    duplicates: Mapped[Optional[int]] = mapped_column(Integer)


class ReconciliationRow(Base):
    """One order of a reconciliation: a row of the file, or a stored sale the file lacks (missing there)."""

    __tablename__ = "reconciliation_rows"
    __table_args__ = (
        CheckConstraint(sql_in("kind", RowKind), name="kind_valid"),
        CheckConstraint(f"sale_kind IS NULL OR {sql_in('sale_kind', SaleKind)}", name="sale_kind_valid"),
        # Listing a kind's rows in file order is the one way they are read.
        Index("ix_reconciliation_rows_kind", "reconciliation_id", "kind", "id"),
    )

    id: Mapped[int] = mapped_column(BigInt, primary_key=True)
    # Indexed by ix_reconciliation_rows_kind, which it leads.
    reconciliation_id: Mapped[int] = mapped_column(ForeignKey("reconciliations.id", ondelete="CASCADE"))
    kind: Mapped[str] = mapped_column(String(16))
    line: Mapped[Optional[int]] = mapped_column(Integer)  # the file's row number; none for missing-there rows
    order_id: Mapped[str] = mapped_column(String(128), default="")
    # What the file says (for missing-there rows: what was stored).
    sale_kind: Mapped[Optional[str]] = mapped_column(String(8))
    session_id: Mapped[Optional[int]] = mapped_column(Integer)
    product_id: Mapped[Optional[int]] = mapped_column(Integer)
    quantity: Mapped[Optional[int]] = mapped_column(Integer)
    amount_fen: Mapped[Optional[int]] = mapped_column(Money)
    occurred_at: Mapped[Optional[datetime]] = mapped_column(UTCDateTime)
    sale_event_id: Mapped[Optional[int]] = mapped_column(ForeignKey("sale_events.id", ondelete="SET NULL"),
                                                          index=True)
    # Different rows: field -> what was stored. Unknown and invalid rows: the problem, a %-format message id.
    stored: Mapped[Optional[dict[str, Any]]] = mapped_column(JSONType)
    problem: Mapped[Optional[str]] = mapped_column(String(255))
    problem_values: Mapped[Optional[dict[str, Any]]] = mapped_column(JSONType)


class ReconcileMapping(Base):
    """The column mapping last used for an ingest key's exports, offered again for its next upload."""

    __tablename__ = "reconcile_mappings"

    ingest_key_id: Mapped[int] = mapped_column(ForeignKey("ingest_keys.id", ondelete="CASCADE"), primary_key=True)
    mapping: Mapped[dict[str, Any]] = mapped_column(JSONType, default=dict)
    updated_at: Mapped[datetime] = mapped_column(UTCDateTime, default=utcnow, onupdate=utcnow)
