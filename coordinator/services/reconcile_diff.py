"""A reconciliation's differences as a spreadsheet: every order that is not matched, as the file and the
coordinator have it, with what is wrong."""
from __future__ import annotations

from decimal import Decimal
from typing import Any

from coordinator.domain import downloads
from coordinator.domain.access_facts import Actor
from coordinator.domain.plain_errors import render
from coordinator.domain.reconcile import RowKind
from coordinator.domain.settings import Settings
from coordinator.models import ReconciliationRow
from coordinator.services.reconcile import reconciliation_for, rows_of
from coordinator.services.spreadsheet_writing import write_csv, write_xlsx

KIND_TITLES = {RowKind.MATCHED: "一致", RowKind.MISSING_HERE: "本系统缺少", RowKind.MISSING_THERE: "平台文件缺少",
               RowKind.DIFFERENT: "不一致", RowKind.UNKNOWN: "场次或商品无法对应", RowKind.INVALID: "无法读取"}
SALE_KINDS = {"order": "订单", "refund": "退款"}
HEADER = ["差异", "文件行号", "订单编号", "类型", "场次ID", "商品ID", "数量", "金额（元）", "下单时间",
          "本系统类型", "本系统场次ID", "本系统商品ID", "本系统数量", "本系统金额（元）", "说明"]
SHOWN = (RowKind.DIFFERENT, RowKind.MISSING_HERE, RowKind.MISSING_THERE, RowKind.UNKNOWN, RowKind.INVALID)


def _yuan(fen: int | None) -> Decimal | None:
    return None if fen is None else Decimal(fen) / 100


def problem_text(row: ReconciliationRow) -> str:
    """What is wrong with an unknown or invalid row, in English."""
    if not row.problem:
        return ""
    values = dict(row.problem_values or {})
    return render(row.problem, values)


def _line(settings: Settings, row: ReconciliationRow) -> list[Any]:
    stored = row.stored or {}
    when = row.occurred_at.astimezone(settings.zone) if row.occurred_at else None
    return [KIND_TITLES[RowKind(row.kind)], row.line, row.order_id, SALE_KINDS.get(row.sale_kind or "", row.sale_kind),
            row.session_id, row.product_id, row.quantity, _yuan(row.amount_fen), when,
            SALE_KINDS.get(stored.get("kind", ""), stored.get("kind")), stored.get("session_id"),
            stored.get("product_id"), stored.get("quantity"), _yuan(stored.get("amount_fen")), problem_text(row)]


def diff_table(actor: Actor, settings: Settings, reconciliation_id: int) -> list[list[Any]]:
    """The rows of the diff, kind by kind (different, missing here, missing there, unknown, invalid)."""
    rec = reconciliation_for(actor, reconciliation_id)
    return [_line(settings, row) for kind in SHOWN for row in rows_of(rec, kind)]


def diff_xlsx(actor: Actor, settings: Settings, reconciliation_id: int) -> downloads.Download:
    """The diff as a workbook."""
    rows = diff_table(actor, settings, reconciliation_id)
    return downloads.xlsx(write_xlsx([("对账差异", HEADER, rows)]), f"reconciliation-{reconciliation_id}-diff.xlsx")


def diff_csv(actor: Actor, settings: Settings, reconciliation_id: int) -> downloads.Download:
    """The diff as UTF-8 CSV."""
    rows = diff_table(actor, settings, reconciliation_id)
    return downloads.csv(write_csv(HEADER, rows), f"reconciliation-{reconciliation_id}-diff.csv")
