"""Sale events from the platform and the tally counters kept beside them."""
from __future__ import annotations

from datetime import datetime

from sqlalchemy import CheckConstraint, ForeignKey, Integer, String, UniqueConstraint
from sqlalchemy.orm import Mapped, mapped_column

from coordinator.domain.enums import SaleKind, TallyDimension, TallyScope, sql_in
from coordinator.models.base import Base, BigInt, Money, UTCDateTime, utcnow


class SaleEvent(Base):
    """An order or refund, stored once per (ingest key, order id)."""

    __tablename__ = "sale_events"
    __table_args__ = (
        UniqueConstraint("ingest_key_id", "order_id"),
        CheckConstraint(sql_in("kind", SaleKind), name="kind_valid"),
        CheckConstraint("quantity > 0", name="quantity_positive"),
        CheckConstraint("amount_fen >= 0", name="amount_not_negative"),
    )

    id: Mapped[int] = mapped_column(BigInt, primary_key=True)
    # Indexed by the unique (ingest key, order id), which it leads.
    ingest_key_id: Mapped[int] = mapped_column(ForeignKey("ingest_keys.id", ondelete="RESTRICT"))
    order_id: Mapped[str] = mapped_column(String(128))
    kind: Mapped[str] = mapped_column(String(8))
    # Campaign, county and streamer are copied from the session and product so that
    # counters can be updated without joins and history survives later edits.
    campaign_id: Mapped[int] = mapped_column(ForeignKey("campaigns.id", ondelete="RESTRICT"), index=True)
    session_id: Mapped[int] = mapped_column(ForeignKey("live_sessions.id", ondelete="RESTRICT"), index=True)
    product_id: Mapped[int] = mapped_column(ForeignKey("products.id", ondelete="RESTRICT"), index=True)
    county_id: Mapped[int] = mapped_column(ForeignKey("counties.id", ondelete="RESTRICT"), index=True)
    streamer_id: Mapped[int] = mapped_column(ForeignKey("streamers.id", ondelete="RESTRICT"), index=True)
    quantity: Mapped[int] = mapped_column(Integer)
    amount_fen: Mapped[int] = mapped_column(Money)
    occurred_at: Mapped[datetime] = mapped_column(UTCDateTime)
    received_at: Mapped[datetime] = mapped_column(UTCDateTime, default=utcnow)


class TallyCounter(Base):
    """Running totals for one row of a scope's tally (its total or one breakdown)."""

    __tablename__ = "tally_counters"
    __table_args__ = (
        CheckConstraint(sql_in("scope", TallyScope), name="scope_valid"),
        CheckConstraint(sql_in("dimension", TallyDimension), name="dimension_valid"),
        CheckConstraint("orders >= 0", name="orders_not_negative"),
        CheckConstraint("gross_fen >= 0", name="gross_not_negative"),
        CheckConstraint("refunded_fen >= 0", name="refunded_not_negative"),
        CheckConstraint("seq >= 0", name="seq_not_negative"),
    )

    scope: Mapped[str] = mapped_column(String(16), primary_key=True)
    scope_id: Mapped[int] = mapped_column(Integer, primary_key=True)
    dimension: Mapped[str] = mapped_column(String(16), primary_key=True)
    dimension_id: Mapped[int] = mapped_column(Integer, primary_key=True)  # 0 for the total row
    orders: Mapped[int] = mapped_column(Integer, default=0)
    # Units may dip below zero when a refund arrives before (or without) its order.
    units: Mapped[int] = mapped_column(Integer, default=0)
    gross_fen: Mapped[int] = mapped_column(Money, default=0)
    refunded_fen: Mapped[int] = mapped_column(Money, default=0)
    seq: Mapped[int] = mapped_column(BigInt, default=0)
    updated_at: Mapped[datetime] = mapped_column(UTCDateTime, default=utcnow, onupdate=utcnow)


class TallyMinute(Base):
    """One minute of a scope's sales, for the per-minute chart."""

    __tablename__ = "tally_minutes"
    __table_args__ = (
        CheckConstraint(sql_in("scope", TallyScope), name="scope_valid"),
        CheckConstraint("orders >= 0", name="orders_not_negative"),
        CheckConstraint("gross_fen >= 0", name="gross_not_negative"),
        CheckConstraint("refunded_fen >= 0", name="refunded_not_negative"),
    )

    scope: Mapped[str] = mapped_column(String(16), primary_key=True)
    scope_id: Mapped[int] = mapped_column(Integer, primary_key=True)
    minute: Mapped[datetime] = mapped_column(UTCDateTime, primary_key=True)
    orders: Mapped[int] = mapped_column(Integer, default=0)
    units: Mapped[int] = mapped_column(Integer, default=0)
    gross_fen: Mapped[int] = mapped_column(Money, default=0)
    refunded_fen: Mapped[int] = mapped_column(Money, default=0)
