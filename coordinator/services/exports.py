"""A campaign plan as spreadsheets: products, streamers, pairings and sessions, for the campaign's team."""
from __future__ import annotations

from decimal import Decimal
from typing import Any

from sqlalchemy import select

from coordinator.domain import downloads
from coordinator.domain.access_facts import Actor
from coordinator.domain.cells import format_windows
from coordinator.domain.downloads import Download
from coordinator.domain.errors import NotFound
from coordinator.domain.settings import Settings
from coordinator.extensions import db
from coordinator.models import County, LiveSession, Pairing, Product, Streamer
from coordinator.services import enrolment
from coordinator.services.campaigns import campaign_for
from coordinator.services.import_columns import PRODUCT_COLUMNS, STREAMER_COLUMNS
from coordinator.services.spreadsheet_writing import write_csv, write_xlsx

SHEETS = ("products", "streamers", "pairings", "sessions")
TITLES = {"products": "产品", "streamers": "主播", "pairings": "配对", "sessions": "直播场次"}
STREAMER_HEADER = [c.title for c in STREAMER_COLUMNS]
PAIRING_HEADER = ["账号", "SKU", "产品", "状态", "来源", "得分", "理由", "拒绝原因"]
SESSION_HEADER = ["场次", "账号", "开始", "结束", "状态", "标题", "产品SKU"]


def _product_rows(campaign_id: int) -> list[list[Any]]:
    counties = {c.id: c for c in db.session.scalars(select(County))}
    rows = []
    for p in enrolment.campaign_products(campaign_id):
        county = counties[p.county_id]
        rows.append([county.name, county.province, p.name, p.sku, p.category, Decimal(p.price_fen) / 100, p.stock,
                     p.unit, "是" if p.is_agricultural else "否", p.available_from, p.available_to,
                     p.shipping_origin, p.selling_points, p.image_url])
    return rows


def _product_header() -> list[str]:
    # One price column in yuan, as people write prices; the fen column is for machines that import.
    titles = [c.title for c in PRODUCT_COLUMNS if c.field != "price_fen"]
    return titles[:5] + ["价格（元）"] + titles[5:]


def _streamer_rows(campaign_id: int) -> list[list[Any]]:
    return [[s.handle, s.display_name, s.platform, s.followers, "、".join(s.categories), s.region, s.bio,
             format_windows([(w.weekday, w.start_minute, w.end_minute) for w in s.availability])]
            for s in enrolment.campaign_streamers(campaign_id)]


def _pairing_rows(campaign_id: int) -> list[list[Any]]:
    rows = db.session.execute(
        select(Pairing, Streamer.handle, Product.sku, Product.name)
        .join(Streamer, Streamer.id == Pairing.streamer_id).join(Product, Product.id == Pairing.product_id)
        .where(Pairing.campaign_id == campaign_id).order_by(Streamer.handle, Product.sku)).all()
    return [[handle, sku, name, p.status, p.source, round(p.score, 3), p.reasons, p.decline_reason]
            for p, handle, sku, name in rows]


def _session_rows(settings: Settings, campaign_id: int) -> list[list[Any]]:
    sessions = db.session.scalars(select(LiveSession).where(LiveSession.campaign_id == campaign_id)
                                  .order_by(LiveSession.starts_at)).all()
    handles = dict(db.session.execute(select(Streamer.id, Streamer.handle)).all())
    skus = dict(db.session.execute(select(Product.id, Product.sku)).all())
    # Times as the coordinator's wall clock: the cells are date-times, read in the zone the pages show.
    return [[s.id, handles.get(s.streamer_id, ""), s.starts_at.astimezone(settings.zone).replace(tzinfo=None),
             s.ends_at.astimezone(settings.zone).replace(tzinfo=None), s.status, s.title,
             [skus.get(item.product_id, "") for item in s.lineup]] for s in sessions]


def plan_tables(actor: Actor, settings: Settings, campaign_id: int) -> dict[str, tuple[list[str], list[list[Any]]]]:
    """Each sheet of a campaign's plan as (header, rows), for the campaign's team."""
    campaign_for(actor, "campaign.read", campaign_id)
    return {
        "products": (_product_header(), _product_rows(campaign_id)),
        "streamers": (STREAMER_HEADER, _streamer_rows(campaign_id)),
        "pairings": (PAIRING_HEADER, _pairing_rows(campaign_id)),
        "sessions": (SESSION_HEADER, _session_rows(settings, campaign_id)),
    }


def plan_xlsx(actor: Actor, settings: Settings, campaign_id: int) -> Download:
    """The whole plan as one workbook, a sheet per table."""
    tables = plan_tables(actor, settings, campaign_id)
    data = write_xlsx([(TITLES[name], header, rows) for name, (header, rows) in tables.items()])
    return downloads.xlsx(data, f"campaign-{campaign_id}-plan.xlsx")


def plan_csv(actor: Actor, settings: Settings, campaign_id: int, sheet: str) -> Download:
    """One table of the plan as CSV."""
    if sheet not in SHEETS:
        raise NotFound(f"There is no sheet {sheet!r}; use one of {', '.join(SHEETS)}.")
    header, rows = plan_tables(actor, settings, campaign_id)[sheet]
    return downloads.csv(write_csv(header, rows), f"campaign-{campaign_id}-{sheet}.csv")
