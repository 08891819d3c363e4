"""A campaign's and a session's results, read from the tally counters and per-minute rows, never from the sales.

A report reads about as many rows as it lists: the scope's counters (one per county, product and host), one total
counter per session, the rows those name, and the scope's per-minute rows (for days and hours of day). Counts
that span many rows (sessions per county or product) are summed by the database.
"""
from __future__ import annotations

from datetime import datetime, timezone

from sqlalchemy import DateTime, String, and_, distinct, func, or_, select

from coordinator import clock
from coordinator.domain import access_filters
from coordinator.domain.access_facts import Actor, CampaignFacts
from coordinator.domain.enums import SessionStatus
from coordinator.domain.errors import NotFound
from coordinator.domain.report import Figures, whole_hour_zone
from coordinator.domain.report_lines import Report, build
from coordinator.domain.report_rows import (
    CampaignRow, CountyRow, ProductRow, ReportInput, SessionRow, StreamerRow,
)
from coordinator.domain.report_session import SessionInput, SessionReport, build_session
from coordinator.domain.settings import Settings
from coordinator.extensions import db
from coordinator.models import (
    Campaign, CampaignProduct, CampaignStreamer, County, LineupItem, LiveSession, Product, Streamer, TallyCounter,
    TallyMinute,
)
from coordinator.services import access

SUMS = (TallyCounter.orders, TallyCounter.units, TallyCounter.gross_fen, TallyCounter.refunded_fen)
MINUTE_SUMS = (TallyMinute.orders, TallyMinute.units, TallyMinute.gross_fen, TallyMinute.refunded_fen)


def partner_counties(actor: Actor, facts: CampaignFacts) -> frozenset[int] | None:
    """The counties whose share of a campaign the actor sees (the policy's item filter); None for all of it."""
    rule = access_filters.visible_items(actor, facts)
    return None if rule.everything or not rule.county_ids else rule.county_ids


def campaign_report(actor: Actor, settings: Settings, campaign_id: int) -> Report:
    """A campaign's results for its team (all of it) or a county partner (the totals and their own share)."""
    campaign, facts = access.campaign_for(actor, "campaign.read_part", campaign_id)
    counties = partner_counties(actor, facts)
    data = ReportInput(
        CampaignRow(campaign.id, campaign.name, campaign.status, campaign.starts_at, campaign.ends_at,
                    campaign.target_net_fen),
        counters=_counters("campaign", campaign_id), counties={}, products=_products(campaign_id), streamers={},
        sessions=_sessions(campaign_id), session_figures=_session_figures(campaign_id, counties),
        county_sessions=_sessions_per(Product.county_id, campaign_id),
        product_sessions=_sessions_per(LineupItem.product_id, campaign_id),
        minutes=(_hours if whole_hour_zone(settings.zone, campaign.starts_at, campaign.ends_at) else _minutes)(
            "campaign", campaign_id), partner_counties=counties)
    data.counties = _counties({p.county_id for p in data.products.values()}
                              | {i for (dim, i) in data.counters if dim == "county"})
    data.enrolled_streamers = frozenset(db.session.scalars(select(CampaignStreamer.streamer_id).where(
        CampaignStreamer.campaign_id == campaign_id)))
    data.streamers = _streamers(campaign_id)
    if counties is not None:
        data.partner_sessions = frozenset(db.session.scalars(
            select(distinct(LineupItem.session_id)).join(Product, Product.id == LineupItem.product_id)
            .join(LiveSession, LiveSession.id == LineupItem.session_id)
            .where(LiveSession.campaign_id == campaign_id, Product.county_id.in_(counties))))
    return build(data, settings.zone, clock.now())


def session_report(actor: Actor, session_id: int) -> SessionReport:
    """A session's results for whoever may read the session; a partner sees their own counties' products."""
    session = db.session.get(LiveSession, session_id)
    if session is None:
        raise NotFound(f"There is no session {session_id}.")
    facts = access.session_facts(actor, session)
    access.require(actor, "item.read", facts, f"session {session_id}")
    counters = _counters("session", session_id)
    lineup = {item.product_id: item.position for item in session.lineup}
    ids = set(lineup) | {i for (dim, i) in counters if dim == "product"}
    products = {p.id: p for p in _product_rows(Product.id.in_(ids), frozenset())} if ids else {}
    host = db.session.get(Streamer, session.streamer_id)
    campaign_name = db.session.scalar(select(Campaign.name).where(Campaign.id == session.campaign_id)) or ""
    data = SessionInput(
        SessionRow(session.id, session.streamer_id, session.title, session.status, session.starts_at,
                   session.ends_at), session.campaign_id, campaign_name,
        StreamerRow(host.id, host.display_name, host.handle, host.platform), counters, products,
        _counties({p.county_id for p in products.values()} | {i for (dim, i) in counters if dim == "county"}),
        lineup, _minutes("session", session_id), partner_counties(actor, facts.campaign))
    return build_session(data, clock.now())


def _figures(row) -> Figures:
    return Figures(int(row[0] or 0), int(row[1] or 0), int(row[2] or 0), int(row[3] or 0))


def _counters(scope: str, scope_id: int) -> dict[tuple[str, int], Figures]:
    rows = db.session.execute(select(TallyCounter.dimension, TallyCounter.dimension_id, *SUMS).where(
        TallyCounter.scope == scope, TallyCounter.scope_id == scope_id))
    return {(row[0], row[1]): _figures(row[2:]) for row in rows}


def _minutes(scope: str, scope_id: int) -> list:
    rows = db.session.execute(select(TallyMinute.minute, *MINUTE_SUMS).where(
        TallyMinute.scope == scope, TallyMinute.scope_id == scope_id))
    return [(row[0], _figures(row[1:])) for row in rows]


def _hours(scope: str, scope_id: int) -> list:
    """The scope's per-minute rows summed by UTC hour in the database: 60 times fewer rows to read, for a zone
    whose every local hour is a UTC hour (domain.report.whole_hour_zone)."""
    if db.engine.dialect.name == "postgresql":
        hour = func.date_trunc("hour", func.timezone("UTC", TallyMinute.minute), type_=DateTime())
    else:  # SQLite keeps UTC as text, 'YYYY-MM-DD HH:MM:SS.ffffff'
        hour = func.substr(TallyMinute.minute, 1, 13, type_=String())
    rows = db.session.execute(select(hour, *(func.sum(column) for column in MINUTE_SUMS)).where(
        TallyMinute.scope == scope, TallyMinute.scope_id == scope_id).group_by(hour))
    return [(_utc_hour(row[0]), _figures(row[1:])) for row in rows]


def _utc_hour(value: datetime | str) -> datetime:
    moment = datetime.strptime(value, "%Y-%m-%d %H") if isinstance(value, str) else value
    return moment.replace(tzinfo=timezone.utc)


def _sessions(campaign_id: int) -> list[SessionRow]:
    rows = db.session.execute(select(LiveSession.id, LiveSession.streamer_id, LiveSession.title, LiveSession.status,
                                     LiveSession.starts_at, LiveSession.ends_at)
                              .where(LiveSession.campaign_id == campaign_id))
    return [SessionRow(*row) for row in rows]


def _session_figures(campaign_id: int, counties: frozenset[int] | None) -> dict[int, Figures]:
    """Each session's total counter, or for a partner the sum of its counters of their counties."""
    dimension = (TallyCounter.dimension == "total") if counties is None else and_(
        TallyCounter.dimension == "county", TallyCounter.dimension_id.in_(counties))
    rows = db.session.execute(
        select(TallyCounter.scope_id, *(func.sum(column) for column in SUMS))
        .join(LiveSession, LiveSession.id == TallyCounter.scope_id)
        .where(TallyCounter.scope == "session", dimension, LiveSession.campaign_id == campaign_id)
        .group_by(TallyCounter.scope_id))
    return {row[0]: _figures(row[1:]) for row in rows}


def _sessions_per(column, campaign_id: int) -> dict[int, int]:
    """Sessions not cancelled whose lineup holds each product, or a product of each county."""
    query = select(column, func.count(distinct(LineupItem.session_id))).join(
        LiveSession, LiveSession.id == LineupItem.session_id).where(
        LiveSession.campaign_id == campaign_id, LiveSession.status != SessionStatus.CANCELLED.value)
    if column is Product.county_id:
        query = query.join(Product, Product.id == LineupItem.product_id)
    return dict(db.session.execute(query.group_by(column)).all())


def _product_rows(where, enrolled: frozenset[int]) -> list[ProductRow]:
    rows = db.session.execute(select(Product.id, Product.name, Product.sku, Product.county_id,
                                     Product.is_agricultural, Product.unit, Product.price_fen, Product.stock)
                              .where(where))
    return [ProductRow(*row, enrolled=row[0] in enrolled) for row in rows]


def _products(campaign_id: int) -> dict[int, ProductRow]:
    """The campaign's products: those enrolled now and any other that sold in it."""
    enrolled = select(CampaignProduct.product_id).where(CampaignProduct.campaign_id == campaign_id)
    sold = select(TallyCounter.dimension_id).where(TallyCounter.scope == "campaign",
                                                   TallyCounter.scope_id == campaign_id,
                                                   TallyCounter.dimension == "product")
    rows = _product_rows(or_(Product.id.in_(enrolled), Product.id.in_(sold)),
                         frozenset(db.session.scalars(enrolled)))
    return {p.id: p for p in rows}


def _counties(ids: set[int]) -> dict[int, CountyRow]:
    if not ids:
        return {}
    rows = db.session.execute(select(County.id, County.name, County.province).where(County.id.in_(ids)))
    return {row[0]: CountyRow(*row) for row in rows}


def _streamers(campaign_id: int) -> dict[int, StreamerRow]:
    """The campaign's hosts: enrolled, scheduled, or with sales in it."""
    where = or_(
        Streamer.id.in_(select(CampaignStreamer.streamer_id).where(CampaignStreamer.campaign_id == campaign_id)),
        Streamer.id.in_(select(LiveSession.streamer_id).where(LiveSession.campaign_id == campaign_id)),
        Streamer.id.in_(select(TallyCounter.dimension_id).where(
            TallyCounter.scope == "campaign", TallyCounter.scope_id == campaign_id,
            TallyCounter.dimension == "streamer")))
    rows = db.session.execute(select(Streamer.id, Streamer.display_name, Streamer.handle, Streamer.platform)
                              .where(where))
    return {row[0]: StreamerRow(*row) for row in rows}
