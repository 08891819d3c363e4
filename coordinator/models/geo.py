"""Counties and the commissioners assigned to them."""
from __future__ import annotations

from datetime import datetime

from sqlalchemy import ForeignKey, String, Text, UniqueConstraint
from sqlalchemy.orm import Mapped, mapped_column, relationship

from coordinator.models.base import Base, UTCDateTime, utcnow


class County(Base):
    """An underdeveloped county whose products a campaign promotes."""

    __tablename__ = "counties"
    __table_args__ = (UniqueConstraint("province", "name"),)

    id: Mapped[int] = mapped_column(primary_key=True)
    name: Mapped[str] = mapped_column(String(120))
    province: Mapped[str] = mapped_column(String(120))
    story: Mapped[str] = mapped_column(Text, default="")
    created_at: Mapped[datetime] = mapped_column(UTCDateTime, default=utcnow)

    products: Mapped[list["Product"]] = relationship(back_populates="county")  # noqa: F821


class CommissionerCounty(Base):
    """A commissioner's assignment to a county they may plan for."""

    __tablename__ = "commissioner_counties"

    user_id: Mapped[int] = mapped_column(ForeignKey("users.id", ondelete="CASCADE"), primary_key=True)
    county_id: Mapped[int] = mapped_column(
        ForeignKey("counties.id", ondelete="CASCADE"), primary_key=True, index=True
    )
    assigned_at: Mapped[datetime] = mapped_column(UTCDateTime, default=utcnow)
