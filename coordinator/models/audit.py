"""The audit trail of every change, and the counter every change of access rights moves on."""
from __future__ import annotations

from datetime import datetime
from typing import Any, Optional

from sqlalchemy import ForeignKey, Index, Integer, String
from sqlalchemy.orm import Mapped, mapped_column

from coordinator.models.base import Base, BigInt, JSONType, UTCDateTime, utcnow


class AuditEntry(Base):
    """Who changed what, when, with the values before and after."""

    __tablename__ = "audit_entries"
    __table_args__ = (Index("ix_audit_entries_entity", "entity_type", "entity_id"),)

    id: Mapped[int] = mapped_column(primary_key=True)
    at: Mapped[datetime] = mapped_column(UTCDateTime, default=utcnow, index=True)
    user_id: Mapped[Optional[int]] = mapped_column(ForeignKey("users.id", ondelete="SET NULL"), index=True)
    action: Mapped[str] = mapped_column(String(32))
    entity_type: Mapped[str] = mapped_column(String(32))
    entity_id: Mapped[int] = mapped_column(Integer)
    campaign_id: Mapped[Optional[int]] = mapped_column(
        ForeignKey("campaigns.id", ondelete="SET NULL"), index=True
    )
    before: Mapped[Optional[dict[str, Any]]] = mapped_column(JSONType)
    after: Mapped[Optional[dict[str, Any]]] = mapped_column(JSONType)


class AccessEpoch(Base):
    """One row whose number grows with every change of who may watch what (a revocation, a sign-out, a team
    change), in that change's transaction: each server process compares it every second and then re-checks its
    open /live connections."""

    __tablename__ = "access_epochs"

    id: Mapped[int] = mapped_column(primary_key=True)
    epoch: Mapped[int] = mapped_column(BigInt, default=0)
