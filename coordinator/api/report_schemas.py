"""The shapes of the report API's answers (CONTRACT section 8 and the extra fields the results page reads)."""
from __future__ import annotations

from datetime import date, datetime
from typing import Literal, Optional

from pydantic import BaseModel


class FiguresOut(BaseModel):
    """What was sold: orders, net units, gross, refunded and net money in fen."""

    orders: int
    units: int
    gross_fen: int
    refunded_fen: int
    net_fen: int


class RatesOut(FiguresOut):
    """Figures with the average order value (gross per order) and the refunded part of the gross."""

    average_order_fen: Optional[int]
    refund_rate: Optional[float]


class TotalsOut(RatesOut):
    """The campaign's totals against its target (target_fen null when none is set)."""

    target_fen: Optional[int]
    target_share: Optional[float]
    sessions: int
    sessions_held: int
    minutes_live: int
    hosts: int
    counties_reached: int
    counties_enrolled: int
    products_enrolled: int
    products_sold: int
    agricultural_net_fen: int
    agricultural_share: Optional[float]


class CountyOut(FiguresOut):
    """A county's sales, share of the campaign's net, products enrolled and sold, and sessions carrying them."""

    county_id: int
    name: str
    province: str
    share: Optional[float]
    products_enrolled: int
    products_sold: int
    sessions: int


class ProductOut(RatesOut):
    """A product's sales against its stock (sell_through), share and refunds, and the sessions carrying it."""

    product_id: int
    name: str
    sku: str
    county_id: int
    county_name: str
    is_agricultural: bool
    unit: str
    price_fen: int
    stock: int
    share: Optional[float]
    sell_through: Optional[float]
    sessions: int


class StreamerOut(RatesOut):
    """A host's sessions, minutes on air, sales and net per live hour."""

    streamer_id: int
    display_name: str
    handle: str
    platform: str
    share: Optional[float]
    sessions: int
    minutes_live: int
    net_per_live_hour_fen: Optional[int]


class SessionLineOut(FiguresOut):
    """A session's slot, host, status, minutes on air and sales."""

    session_id: int
    title: str
    streamer_id: int
    streamer_name: str
    status: str
    starts_at: datetime
    ends_at: datetime
    minutes_live: int
    share: Optional[float]


class DayOut(FiguresOut):
    """One day's sales."""

    day: date


class HourOut(FiguresOut):
    """One hour of the day's sales, over every day (hour 0 is midnight to one)."""

    hour: int


class ReportOut(BaseModel):
    """A campaign's results (partial: a partner's view)."""

    campaign_id: int
    name: str
    status: str
    starts_at: datetime
    ends_at: datetime
    zone: str
    at: datetime
    partial: bool
    totals: TotalsOut
    by_county: list[CountyOut]
    by_product: list[ProductOut]
    by_streamer: list[StreamerOut]
    by_session: list[SessionLineOut]
    by_day: list[DayOut]
    by_hour: list[HourOut]


class SessionTotalsOut(RatesOut):
    """A session's totals with its minutes on air."""

    minutes_live: int
    net_per_live_hour_fen: Optional[int]


class SessionProductOut(RatesOut):
    """A product of the session: lineup position (null when no longer in it), sales, share of the session."""

    product_id: int
    name: str
    sku: str
    county_id: int
    county_name: str
    is_agricultural: bool
    position: Optional[int]
    stock: int
    share: Optional[float]
    sell_through: Optional[float]


class SessionCountyOut(FiguresOut):
    """A county's part of the session."""

    county_id: int
    name: str
    share: Optional[float]


class MinuteOut(FiguresOut):
    """One minute with sales."""

    minute: datetime


class SessionReportOut(BaseModel):
    """A session's results."""

    session_id: int
    campaign_id: int
    campaign_name: str
    title: str
    status: str
    starts_at: datetime
    ends_at: datetime
    streamer_id: int
    streamer_name: str
    at: datetime
    partial: bool
    totals: SessionTotalsOut
    by_product: list[SessionProductOut]
    by_county: list[SessionCountyOut]
    by_minute: list[MinuteOut]


class TableQuery(BaseModel):
    """Which table of the report to send as CSV."""

    table: Literal["totals", "counties", "products", "hosts", "sessions", "days", "hours"]
