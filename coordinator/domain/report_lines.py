"""A campaign's report assembled from what the service read: totals and every line of every table.

Lists are complete: every enrolled county, product and host and every one with sales; every session not
cancelled (and a cancelled one with sales); every day of the window (and any day with sales outside it); all 24
hours. A partner's view (counties set) keeps the campaign's totals, days and hours, and only their own share of
the rest: their counties and products, and the sessions with their products, counted for their products alone.
"""
from __future__ import annotations

from dataclasses import dataclass
from datetime import date, datetime
from zoneinfo import ZoneInfo

from coordinator.domain.enums import SessionStatus
from coordinator.domain.report import (
    NOTHING, Figures, agricultural_net, counties_reached, day_list, largest_first, local_buckets, minutes_live,
    per_live_hour, sell_through, share,
)
from coordinator.domain.report_rows import CountyRow, ProductRow, ReportInput, SessionRow, StreamerRow


@dataclass(frozen=True)
class CountyLine:
    """A county: its sales, its share of the campaign's net, its products enrolled and sold, its sessions."""

    county_id: int
    name: str
    province: str
    figures: Figures
    share: float | None
    products_enrolled: int
    products_sold: int
    sessions: int


@dataclass(frozen=True)
class ProductLine:
    """A product: its sales against its stock, its share, its refunds, the sessions that carried it."""

    product_id: int
    name: str
    sku: str
    county_id: int
    county_name: str
    is_agricultural: bool
    unit: str
    price_fen: int
    stock: int
    figures: Figures
    share: float | None
    sell_through: float | None
    sessions: int


@dataclass(frozen=True)
class HostLine:
    """A host: sessions, minutes on air, sales, net per live hour, average order value, refunds."""

    streamer_id: int
    display_name: str
    handle: str
    platform: str
    figures: Figures
    share: float | None
    sessions: int
    minutes_live: int
    net_per_live_hour_fen: int | None


@dataclass(frozen=True)
class SessionLine:
    """A session: its host, slot, status, minutes on air and sales."""

    session_id: int
    title: str
    streamer_id: int
    streamer_name: str
    status: str
    starts_at: datetime
    ends_at: datetime
    minutes_live: int
    figures: Figures
    share: float | None


@dataclass(frozen=True)
class Totals:
    """The campaign's totals against its target, and what it reached."""

    figures: Figures
    target_fen: int | None
    target_share: float | None
    sessions: int
    sessions_held: int
    minutes_live: int
    hosts: int
    counties_reached: int
    counties_enrolled: int
    products_enrolled: int
    products_sold: int
    agricultural_net_fen: int
    agricultural_share: float | None


@dataclass(frozen=True)
class Report:
    """A campaign's results, whole for its team, the partner's share for a county partner (partial)."""

    campaign_id: int
    name: str
    status: str
    starts_at: datetime
    ends_at: datetime
    zone: str
    at: datetime
    partial: bool
    totals: Totals
    counties: list[CountyLine]
    products: list[ProductLine]
    hosts: list[HostLine]
    sessions: list[SessionLine]
    days: list[tuple[date, Figures]]
    hours: list[Figures]


def _ids(counters: dict[tuple[str, int], Figures], dimension: str) -> set[int]:
    return {row_id for (dim, row_id) in counters if dim == dimension}


def build(data: ReportInput, zone: ZoneInfo, now: datetime) -> Report:
    """The report of what was read, lines largest net first (sessions by start, days and hours in order)."""
    c = data.counters
    whole = c.get(("total", 0), NOTHING)
    net = whole.net_fen
    live = {s.id: minutes_live(s.status, s.starts_at, s.ends_at, now) for s in data.sessions}
    counted = [s for s in data.sessions if s.status != SessionStatus.CANCELLED.value]
    partner = data.partner_counties
    products = [_product(p, data, net) for p in data.products.values() if p.enrolled or ("product", p.id) in c]
    enrolled_counties = {p.county_id for p in data.products.values() if p.enrolled}
    county_ids = enrolled_counties | _ids(c, "county")
    by_county: dict[int, list[ProductLine]] = {}
    for line in products:
        by_county.setdefault(line.county_id, []).append(line)
    counties = [_county(data.counties[i], data, by_county.get(i, []), net) for i in county_ids if i in data.counties]
    sessions = [s for s in data.sessions if s.status != SessionStatus.CANCELLED.value
                or not data.session_figures.get(s.id, NOTHING).empty]
    if partner is not None:
        products = [p for p in products if p.county_id in partner]
        counties = [line for line in counties if line.county_id in partner]
        sessions = [s for s in sessions if s.id in data.partner_sessions]
    session_lines = [_session(s, data, live[s.id], net) for s in sessions]
    hosts = _hosts(data, session_lines, net)
    days, hours = local_buckets(data.minutes, zone)
    camp = data.campaign
    totals = Totals(
        whole, camp.target_fen, share(net, camp.target_fen), len(counted),
        sum(1 for s in counted if s.status in (SessionStatus.LIVE.value, SessionStatus.ENDED.value)),
        sum(live[s.id] for s in counted), len({s.streamer_id for s in counted}),
        counties_reached(f for (dim, _i), f in c.items() if dim == "county"), len(enrolled_counties),
        sum(1 for p in data.products.values() if p.enrolled),
        sum(1 for (dim, _i), f in c.items() if dim == "product" and f.orders > 0),
        *_agricultural(data, net))
    return Report(
        camp.id, camp.name, camp.status, camp.starts_at, camp.ends_at, zone.key, now, partner is not None, totals,
        sorted(counties, key=lambda x: largest_first(x.figures.net_fen, x.county_id)),
        sorted(products, key=lambda x: largest_first(x.figures.net_fen, x.product_id)),
        sorted(hosts, key=lambda x: largest_first(x.figures.net_fen, x.streamer_id)),
        sorted(session_lines, key=lambda x: (x.starts_at, x.session_id)),
        [(day, days.get(day, NOTHING)) for day in day_list(camp.starts_at, camp.ends_at, zone, days)], hours)


def _agricultural(data: ReportInput, net: int) -> tuple[int, float | None]:
    agri = agricultural_net((f, data.products[i].is_agricultural) for (dim, i), f in data.counters.items()
                            if dim == "product" and i in data.products)
    return agri, share(agri, net)


def _product(p: ProductRow, data: ReportInput, net: int) -> ProductLine:
    figures = data.counters.get(("product", p.id), NOTHING)
    county = data.counties.get(p.county_id)
    return ProductLine(p.id, p.name, p.sku, p.county_id, county.name if county else "", p.is_agricultural, p.unit,
                       p.price_fen, p.stock, figures, share(figures.net_fen, net), sell_through(figures.units, p.stock),
                       data.product_sessions.get(p.id, 0))


def _county(county: CountyRow, data: ReportInput, own: list[ProductLine], net: int) -> CountyLine:
    figures = data.counters.get(("county", county.id), NOTHING)
    return CountyLine(county.id, county.name, county.province, figures, share(figures.net_fen, net),
                      sum(1 for p in own if data.products[p.product_id].enrolled),
                      sum(1 for p in own if p.figures.orders > 0), data.county_sessions.get(county.id, 0))


def _session(s: SessionRow, data: ReportInput, minutes: int, net: int) -> SessionLine:
    figures = data.session_figures.get(s.id, NOTHING)
    host = data.streamers.get(s.streamer_id)
    return SessionLine(s.id, s.title, s.streamer_id, host.display_name if host else "", s.status, s.starts_at,
                       s.ends_at, minutes, figures, share(figures.net_fen, net))


def _hosts(data: ReportInput, sessions: list[SessionLine], net: int) -> list[HostLine]:
    """The team sees each host's campaign counters; a partner each host's sessions with their products, summed."""
    held: dict[int, list[SessionLine]] = {}
    for line in sessions:
        if line.status != SessionStatus.CANCELLED.value:
            held.setdefault(line.streamer_id, []).append(line)
    if data.partner_counties is not None:
        figures: dict[int, Figures] = {}
        for line in sessions:
            figures[line.streamer_id] = figures.get(line.streamer_id, NOTHING) + line.figures
        ids = set(figures)
    else:
        ids = set(data.enrolled_streamers) | set(held) | _ids(data.counters, "streamer")
        figures = {i: data.counters.get(("streamer", i), NOTHING) for i in ids}
    out = []
    for i in ids:
        host = data.streamers.get(i, StreamerRow(i, "", "", ""))
        minutes = sum(line.minutes_live for line in held.get(i, []))
        out.append(HostLine(i, host.display_name, host.handle, host.platform, figures[i],
                            share(figures[i].net_fen, net), len(held.get(i, [])), minutes,
                            per_live_hour(figures[i].net_fen, minutes)))
    return out
