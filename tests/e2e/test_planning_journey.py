"""From the pages alone: an admin registers a county and assigns a new commissioner to it, who then plans three
products, two streamers and a campaign."""
from __future__ import annotations

import os
import subprocess
import sys

import pytest

from tests import databases
from tests.servers import ROOT, ServerProcess


@pytest.fixture(scope="module")
def empty_server(sqlite_template, tmp_path_factory):
    """A server with an admin and one commissioner account and nothing else."""
    url = databases.copy_sqlite(sqlite_template, tmp_path_factory.mktemp("journey") / "journey.sqlite3")
    env = {**os.environ, "DATABASE_URL": url, "SCHEDULER_MODE": "off"}
    for name, password, flags in (("zhang", "county-office-1", []), ("chief", "programme-office-1", ["--admin"])):
        subprocess.run([sys.executable, "-m", "flask", "--app", "wsgi", "create-user", name, "--role", "commissioner",
                        "--password", password, *flags], cwd=ROOT, env=env, check=True, capture_output=True, timeout=60)
    server = ServerProcess(url).start()
    yield server
    server.stop()


def submit(page) -> None:
    page.click("main form button[type=submit]")
    page.wait_for_load_state()


def log_in(context, server, username, password):
    page = context.new_page()
    page.goto(server.url + "/login")
    page.fill("#username", username)
    page.fill("#password", password)
    page.click("button.wide-button")
    page.wait_for_url(server.url + "/")
    return page


def test_plan_a_campaign_from_the_pages(browser, empty_server, screenshot):
    office = browser.new_context(locale="zh-CN", viewport={"width": 1280, "height": 900})
    admin = log_in(office, empty_server, "chief", "programme-office-1")
    admin.click("nav >> text=县域")
    admin.fill("#name", "寻乌县")
    admin.fill("#province", "江西省")
    admin.fill("#story", "6100户农民做电商")
    submit(admin)
    admin.locator("#user_id").select_option(label="zhang")
    admin.click("form[action$='/commissioners'] button")
    admin.wait_for_load_state()
    screenshot(admin, "journey-1-county-assigned")
    assert "zhang" in admin.inner_text("#commissioners")
    office.close()

    context = browser.new_context(locale="zh-CN", viewport={"width": 1280, "height": 900})
    page = log_in(context, empty_server, "zhang", "county-office-1")
    screenshot(page, "journey-0-empty-dashboard")
    assert "还没有活动" in page.inner_text("main")
    page.click("nav >> text=县域")
    assert "寻乌县" in page.inner_text("table") and page.locator("#name").count() == 0  # no county form for him

    products = [("寻乌脐橙（10斤）", "XW-NAVEL", "fruit", "59.90", "8000", "2026-11-01", "2027-02-28"),
                ("寻乌百香果（3斤）", "XW-PASSION", "fruit", "29.90", "4000", "2026-06-01", "2026-10-15"),
                ("寻乌蜂蜜", "XW-HONEY", "honey", "48", "600", "", "")]
    for name, sku, category, price, stock, start, end in products:
        page.goto(empty_server.url + "/products/new")
        page.fill("#name", name)
        page.fill("#sku", sku)
        page.fill("#category", category)
        page.fill("#price_yuan", price)
        page.fill("#stock", stock)
        if start:
            page.fill("#available_from", start)
            page.fill("#available_to", end)
        page.fill("#selling_points", "果园直采\n客服县在线服务")
        submit(page)
    screenshot(page, "journey-2-products")
    table = page.inner_text("table")
    assert all(name in table for name, *_ in products) and "¥59.90" in table
    assert page.locator(".badge-warn", has_text="不在产季").count() == 1  # passion fruit, past its window

    page.goto(empty_server.url + "/products/new")
    page.fill("#name", "坏数据")
    page.fill("#sku", "XW-NAVEL")
    page.fill("#category", "fruit")
    page.fill("#price_yuan", "10")
    page.fill("#stock", "1")
    submit(page)
    assert page.locator(".field-error").count() == 1  # the SKU is taken, said beside the field
    screenshot(page, "journey-3-product-error")

    for handle, name, followers, windows in (("xunwu_laozhong", "寻乌果农老钟", "310000", "周五 19:00-24:00"),
                                              ("fruit_hunter", "鲜果猎人", "2800000", "周六 20:00-24:00")):
        page.goto(empty_server.url + "/streamers/new")
        page.fill("#handle", handle)
        page.fill("#display_name", name)
        page.select_option("#platform", "douyin")
        page.fill("#followers", followers)
        page.fill("#categories", "fruit")
        page.fill("#availability", windows)
        submit(page)
    screenshot(page, "journey-4-streamers")
    assert "寻乌果农老钟" in page.inner_text("table") and "周五 19:00-24:00" in page.inner_text("table")

    page.goto(empty_server.url + "/campaigns/new")
    page.fill("#name", "多一件农产品 · 双十一")
    page.fill("#starts_at", "2026-11-01T00:00")
    page.fill("#ends_at", "2026-11-12T00:00")
    submit(page)
    assert "覆盖情况" in page.inner_text("main")
    for kind, count in (("product", 3), ("streamer", 2)):
        for _ in range(count):
            page.locator(f"#{kind}-item_id").select_option(index=0)
            page.click(f"form[action$='/enrol/{kind}'] button")
            page.wait_for_load_state()
    screenshot(page, "journey-5-campaign")
    main = page.inner_text("main")
    assert "寻乌蜂蜜" in main and "鲜果猎人" in main and "暂无主播" in main
    assert page.locator("table.audit tbody tr").count() >= 6  # every enrolment is in the audit trail
    context.close()
