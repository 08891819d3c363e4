"""Livestream sessions, their ordered lineups and the reminders sent for them."""
from __future__ import annotations

from datetime import datetime
from typing import Optional

from sqlalchemy import CheckConstraint, ForeignKey, Index, Integer, String, Text, UniqueConstraint
from sqlalchemy.orm import Mapped, mapped_column, relationship

from coordinator.domain.enums import SessionStatus, sql_in
from coordinator.models.base import Base, UTCDateTime, utcnow


class LiveSession(Base):
    """One scheduled livestream: a streamer, a time slot and a lineup."""

    __tablename__ = "live_sessions"
    __table_args__ = (
        CheckConstraint("ends_at > starts_at", name="slot_ordered"),
        CheckConstraint(sql_in("status", SessionStatus), name="status_valid"),
        Index("ix_live_sessions_streamer_start", "streamer_id", "starts_at"),
        Index("ix_live_sessions_status_start", "status", "starts_at"),
    )

    id: Mapped[int] = mapped_column(primary_key=True)
    campaign_id: Mapped[int] = mapped_column(ForeignKey("campaigns.id", ondelete="RESTRICT"), index=True)
    # Indexed by ix_live_sessions_streamer_start, which it leads.
    streamer_id: Mapped[int] = mapped_column(ForeignKey("streamers.id", ondelete="RESTRICT"))
    starts_at: Mapped[datetime] = mapped_column(UTCDateTime)
    ends_at: Mapped[datetime] = mapped_column(UTCDateTime)
    status: Mapped[str] = mapped_column(String(16), default=SessionStatus.SCHEDULED.value)
    title: Mapped[str] = mapped_column(String(200), default="")
    notes: Mapped[str] = mapped_column(Text, default="")
    cancelled_at: Mapped[Optional[datetime]] = mapped_column(UTCDateTime)
    created_at: Mapped[datetime] = mapped_column(UTCDateTime, default=utcnow)
    updated_at: Mapped[datetime] = mapped_column(UTCDateTime, default=utcnow, onupdate=utcnow)

    lineup: Mapped[list["LineupItem"]] = relationship(
        cascade="all, delete-orphan", order_by="LineupItem.position"
    )


class LineupItem(Base):
    """A product shown in a session, at its place in the running order."""

    __tablename__ = "lineup_items"
    __table_args__ = (
        UniqueConstraint("session_id", "position"),
        CheckConstraint("position >= 0", name="position_not_negative"),
    )

    session_id: Mapped[int] = mapped_column(
        ForeignKey("live_sessions.id", ondelete="CASCADE"), primary_key=True
    )
    product_id: Mapped[int] = mapped_column(
        ForeignKey("products.id", ondelete="RESTRICT"), primary_key=True, index=True
    )
    position: Mapped[int] = mapped_column(Integer)


class SessionReminder(Base):
    """A reminder sent to a host, kept so that none is sent twice."""

    __tablename__ = "session_reminders"
    __table_args__ = (
        UniqueConstraint("session_id", "lead_minutes", "session_starts_at"),
        CheckConstraint("lead_minutes > 0", name="lead_positive"),
    )

    id: Mapped[int] = mapped_column(primary_key=True)
    # Indexed by the unique constraint, which it leads.
    session_id: Mapped[int] = mapped_column(ForeignKey("live_sessions.id", ondelete="CASCADE"))
    lead_minutes: Mapped[int] = mapped_column(Integer)
    # The start the reminder was for: a rescheduled session earns fresh reminders.
    session_starts_at: Mapped[datetime] = mapped_column(UTCDateTime)
    sent_at: Mapped[datetime] = mapped_column(UTCDateTime, default=utcnow)
    message: Mapped[str] = mapped_column(Text, default="")
