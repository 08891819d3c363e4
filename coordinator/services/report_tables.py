"""A report's tables for spreadsheets: a header and typed rows per table, shared by the XLSX and the CSVs.

Money is Decimal yuan, shares and rates are fractions (float), counts and ids are int, times are the
coordinator's wall time (date-time cells), days are dates; a missing rate is an empty cell.
"""
from __future__ import annotations

from datetime import datetime
from decimal import Decimal
from typing import Any
from zoneinfo import ZoneInfo

from coordinator.domain.report import Figures
from coordinator.domain.report_lines import Report

TABLES = ("totals", "counties", "products", "hosts", "sessions", "days", "hours")
TITLES = {"totals": "总计", "counties": "县域", "products": "产品", "hosts": "主播", "sessions": "场次",
          "days": "按日", "hours": "按小时"}
FIGURES = ["订单数", "件数", "销售额（元）", "退款（元）", "净销售额（元）"]
STATUS = {"scheduled": "未开始", "live": "直播中", "ended": "已结束", "cancelled": "已取消"}

Table = tuple[list[str], list[list[Any]]]


def yuan(fen: int | None) -> Decimal | None:
    """Fen as Decimal yuan (a money cell), None as an empty cell."""
    return None if fen is None else Decimal(fen) / 100


def _figures(f: Figures) -> list[Any]:
    return [f.orders, f.units, yuan(f.gross_fen), yuan(f.refunded_fen), yuan(f.net_fen)]


def _wall(moment: datetime, zone: ZoneInfo) -> datetime:
    return moment.astimezone(zone).replace(tzinfo=None)


def _totals(r: Report, zone: ZoneInfo) -> Table:
    t, f = r.totals, r.totals.figures
    rows = [
        ["活动", r.name], ["开始", _wall(r.starts_at, zone)], ["结束", _wall(r.ends_at, zone)], ["时区", r.zone],
        ["统计时间", _wall(r.at, zone)], ["订单数", f.orders], ["件数", f.units], ["销售额（元）", yuan(f.gross_fen)],
        ["退款（元）", yuan(f.refunded_fen)], ["净销售额（元）", yuan(f.net_fen)], ["目标（元）", yuan(t.target_fen)],
        ["目标完成率", t.target_share], ["场次", t.sessions], ["已开播场次", t.sessions_held],
        ["直播时长（分钟）", t.minutes_live], ["主播数", t.hosts], ["覆盖县域", t.counties_reached],
        ["参与县域", t.counties_enrolled], ["参与产品", t.products_enrolled], ["售出产品", t.products_sold],
        ["农产品净销售额（元）", yuan(t.agricultural_net_fen)], ["农产品占比", t.agricultural_share],
        ["客单价（元）", yuan(f.average_order_fen)], ["退款率", f.refund_rate],
    ]
    if r.partial:
        rows.append(["范围", "全活动总计；各表只含本县"])
    return ["指标", "数值"], rows


def _counties(r: Report) -> Table:
    header = ["县域ID", "县域", "省份", *FIGURES, "占比", "参与产品", "售出产品", "场次"]
    return header, [[c.county_id, c.name, c.province, *_figures(c.figures), c.share, c.products_enrolled,
                     c.products_sold, c.sessions] for c in r.counties]


def _products(r: Report) -> Table:
    header = ["产品ID", "SKU", "产品", "县域", "农产品", "单位", "价格（元）", "库存", *FIGURES, "占比", "售罄率",
              "退款率", "场次"]
    return header, [[p.product_id, p.sku, p.name, p.county_name, "是" if p.is_agricultural else "否", p.unit,
                     yuan(p.price_fen), p.stock, *_figures(p.figures), p.share, p.sell_through,
                     p.figures.refund_rate, p.sessions] for p in r.products]


def _hosts(r: Report) -> Table:
    header = ["主播ID", "账号", "昵称", "平台", "场次", "直播时长（分钟）", *FIGURES, "占比", "每小时净销售额（元）",
              "客单价（元）", "退款率"]
    return header, [[h.streamer_id, h.handle, h.display_name, h.platform, h.sessions, h.minutes_live,
                     *_figures(h.figures), h.share, yuan(h.net_per_live_hour_fen), yuan(h.figures.average_order_fen),
                     h.figures.refund_rate] for h in r.hosts]


def _sessions(r: Report, zone: ZoneInfo) -> Table:
    header = ["场次ID", "标题", "主播ID", "主播", "状态", "开始", "结束", "直播时长（分钟）", *FIGURES, "占比"]
    return header, [[s.session_id, s.title, s.streamer_id, s.streamer_name, STATUS.get(s.status, s.status),
                     _wall(s.starts_at, zone), _wall(s.ends_at, zone), s.minutes_live, *_figures(s.figures), s.share]
                    for s in r.sessions]


def report_tables(report: Report, zone: ZoneInfo) -> dict[str, Table]:
    """Every table of a report as (header, rows), in TABLES order."""
    return {
        "totals": _totals(report, zone),
        "counties": _counties(report),
        "products": _products(report),
        "hosts": _hosts(report),
        "sessions": _sessions(report, zone),
        "days": (["日期", *FIGURES], [[day, *_figures(f)] for day, f in report.days]),
        "hours": (["时段", *FIGURES], [[hour, *_figures(f)] for hour, f in enumerate(report.hours)]),
    }
