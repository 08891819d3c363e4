"""A session's report: its totals, each product of its lineup (and any other it sold), its counties, its minutes.

A partner's view keeps the session's totals and minutes (as its tally shows them) and only their own counties'
products and counties.
"""
from __future__ import annotations

from dataclasses import dataclass
from datetime import datetime

from coordinator.domain.report import NOTHING, Figures, largest_first, minutes_live, per_live_hour, sell_through, share
from coordinator.domain.report_rows import CountyRow, ProductRow, SessionRow, StreamerRow


@dataclass(frozen=True)
class SessionProductLine:
    """A product of the session: its place in the lineup (None when no longer in it) and its sales."""

    product_id: int
    name: str
    sku: str
    county_id: int
    county_name: str
    is_agricultural: bool
    position: int | None
    stock: int
    figures: Figures
    share: float | None
    sell_through: float | None


@dataclass(frozen=True)
class SessionCountyLine:
    """A county's part of the session."""

    county_id: int
    name: str
    figures: Figures
    share: float | None


@dataclass(frozen=True)
class SessionReport:
    """A session's results."""

    session_id: int
    campaign_id: int
    campaign_name: str
    title: str
    status: str
    starts_at: datetime
    ends_at: datetime
    streamer: StreamerRow
    at: datetime
    partial: bool
    figures: Figures
    minutes_live: int
    net_per_live_hour_fen: int | None
    products: list[SessionProductLine]
    counties: list[SessionCountyLine]
    minutes: list[tuple[datetime, Figures]]


@dataclass
class SessionInput:
    """What a session's report is made of, as read: its counters (scope session), lineup and minutes."""

    session: SessionRow
    campaign_id: int
    campaign_name: str
    streamer: StreamerRow
    counters: dict[tuple[str, int], Figures]
    products: dict[int, ProductRow]
    counties: dict[int, CountyRow]
    lineup: dict[int, int]  # product id -> position
    minutes: list[tuple[datetime, Figures]]
    partner_counties: frozenset[int] | None = None


def build_session(data: SessionInput, now: datetime) -> SessionReport:
    """The session's report, products and counties largest net first, minutes in order."""
    c = data.counters
    whole = c.get(("total", 0), NOTHING)
    net = whole.net_fen
    s = data.session
    ids = set(data.lineup) | {i for (dim, i) in c if dim == "product"}
    products = []
    for i in ids:
        p = data.products.get(i)
        if p is None:
            continue
        figures = c.get(("product", i), NOTHING)
        county = data.counties.get(p.county_id)
        products.append(SessionProductLine(i, p.name, p.sku, p.county_id, county.name if county else "",
                                           p.is_agricultural, data.lineup.get(i), p.stock, figures,
                                           share(figures.net_fen, net), sell_through(figures.units, p.stock)))
    county_ids = {p.county_id for p in products} | {i for (dim, i) in c if dim == "county"}
    counties = [SessionCountyLine(i, data.counties[i].name, c.get(("county", i), NOTHING),
                                  share(c.get(("county", i), NOTHING).net_fen, net))
                for i in county_ids if i in data.counties]
    partner = data.partner_counties
    if partner is not None:
        products = [line for line in products if line.county_id in partner]
        counties = [line for line in counties if line.county_id in partner]
    minutes = minutes_live(s.status, s.starts_at, s.ends_at, now)
    return SessionReport(
        s.id, data.campaign_id, data.campaign_name, s.title, s.status, s.starts_at, s.ends_at, data.streamer, now,
        partner is not None, whole, minutes, per_live_hour(net, minutes),
        sorted(products, key=lambda x: largest_first(x.figures.net_fen, x.product_id)),
        sorted(counties, key=lambda x: largest_first(x.figures.net_fen, x.county_id)),
        sorted(data.minutes, key=lambda item: item[0]))
