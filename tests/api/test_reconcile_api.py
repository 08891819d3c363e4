"""Reconciliation over HTTP (CONTRACT section 8): a platform export compared order by order with what the webhook
stored, each kind of difference, mapping by the platform's own column names (remembered per ingest key), the
diff download, and applying: exactly once, whatever the webhook does before or after."""
from __future__ import annotations

import csv
import io
import json

import openpyxl
import pytest

from coordinator.extensions import db
from coordinator.models import AuditEntry, Campaign, Reconciliation, SaleEvent
from tests.api.test_foundation_api import assert_problem
from tests.api.test_report_api import _get, _post, _sale, admin, sold, world  # noqa: F401 - fixtures

HEADER = "order_id,kind,session_id,product_id,quantity,amount_fen,occurred_at"


def _csv(lines: list[str]) -> bytes:
    return ("\n".join([HEADER, *lines]) + "\n").encode("utf-8-sig")


def _line(ids, order_id, session, product, quantity, amount, kind="order", at="2026-11-10 19:05:00") -> str:
    session_id = ids[session] if session in ids else session
    return f"{order_id},{kind},{session_id},{ids[product]},{quantity},{amount},{at}"


def _upload(client, headers, campaign_id, data: bytes, key_id: str, name="orders.csv", mapping=None):
    form = {"file": (io.BytesIO(data), name), "ingest_key_id": key_id}
    if mapping is not None:
        form["mapping"] = json.dumps(mapping, ensure_ascii=False)
    return client.post(f"/api/v1/campaigns/{campaign_id}/reconciliations", data=form, headers=headers,
                       content_type="multipart/form-data")


@pytest.fixture
def export(sold):
    """The platform's view: o-1 as stored, o-2 at another amount, o-3 another quantity, r-1 as an order; o-4 and
    o-5 absent; n-1 and n-2 never posted; three rows naming what the campaign cannot sell; two unreadable rows."""
    ids = sold["ids"]
    return _csv([
        _line(ids, "o-1", "S1", "apple", 2, 7980, at="2026-11-10T19:05:00+08:00"),
        _line(ids, "o-2", "S1", "tea", 1, 6000),
        _line(ids, "o-3", "S2", "gift", 2, 9900),
        _line(ids, "r-1", "S1", "apple", 1, 3990, kind="order"),
        _line(ids, "n-1", "S1", "apple", 3, 11970, at="2026-11-10 19:40:00"),
        _line(ids, "n-2", "S3", "apple", 1, 3990, kind="退款", at="2026-11-11 19:20:00"),
        _line(ids, "u-1", "999999", "apple", 1, 100),
        _line(ids, "u-2", "S1", "gift", 1, 9900),
        _line(ids, "u-3", "S4", "potato", 1, 990),
        _line(ids, "bad-1", "S1", "apple", "two", 100),
        _line(ids, "n-1", "S1", "apple", 1, 100),
    ])


def test_each_kind_of_difference_is_found_and_listed(client, sold, admin, export):
    ids = sold["ids"]
    made = _upload(client, admin, ids["C"], export, sold["key"][0])
    assert made.status_code == 201, made.get_data(as_text=True)
    body = made.get_json()
    assert body["summary"] == {"rows": 11, "matched": 1, "missing_here": 2, "missing_there": 2, "different": 3,
                               "unknown": 3, "invalid": 2}
    full = _get(client, f"/api/v1/reconciliations/{body['id']}", admin).get_json()
    order_ids = {kind: [r["order_id"] for r in rows] for kind, rows in full["rows"].items()}
    assert order_ids == {"matched": ["o-1"], "different": ["o-2", "o-3", "r-1"], "missing_here": ["n-1", "n-2"],
                         "missing_there": ["o-4", "o-5"], "unknown": ["u-1", "u-2", "u-3"],
                         "invalid": ["bad-1", "n-1"]}
    different = {r["order_id"]: r for r in full["rows"]["different"]}
    assert different["o-2"]["amount_fen"] == 6000 and different["o-2"]["stored"]["amount_fen"] == 6800
    assert different["o-3"]["stored"]["quantity"] == 1 and different["r-1"]["stored"]["kind"] == "refund"
    assert {k for k, v in different["o-2"]["stored"].items() if v is not None} == {"amount_fen"}
    there = {r["order_id"]: r for r in full["rows"]["missing_there"]}
    assert there["o-4"]["line"] is None and there["o-4"]["amount_fen"] == 20400
    here = {r["order_id"]: r for r in full["rows"]["missing_here"]}
    assert here["n-2"]["kind"] == "refund" and here["n-1"]["occurred_at"] == "2026-11-10T11:40:00+00:00"
    problems = {r["order_id"]: r["problem"] for r in full["rows"]["unknown"] + full["rows"]["invalid"]}
    assert "no session 999999" in problems["u-1"] and "not in session" in problems["u-2"]
    assert "cancelled" in problems["u-3"] and problems["bad-1"].startswith("quantity")
    assert "row 6" in problems["n-1"]  # the first n-1 is on the file's 6th row
    one_kind = _get(client, f"/api/v1/reconciliations/{body['id']}?kind=unknown&limit=2", admin).get_json()
    assert list(one_kind["rows"]) == ["unknown"] and len(one_kind["rows"]["unknown"]) == 2
    listed = _get(client, f"/api/v1/campaigns/{ids['C']}/reconciliations", admin).get_json()["reconciliations"]
    assert [r["id"] for r in listed] == [body["id"]] and listed[0]["applied_at"] is None


def test_the_diff_download_holds_every_order_that_is_not_matched(client, sold, admin, export):
    rec = _upload(client, admin, sold["ids"]["C"], export, sold["key"][0]).get_json()
    text = _get(client, f"/api/v1/reconciliations/{rec['id']}/diff.csv", admin).get_data().decode("utf-8-sig")
    rows = list(csv.reader(io.StringIO(text)))
    assert rows[0][:3] == ["差异", "文件行号", "订单编号"]
    assert sorted(r[2] for r in rows[1:]) == sorted(["o-2", "o-3", "r-1", "n-1", "n-2", "o-4", "o-5", "u-1", "u-2",
                                                     "u-3", "bad-1", "n-1"])
    o2 = next(r for r in rows if r[2] == "o-2")
    assert (o2[0], o2[7], o2[13]) == ("不一致", "60.00", "68.00")
    book = openpyxl.load_workbook(io.BytesIO(_get(client, f"/api/v1/reconciliations/{rec['id']}/diff.xlsx",
                                                  admin).get_data()))
    values = list(book.active.iter_rows(values_only=True))
    assert len(values) == len(rows) and isinstance(values[1][7], (int, float))


def test_a_platforms_own_headers_are_read_and_a_mapping_is_remembered_per_key(client, sold, admin):
    ids, key_id = sold["ids"], sold["key"][0]
    book = openpyxl.Workbook()
    book.active.append(["订单编号", "类型", "直播场次ID", "商品ID", "购买数量", "实付金额", "下单时间"])
    book.active.append(["o-1", "订单", ids["S1"], ids["apple"], 2, 79.8, "2026-11-10 19:05:00"])
    book.active.append(["r-1", "退款", ids["S1"], ids["apple"], 1, 39.9, "2026-11-10 20:00:00"])
    data = io.BytesIO()
    book.save(data)
    made = _upload(client, admin, ids["C"], data.getvalue(), key_id, name="淘宝导出.xlsx")
    assert made.status_code == 201, made.get_data(as_text=True)
    assert made.get_json()["summary"]["matched"] == 2 and made.get_json()["mapping"]["amount_yuan"] == "实付金额"
    own = b"\xef\xbb\xbf" + "单号,场次,货品,件数,付款金额,时间\n".encode() + \
        f"o-2,{ids['S1']},{ids['tea']},1,68.00,2026-11-10 19:30\n".encode()
    refused = _upload(client, admin, ids["C"], own, key_id)
    problem = assert_problem(refused, 422)
    assert "单号" in problem["detail"] and {"mapping.order_id", "mapping.quantity"} <= {
        e.get("field") for e in problem["errors"]}
    mapping = {"order_id": "单号", "session_id": "场次", "product_id": "货品", "quantity": "件数",
               "amount_yuan": "付款金额", "occurred_at": "时间"}
    assert _upload(client, admin, ids["C"], own, key_id, mapping=mapping).get_json()["summary"]["matched"] == 1
    again = _upload(client, admin, ids["C"], own, key_id)  # no mapping sent: the key's is remembered
    assert again.status_code == 201 and again.get_json()["mapping"] == mapping
    assert again.get_json()["summary"]["matched"] == 1


def _net(client, admin, campaign_id) -> tuple[int, int]:
    totals = _get(client, f"/api/v1/campaigns/{campaign_id}/report", admin).get_json()["totals"]
    return totals["orders"], totals["net_fen"]


def test_apply_stores_the_missing_orders_once_and_a_later_webhook_delivery_is_a_duplicate(
        app, client, clock, sold, admin, export):
    ids = sold["ids"]
    before = _net(client, admin, ids["C"])
    rec = _upload(client, admin, ids["C"], export, sold["key"][0]).get_json()
    first = client.post(f"/api/v1/reconciliations/{rec['id']}/apply", headers=admin)
    assert first.status_code == 200, first.get_data(as_text=True)
    assert first.get_json() == {"accepted": 2, "duplicates": 0, "refused": []}
    after = _net(client, admin, ids["C"])
    assert after == (before[0] + 1, before[1] + 11970 - 3990)  # n-1 an order, n-2 a refund
    second = client.post(f"/api/v1/reconciliations/{rec['id']}/apply", headers=admin).get_json()
    assert second == {"accepted": 0, "duplicates": 2, "refused": []}
    webhook = _post(client, clock, sold, [_sale(sold, "n-1", "S1", "apple", 3, 11970, "2026-11-10T19:40:00+08:00")])
    assert webhook.get_json() == {"accepted": 0, "duplicates": 1}
    assert _net(client, admin, ids["C"]) == after
    with app.app_context():
        assert db.session.query(SaleEvent).filter(SaleEvent.order_id.in_(["n-1", "n-2"])).count() == 2
        stored = db.session.get(Reconciliation, rec["id"])
        assert (stored.accepted, stored.duplicates, stored.applied_at is not None) == (2, 2, True)
        assert db.session.query(AuditEntry).filter_by(action="reconciliation.apply").count() == 2
    fresh = _upload(client, admin, ids["C"], export, sold["key"][0]).get_json()["summary"]
    assert (fresh["missing_here"], fresh["matched"], fresh["different"]) == (0, 3, 3)  # n-1 and n-2 now stored


def test_refusals_change_nothing(app, client, sold, admin, export):
    ids, key_id = sold["ids"], sold["key"][0]
    assert_problem(_upload(client, admin, ids["C"], export, "no-such-key"), 422)
    assert_problem(_upload(client, admin, ids["C"], b"\x00\x01garbage", key_id, name="orders.xlsx"), 400)
    assert_problem(_upload(client, admin, ids["C"], export, key_id, mapping={"order_id": "nope"}), 422)
    assert_problem(client.post(f"/api/v1/campaigns/{ids['C']}/reconciliations", headers=admin,
                               data={"ingest_key_id": key_id}, content_type="multipart/form-data"), 400)
    assert_problem(client.get("/api/v1/reconciliations/999999", headers=admin), 404)
    rec = _upload(client, admin, ids["C"], export, key_id).get_json()
    with app.app_context():
        db.session.get(Campaign, ids["C"]).status = "closed"
        db.session.commit()
        count = db.session.query(SaleEvent).count()
    problem = assert_problem(client.post(f"/api/v1/reconciliations/{rec['id']}/apply", headers=admin), 409)
    assert "closed" in problem["detail"]
    with app.app_context():
        assert db.session.query(SaleEvent).count() == count
        assert db.session.get(Reconciliation, rec["id"]).applied_at is None
