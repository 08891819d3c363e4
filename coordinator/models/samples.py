"""Product samples on their way from a county to a host, the host's shipping address, and late warnings sent."""
from __future__ import annotations

from datetime import datetime
from typing import Optional

from sqlalchemy import CheckConstraint, ForeignKey, Index, Integer, String, Text
from sqlalchemy.orm import Mapped, mapped_column

from coordinator.domain.enums import SampleStatus, sql_in
from coordinator.models.base import Base, UTCDateTime, utcnow


class Sample(Base):
    """Units of a product sent to the host of a pairing before air time, and where they are."""

    __tablename__ = "samples"
    __table_args__ = (
        CheckConstraint(sql_in("status", SampleStatus), name="status_valid"),
        CheckConstraint("quantity >= 1", name="quantity_positive"),
        CheckConstraint("status NOT IN ('shipped', 'received') OR (carrier IS NOT NULL AND tracking_number IS NOT NULL)",
                        name="shipped_has_tracking"),
        Index("ix_samples_campaign_status", "campaign_id", "status"),
    )

    id: Mapped[int] = mapped_column(primary_key=True)
    # Indexed by ix_samples_campaign_status, which it leads.
    campaign_id: Mapped[int] = mapped_column(ForeignKey("campaigns.id", ondelete="CASCADE"))
    # A removed pairing leaves its samples (and their history) with no pairing.
    pairing_id: Mapped[Optional[int]] = mapped_column(ForeignKey("pairings.id", ondelete="SET NULL"), index=True)
    streamer_id: Mapped[int] = mapped_column(ForeignKey("streamers.id", ondelete="RESTRICT"), index=True)
    product_id: Mapped[int] = mapped_column(ForeignKey("products.id", ondelete="RESTRICT"), index=True)
    quantity: Mapped[int] = mapped_column(Integer, default=1)
    status: Mapped[str] = mapped_column(String(16), default=SampleStatus.REQUESTED.value)
    carrier: Mapped[Optional[str]] = mapped_column(String(16))
    tracking_number: Mapped[Optional[str]] = mapped_column(String(32))
    # Why it was rejected or cancelled ("pairing declined" when that cancelled it).
    reason: Mapped[str] = mapped_column(Text, default="")
    requested_by_id: Mapped[Optional[int]] = mapped_column(ForeignKey("users.id", ondelete="SET NULL"), index=True)
    requested_at: Mapped[datetime] = mapped_column(UTCDateTime, default=utcnow)
    approved_at: Mapped[Optional[datetime]] = mapped_column(UTCDateTime)
    shipped_at: Mapped[Optional[datetime]] = mapped_column(UTCDateTime)
    received_at: Mapped[Optional[datetime]] = mapped_column(UTCDateTime)
    closed_at: Mapped[Optional[datetime]] = mapped_column(UTCDateTime)
    updated_at: Mapped[datetime] = mapped_column(UTCDateTime, default=utcnow, onupdate=utcnow)


class ShippingAddress(Base):
    """Where a host's samples go: seen by the host, their manager, and those with a sample on its way to them."""

    __tablename__ = "shipping_addresses"
    __table_args__ = (CheckConstraint("length(recipient) > 0 AND length(address) > 0", name="address_complete"),)

    streamer_id: Mapped[int] = mapped_column(ForeignKey("streamers.id", ondelete="CASCADE"), primary_key=True)
    recipient: Mapped[str] = mapped_column(String(60))
    phone: Mapped[str] = mapped_column(String(32))
    address: Mapped[str] = mapped_column(String(300))
    updated_at: Mapped[datetime] = mapped_column(UTCDateTime, default=utcnow, onupdate=utcnow)


class SampleLateNotice(Base):
    """A sample.late message staged for one sample and one session, so that it is sent once."""

    __tablename__ = "sample_late_notices"

    sample_id: Mapped[int] = mapped_column(ForeignKey("samples.id", ondelete="CASCADE"), primary_key=True)
    session_id: Mapped[int] = mapped_column(ForeignKey("live_sessions.id", ondelete="CASCADE"), primary_key=True,
                                            index=True)
    sent_at: Mapped[datetime] = mapped_column(UTCDateTime, default=utcnow)
