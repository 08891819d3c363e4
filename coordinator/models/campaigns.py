"""Campaigns, what is enrolled in them, and the pairings of streamers with products."""
from __future__ import annotations

from datetime import datetime
from typing import Optional

from sqlalchemy import CheckConstraint, Float, ForeignKey, Integer, String, Text, UniqueConstraint
from sqlalchemy.orm import Mapped, mapped_column

from coordinator.domain.enums import CampaignStatus, PairingSource, PairingStatus, TeamRole, sql_in
from coordinator.models.base import Base, JSONType, Money, UTCDateTime, utcnow


class Campaign(Base):
    """A named drive with a time window and lineup rules."""

    __tablename__ = "campaigns"
    __table_args__ = (
        CheckConstraint("ends_at > starts_at", name="window_ordered"),
        CheckConstraint("min_agri_products_per_session >= 0", name="min_agri_not_negative"),
        CheckConstraint("max_products_per_session >= 1", name="max_products_positive"),
        CheckConstraint(
            "min_agri_products_per_session <= max_products_per_session", name="rules_consistent"
        ),
        CheckConstraint("target_net_fen IS NULL OR target_net_fen >= 0", name="target_not_negative"),
        CheckConstraint(sql_in("status", CampaignStatus), name="status_valid"),
    )

    id: Mapped[int] = mapped_column(primary_key=True)
    name: Mapped[str] = mapped_column(String(200))
    description: Mapped[str] = mapped_column(Text, default="")
    starts_at: Mapped[datetime] = mapped_column(UTCDateTime)
    ends_at: Mapped[datetime] = mapped_column(UTCDateTime)
    min_agri_products_per_session: Mapped[int] = mapped_column(Integer, default=1)
    max_products_per_session: Mapped[int] = mapped_column(Integer, default=5)
    target_net_fen: Mapped[Optional[int]] = mapped_column(Money)
    status: Mapped[str] = mapped_column(String(16), default=CampaignStatus.DRAFT.value, index=True)
    created_by_id: Mapped[Optional[int]] = mapped_column(
        ForeignKey("users.id", ondelete="SET NULL"), index=True
    )
    # The team's owner (its creator unless an admin hands it on): adds and removes editors and viewers.
    owner_id: Mapped[Optional[int]] = mapped_column(ForeignKey("users.id", ondelete="SET NULL"), index=True)
    created_at: Mapped[datetime] = mapped_column(UTCDateTime, default=utcnow)
    updated_at: Mapped[datetime] = mapped_column(UTCDateTime, default=utcnow, onupdate=utcnow)


class CampaignMember(Base):
    """A commissioner on a campaign's team besides its owner: an editor changes it, a viewer reads it."""

    __tablename__ = "campaign_members"
    __table_args__ = (CheckConstraint("role IN ('editor', 'viewer')", name="role_valid"),)

    campaign_id: Mapped[int] = mapped_column(ForeignKey("campaigns.id", ondelete="CASCADE"), primary_key=True)
    user_id: Mapped[int] = mapped_column(ForeignKey("users.id", ondelete="CASCADE"), primary_key=True, index=True)
    role: Mapped[str] = mapped_column(String(16), default=TeamRole.VIEWER.value)
    added_at: Mapped[datetime] = mapped_column(UTCDateTime, default=utcnow)


class CampaignProduct(Base):
    """A product enrolled in a campaign."""

    __tablename__ = "campaign_products"

    campaign_id: Mapped[int] = mapped_column(
        ForeignKey("campaigns.id", ondelete="CASCADE"), primary_key=True
    )
    product_id: Mapped[int] = mapped_column(
        ForeignKey("products.id", ondelete="RESTRICT"), primary_key=True, index=True
    )
    enrolled_at: Mapped[datetime] = mapped_column(UTCDateTime, default=utcnow)


class CampaignStreamer(Base):
    """A streamer enrolled in a campaign."""

    __tablename__ = "campaign_streamers"

    campaign_id: Mapped[int] = mapped_column(
        ForeignKey("campaigns.id", ondelete="CASCADE"), primary_key=True
    )
    streamer_id: Mapped[int] = mapped_column(
        ForeignKey("streamers.id", ondelete="RESTRICT"), primary_key=True, index=True
    )
    enrolled_at: Mapped[datetime] = mapped_column(UTCDateTime, default=utcnow)


class Pairing(Base):
    """A streamer assigned to carry a product in a campaign."""

    __tablename__ = "pairings"
    __table_args__ = (
        UniqueConstraint("campaign_id", "streamer_id", "product_id"),
        CheckConstraint(sql_in("status", PairingStatus), name="status_valid"),
        CheckConstraint(sql_in("source", PairingSource), name="source_valid"),
    )

    id: Mapped[int] = mapped_column(primary_key=True)
    # Indexed by the unique constraint, which it leads.
    campaign_id: Mapped[int] = mapped_column(ForeignKey("campaigns.id", ondelete="CASCADE"))
    streamer_id: Mapped[int] = mapped_column(ForeignKey("streamers.id", ondelete="RESTRICT"), index=True)
    product_id: Mapped[int] = mapped_column(ForeignKey("products.id", ondelete="RESTRICT"), index=True)
    status: Mapped[str] = mapped_column(String(16), default=PairingStatus.PROPOSED.value)
    source: Mapped[str] = mapped_column(String(16), default=PairingSource.ENGINE.value)
    score: Mapped[float] = mapped_column(Float, default=0.0)
    reasons: Mapped[list[str]] = mapped_column(JSONType, default=list)
    decline_reason: Mapped[str] = mapped_column(Text, default="")
    created_at: Mapped[datetime] = mapped_column(UTCDateTime, default=utcnow)
    updated_at: Mapped[datetime] = mapped_column(UTCDateTime, default=utcnow, onupdate=utcnow)
