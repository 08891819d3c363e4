"""Products from the counties and the streamers who sell them."""
from __future__ import annotations

from datetime import date, datetime
from typing import Optional

from sqlalchemy import Boolean, CheckConstraint, Date, ForeignKey, Integer, String, Text
from sqlalchemy.orm import Mapped, mapped_column, relationship

from coordinator.models.base import Base, JSONType, Money, UTCDateTime, utcnow


class Product(Base):
    """A county's product with its price, stock and harvest window."""

    __tablename__ = "products"
    __table_args__ = (
        CheckConstraint("price_fen >= 0", name="price_not_negative"),
        CheckConstraint("stock >= 0", name="stock_not_negative"),
        CheckConstraint(
            "available_from IS NULL OR available_to IS NULL OR available_from <= available_to",
            name="harvest_window_ordered",
        ),
    )

    id: Mapped[int] = mapped_column(primary_key=True)
    county_id: Mapped[int] = mapped_column(ForeignKey("counties.id", ondelete="RESTRICT"), index=True)
    name: Mapped[str] = mapped_column(String(200))
    sku: Mapped[str] = mapped_column(String(64), unique=True)
    category: Mapped[str] = mapped_column(String(64), index=True)
    price_fen: Mapped[int] = mapped_column(Money)
    stock: Mapped[int] = mapped_column(Integer)
    unit: Mapped[str] = mapped_column(String(32), default="件")
    is_agricultural: Mapped[bool] = mapped_column(Boolean, default=True)
    available_from: Mapped[Optional[date]] = mapped_column(Date)
    available_to: Mapped[Optional[date]] = mapped_column(Date)
    shipping_origin: Mapped[str] = mapped_column(String(200), default="")
    selling_points: Mapped[list[str]] = mapped_column(JSONType, default=list)
    image_url: Mapped[str] = mapped_column(String(500), default="")
    archived_at: Mapped[Optional[datetime]] = mapped_column(UTCDateTime)
    created_at: Mapped[datetime] = mapped_column(UTCDateTime, default=utcnow)
    updated_at: Mapped[datetime] = mapped_column(UTCDateTime, default=utcnow, onupdate=utcnow)

    county: Mapped["County"] = relationship(back_populates="products")  # noqa: F821


class Streamer(Base):
    """A livestream host on one platform."""

    __tablename__ = "streamers"
    __table_args__ = (CheckConstraint("followers >= 0", name="followers_not_negative"),)

    id: Mapped[int] = mapped_column(primary_key=True)
    handle: Mapped[str] = mapped_column(String(64), unique=True)
    display_name: Mapped[str] = mapped_column(String(120))
    platform: Mapped[str] = mapped_column(String(32))
    followers: Mapped[int] = mapped_column(Integer, default=0)
    categories: Mapped[list[str]] = mapped_column(JSONType, default=list)
    region: Mapped[str] = mapped_column(String(120), default="")
    bio: Mapped[str] = mapped_column(Text, default="")
    # The commissioner who registered the host (an admin may hand it on): only they send login links.
    # use_alter: users also refer to streamers, and the cycle must not stop the tables being sorted.
    manager_id: Mapped[Optional[int]] = mapped_column(ForeignKey("users.id", ondelete="SET NULL", use_alter=True),
                                                      index=True)
    # Part of the host's calendar link; raising it turns every copy of the old link off.
    calendar_generation: Mapped[int] = mapped_column(Integer, default=0, server_default="0")
    archived_at: Mapped[Optional[datetime]] = mapped_column(UTCDateTime)
    created_at: Mapped[datetime] = mapped_column(UTCDateTime, default=utcnow)
    updated_at: Mapped[datetime] = mapped_column(UTCDateTime, default=utcnow, onupdate=utcnow)

    availability: Mapped[list["AvailabilityWindow"]] = relationship(
        back_populates="streamer", cascade="all, delete-orphan", order_by="AvailabilityWindow.weekday"
    )


class AvailabilityWindow(Base):
    """A weekly window, in the coordinator's time zone, when a streamer can go live."""

    __tablename__ = "availability_windows"
    __table_args__ = (
        CheckConstraint("weekday BETWEEN 0 AND 6", name="weekday_valid"),
        CheckConstraint(
            "start_minute >= 0 AND start_minute < end_minute AND end_minute <= 1440",
            name="minutes_ordered",
        ),
    )

    id: Mapped[int] = mapped_column(primary_key=True)
    streamer_id: Mapped[int] = mapped_column(ForeignKey("streamers.id", ondelete="CASCADE"), index=True)
    weekday: Mapped[int] = mapped_column(Integer)  # 0 = Monday, as in datetime.weekday()
    start_minute: Mapped[int] = mapped_column(Integer)
    end_minute: Mapped[int] = mapped_column(Integer)

    streamer: Mapped[Streamer] = relationship(back_populates="availability")
