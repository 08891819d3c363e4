"""A campaign plan as spreadsheets: products, streamers, pairings and sessions."""
from __future__ import annotations

from typing import Any
from zoneinfo import ZoneInfo

from flask import current_app
from sqlalchemy import select

from coordinator.domain.cells import format_windows
from coordinator.domain.errors import NotFound
from coordinator.extensions import db
from coordinator.models import County, LiveSession, Pairing, Product, Streamer
from coordinator.services import enrolment
from coordinator.services.campaigns import get_campaign
from coordinator.services.import_columns import PRODUCT_COLUMNS, STREAMER_COLUMNS
from coordinator.services.spreadsheets import write_csv, write_xlsx

SHEETS = ("products", "streamers", "pairings", "sessions")
STREAMER_HEADER = [c.title for c in STREAMER_COLUMNS]
PAIRING_HEADER = ["账号", "SKU", "产品", "状态", "来源", "得分", "理由", "拒绝原因"]
SESSION_HEADER = ["场次", "账号", "开始", "结束", "状态", "标题", "产品SKU"]


def _local(value) -> Any:
    zone = ZoneInfo(current_app.config["COORDINATOR_TIMEZONE"])
    return value.astimezone(zone).strftime("%Y-%m-%d %H:%M")


def _product_rows(campaign_id: int) -> list[list[Any]]:
    counties = {c.id: c for c in db.session.scalars(select(County))}
    rows = []
    for p in enrolment.enrolled_products(campaign_id):
        county = counties[p.county_id]
        rows.append([county.name, county.province, p.name, p.sku, p.category, f"{p.price_fen / 100:.2f}", p.stock,
                     p.unit, "是" if p.is_agricultural else "否", p.available_from, p.available_to,
                     p.shipping_origin, p.selling_points, p.image_url])
    return rows


def _product_header() -> list[str]:
    # One price column in yuan, as people write prices; the fen column is for machines that import.
    return [c.title for c in PRODUCT_COLUMNS if c.field != "price_fen"][:5] + ["价格（元）"] + \
        [c.title for c in PRODUCT_COLUMNS if c.field != "price_fen"][5:]


def _streamer_rows(campaign_id: int) -> list[list[Any]]:
    return [[s.handle, s.display_name, s.platform, s.followers, "、".join(s.categories), s.region, s.bio,
             format_windows([(w.weekday, w.start_minute, w.end_minute) for w in s.availability])]
            for s in enrolment.enrolled_streamers(campaign_id)]


def _pairing_rows(campaign_id: int) -> list[list[Any]]:
    rows = db.session.execute(
        select(Pairing, Streamer.handle, Product.sku, Product.name)
        .join(Streamer, Streamer.id == Pairing.streamer_id).join(Product, Product.id == Pairing.product_id)
        .where(Pairing.campaign_id == campaign_id).order_by(Streamer.handle, Product.sku)).all()
    return [[handle, sku, name, p.status, p.source, round(p.score, 3), p.reasons, p.decline_reason]
            for p, handle, sku, name in rows]


def _session_rows(campaign_id: int) -> list[list[Any]]:
    sessions = db.session.scalars(select(LiveSession).where(LiveSession.campaign_id == campaign_id)
                                  .order_by(LiveSession.starts_at)).all()
    handles = dict(db.session.execute(select(Streamer.id, Streamer.handle)).all())
    skus = dict(db.session.execute(select(Product.id, Product.sku)).all())
    return [[s.id, handles.get(s.streamer_id, ""), _local(s.starts_at), _local(s.ends_at), s.status, s.title,
             [skus.get(item.product_id, "") for item in s.lineup]] for s in sessions]


def plan_tables(campaign_id: int) -> dict[str, tuple[list[str], list[list[Any]]]]:
    """Each sheet of a campaign's plan as (header, rows)."""
    get_campaign(campaign_id)
    return {
        "products": (_product_header(), _product_rows(campaign_id)),
        "streamers": (STREAMER_HEADER, _streamer_rows(campaign_id)),
        "pairings": (PAIRING_HEADER, _pairing_rows(campaign_id)),
        "sessions": (SESSION_HEADER, _session_rows(campaign_id)),
    }


def plan_xlsx(campaign_id: int) -> bytes:
    """The whole plan as one workbook, a sheet per table."""
    titles = {"products": "产品", "streamers": "主播", "pairings": "配对", "sessions": "直播场次"}
    return write_xlsx([(titles[name], header, rows) for name, (header, rows) in plan_tables(campaign_id).items()])


def plan_csv(campaign_id: int, sheet: str) -> bytes:
    """One table of the plan as CSV."""
    if sheet not in SHEETS:
        raise NotFound(f"There is no sheet {sheet!r}; use one of {', '.join(SHEETS)}.")
    header, rows = plan_tables(campaign_id)[sheet]
    return write_csv(header, rows)
