"""What a report is made of, as the service reads it: plain rows of the campaign, its counters and minutes."""
from __future__ import annotations

from dataclasses import dataclass, field
from datetime import datetime

from coordinator.domain.report import Figures


@dataclass(frozen=True)
class CountyRow:
    """A county as read."""

    id: int
    name: str
    province: str


@dataclass(frozen=True)
class ProductRow:
    """A product as read; enrolled says whether it is in the campaign now."""

    id: int
    name: str
    sku: str
    county_id: int
    is_agricultural: bool
    unit: str
    price_fen: int
    stock: int
    enrolled: bool


@dataclass(frozen=True)
class StreamerRow:
    """A streamer as read."""

    id: int
    display_name: str
    handle: str
    platform: str


@dataclass(frozen=True)
class SessionRow:
    """A session as read."""

    id: int
    streamer_id: int
    title: str
    status: str
    starts_at: datetime
    ends_at: datetime


@dataclass(frozen=True)
class CampaignRow:
    """The campaign as read."""

    id: int
    name: str
    status: str
    starts_at: datetime
    ends_at: datetime
    target_fen: int | None


@dataclass
class ReportInput:
    """Everything a report is made of, as the service read it (counters, minutes and the rows they name)."""

    campaign: CampaignRow
    counters: dict[tuple[str, int], Figures]
    counties: dict[int, CountyRow]
    products: dict[int, ProductRow]
    streamers: dict[int, StreamerRow]
    sessions: list[SessionRow]
    session_figures: dict[int, Figures]
    county_sessions: dict[int, int]
    product_sessions: dict[int, int]
    minutes: list[tuple[datetime, Figures]]
    enrolled_streamers: frozenset[int] = frozenset()
    # A partner's counties, and the sessions with their products (session_figures then holds their share).
    partner_counties: frozenset[int] | None = None
    partner_sessions: frozenset[int] = field(default_factory=frozenset)
