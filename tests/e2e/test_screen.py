"""The tally screen in a real browser: it shows a sale's new total, and again after a server restart."""
from __future__ import annotations

import json
import re
import time
from datetime import datetime, timezone

import pytest
import requests
from playwright.sync_api import expect

from coordinator.domain.ingest import signature_for
from tests import databases
from tests.servers import ServerProcess, load_demo


@pytest.fixture(scope="module")
def screen_server(sqlite_template, tmp_path_factory):
    """A demo server, its screen path and an ingest key to sell with."""
    url = databases.copy_sqlite(sqlite_template, tmp_path_factory.mktemp("screen") / "screen.sqlite3")
    demo = load_demo(url)
    server = ServerProcess(url).start()
    yield server, demo.screen_path, demo.key_id, demo.secret, demo.session_id, demo.product_id
    server.stop()


def sell(server, key_id, secret, session_id, product_id, order_id, amount_fen,
         occurred_at="2026-11-11T20:00:00+08:00"):
    body = json.dumps({"id": order_id, "kind": "order", "session_id": session_id, "product_id": product_id,
                       "quantity": 1, "amount_fen": amount_fen, "occurred_at": occurred_at}).encode()
    stamp = str(int(time.time()))
    response = requests.post(server.url + "/api/v1/sales", data=body, timeout=10, headers={
        "Content-Type": "application/json", "X-Coordinator-Key": key_id, "X-Coordinator-Timestamp": stamp,
        "X-Coordinator-Signature": f"sha256={signature_for(secret, stamp, body)}"})
    assert response.status_code == 200, response.text


def test_screen_follows_sales_across_a_restart(browser, screen_server, screenshot):
    server, path, key_id, secret, session_id, product_id = screen_server
    page = browser.new_page(viewport={"width": 1920, "height": 1080}, locale="zh-CN")
    page.goto(server.url + path)
    page.wait_for_selector("#conn[data-state=live]", timeout=10_000)
    assert page.inner_text("#net") == "¥0"
    sell(server, key_id, secret, session_id, product_id, "screen-1", 123_400)
    expect(page.locator("#net")).to_have_text("¥1,234", timeout=5_000)
    screenshot(page, "screen-after-sale")

    server.restart()
    page.wait_for_selector("#conn[data-state=live]", timeout=20_000)  # reconnected by itself, no reload
    sell(server, key_id, secret, session_id, product_id, "screen-2", 100_000)
    expect(page.locator("#net")).to_have_text("¥2,234", timeout=5_000)
    assert page.inner_text("#orders") == "2"
    screenshot(page, "screen-after-restart")
    page.close()


def test_unknown_screen_links_are_404_and_the_series_counts_a_sale_of_this_minute(screen_server):
    server = screen_server[0]
    assert requests.get(server.url + "/screen/lcc_screen_nope", timeout=5).status_code == 404
    path = screen_server[1]
    assert requests.get(server.url + path + "/series.json?scope=session&id=999", timeout=5).status_code == 404
    before = requests.get(server.url + path + "/series.json", timeout=5).json()
    now = datetime.now(timezone.utc)
    sell(server, *screen_server[2:], order_id="series-now", amount_fen=4_321, occurred_at=now.isoformat())
    minutes = requests.get(server.url + path + "/series.json", timeout=5).json()
    assert len(minutes) == 60 and sum(m["net_fen"] for m in minutes) == sum(m["net_fen"] for m in before) + 4_321
    current = next(m for m in minutes if m["minute"] == int(now.replace(second=0, microsecond=0).timestamp()))
    assert current["net_fen"] >= 4_321 and current["orders"] >= 1


def test_the_screen_shows_the_figures_before_its_socket_answers(browser, screen_server, screenshot):
    """On a weak line the socket can take seconds: the page itself carries the totals, leaderboards and chart."""
    server, path = screen_server[:2]
    page = browser.new_page(viewport={"width": 1920, "height": 1080}, locale="zh-CN")
    page.route("**/socket.io/**", lambda route: route.abort())  # the socket never gets through, polling
    page.route_web_socket(re.compile(r"/socket\.io/"), lambda socket: socket.close())  # nor its websocket
    page.goto(server.url + path)
    before = yuan(page.inner_text("#net")), int(page.inner_text("#orders").replace(",", ""))
    sell(server, *screen_server[2:], order_id="opening-1", amount_fen=100_000)  # whole yuan: the rounding stays put
    page.reload()
    expect(page.locator("#net")).to_have_text(f"¥{before[0] + 1000:,}")
    assert int(page.inner_text("#orders").replace(",", "")) == before[1] + 1
    assert page.locator("#by_streamer li").count() >= 1 and page.locator("#chart canvas").count() == 1
    assert page.get_attribute("#conn", "data-state") != "live" and page.inner_text("#updated") != ""
    screenshot(page, "screen-before-the-socket")
    page.close()


def yuan(text: str) -> int:
    """The whole yuan a screen figure such as ¥1,234 shows."""
    return int(text.replace("¥", "").replace(",", ""))
