"""The samples board as XLSX and CSV over the API: its columns, typed cells (numbers, date-times, text never a
formula), each reader's share (a partner their counties' rows), and the shipping import's place in the OpenAPI."""
from __future__ import annotations

import csv
import io
from datetime import datetime, timedelta

import pytest
from openpyxl import load_workbook

from coordinator.extensions import db
from coordinator.models import Product, Sample
from tests.access.world import bearer, build
from tests.api.test_foundation_api import assert_problem

HEADER = ["样品编号", "县域", "产品", "主播", "数量", "状态", "快递公司", "快递单号", "物流链接", "延误", "延误场次",
          "申请时间", "批准时间", "发货时间", "签收时间", "收件人", "电话", "收件地址"]


@pytest.fixture
def world(app, clock):
    """The access world, with a received sample of the owner's PA1 (named like a formula) to host S1 too."""
    with app.app_context():
        world = build()
        db.session.get(Product, world.ids["PA1"]).name = "=HYPERLINK(\"http://evil\")"
        now = clock()
        sample = Sample(campaign_id=world.ids["C"], pairing_id=world.ids["P_host"], streamer_id=world.ids["S1"],
                        product_id=world.ids["PA1"], quantity=3, status="received", carrier="jd",
                        tracking_number="JD0012345678901", requested_at=now - timedelta(days=3),
                        approved_at=now - timedelta(days=2), shipped_at=now - timedelta(days=1), received_at=now)
        db.session.add(sample)
        db.session.commit()
        world.ids["SM_recv"] = sample.id
    return world


def sheet(client, world, actor: str, fmt: str = "xlsx"):
    return client.get(f"/api/v1/campaigns/{world.ids['C']}/samples.{fmt}", headers=bearer(world, actor))


def test_the_xlsx_board_has_every_column_typed(client, world):
    response = sheet(client, world, "owner")
    assert response.status_code == 200 and "attachment" in response.headers["Content-Disposition"]
    assert response.headers["Cache-Control"] == "no-store"
    book = load_workbook(io.BytesIO(response.data))
    assert book.sheetnames == ["样品"]
    rows = list(book["样品"].iter_rows())
    assert [c.value for c in rows[0]] == HEADER
    by_id = {row[0].value: row for row in rows[1:]}
    assert set(by_id) == {world.ids[k] for k in ("SM_req", "SM_app", "SM_ship", "SM_recv")}
    shipped = {HEADER[i]: cell for i, cell in enumerate(by_id[world.ids["SM_ship"]])}
    assert (shipped["县域"].value, shipped["产品"].value, shipped["主播"].value) == ("普安县", "普安县PB2", "s1")
    assert (shipped["数量"].value, shipped["数量"].data_type) == (2, "n")
    assert (shipped["状态"].value, shipped["快递公司"].value, shipped["快递单号"].value) == ("shipped", "顺丰速运",
                                                                                   "SF1234567890123")
    assert shipped["物流链接"].value == "https://www.kuaidi100.com/chaxun?com=shunfeng&nu=SF1234567890123"
    assert isinstance(shipped["发货时间"].value, datetime) and shipped["发货时间"].is_date
    assert shipped["发货时间"].value == datetime(2026, 11, 11, 20, 0)  # the coordinator's wall clock (UTC+8)
    assert shipped["签收时间"].value is None
    assert (shipped["收件人"].value, shipped["电话"].value, shipped["收件地址"].value) == (
        "王小明", "13800000000", "陕西省铜川市宜君县城关镇1号")
    received = {HEADER[i]: cell for i, cell in enumerate(by_id[world.ids["SM_recv"]])}
    # Text that looks like a formula stays text: a string cell, never a formula.
    assert received["产品"].value == "=HYPERLINK(\"http://evil\")" and received["产品"].data_type == "s"
    assert received["签收时间"].value == datetime(2026, 11, 11, 20, 0) and received["收件人"].value is None


def test_a_sample_due_on_air_soon_is_late_with_its_session(app, client, world):
    with app.app_context():
        sample = db.session.get(Sample, world.ids["SM_req"])
        sample.product_id = world.ids["PB1"]  # in the lineup of the host's session two days from now
        db.session.commit()
    rows = list(csv.reader(io.StringIO(sheet(client, world, "owner", "csv").data.decode("utf-8-sig"))))
    late = {row[0]: (row[9], row[10]) for row in rows[1:]}
    assert late[str(world.ids["SM_req"])] == ("是", "夜场 2026-11-13 19:00")
    assert late[str(world.ids["SM_app"])] == ("否", "")


def test_the_csv_board_writes_formula_looking_text_as_text(client, world):
    response = sheet(client, world, "editor", "csv")
    assert response.status_code == 200 and response.mimetype == "text/csv"
    rows = list(csv.reader(io.StringIO(response.data.decode("utf-8-sig"))))
    assert rows[0] == HEADER
    received = next(row for row in rows if row[0] == str(world.ids["SM_recv"]))
    assert received[2] == "'=HYPERLINK(\"http://evil\")" and received[4] == "3"
    assert received[11:15] == ["2026-11-08 20:00", "2026-11-09 20:00", "2026-11-10 20:00", "2026-11-11 20:00"]


def test_a_partner_exports_their_counties_rows_and_hosts_none(client, world):
    rows = list(csv.reader(io.StringIO(sheet(client, world, "partner", "csv").data.decode("utf-8-sig"))))
    assert {row[0] for row in rows[1:]} == {str(world.ids[k]) for k in ("SM_req", "SM_app", "SM_ship")}
    assert {row[1] for row in rows[1:]} == {"普安县"}
    viewer = load_workbook(io.BytesIO(sheet(client, world, "viewer").data))["样品"]
    assert viewer.max_row == 5  # the team reads every sample
    for actor, status in (("host", 403), ("outsider", 403), ("manager", 403), ("other_host", 404)):
        assert_problem(sheet(client, world, actor), status)


def test_the_sheets_are_in_the_openapi_document_with_their_media_types(client):
    paths = client.get("/api/v1/openapi.json").get_json()["paths"]
    shipments = paths["/api/v1/campaigns/{campaign_id}/samples/shipments"]["post"]["responses"]["200"]["content"]
    assert "application/json" in shipments
    for path, media in (("/api/v1/campaigns/{campaign_id}/samples.xlsx", "spreadsheetml.sheet"),
                        ("/api/v1/campaigns/{campaign_id}/samples.csv", "text/csv")):
        content = paths[path]["get"]["responses"]["200"]["content"]
        assert [key for key in content if key.endswith(media)], path
