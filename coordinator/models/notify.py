"""Notification channels, the outbox of deliveries written with the change they report, and every attempt."""
from __future__ import annotations

from datetime import datetime
from typing import Any, Optional

from sqlalchemy import Boolean, CheckConstraint, ForeignKey, Index, Integer, String, Text
from sqlalchemy.orm import Mapped, mapped_column

from coordinator.domain.enums import ChannelKind, DeliveryState, sql_in
from coordinator.models.base import Base, BigInt, JSONType, UTCDateTime, utcnow


class Channel(Base):
    """One destination: a campaign's group robot or webhook, or a host's own email or robot."""

    __tablename__ = "channels"
    __table_args__ = (
        CheckConstraint(sql_in("kind", ChannelKind), name="kind_valid"),
        CheckConstraint("(campaign_id IS NULL) <> (streamer_id IS NULL)", name="one_owner"),
    )

    id: Mapped[int] = mapped_column(primary_key=True)
    kind: Mapped[str] = mapped_column(String(16))
    name: Mapped[str] = mapped_column(String(120))
    campaign_id: Mapped[Optional[int]] = mapped_column(ForeignKey("campaigns.id", ondelete="CASCADE"), index=True)
    streamer_id: Mapped[Optional[int]] = mapped_column(ForeignKey("streamers.id", ondelete="CASCADE"), index=True)
    # None: every event, including those added later.
    events: Mapped[Optional[list[str]]] = mapped_column(JSONType)
    url: Mapped[str] = mapped_column(String(2000), default="")
    address: Mapped[str] = mapped_column(String(320), default="")
    # The signing secret (webhook, DingTalk, Feishu): shown once when made, needed at every delivery.
    secret: Mapped[str] = mapped_column(String(200), default="")
    locale: Mapped[str] = mapped_column(String(16), default="zh_Hans")
    enabled: Mapped[bool] = mapped_column(Boolean, default=True)
    disabled_reason: Mapped[str] = mapped_column(String(200), default="")
    disabled_at: Mapped[Optional[datetime]] = mapped_column(UTCDateTime)
    # Since when every attempt has failed (None while the last one succeeded): five days of it disable the channel.
    failing_since: Mapped[Optional[datetime]] = mapped_column(UTCDateTime)
    last_success_at: Mapped[Optional[datetime]] = mapped_column(UTCDateTime)
    created_by_id: Mapped[Optional[int]] = mapped_column(ForeignKey("users.id", ondelete="SET NULL"), index=True)
    created_at: Mapped[datetime] = mapped_column(UTCDateTime, default=utcnow)


class Delivery(Base):
    """One message for one channel: the outbox row, claimed by a worker, retried until delivered or failed."""

    __tablename__ = "deliveries"
    __table_args__ = (
        CheckConstraint(sql_in("state", DeliveryState), name="state_valid"),
        # What workers look for: pending and due.
        Index("ix_deliveries_due", "state", "next_attempt_at"),
    )

    id: Mapped[int] = mapped_column(BigInt, primary_key=True)
    channel_id: Mapped[int] = mapped_column(ForeignKey("channels.id", ondelete="CASCADE"), index=True)
    event: Mapped[str] = mapped_column(String(40), index=True)
    # Standard Webhooks' webhook-id: the same on every attempt, so a receiver can drop repeats.
    message_id: Mapped[str] = mapped_column(String(40), unique=True)
    # The webhook's body ({"type", "timestamp", "data"}) and the words robots and email show, in the channel's language.
    payload: Mapped[dict[str, Any]] = mapped_column(JSONType)
    message: Mapped[dict[str, Any]] = mapped_column(JSONType)
    state: Mapped[str] = mapped_column(String(16), default=DeliveryState.PENDING.value)
    attempt_count: Mapped[int] = mapped_column(Integer, default=0)
    next_attempt_at: Mapped[datetime] = mapped_column(UTCDateTime, default=utcnow)
    claimed_by: Mapped[str] = mapped_column(String(64), default="")
    claimed_until: Mapped[Optional[datetime]] = mapped_column(UTCDateTime)
    created_at: Mapped[datetime] = mapped_column(UTCDateTime, default=utcnow, index=True)
    delivered_at: Mapped[Optional[datetime]] = mapped_column(UTCDateTime)


class DeliveryAttempt(Base):
    """One try at sending a delivery: when, the answer's status code, how long it took, and what went wrong."""

    __tablename__ = "delivery_attempts"
    __table_args__ = (Index("ix_delivery_attempts_channel_at", "channel_id", "at"),)

    id: Mapped[int] = mapped_column(BigInt, primary_key=True)
    delivery_id: Mapped[int] = mapped_column(ForeignKey("deliveries.id", ondelete="CASCADE"), index=True)
    # Kept here too: a robot's rate limit counts a channel's recent sends.
    channel_id: Mapped[int] = mapped_column(Integer)
    at: Mapped[datetime] = mapped_column(UTCDateTime)
    status_code: Mapped[Optional[int]] = mapped_column(Integer)
    latency_ms: Mapped[int] = mapped_column(Integer, default=0)
    error: Mapped[str] = mapped_column(Text, default="")
    ok: Mapped[bool] = mapped_column(Boolean, default=False)
