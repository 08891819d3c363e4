"""The shipping import and the board's export on the pages: a county partner downloads the sheet of their approved
samples, fills in carriers and numbers, sees every bad row in the preview, ships the valid rows, and downloads the
board."""
from __future__ import annotations

import csv
import io
import re

import pytest
from openpyxl import load_workbook

from coordinator.extensions import db
from coordinator.models import Sample
from tests.access.matrix import logged_in
from tests.access.world import build

EN = {"Accept-Language": "en"}
UPLOAD_ID = re.compile(r'name="upload_id" value="([0-9a-f]{32})"')


@pytest.fixture
def world(app, clock):
    with app.app_context():
        return build()


def _upload(browser, path: str, text: str):
    return browser.post(path, data={"file": (io.BytesIO(text.encode("utf-8-sig")), "shipping.csv")},
                        content_type="multipart/form-data", headers=EN)


def test_a_partner_fills_in_the_sheet_previews_it_and_ships_the_valid_rows(app, world):
    browser = logged_in(app, "partner")
    page = f"/campaigns/{world.ids['C']}/samples/import"
    shown = browser.get(page, headers=EN).get_data(as_text=True)
    assert "Download the shipping sheet (CSV)" in shown and f"{page}/template.csv" in shown
    sheet = browser.get(f"{page}/template.csv")
    assert sheet.status_code == 200 and "attachment" in sheet.headers["Content-Disposition"]
    rows = list(csv.reader(io.StringIO(sheet.data.decode("utf-8-sig"))))
    assert rows[0] == ["样品编号", "配对编号", "县域", "产品", "SKU", "数量", "主播", "收件人", "电话", "收件地址",
                       "快递公司", "快递单号"]
    # Only the approved sample: the requested one needs approval first, the shipped one has gone.
    assert rows[1:] == [[str(world.ids["SM_app"]), str(world.ids["P_hostB2"]), "普安县", "普安县PB2", "SKU-PB2", "2",
                         "s1", "王小明", "13800000000", "陕西省铜川市宜君县城关镇1号", "", ""]]
    rows[1][10:12] = ["顺丰", "SF1234567890128"]
    rows.append([str(world.ids["SM_req"]), "", "", "", "", "", "", "", "", "", "sf", "SF1234567890129"])
    filled = "\n".join(",".join(row) for row in rows)
    preview = _upload(browser, page, filled)
    assert preview.status_code == 200
    text = preview.get_data(as_text=True)
    assert "2 rows: 1 ready to ship, 1 with errors." in text
    assert ('<td class="num" data-label="Row">3</td><td data-label="Column">样品编号</td>'
            '<td data-label="Problem">this sample is requested: approve it first</td>') in text
    assert "Ship the 1 valid row" in text
    with app.app_context():
        assert db.session.get(Sample, world.ids["SM_app"]).status == "approved"  # a preview ships nothing
    confirmed = browser.post(f"{page}/confirm", data={"upload_id": UPLOAD_ID.search(text).group(1),
                                                      "mode": "valid_rows"}, headers=EN)
    assert confirmed.status_code == 302
    assert confirmed.headers["Location"].startswith(f"/campaigns/{world.ids['C']}")
    with app.app_context():
        sample = db.session.get(Sample, world.ids["SM_app"])
        assert (sample.status, sample.carrier, sample.tracking_number) == ("shipped", "sf", "SF1234567890128")
        assert db.session.get(Sample, world.ids["SM_req"]).status == "requested"
    board = browser.get(confirmed.headers["Location"], headers=EN).get_data(as_text=True)
    assert "Shipped 1 sample; its host is told." in board
    again = browser.post(f"{page}/confirm", data={"upload_id": UPLOAD_ID.search(text).group(1), "mode": "valid_rows"})
    assert again.status_code == 302 and again.headers["Location"] == page  # the staged file is used up


def test_all_or_nothing_is_offered_only_when_every_row_is_valid(app, world):
    browser = logged_in(app, "owner")
    page = f"/campaigns/{world.ids['C']}/samples/import"
    text = _upload(browser, page, f"样品编号,快递公司,快递单号\n{world.ids['SM_app']},EMS,EA123456789CN\n").get_data(
        as_text=True)
    assert "Ship the 1 sample" in text and 'value="all_or_nothing"' in text and "valid_rows" not in text
    bad = _upload(browser, page, "样品编号,快递公司\n1,sf\n").get_data(as_text=True)
    assert "The sheet needs the columns" in bad and "Preview</h2>" not in bad


def test_the_board_downloads_from_the_pages_with_a_partners_share(app, world):
    browser = logged_in(app, "partner")
    book = load_workbook(io.BytesIO(browser.get(f"/campaigns/{world.ids['C']}/samples.xlsx").data))
    assert [row[0] for row in book["样品"].iter_rows(min_row=2, values_only=True)] == sorted(
        world.ids[k] for k in ("SM_req", "SM_app", "SM_ship"))
    text = browser.get(f"/campaigns/{world.ids['C']}/samples.csv").data.decode("utf-8-sig")
    assert text.startswith("样品编号,县域,产品") and "SF1234567890123" in text
    assert logged_in(app, "host").get(f"/campaigns/{world.ids['C']}/samples.csv").status_code == 403
    assert logged_in(app, "viewer").get(f"/campaigns/{world.ids['C']}/samples/import").status_code == 403
