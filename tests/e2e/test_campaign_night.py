"""Campaign night, end to end, through the pages: a commissioner imports a spreadsheet, plans and publishes a
campaign; a host logs in on a phone with a one-time link, accepts a product and gets a reminder pushed; sales
arrive (the simulator, then signed orders we count ourselves); the tally screen and the host's page move; the
campaign closes, the screen keeps the final total and a late sale is refused. Screenshots: campaign-night-*.png."""
from __future__ import annotations

import json
import os
import subprocess
import sys
import time
from datetime import date, datetime, timedelta, timezone
from decimal import ROUND_HALF_UP, Decimal
from zoneinfo import ZoneInfo

import openpyxl
import pytest
import requests
from playwright.sync_api import expect

from coordinator.domain.ingest import signature_for
from tests import databases
from tests.e2e.test_pairing_live import log_in
from tests.servers import ROOT, ServerProcess

ZONE = ZoneInfo("Asia/Shanghai")
DESK = {"width": 1280, "height": 900}
PHONE = {"width": 360, "height": 740}
COMMISSIONER = ("zhang", "county-office-1")
COUNTIES = (("宜君县", "陕西省", "2021年网上卖出农产品超过1亿元"), ("寻乌县", "江西省", "6100户农民做电商，客服县雇用350名本地人"))
EVENINGS = "; ".join(f"{day} 18:00-23:00" for day in ("周一", "周二", "周三", "周四", "周五", "周六", "周日"))


def flask(url: str, *args: str) -> list[str]:
    """Run a contract command against the server's database; its stdout lines."""
    env = {**os.environ, "DATABASE_URL": url, "SCHEDULER_MODE": "off"}
    return subprocess.run([sys.executable, "-m", "flask", "--app", "wsgi", *args], cwd=ROOT, env=env, check=True,
                          capture_output=True, text=True, timeout=60).stdout.splitlines()


@pytest.fixture(scope="module")
def night(sqlite_template, tmp_path_factory):
    """An empty server with one commissioner, assigned by the programme's admin to two counties, an ingest key for
    the sales platform, and the embedded scheduler reminding hosts five minutes before a session."""
    folder = tmp_path_factory.mktemp("night")
    url = databases.copy_sqlite(sqlite_template, folder / "night.sqlite3")
    token = flask(url, "create-user", COMMISSIONER[0], "--role", "commissioner", "--password", COMMISSIONER[1])[-1]
    admin = {"Authorization": "Bearer " + flask(url, "create-user", "chief", "--role", "commissioner", "--admin")[-1]}
    key_id, secret = flask(url, "ingest-key", "taobao-live")[-1].split()
    server = ServerProcess(url, SCHEDULER_MODE="embedded", REMINDER_LEAD_MINUTES="5").start()
    api = {"Authorization": f"Bearer {token}"}
    me = requests.get(server.url + "/api/v1/me", headers=api, timeout=10).json()["id"]
    for name, province, story in COUNTIES:
        county = requests.post(server.url + "/api/v1/counties", json={"name": name, "province": province,
                                                                     "story": story}, headers=admin, timeout=10)
        assigned = requests.post(f"{server.url}/api/v1/counties/{county.json()['id']}/commissioners",
                                 json={"user_id": me}, headers=admin, timeout=10)
        assert county.status_code == 201 and assigned.status_code == 201
    yield server, url, api, (key_id, secret), folder
    server.stop()


def products_sheet(path, today: date) -> None:
    """Real products of DOMAIN.md under the import page's Chinese headers, and one row with a mistake."""
    book = openpyxl.Workbook()
    sheet = book.active
    sheet.append(["县域", "省份", "名称", "SKU", "品类", "价格（元）", "库存", "单位", "农产品", "上市日期", "下市日期",
                  "发货地", "卖点"])
    season = (today - timedelta(days=60), today + timedelta(days=90))
    sheet.append(["宜君县", "陕西省", "宜君苹果（5斤装）", "YJ-APPLE-5J", "fruit", 39.9, 3000, "箱", "是", *season,
                  "宜君县电商物流分拨中心", "国家平台销量从第660名升到第13名；剪纸礼盒包装"])
    sheet.append(["宜君县", "陕西省", "宜君玉米糁（500克）", "YJ-GRITS-500G", "grain", 5.8, 20000, "袋", "是", None, None,
                  "宜君县电商物流分拨中心", "5.8元一斤包邮；2021年网上卖出50万公斤"])
    sheet.append(["寻乌县", "江西省", "寻乌脐橙（10斤）", "XW-NAVEL-10J", "fruit", 59.9, 8000, "箱", "是", *season,
                  "寻乌县物流中心", "果园直采；客服县350人在线服务"])
    sheet.append(["寻乌县", "江西省", "寻乌蜂蜜", "XW-HONEY", "honey", 48, "很多", "瓶", "是", None, None, "", ""])
    book.save(path)


def streamers_sheet(path) -> None:
    book = openpyxl.Workbook()
    sheet = book.active
    sheet.append(["账号", "昵称", "平台", "粉丝数", "擅长品类", "地区", "可直播时间"])
    sheet.append(["xunwu_laozhong", "寻乌果农老钟", "抖音", "31万", "fruit", "江西寻乌", EVENINGS])
    sheet.append(["yijun_grain", "宜君粮仓", "快手", 86000, "grain", "陕西宜君", "周六 19:00-23:00"])
    book.save(path)


def import_sheet(page, server, screenshot, kind: str, path, rows: int, valid: int, name: str) -> None:
    """Upload, read the preview, import the valid rows."""
    page.goto(f"{server.url}/import/{kind}")
    page.set_input_files("#file", str(path))
    page.click("main form button[type=submit]")
    page.wait_for_load_state()
    preview = page.locator("section.card", has=page.locator("h2"))
    expect(preview).to_contain_text(str(rows))
    expect(page.locator("table.errors tbody tr")).to_have_count(rows - valid)
    screenshot(page, name)
    page.locator("form[action$='/confirm'] button").click()
    page.wait_for_load_state()
    expect(page.locator(".flash").first).to_contain_text(str(valid))


def submit(page) -> None:
    page.click("main form button[type=submit]")
    page.wait_for_load_state()


def move_campaign(page, campaign_url: str, status: str) -> None:
    """Press the campaign page's button for the next status (publish, close)."""
    page.goto(campaign_url)
    page.locator(f"form:has(input[name=status][value={status}]) button").click()
    page.wait_for_load_state()
    expect(page.locator(f"h1 .badge-{status}")).to_be_visible()


def next_minute(seconds_ahead: int = 5) -> datetime:
    """The first whole local minute at least seconds_ahead from now: what a person types to start right away."""
    moment = datetime.now(ZONE) + timedelta(seconds=seconds_ahead)
    return moment.replace(second=0, microsecond=0) + timedelta(minutes=1)


def sell(server, key, event: dict) -> requests.Response:
    body = json.dumps(event).encode()
    stamp = str(int(time.time()))
    return requests.post(server.url + "/api/v1/sales", data=body, timeout=10, headers={
        "Content-Type": "application/json", "X-Coordinator-Key": key[0], "X-Coordinator-Timestamp": stamp,
        "X-Coordinator-Signature": f"sha256={signature_for(key[1], stamp, body)}"})


def tally(server, api, scope: str, scope_id: int) -> dict:
    """A scope's totals from the API, what the pages should show."""
    answer = requests.get(f"{server.url}/api/v1/{scope}/{scope_id}/tally", headers=api, timeout=10)
    assert answer.status_code == 200, answer.text
    return answer.json()["totals"]


def screen_money(fen: int) -> str:
    """The screen's whole-yuan format (Intl rounds half away from zero)."""
    return f"¥{int((Decimal(fen) / 100).quantize(Decimal(1), ROUND_HALF_UP)):,}"


def host_money(fen: int) -> str:
    return f"¥{Decimal(fen) / 100:,.2f}"


def test_campaign_night(browser, night, screenshot):
    server, url, api, key, folder = night
    started = time.monotonic()
    today = datetime.now(ZONE).date()

    # 1. The commissioner, assigned to two counties: products and streamers from spreadsheets, a campaign, enrolments.
    desk, page = log_in(browser, server, COMMISSIONER, DESK)
    page.goto(server.url + "/counties")
    expect(page.locator("table")).to_contain_text("寻乌县")
    products_sheet(folder / "products.xlsx", today)
    streamers_sheet(folder / "streamers.xlsx")
    import_sheet(page, server, screenshot, "products", folder / "products.xlsx", 4, 3, "campaign-night-1-import-preview")
    expect(page.locator("table")).to_contain_text("宜君苹果（5斤装）")
    screenshot(page, "campaign-night-2-products")
    import_sheet(page, server, screenshot, "streamers", folder / "streamers.xlsx", 2, 2, "campaign-night-3-streamers-preview")
    expect(page.locator("table")).to_contain_text("寻乌果农老钟")

    page.goto(server.url + "/campaigns/new")
    page.fill("#name", "多一件农产品 · 冬季直播夜")
    page.fill("#starts_at", f"{today.isoformat()}T00:00")
    page.fill("#ends_at", f"{(today + timedelta(days=7)).isoformat()}T00:00")
    submit(page)
    campaign_url = page.url
    campaign_id = int(campaign_url.rstrip("/").rsplit("/", 1)[1])
    for kind in ("product", "streamer"):
        select = page.locator(f"#{kind}-item_id")
        while select.count():
            select.select_option(index=0)
            page.click(f"form[action$='/enrol/{kind}'] button")
            page.wait_for_load_state()
    expect(page.locator("main")).to_contain_text("寻乌脐橙（10斤）")
    expect(page.locator("main")).to_contain_text("宜君粮仓")

    # The pairing engine on the board.
    page.goto(f"{server.url}/campaigns/{campaign_id}/pairings")
    page.click("#run-pairing")
    page.wait_for_load_state()
    expect(page.locator("#pairing-board td .pair-proposed").first).to_be_visible()
    screenshot(page, "campaign-night-4-pairing-run")

    # 2. A one-time login link for the host, opened on their phone.
    page.goto(server.url + "/streamers")
    page.locator("tr", has_text="@xunwu_laozhong").locator("form button").click()
    page.wait_for_load_state()
    link = page.input_value("#login-link")
    board = page
    board.goto(f"{server.url}/campaigns/{campaign_id}/pairings")
    board.wait_for_selector("#live-indicator[data-state=live]", timeout=10_000)

    phone = browser.new_context(locale="zh-CN", viewport=PHONE, is_mobile=True, has_touch=True)
    host = phone.new_page()
    host.goto(link)
    host.click("#login-link button[type=submit]")
    host.wait_for_url(server.url + "/")
    product_name = "寻乌脐橙（10斤）"
    oranges = host.locator('.pairing-item[data-status="proposed"]', has_text=product_name)
    oranges.locator("button", has_text="接受").click()
    host.wait_for_load_state()
    expect(host.locator(".pairing-item[data-status=accepted]")).to_have_count(1)
    screenshot(host, "campaign-night-5-host-accepted-360")
    expect(board.locator("#pairing-board td .pair-accepted")).to_have_count(1, timeout=5_000)  # pushed, no reload
    expect(board.locator("#live-notice")).to_contain_text(product_name)
    screenshot(board, "campaign-night-6-board-live-answer")

    # Auto-plan from the accepted pairing and confirm; tonight's session is then moved to start right away.
    board.goto(f"{server.url}/campaigns/{campaign_id}/plan")
    expect(board.locator("#plan-form tbody tr").first).to_be_visible()
    screenshot(board, "campaign-night-7-plan")
    board.click("#confirm-plan")
    board.wait_for_load_state()
    card = board.locator(".cal-session").first
    expect(card).to_be_visible()
    session_id = int(card.get_attribute("data-session"))
    card.locator("a", has_text="编辑").click()
    board.wait_for_load_state()
    start = next_minute()
    board.fill("#starts_at", start.strftime("%Y-%m-%dT%H:%M"))
    board.fill("#ends_at", (start + timedelta(hours=2)).strftime("%Y-%m-%dT%H:%M"))
    board.fill("#title", "寻乌脐橙专场")
    board.click("#session-form button[type=submit]")
    board.wait_for_load_state()
    expect(board.locator(f".cal-session[data-session='{session_id}']")).to_contain_text(start.strftime("%H:%M"))
    screenshot(board, "campaign-night-8-calendar")

    # The scheduler pushes the five-minute reminder to the host's open page.
    banner = host.locator(f'.reminder[data-session="{session_id}"]')
    expect(banner).to_be_visible(timeout=10_000)
    screenshot(host, "campaign-night-9-host-reminder-360")

    # The plan is set: publish the campaign from its page.
    move_campaign(board, campaign_url, "published")
    screenshot(board, "campaign-night-10-campaign-published")

    # 3. A screen link from the screens page, opened on the war-room display.
    board.goto(f"{server.url}/campaigns/{campaign_id}/screens")
    board.fill("#name", "县电商中心大屏")
    submit(board)
    wall = browser.new_page(viewport={"width": 1920, "height": 1080}, locale="zh-CN")
    wall.goto(board.input_value("#new-screen-link"))
    wall.wait_for_selector("#conn[data-state=live]", timeout=10_000)
    expect(wall.locator("#net")).to_have_text("¥0")

    banner.locator("a").click()
    host.wait_for_url(f"{server.url}/my/sessions/{session_id}/live")
    host.wait_for_selector("#live-indicator[data-state=live]", timeout=10_000)
    wait = (start - datetime.now(ZONE)).total_seconds()
    expect(host.locator("#host-live h1 .badge")).to_have_class("badge badge-live", timeout=int(wait * 1000) + 10_000)
    print(f"waited {wait:.0f} s for the session to go live")

    # The sales platform's simulator posts into the live session for a moment.
    env = {**os.environ, "DATABASE_URL": url, "SCHEDULER_MODE": "off"}
    subprocess.run([sys.executable, "-m", "flask", "--app", "wsgi", "simulate-sales", "--campaign", str(campaign_id),
                    "--rate", "12", "--seconds", "1.5", "--url", server.url], cwd=ROOT, env=env, check=True,
                   capture_output=True, timeout=60)
    simulated = tally(server, api, "campaigns", campaign_id)
    assert simulated["orders"] > 0
    expect(wall.locator("#orders")).to_have_text(f"{simulated['orders']:,}", timeout=5_000)
    expect(wall.locator("#net")).to_have_text(screen_money(simulated["net_fen"]))
    hosted = tally(server, api, "sessions", session_id)
    expect(host.locator("#orders")).to_have_text(str(hosted["orders"]), timeout=5_000)

    # Then orders we count ourselves: two orders and a refund of one unit.
    lineup = [int(x) for x in host.locator(".lineup-item").evaluate_all("items => items.map(i => i.dataset.product)")]
    product_id = lineup[0]
    price = requests.get(f"{server.url}/api/v1/products/{product_id}", headers=api, timeout=10).json()["price_fen"]
    now = datetime.now(timezone.utc).isoformat()
    events = [("night-1", "order", 2, 2 * price), ("night-2", "order", 1, price), ("night-3", "refund", 1, price)]
    for order_id, kind, quantity, amount in events:
        answer = sell(server, key, {"id": order_id, "kind": kind, "session_id": session_id, "product_id": product_id,
                                    "quantity": quantity, "amount_fen": amount, "occurred_at": now})
        assert answer.status_code == 200, answer.text
    # Ours: 3 units ordered, 1 refunded, so 2 orders, 2 units and twice the price net, on both pages exactly.
    final = simulated["net_fen"] + 2 * price
    expect(wall.locator("#orders")).to_have_text(f"{simulated['orders'] + 2:,}", timeout=5_000)
    expect(wall.locator("#refunded")).to_have_text(screen_money(simulated["refunded_fen"] + price), timeout=5_000)
    expect(wall.locator("#units")).to_have_text(f"{simulated['units'] + 2:,}")
    expect(wall.locator("#net")).to_have_text(screen_money(final))
    expect(host.locator("#orders")).to_have_text(str(hosted["orders"] + 2), timeout=5_000)
    expect(host.locator("#units")).to_have_text(str(hosted["units"] + 2), timeout=5_000)
    expect(host.locator("#net")).to_have_text(host_money(hosted["net_fen"] + 2 * price))
    assert tally(server, api, "campaigns", campaign_id)["net_fen"] == final
    assert host.locator("#net").evaluate(  # the whole amount fits its box on a phone
        "e => e.getBoundingClientRect().right <= e.parentElement.getBoundingClientRect().right")
    screenshot(wall, "campaign-night-11-screen-live")
    screenshot(host, "campaign-night-12-host-live-360")

    # 4. Closed from the campaign page: the screen keeps the final total, a late sale is refused.
    move_campaign(board, campaign_url, "closed")
    screenshot(board, "campaign-night-13-campaign-closed")
    expect(wall.locator("#closed")).to_be_visible(timeout=5_000)  # pushed to the screen, no reload
    late = sell(server, key, {"id": "night-late", "kind": "order", "session_id": session_id, "product_id": product_id,
                              "quantity": 1, "amount_fen": price, "occurred_at": datetime.now(timezone.utc).isoformat()})
    assert late.status_code == 409, late.text
    assert tally(server, api, "campaigns", campaign_id)["net_fen"] == final
    wall.reload()
    wall.wait_for_selector("#conn[data-state=live]", timeout=10_000)
    expect(wall.locator("#closed")).to_be_visible()
    expect(wall.locator("#net")).to_have_text(screen_money(final))
    expect(wall.locator("#orders")).to_have_text(f"{simulated['orders'] + 2:,}")
    screenshot(wall, "campaign-night-14-screen-final")
    print(f"campaign night took {time.monotonic() - started:.0f} s")
    wall.close()
    phone.close()
    desk.close()
