"""The reconciliation pages with sales posted through the signed webhook: the upload form offers the campaign's keys,
an export with every kind of difference lands on its page with each kind listed (the stored value beside the file's,
problems in words), an export with unknown headers comes back with its columns to map, applying stores the missing
orders once, the diff downloads, a viewer reads but changes nothing, and the page speaks Chinese."""
from __future__ import annotations

import csv
import io
import re

import pytest
from openpyxl import load_workbook

from coordinator.extensions import db
from coordinator.models import Campaign, CampaignMember, Reconciliation, SaleEvent
from tests.access.matrix import logged_in
from tests.api.test_reconcile_api import export  # noqa: F401 - fixture
from tests.api.test_report_api import sold, world  # noqa: F401 - fixtures
from tests.factories import make_user

EN, ZH = {"Accept-Language": "en"}, {"Accept-Language": "zh-CN"}
PASSWORD = "correct horse"


@pytest.fixture
def people(app, sold):
    """An admin (who may change the campaign) and a viewer on its team, logged in."""
    with app.app_context():
        make_user("chief", is_admin=True)
        viewer = make_user("looker")
        db.session.add(CampaignMember(campaign_id=sold["ids"]["C"], user_id=viewer.id, role="viewer"))
        db.session.commit()
    return {"chief": logged_in(app, "chief", PASSWORD), "viewer": logged_in(app, "looker", PASSWORD)}


def _upload(browser, campaign_id: int, data: bytes, key_id: str, name="orders.csv", mapping=None):
    form = {"file": (io.BytesIO(data), name), "ingest_key_id": key_id,
            **{f"map-{field}": column for field, column in (mapping or {}).items()}}
    return browser.post(f"/campaigns/{campaign_id}/reconciliations", data=form, content_type="multipart/form-data",
                        headers=EN)


def _made(app, sold, people, export) -> int:
    answer = _upload(people["chief"], sold["ids"]["C"], export, sold["key"][0])
    assert answer.status_code == 302, answer.get_data(as_text=True)
    found = re.fullmatch(r"/reconciliations/(\d+)", answer.headers["Location"])
    assert found, answer.headers["Location"]
    return int(found.group(1))


def _count(html: str, kind: str) -> int:
    return int(re.search(rf'id="count-{kind}">(\d+)<', html).group(1))


def test_the_form_offers_the_keys_and_an_upload_lists_every_kind(app, sold, people, export):
    c, key_id = sold["ids"]["C"], sold["key"][0]
    form = people["chief"].get(f"/campaigns/{c}/reconciliations", headers=EN).get_data(as_text=True)
    assert 'id="upload-form"' in form and 'enctype="multipart/form-data"' in form
    assert f'<option value="{key_id}"' in form and f"淘宝直播 · {key_id}" in form
    assert 'name="map-order_id"' in form and 'name="map-amount_yuan"' in form and "订单编号" in form
    assert "No export reconciled yet." in form
    rec_id = _made(app, sold, people, export)
    page = people["chief"].get(f"/reconciliations/{rec_id}", headers=EN).get_data(as_text=True)
    assert "Compared 11 rows of orders.csv." in page
    assert {kind: _count(page, kind) for kind in ("rows", "matched", "different", "missing_here", "missing_there",
                                                  "unknown", "invalid")} == {
        "rows": 11, "matched": 1, "different": 3, "missing_here": 2, "missing_there": 2, "unknown": 3, "invalid": 2}
    order = [page.index(f'id="kind-{kind}"') for kind in ("different", "missing_here", "missing_there", "unknown",
                                                          "invalid", "matched")]
    assert order == sorted(order)
    assert '<details class="card rec-section kind-matched" id="kind-matched">' in page  # collapsed
    o2 = page[page.index('data-order="o-2"'):]
    o2 = o2[:o2.index("</tr>")]
    assert '<mark class="file-value">¥60.00</mark> <span class="stored-value">stored ¥68.00</span>' in o2
    assert "宜君苹果" in page and "普安红茶" in page and "S1" in page  # names of products and sessions
    assert "no session 999999 in this campaign" in page and "Quantity: " in page  # problems in words
    assert "— not in the file —" in page  # the missing-there rows
    assert "Apply: store the 2 missing orders" in page and not re.search(r'id="apply-button"[^>]* disabled', page)
    listed = people["chief"].get(f"/campaigns/{c}/reconciliations", headers=EN).get_data(as_text=True)
    assert f'href="/reconciliations/{rec_id}"' in listed and "orders.csv" in listed


def test_unknown_headers_come_back_with_the_files_columns_and_the_choice_is_remembered(app, sold, people):
    ids, key_id = sold["ids"], sold["key"][0]
    own = ("单号,场次,货品,件数,付款金额,时间\n"
           f"o-2,{ids['S1']},{ids['tea']},1,68.00,2026-11-10 19:30\n").encode("utf-8-sig")
    refused = _upload(people["chief"], ids["C"], own, key_id)
    assert refused.status_code == 422
    text = refused.get_data(as_text=True)
    assert 'id="mapping-needed"' in text and "The file’s columns:" in text
    assert all(f'<span class="tag column-name">{c}</span>' in text for c in ("单号", "场次", "货品", "件数"))
    assert '<select id="map-order_id" name="map-order_id"' in text and '<option value="付款金额">' in text
    assert "Choose the file’s column for this field." in text
    mapping = {"order_id": "单号", "session_id": "场次", "product_id": "货品", "quantity": "件数",
               "amount_yuan": "付款金额", "occurred_at": "时间"}
    assert _upload(people["chief"], ids["C"], own, key_id, mapping=mapping).status_code == 302
    form = people["chief"].get(f"/campaigns/{ids['C']}/reconciliations", headers=EN).get_data(as_text=True)
    assert 'name="map-order_id" data-mapping-field="order_id" value="单号"' in form  # remembered for the key
    again = _upload(people["chief"], ids["C"], own, key_id, mapping=mapping)  # the form as it came: no mapping
    assert again.status_code == 302
    with app.app_context():
        assert db.session.query(Reconciliation).order_by(Reconciliation.id.desc()).first().matched == 1
        count = db.session.query(Reconciliation).count()
    damaged = _upload(people["chief"], ids["C"], b"\x00\x01garbage", key_id, name="orders.xlsx")
    assert damaged.status_code == 400 and "not a readable XLSX workbook" in damaged.get_data(as_text=True)
    no_file = people["chief"].post(f"/campaigns/{ids['C']}/reconciliations", data={"ingest_key_id": key_id},
                                   content_type="multipart/form-data", headers=EN)
    assert no_file.status_code == 422 and 'id="upload-form"' in no_file.get_data(as_text=True)
    with app.app_context():
        assert db.session.query(Reconciliation).count() == count


def test_apply_stores_the_missing_orders_once(app, sold, people, export):
    rec_id = _made(app, sold, people, export)
    with app.app_context():
        before = db.session.query(SaleEvent).count()
    first = people["chief"].post(f"/reconciliations/{rec_id}/apply", headers=EN)
    assert first.status_code == 302 and first.headers["Location"] == f"/reconciliations/{rec_id}"
    page = people["chief"].get(first.headers["Location"], headers=EN).get_data(as_text=True)
    assert "Stored 2 missing orders; 0 were stored already." in page and 'id="applied-note"' in page
    second = people["chief"].post(f"/reconciliations/{rec_id}/apply", headers=EN, follow_redirects=True)
    assert "Stored 0 missing orders; 2 were stored already." in second.get_data(as_text=True)
    with app.app_context():
        assert db.session.query(SaleEvent).count() == before + 2
        db.session.get(Campaign, sold["ids"]["C"]).status = "closed"
        db.session.commit()
    closed = people["chief"].get(f"/reconciliations/{rec_id}", headers=EN).get_data(as_text=True)
    assert re.search(r'id="apply-button"[^>]* disabled', closed)
    assert "The campaign is closed and takes no more sales" in closed
    refused = people["chief"].post(f"/reconciliations/{rec_id}/apply", headers=EN, follow_redirects=True)
    assert "closed" in refused.get_data(as_text=True)
    with app.app_context():
        assert db.session.query(SaleEvent).count() == before + 2


def test_the_diff_downloads_and_a_viewer_reads_without_changing(app, sold, people, export):
    rec_id = _made(app, sold, people, export)
    viewer = people["viewer"]
    sheet = viewer.get(f"/reconciliations/{rec_id}/diff.csv")
    assert sheet.status_code == 200 and "attachment" in sheet.headers["Content-Disposition"]
    rows = list(csv.reader(io.StringIO(sheet.data.decode("utf-8-sig"))))
    assert rows[0][:3] == ["差异", "文件行号", "订单编号"] and len(rows) == 1 + 12
    book = load_workbook(io.BytesIO(viewer.get(f"/reconciliations/{rec_id}/diff.xlsx").data))
    assert book.active.max_row == 13
    listing = viewer.get(f"/campaigns/{sold['ids']['C']}/reconciliations", headers=EN).get_data(as_text=True)
    assert 'id="upload-form"' not in listing and f'href="/reconciliations/{rec_id}"' in listing
    page = viewer.get(f"/reconciliations/{rec_id}", headers=EN).get_data(as_text=True)
    assert 'id="count-missing_here">2<' in page and 'id="apply-button"' not in page
    assert viewer.post(f"/reconciliations/{rec_id}/apply").status_code == 403
    assert _upload(viewer, sold["ids"]["C"], export, sold["key"][0]).status_code == 403


def test_the_links_and_the_chinese_page(app, sold, people, export):
    c = sold["ids"]["C"]
    rec_id = _made(app, sold, people, export)
    campaign = people["chief"].get(f"/campaigns/{c}", headers=EN).get_data(as_text=True)
    assert f'href="/campaigns/{c}/reconciliations" id="reconcile-link"' in campaign
    results = people["chief"].get(f"/campaigns/{c}/results", headers=EN).get_data(as_text=True)
    assert f'href="/campaigns/{c}/reconciliations" id="reconcile-link"' in results
    partner = logged_in(app, "puan", PASSWORD)  # 普安县's partner reads the results, not the reconciliations
    assert 'id="reconcile-link"' not in partner.get(f"/campaigns/{c}/results", headers=EN).get_data(as_text=True)
    assert partner.get(f"/campaigns/{c}/reconciliations").status_code == 403
    zh = people["chief"].get(f"/reconciliations/{rec_id}", headers=ZH).get_data(as_text=True)
    assert "本系统缺少" in zh and "一致" in zh and "文件行数" in zh and "补录：存入缺少的 2 笔订单" in zh
