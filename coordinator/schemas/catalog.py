"""Inputs for products and streamers, validated the same way from JSON and from spreadsheets."""
from __future__ import annotations

from typing import Annotated, Optional

from pydantic import Field, StringConstraints, field_validator

from coordinator.domain.catalog import parse_clock
from coordinator.schemas.common import (
    Fen, NonNegativeInt, PlausibleDate, RequestModel, StrictBool, StrictInt, text as _text,
)

Sku = Annotated[str, StringConstraints(strict=True, strip_whitespace=True, pattern=r"^[A-Za-z0-9][A-Za-z0-9_.\-]{0,63}$")]
SellingPoints = Annotated[list[_text(500, 1)], Field(max_length=20)]


class ProductIn(RequestModel):
    """A product to register (CONTRACT section 2)."""

    county_id: StrictInt
    name: _text(200, 1)
    sku: Sku
    category: _text(64, 1)
    price_fen: Fen
    stock: NonNegativeInt
    is_agricultural: StrictBool = True
    available_from: Optional[PlausibleDate] = Field(None, description="first day of the harvest window")
    available_to: Optional[PlausibleDate] = Field(None, description="last day of the harvest window")
    unit: _text(32, 1) = "件"
    shipping_origin: _text(200) = ""
    selling_points: SellingPoints = []
    image_url: _text(500) = ""


class ProductPatch(RequestModel):
    """Fields of a product to change."""

    county_id: Optional[StrictInt] = None
    name: Optional[_text(200, 1)] = None
    sku: Optional[Sku] = None
    category: Optional[_text(64, 1)] = None
    price_fen: Optional[Fen] = None
    stock: Optional[NonNegativeInt] = None
    is_agricultural: Optional[StrictBool] = None
    available_from: Optional[PlausibleDate] = None
    available_to: Optional[PlausibleDate] = None
    unit: Optional[_text(32, 1)] = None
    shipping_origin: Optional[_text(200)] = None
    selling_points: Optional[SellingPoints] = None
    image_url: Optional[_text(500)] = None


Handle = Annotated[str, StringConstraints(strict=True, strip_whitespace=True, pattern=r"^[A-Za-z0-9_.\-]{2,64}$")]
Categories = Annotated[list[_text(64, 1)], Field(max_length=20)]
Clock = Annotated[str, StringConstraints(strict=True, pattern=r"^\d{2}:\d{2}$")]


class WindowIn(RequestModel):
    """A weekly window in COORDINATOR_TIMEZONE: weekday 0 = Monday, times 'HH:MM' (end may be '24:00')."""

    weekday: int = Field(ge=0, le=6, strict=True)
    start: Clock
    end: Clock

    @field_validator("start", "end")
    @classmethod
    def _valid_clock(cls, value: str) -> str:
        parse_clock(value)
        return value

    def as_tuple(self) -> tuple[int, int, int]:
        """(weekday, start minute, end minute)."""
        return self.weekday, parse_clock(self.start), parse_clock(self.end)


class StreamerIn(RequestModel):
    """A streamer to register (CONTRACT section 2)."""

    handle: Handle
    display_name: _text(120, 1)
    platform: _text(32, 1)
    followers: NonNegativeInt
    categories: Categories
    region: _text(120) = ""
    bio: _text(2000) = ""
    availability: Annotated[list[WindowIn], Field(max_length=50)] = []


class StreamerPatch(RequestModel):
    """Fields of a streamer to change; availability replaces the whole week."""

    handle: Optional[Handle] = None
    display_name: Optional[_text(120, 1)] = None
    platform: Optional[_text(32, 1)] = None
    followers: Optional[NonNegativeInt] = None
    categories: Optional[Categories] = None
    region: Optional[_text(120)] = None
    bio: Optional[_text(2000)] = None
    availability: Optional[Annotated[list[WindowIn], Field(max_length=50)]] = None
    manager_id: Optional[StrictInt] = Field(None, description="the managing commissioner's user id (admins only)")
