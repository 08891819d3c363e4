"""A host on a 360×740 phone: logs in with the link the commissioner made, answers two pairings, reads a
product brief, turns notifications on and gets a pushed reminder, and watches the tally move during a sale.
Page weight, sideways scrolling and tap target sizes are measured on the way; screenshots land in tests/artifacts/."""
from __future__ import annotations

import json
import time
from datetime import datetime, timedelta, timezone

import pytest
import requests
from playwright.sync_api import expect
from sqlalchemy import create_engine, text

from coordinator.domain.ingest import signature_for
from coordinator.services.demo_data import COMMISSIONER
from tests import databases
from tests.e2e.test_pairing_live import log_in
from tests.servers import ServerProcess, load_demo

PHONE = {"width": 360, "height": 740}
MAX_FIRST_LOAD = 300 * 1024
# Every visible control in the main content, with its size: a thumb needs 40 px each way.
SMALL_TARGETS = """() => Array.from(document.querySelectorAll('main a, main button, main summary, main select, main input'))
  .filter(e => e.offsetParent !== null)
  .map(e => { const r = e.getBoundingClientRect(); return [r.width, r.height, e.outerHTML.slice(0, 90)]; })
  .filter(([w, h]) => w < 40 || h < 40)"""
# The browser's Notification API with a permission prompt that answers "allow" (remembered for the site, as
# browsers do), recording what is shown.
FAKE_NOTIFICATIONS = """(() => {
  let permission = localStorage.getItem("fake-permission") || "default";
  window.__notes = [];
  function Fake(title, options) { window.__notes.push([title, options && options.body]); }
  Object.defineProperty(Fake, "permission", { get: () => permission });
  Fake.requestPermission = () => {
    permission = "granted";
    localStorage.setItem("fake-permission", permission);
    return Promise.resolve(permission);
  };
  window.Notification = Fake;
})();"""


@pytest.fixture(scope="module")
def portal(sqlite_template, tmp_path_factory):
    """A demo server with its scheduler running (reminders due at once), engine proposals made, and what a sale needs."""
    url = databases.copy_sqlite(sqlite_template, tmp_path_factory.mktemp("portal") / "portal.sqlite3")
    demo = load_demo(url)
    server = ServerProcess(url, SCHEDULER_MODE="embedded", REMINDER_LEAD_MINUTES="600").start()
    headers = {"Authorization": f"Bearer {demo.api_token}"}
    assert requests.post(f"{server.url}/api/v1/campaigns/{demo.campaign_id}/pairings/auto", headers=headers,
                         timeout=60).status_code == 200
    engine = create_engine(url)
    with engine.connect() as connection:
        streamer_id = connection.scalar(text("SELECT id FROM streamers WHERE handle = 'yijun_xiaomei'"))
        grits = connection.scalar(text("SELECT id FROM products WHERE sku = 'YJ-GRITS-500G'"))
        proposed = connection.scalar(text("SELECT count(*) FROM pairings WHERE streamer_id = :s AND status = 'proposed'"),
                                     {"s": streamer_id})
    engine.dispose()
    assert proposed >= 2, "the engine should propose at least two products to the demo host"
    yield server, demo, headers, streamer_id, grits
    server.stop()


def sell(server, demo, order_id: str, quantity: int) -> None:
    body = json.dumps({"id": order_id, "kind": "order", "session_id": demo.session_id, "product_id": demo.product_id,
                       "quantity": quantity, "amount_fen": 3990 * quantity,
                       "occurred_at": datetime.now(timezone.utc).isoformat()}).encode()
    stamp = str(int(time.time()))
    response = requests.post(server.url + "/api/v1/sales", data=body, timeout=10, headers={
        "Content-Type": "application/json", "X-Coordinator-Key": demo.key_id, "X-Coordinator-Timestamp": stamp,
        "X-Coordinator-Signature": f"sha256={signature_for(demo.secret, stamp, body)}"})
    assert response.status_code == 200, response.text


def login_link(browser, server) -> str:
    """The commissioner makes a link on the streamers page, as they would before sending it over chat."""
    desk, page = log_in(browser, server, COMMISSIONER, {"width": 1280, "height": 800})
    page.goto(server.url + "/streamers")
    page.locator("tr", has_text="@yijun_xiaomei").locator("form button").click()
    page.wait_for_load_state()
    link = page.input_value("#login-link")
    desk.close()
    return link


def looks_right_on_a_phone(page) -> None:
    assert page.evaluate("document.documentElement.scrollWidth") <= 360, page.url
    assert page.evaluate(SMALL_TARGETS) == [], page.url


def test_a_host_runs_their_evening_from_a_phone(browser, portal, screenshot):
    server, demo, headers, streamer_id, grits = portal
    link = login_link(browser, server)
    phone = browser.new_context(locale="zh-CN", viewport=PHONE, is_mobile=True, has_touch=True)
    phone.add_init_script(FAKE_NOTIFICATIONS)
    page = phone.new_page()
    transferred: list[int] = []
    page.on("requestfinished", lambda request: transferred.append(
        max(request.sizes()["responseBodySize"], 0) + request.sizes()["responseHeadersSize"]))

    # Log in: the link asks first (chat previews must not use it up), then lands on "my campaign".
    page.goto(link)
    screenshot(page, "portal-link-360")
    page.click("#login-link button[type=submit]")
    page.wait_for_url(server.url + "/")
    page.wait_for_load_state("networkidle")
    first_load = sum(transferred)
    assert first_load <= MAX_FIRST_LOAD, f"first load {first_load} bytes"
    print(f"first load on a phone: {first_load} bytes in {len(transferred)} responses")
    assert "宜君小美" in page.locator("h1").inner_text()
    assert page.locator("html").get_attribute("lang") == "zh-Hans"
    session = page.locator(f'.session-item[data-session="{demo.session_id}"]')
    assert session.locator(".lineup-links li").count() == 3
    expect(session.locator(".countdown")).not_to_be_empty()
    looks_right_on_a_phone(page)
    screenshot(page, "portal-home-360")

    # Turn notifications on (the prompt is answered "allow").
    page.click("#enable-notifications")
    expect(page.locator("#notify-offer")).to_be_hidden()

    # Accept one proposal, decline another with a reason.
    proposed = page.locator('.pairing-item[data-status="proposed"]')
    accepted_product = proposed.first.get_attribute("data-product")
    proposed.first.locator("button", has_text="接受").click()
    page.wait_for_load_state()
    assert "谢谢" in page.inner_text(".flash")
    expect(page.locator(f'.pairing-item[data-product="{accepted_product}"]')).to_have_attribute("data-status", "accepted")
    second = page.locator('.pairing-item[data-status="proposed"]').first
    declined_product = second.get_attribute("data-product")
    second.locator("summary").click()
    second.locator("textarea").fill("这周档期已满")
    second.locator("button", has_text="拒绝").click()
    page.wait_for_load_state()
    declined = page.locator(f'.pairing-item[data-product="{declined_product}"]')
    expect(declined).to_have_attribute("data-status", "declined")
    assert "这周档期已满" in declined.inner_text()
    screenshot(page, "portal-answered-360")

    # A reminder pushed by the scheduler: a banner with the session brief one tap away, and a notification.
    start = _free_hour(server.url, headers, streamer_id)
    created = requests.post(server.url + "/api/v1/sessions", headers=headers, timeout=10, json={
        "campaign_id": demo.campaign_id, "streamer_id": streamer_id, "starts_at": start.isoformat(),
        "ends_at": (start + timedelta(hours=1)).isoformat(), "product_ids": [grits]})
    assert created.status_code == 201, created.text
    banner = page.locator(f'.reminder[data-session="{created.json()["id"]}"]')
    expect(banner).to_be_visible(timeout=10_000)
    assert page.evaluate("window.__notes.length") == 1
    looks_right_on_a_phone(page)
    screenshot(page, "portal-reminder-360")
    banner.locator("a").click()
    page.wait_for_url(f"{server.url}/my/sessions/{created.json()['id']}/live")
    expect(page.locator(".lineup-item")).to_have_count(1)
    page.goto(server.url + "/")

    # The session brief: a product's picture, price, stock, season, origin, points to read out, county story.
    session.locator(".lineup-links a").first.click()
    page.wait_for_url(f"{server.url}/my/products/{demo.product_id}")
    assert page.locator("h1").inner_text() == "宜君苹果（5斤装）"
    assert page.locator(".brief-picture").evaluate("img => img.naturalWidth > 0")
    assert page.locator(".on-air li").count() == 3 and "宜君县" in page.inner_text("#story")
    assert page.evaluate("parseFloat(getComputedStyle(document.querySelector('.on-air')).fontSize)") >= 20
    looks_right_on_a_phone(page)
    screenshot(page, "portal-brief-360")

    # On air: the tally and the stock left move with a sale, without a reload.
    page.locator(f'a[href="/my/sessions/{demo.session_id}/live"]').first.click()
    page.wait_for_selector("#live-indicator[data-state=live]", timeout=10_000)
    orders = int(page.inner_text("#orders"))
    item = page.locator(f'.lineup-item[data-product="{demo.product_id}"] .left')
    left = int(item.inner_text())
    sell(server, demo, "phone-1", 5)
    expect(page.locator("#orders")).to_have_text(str(orders + 1), timeout=5_000)
    expect(item).to_have_text(str(left - 5))
    looks_right_on_a_phone(page)
    screenshot(page, "portal-live-360")

    page.goto(server.url + "/my/profile")
    looks_right_on_a_phone(page)
    screenshot(page, "portal-profile-360")
    phone.close()


def _free_hour(url: str, headers: dict, streamer_id: int) -> datetime:
    """A start within the reminder lead (10 h) whose hour clashes with none of the host's demo sessions."""
    busy = [(datetime.fromisoformat(s["starts_at"]), datetime.fromisoformat(s["ends_at"]))
            for s in requests.get(f"{url}/api/v1/sessions", headers=headers, timeout=10,
                                  params={"streamer_id": streamer_id, "per_page": 200}).json()["items"]
            if s["status"] in ("scheduled", "live")]
    gap = timedelta(minutes=15)
    for minutes in range(60, 9 * 60, 15):
        start = datetime.now(timezone.utc) + timedelta(minutes=minutes)
        if all(start + timedelta(hours=1) + gap <= begins or start >= ends + gap for begins, ends in busy):
            return start
    raise AssertionError("the demo host has no free hour in the next nine")
