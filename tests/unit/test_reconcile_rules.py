"""The reconciliation's rules without a database: which column is which field, how cells are read, and how each
row compares with the stored sales."""
from __future__ import annotations

from datetime import datetime, timedelta, timezone
from zoneinfo import ZoneInfo

import pytest

from coordinator.domain.errors import InvalidInput
from coordinator.domain.reconcile import RowKind, SessionFacts, StoredSale, compare
from coordinator.domain.reconcile_columns import checked, read_row, suggested, to_kind, to_moment

SHANGHAI = ZoneInfo("Asia/Shanghai")
T = datetime(2026, 11, 11, 12, tzinfo=timezone.utc)


def test_platform_headers_are_recognised_and_the_exact_amount_wins():
    header = ["订单编号", "商品ID", "直播场次ID", "购买数量", "实付金额", "金额（分）", "下单时间", "买家昵称"]
    mapping = suggested(header)
    assert mapping == {"order_id": "订单编号", "product_id": "商品ID", "session_id": "直播场次ID", "quantity": "购买数量",
                       "amount_fen": "金额（分）", "occurred_at": "下单时间"}
    assert checked(mapping, header)["amount_fen"] == 5


def test_a_remembered_mapping_wins_where_the_file_has_that_column():
    header = ["单号", "订单编号", "场次", "商品ID", "数量", "实付金额", "时间"]
    assert suggested(header, {"order_id": "单号", "session_id": "场次", "occurred_at": "无此列"})["order_id"] == "单号"
    assert suggested(header, {"occurred_at": "无此列"})["occurred_at"] == "时间"


def test_a_mapping_that_lacks_a_field_or_names_a_missing_column_is_refused_with_the_files_columns():
    with pytest.raises(InvalidInput) as refused:
        checked({"order_id": "单号", "quantity": "件数"}, ["单号", "场次"])
    fields = {e.field for e in refused.value.errors}
    assert {"mapping.session_id", "mapping.product_id", "mapping.occurred_at", "mapping.amount_fen",
            "mapping.quantity"} <= fields
    assert "单号, 场次" in refused.value.detail


def test_cells_are_read_as_platforms_write_them():
    columns = {"order_id": 0, "kind": 1, "session_id": 2, "product_id": 3, "quantity": 4, "amount_yuan": 5,
               "occurred_at": 6}
    values, problem = read_row([1234567.0, "退款", "7", 8.0, "2", "¥39.90", "2026/11/11 20:15:00"], columns, SHANGHAI)
    assert problem is None
    assert values == {"order_id": "1234567", "kind": "refund", "session_id": 7, "product_id": 8, "quantity": 2,
                      "amount_fen": 3990, "occurred_at": datetime(2026, 11, 11, 20, 15, tzinfo=SHANGHAI)}
    assert read_row(["a", "order", 1, 1, 0, 1, T], columns, SHANGHAI)[1] == ("quantity", "must be more than 0")
    assert read_row(["a", "", 1, 1, 1, "", T], columns, SHANGHAI)[1] == ("amount_yuan", "required")
    assert read_row(["a", "gift", 1, 1, 1, 1, T], columns, SHANGHAI)[1][0] == "kind"
    assert to_kind("订单") == "order" and to_moment("2026-11-11T12:00:00Z", SHANGHAI) == T
    with pytest.raises(ValueError):
        to_moment("yesterday", SHANGHAI)


def _sale(order_id: str, quantity=1, amount=100, campaign=1, kind="order") -> StoredSale:
    return StoredSale(len(order_id), order_id, kind, 10, 20, quantity, amount, T, campaign)


def _row(line: int, order_id: str, quantity=1, amount=100, session=10, product=20, kind="order"):
    return (line, {"order_id": order_id, "kind": kind, "session_id": session, "product_id": product,
                   "quantity": quantity, "amount_fen": amount, "occurred_at": T + timedelta(minutes=line)}, None)


def test_each_row_compares_once_and_what_the_file_lacks_is_missing_there():
    stored = {"a": _sale("a"), "b": _sale("b", amount=90), "c": _sale("c"), "z": _sale("z", campaign=2),
              "gone": _sale("gone")}
    sessions = {10: SessionFacts("ended", frozenset({20})), 11: SessionFacts("cancelled", frozenset({20}))}
    rows = [_row(2, "a"), _row(3, "b"), _row(4, "c", kind="refund"), _row(5, "new"), _row(6, "z"),
            _row(7, "s", session=12), _row(8, "x", session=11), _row(9, "p", product=21),
            (10, {"order_id": "bad"}, ("quantity", "required")), _row(11, "new")]
    out = compare(rows, stored, 1, sessions)
    kinds = [(r.kind, r.values.get("order_id")) for r in out.rows]
    assert kinds == [(RowKind.MATCHED, "a"), (RowKind.DIFFERENT, "b"), (RowKind.DIFFERENT, "c"),
                     (RowKind.MISSING_HERE, "new"), (RowKind.UNKNOWN, "z"), (RowKind.UNKNOWN, "s"),
                     (RowKind.UNKNOWN, "x"), (RowKind.UNKNOWN, "p"), (RowKind.INVALID, "bad"),
                     (RowKind.INVALID, "new"), (RowKind.MISSING_THERE, "gone")]
    assert out.rows[1].stored == {"amount_fen": 90} and out.rows[2].stored == {"kind": "order"}
    assert out.rows[9].problem_values == {"line": 5}
    assert out.summary() == {"rows": 10, "matched": 1, "missing_here": 1, "missing_there": 1, "different": 2,
                             "unknown": 4, "invalid": 2}


def test_an_unreadable_row_with_an_order_id_keeps_its_stored_sale_from_missing_there():
    out = compare([(2, {"order_id": "a"}, ("amount_fen", "required"))], {"a": _sale("a")}, 1, {})
    assert [r.kind for r in out.rows] == [RowKind.INVALID]
