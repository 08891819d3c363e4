"""The reconciliation pages in a real browser: sales posted through the signed webhook, then the platform's export
(one order as stored, one at another amount, two never posted, one naming no session of the campaign, one
unreadable) uploaded through the campaign's page; the summary counts each kind, applying stores the two missing
orders, and on a phone an export with the platform's own headers comes back asking which column is which.
Screenshots: reconcile-desk-form.png, reconcile-desk.png, reconcile-desk-applied.png, reconcile-phone.png,
reconcile-phone-mapping.png (at 1280 and 360 px)."""
from __future__ import annotations

import re
from datetime import datetime, timedelta, timezone

import pytest
from playwright.sync_api import expect

from coordinator.services.demo_data import COMMISSIONER
from tests import databases
from tests.e2e.test_pages_in_browser import DESK, PHONE, no_sideways_scroll
from tests.e2e.test_pairing_live import log_in
from tests.e2e.test_results_print import post_sales
from tests.servers import ServerProcess, load_demo

HEADER = "order_id,kind,session_id,product_id,quantity,amount_fen,occurred_at"


@pytest.fixture(scope="module")
def reconcile_server(sqlite_template, tmp_path_factory):
    """The demo on a server of its own (applying adds sales others count), with three orders of our own."""
    url = databases.copy_sqlite(sqlite_template, tmp_path_factory.mktemp("reconcile") / "reconcile.sqlite3")
    demo = load_demo(url)
    server = ServerProcess(url).start()
    at = (datetime.now(timezone.utc) - timedelta(minutes=30)).isoformat()
    post_sales(server, demo, [{"id": f"rc-e2e-{n}", "kind": "order", "session_id": demo.session_id,
                               "product_id": demo.product_id, "quantity": n, "amount_fen": 2990 * n,
                               "occurred_at": at} for n in (1, 2, 3)])
    yield server, demo, at
    server.stop()


def _export(demo, at: str) -> bytes:
    s, p = demo.session_id, demo.product_id
    lines = [f"rc-e2e-1,order,{s},{p},1,2990,{at}", f"rc-e2e-2,order,{s},{p},2,6000,{at}",
             f"rc-e2e-8,order,{s},{p},1,2990,{at}", f"rc-e2e-9,refund,{s},{p},1,2990,{at}",
             f"rc-e2e-u,order,999999,{p},1,2990,{at}", f"rc-e2e-x,order,{s},{p},two,2990,{at}"]
    return ("\n".join([HEADER, *lines]) + "\n").encode("utf-8-sig")


def _upload(page, name: str, data: bytes, key_id: str) -> None:
    page.set_input_files("#file", files=[{"name": name, "mimeType": "text/csv", "buffer": data}])
    page.select_option("#ingest_key_id", key_id)
    page.click("#compare")
    page.wait_for_load_state()


def test_an_export_is_uploaded_compared_and_applied_on_a_desk_and_fits_a_phone(browser, reconcile_server, screenshot):
    server, demo, at = reconcile_server
    context, page = log_in(browser, server, COMMISSIONER, DESK, "en-US")
    page.click("button[name=lang][value=en]")
    page.goto(f"{server.url}/campaigns/{demo.campaign_id}")
    page.click("#reconcile-link")
    expect(page.locator("#upload-form")).to_be_visible()
    page.click("#mapping summary")
    screenshot(page, "reconcile-desk-form")
    _upload(page, "orders.csv", _export(demo, at), demo.key_id)
    expect(page).to_have_url(re.compile(r"/reconciliations/\d+$"))
    counts = {kind: page.locator(f"#count-{kind}").inner_text() for kind in (
        "rows", "matched", "different", "missing_here", "unknown", "invalid")}
    assert counts == {"rows": "6", "matched": "1", "different": "1", "missing_here": "2", "unknown": "1",
                      "invalid": "1"}
    assert int(page.locator("#count-missing_there").inner_text()) >= 1  # rc-e2e-3, and the demo's own sales
    expect(page.locator('[data-order="rc-e2e-2"] mark.file-value')).to_have_text("¥60.00")
    assert no_sideways_scroll(page)
    screenshot(page, "reconcile-desk")
    page.click("#apply-button")
    expect(page.locator(".flash-info")).to_contain_text("Stored 2 missing orders; 0 were stored already.")
    expect(page.locator("#applied-note")).to_be_visible()
    screenshot(page, "reconcile-desk-applied")
    rec_url = page.url
    context.close()

    context, phone = log_in(browser, server, COMMISSIONER, PHONE)
    phone.click("button[name=lang][value=zh_Hans]")
    phone.goto(rec_url)
    expect(phone.locator("#apply-button")).to_contain_text("补录")
    assert no_sideways_scroll(phone)
    screenshot(phone, "reconcile-phone")
    phone.goto(f"{server.url}/campaigns/{demo.campaign_id}/reconciliations")
    own = f"单号,场次,货品,件数,付款金额,时间\nrc-e2e-1,{demo.session_id},{demo.product_id},1,29.90,{at}\n"
    _upload(phone, "平台导出.csv", own.encode("utf-8-sig"), demo.key_id)
    expect(phone.locator("#mapping-needed")).to_contain_text("单号")
    expect(phone.locator("#map-order_id")).to_be_visible()
    assert no_sideways_scroll(phone)
    screenshot(phone, "reconcile-phone-mapping")
    context.close()
