"""Spreadsheet import with a report of every bad row, and export of a campaign plan that survives a round trip."""
from __future__ import annotations

import io

import pytest
from openpyxl import Workbook, load_workbook

from coordinator.extensions import db
from coordinator.models import AuditEntry, Product, Streamer
from tests.api.test_foundation_api import assert_problem
from tests.api.test_planning_api import APPLE, DOUBLE_11, HOST
from tests.factories import bearer

HEADER = ["县域", "省份", "名称", "SKU", "品类", "价格（元）", "库存", "单位", "农产品", "上市日期", "下市日期", "发货地", "卖点"]
# (row index among the data rows, column header, how the row is broken)
BROKEN = {
    17: ("库存", lambda r: r.__setitem__(6, -3)),
    101: ("价格（元）", lambda r: r.__setitem__(5, "五元")),
    230: ("县域", lambda r: r.__setitem__(0, "Atlantis")),
    404: ("SKU", lambda r: r.__setitem__(3, "GRITS-0003")),
    555: ("下市日期", lambda r: r.__setitem__(10, "2026-01-01")),
    777: ("名称", lambda r: r.__setitem__(2, None)),
    999: ("农产品", lambda r: r.__setitem__(8, "maybe")),
}


def product_rows(n: int = 1000) -> list[list]:
    rows = []
    for i in range(n):
        row = ["Yijun", "Shaanxi", f"宜君玉米糁 {i}", f"GRITS-{i:04d}", "grain", "5.80", 500 + i, "袋", "是",
               "2026-09-01", "2027-03-31", "宜君县电商配送中心", "包邮\n剪纸包装"]
        if i in BROKEN:
            BROKEN[i][1](row)
        rows.append(row)
    return rows


def xlsx(header: list[str], rows: list[list]) -> bytes:
    workbook = Workbook()
    sheet = workbook.active
    sheet.append(header)
    for row in rows:
        sheet.append(row)
    out = io.BytesIO()
    workbook.save(out)
    return out.getvalue()


def upload(client, headers, kind: str, data: bytes, filename: str, **query):
    return client.post(f"/api/v1/imports/{kind}", query_string=query, headers=headers,
                       data={"file": (io.BytesIO(data), filename)}, content_type="multipart/form-data")


@pytest.fixture
def admin(app, client):
    headers = bearer(app, "chief", "commissioner", is_admin=True)
    client.post("/api/v1/counties", json={"name": "Yijun", "province": "Shaanxi"}, headers=headers)
    return headers


def products_stored(app) -> int:
    with app.app_context():
        return db.session.query(Product).count()


def test_thousand_rows_with_seven_bad_imports_993_and_names_each_bad_row(app, client, admin):
    response = upload(client, admin, "products", xlsx(HEADER, product_rows()), "products.xlsx", mode="valid_rows")
    assert response.status_code == 200, response.get_json()
    report = response.get_json()
    assert (report["total_rows"], report["valid_rows"], report["imported"]) == (1000, 993, 993)
    expected = {(index + 2, column) for index, (column, _) in BROKEN.items()}  # +1 header, +1 one-based
    assert {(e["row"], e["column"]) for e in report["errors"]} == expected
    messages = {e["column"]: e["message"] for e in report["errors"]}
    assert messages["库存"] == "must be at least 0" and messages["价格（元）"] == "expected an amount in yuan, e.g. 5.80"
    assert report["bad_rows"] == sorted(row for row, _ in expected)
    assert products_stored(app) == 993
    with app.app_context():
        grits = db.session.query(Product).filter_by(sku="GRITS-0000").one()
        assert grits.price_fen == 580 and grits.selling_points == ["包邮", "剪纸包装"] and grits.unit == "袋"
        assert db.session.query(AuditEntry).filter_by(action="import").count() == 993


def test_all_or_nothing_imports_nothing_when_a_row_is_bad(app, client, admin):
    report = upload(client, admin, "products", xlsx(HEADER, product_rows()), "products.xlsx").get_json()
    assert report["imported"] == 0 and len(report["errors"]) == 7
    assert products_stored(app) == 0


def test_dry_run_previews_without_storing(app, client, admin):
    report = upload(client, admin, "products", xlsx(HEADER, product_rows(20)), "p.xlsx", dry_run="true").get_json()
    assert report["valid_rows"] == 19 and report["imported"] == 0
    assert products_stored(app) == 0


@pytest.mark.parametrize("encoding", ["utf-8-sig", "gb18030"])
def test_csv_with_chinese_headers_in_either_encoding(app, client, admin, encoding):
    lines = [",".join(HEADER), "Yijun,Shaanxi,宜君苹果,YJ-APPLE,fruit,69.90,800,箱,是,2026-09-20,2027-01-31,宜君县,高海拔"]
    report = upload(client, admin, "products", "\n".join(lines).encode(encoding), "p.csv").get_json()
    assert report["imported"] == 1
    with app.app_context():
        assert db.session.query(Product).one().name == "宜君苹果"


def test_streamer_sheet_reads_followers_platform_and_windows(app, client, admin):
    header = ["账号", "昵称", "平台", "粉丝数", "擅长品类", "地区", "可直播时间"]
    rows = [["xunwu_farmer", "寻乌果农老钟", "抖音", "52万", "水果、脐橙", "江西赣州", "周五 19:00-24:00; 周六 20:00-23:00"],
            ["bad_windows", "x", "快手", "100", "水果", "", "周五 23:00-19:00"]]
    report = upload(client, admin, "streamers", xlsx(header, rows), "s.xlsx", mode="valid_rows").get_json()
    assert report["imported"] == 1 and [(e["row"], e["column"]) for e in report["errors"]] == [(3, "可直播时间")]
    with app.app_context():
        host = db.session.query(Streamer).one()
        assert (host.platform, host.followers, host.categories) == ("douyin", 520000, ["水果", "脐橙"])
        assert [(w.weekday, w.start_minute, w.end_minute) for w in host.availability] == [(4, 1140, 1440), (5, 1200, 1380)]


def test_unreadable_uploads_are_4xx_and_store_nothing(app, client, admin):
    assert_problem(upload(client, admin, "products", b"\x00garbage", "p.xlsx"), 400)
    assert_problem(upload(client, admin, "products", b"a,b", "p.pdf"), 400)
    assert_problem(upload(client, admin, "products", xlsx(["颜色"], [["红"]]), "p.xlsx"), 422)
    assert_problem(client.post("/api/v1/imports/products", headers=admin, data={}, content_type="multipart/form-data"), 400)
    assert products_stored(app) == 0


def test_exported_plan_survives_a_round_trip_with_chinese_text(app, client, admin):
    county_id = client.get("/api/v1/counties", headers=admin).get_json()["items"][0]["id"]
    product = client.post("/api/v1/products", json={**APPLE, "county_id": county_id}, headers=admin).get_json()
    streamer = client.post("/api/v1/streamers", json=HOST, headers=admin).get_json()
    cid = client.post("/api/v1/campaigns", json=DOUBLE_11, headers=admin).get_json()["id"]
    client.post(f"/api/v1/campaigns/{cid}/products", json={"product_id": product["id"]}, headers=admin)
    client.post(f"/api/v1/campaigns/{cid}/streamers", json={"streamer_id": streamer["id"]}, headers=admin)
    exported = client.get(f"/api/v1/campaigns/{cid}/export.xlsx", headers=admin)
    assert exported.status_code == 200 and "attachment" in exported.headers["Content-Disposition"]
    workbook = load_workbook(io.BytesIO(exported.data))
    assert workbook.sheetnames == ["产品", "主播", "配对", "直播场次"]
    products_sheet = workbook["产品"]
    for row in products_sheet.iter_rows(min_row=2):
        row[3].value = row[3].value + "-B"  # a new SKU, the rest as exported
    streamers_sheet = workbook["主播"]
    streamers_sheet["A2"].value = "yijun_xiaomei_2"
    for title, kind in (("产品", "products"), ("主播", "streamers")):
        single = Workbook()
        single.active.append([c.value for c in workbook[title][1]])
        for row in workbook[title].iter_rows(min_row=2, values_only=True):
            single.active.append(list(row))
        out = io.BytesIO()
        single.save(out)
        assert upload(client, admin, kind, out.getvalue(), f"{kind}.xlsx").get_json()["imported"] == 1
    copy = client.get("/api/v1/products", query_string={"q": "-B"}, headers=admin).get_json()["items"][0]
    for key in ("name", "price_fen", "stock", "selling_points", "available_from", "available_to", "shipping_origin"):
        assert copy[key] == product[key], key
    twin = client.get("/api/v1/streamers", query_string={"q": "yijun_xiaomei_2"}, headers=admin).get_json()["items"][0]
    for key in ("display_name", "followers", "categories", "availability"):
        assert twin[key] == streamer[key], key
    csv_text = client.get(f"/api/v1/campaigns/{cid}/export.csv?sheet=products", headers=admin).data.decode("utf-8-sig")
    assert "宜君苹果" in csv_text and "剪纸包装" in csv_text
    assert_problem(client.get(f"/api/v1/campaigns/{cid}/export.csv?sheet=secrets", headers=admin), 422)
