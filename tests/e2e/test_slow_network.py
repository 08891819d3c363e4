"""The pages a county office and a host on a weak signal open most, under Chromium's emulated weak 3G (150 ms latency,
1.6 Mbps down, 750 kbps up): usable within 3 s with a cold cache and within 1 s on a repeat visit; and the two live
pages through a 30 s outage: they say they are offline, then reconnect by themselves and show the sales made meanwhile.

"Usable" is measured in the page, from its navigation start (`performance.now()`, whose origin is the navigation's
start), at the moment the page's main content is shown with its scripts run and, on the live pages, the tally from the
socket's first snapshot is on screen. The timing assertions are here because the issue asks for these figures; the
measured time is in every failure message, and bench/pages.py measures every page the same way by hand.
"""
from __future__ import annotations

import re
import time

import pytest
from playwright.sync_api import expect

from coordinator.services.demo_data import STREAMER_USER
from tests import databases
from tests.e2e.test_pairing_live import log_in
from tests.e2e.test_streamer_phone import sell
from tests.servers import ServerProcess, load_demo

WEAK_3G = {"offline": False, "latency": 150, "downloadThroughput": 200_000, "uploadThroughput": 93_750}
OFFLINE = {"offline": True, "latency": 0, "downloadThroughput": -1, "uploadThroughput": -1}
COLD_BUDGET_MS, WARM_BUDGET_MS = 3_000, 1_000
OUTAGE_S = 30
PHONE = {"width": 360, "height": 740}
WALL = {"width": 1920, "height": 1080}
MAIN_SHOWN = ("document.readyState !== 'loading' && document.querySelector('main') "
              "&& document.querySelector('main').getClientRects().length > 0")
# Page: (who opens it, viewport, when it is usable)
PAGES = {
    "login": (None, PHONE, MAIN_SHOWN + " && document.querySelector('#username') !== null"),
    "host's home": ("host", PHONE, MAIN_SHOWN + " && document.querySelector('main h1') !== null"),
    "host's live page": ("host", PHONE, MAIN_SHOWN + " && document.querySelector('#live-indicator[data-state=live]') !== null"),
    "screen": (None, WALL, MAIN_SHOWN + " && document.querySelector('#screen[data-synced=true]') !== null"),
}


@pytest.fixture(scope="module")
def weak_server(sqlite_template, tmp_path_factory):
    """A demo server of this module's own (its sales move the tallies), and the host's cookies, logged in unthrottled."""
    url = databases.copy_sqlite(sqlite_template, tmp_path_factory.mktemp("weak") / "weak.sqlite3")
    demo = load_demo(url)
    server = ServerProcess(url).start()
    yield server, demo
    server.stop()


@pytest.fixture(scope="module")
def host_cookies(browser, weak_server):
    context, _ = log_in(browser, weak_server[0], STREAMER_USER, PHONE)
    state = context.storage_state()
    context.close()
    return state


def throttled(browser, viewport: dict, state: dict | None):
    """A new context (an empty cache: a first visit) whose one page is on weak 3G, and its CDP session."""
    context = browser.new_context(locale="zh-CN", viewport=viewport, storage_state=state)
    page = context.new_page()
    cdp = context.new_cdp_session(page)
    cdp.send("Network.enable")
    cdp.send("Network.setCacheDisabled", {"cacheDisabled": False})
    cdp.send("Network.emulateNetworkConditions", WEAK_3G)
    return context, page, cdp


def usable_after(page, url: str, condition: str) -> tuple[float, float]:
    """Navigate and wait until condition holds: (ms from the navigation's start by the page's clock, ms by ours)."""
    started = time.monotonic()
    page.goto(url, wait_until="commit", timeout=30_000)
    in_page = page.wait_for_function(f"() => ({condition}) && performance.now()", polling=20, timeout=30_000)
    return in_page.json_value(), (time.monotonic() - started) * 1000


def path_of(name: str, demo) -> str:
    return {"login": "/login", "host's home": "/", "host's live page": f"/my/sessions/{demo.session_id}/live",
            "screen": demo.screen_path}[name]


@pytest.mark.parametrize("name", list(PAGES))
def test_a_page_is_usable_within_3_s_on_weak_3g_and_1_s_when_visited_again(browser, weak_server, host_cookies, name):
    server, demo = weak_server
    who, viewport, condition = PAGES[name]
    context, page, _ = throttled(browser, viewport, host_cookies if who == "host" else None)
    url = server.url + path_of(name, demo)
    cold, cold_wall = usable_after(page, url, condition)
    warm, warm_wall = usable_after(page, url, condition)
    context.close()
    print(f"{name} on weak 3G: usable after {cold:.0f} ms cold ({cold_wall:.0f} ms around goto), "
          f"{warm:.0f} ms warm ({warm_wall:.0f} ms)")
    assert cold <= COLD_BUDGET_MS, (f"{name} took {cold:.0f} ms to be usable on weak 3G with a cold cache "
                                    f"(budget {COLD_BUDGET_MS} ms; {cold_wall:.0f} ms by the test's clock)")
    assert warm <= WARM_BUDGET_MS, (f"{name} took {warm:.0f} ms to be usable on a repeat visit "
                                    f"(budget {WARM_BUDGET_MS} ms; {warm_wall:.0f} ms by the test's clock)")


def number(text: str) -> int:
    return int(re.sub(r"[^\d]", "", text))


def test_the_screen_and_the_live_page_say_offline_and_catch_up_after_30_s_without_network(
        browser, weak_server, host_cookies, screenshot):
    server, demo = weak_server
    wall_context, wall, wall_cdp = throttled(browser, WALL, None)
    phone_context, phone, phone_cdp = throttled(browser, PHONE, host_cookies)
    wall.goto(server.url + demo.screen_path)
    phone.goto(server.url + f"/my/sessions/{demo.session_id}/live")
    expect(wall.locator("#screen")).to_have_attribute("data-synced", "true", timeout=10_000)
    expect(phone.locator("#live-indicator")).to_have_attribute("data-state", "live", timeout=10_000)
    # Both say so in a live region a screen reader reads out.
    assert wall.locator("#conn").get_attribute("role") == "status"
    assert phone.locator("#live-indicator").get_attribute("role") == "status"
    wall_orders, phone_orders = number(wall.inner_text("#orders")), number(phone.inner_text("#orders"))
    wall_net, phone_net = number(wall.inner_text("#net")), number(phone.inner_text("#net"))

    # The network goes, for both at once (the outage is paid once).
    went = time.monotonic()
    for context, cdp in ((wall_context, wall_cdp), (phone_context, phone_cdp)):
        cdp.send("Network.emulateNetworkConditions", OFFLINE)
        context.set_offline(True)
    offline_text = wall.locator("#screen").get_attribute("data-offline")
    expect(wall.locator("#conn")).to_have_attribute("data-state", "offline", timeout=3_000)
    expect(wall.locator("#conn")).to_have_text(offline_text)
    expect(phone.locator("#live-indicator")).to_have_attribute("data-state", "offline", timeout=3_000)
    expect(phone.locator("#live-indicator")).to_have_text(phone.locator("#live-indicator").get_attribute("data-offline"))
    print(f"both pages said they were offline {time.monotonic() - went:.1f} s after the network went")
    screenshot(wall, "screen-offline")
    screenshot(phone, "host-live-offline-360")

    # Sales go on while the pages cannot hear of them: 3 orders of 1, 2 and 3 units at ¥39.90.
    for n in (1, 2, 3):
        sell(server, demo, f"offline-{n}", n)
    time.sleep(max(0.0, OUTAGE_S - (time.monotonic() - went)))  # the 30 s outage: a duration, not a condition
    assert number(wall.inner_text("#orders")) == wall_orders, "the screen heard of a sale while offline"
    assert number(phone.inner_text("#orders")) == phone_orders, "the live page heard of a sale while offline"
    expect(wall.locator("#conn")).to_have_attribute("data-state", "offline")
    expect(phone.locator("#live-indicator")).to_have_attribute("data-state", "offline")

    # Back: both reconnect by themselves, say so, and show the sales made meanwhile from a fresh snapshot.
    back = time.monotonic()
    for context, cdp in ((wall_context, wall_cdp), (phone_context, phone_cdp)):
        context.set_offline(False)
        cdp.send("Network.emulateNetworkConditions", WEAK_3G)
    reconnected = wall.locator("#screen").get_attribute("data-reconnected")
    expect(wall.locator("#conn")).to_have_attribute("data-state", "live", timeout=8_000)
    expect(wall.locator("#conn")).to_have_text(reconnected)
    expect(wall.locator("#orders")).to_have_text(f"{wall_orders + 3:,}", timeout=5_000)
    assert number(wall.inner_text("#net")) in (wall_net + 239, wall_net + 240)  # ¥239.40, shown in whole yuan
    expect(phone.locator("#live-indicator")).to_have_attribute("data-state", "live", timeout=8_000)
    expect(phone.locator("#live-indicator")).to_have_text(phone.locator("#live-indicator").get_attribute("data-reconnected"))
    expect(phone.locator("#orders")).to_have_text(str(phone_orders + 3), timeout=5_000)
    assert number(phone.inner_text("#net")) == phone_net + 23_940  # the host's page shows fen: ¥239.40
    print(f"both pages showed the outage's sales {time.monotonic() - back:.1f} s after the network came back")
    screenshot(wall, "screen-reconnected")
    screenshot(phone, "host-live-reconnected-360")

    # And they are live again: the next sale arrives as a push.
    sell(server, demo, "online-1", 1)
    expect(wall.locator("#orders")).to_have_text(f"{wall_orders + 4:,}", timeout=5_000)
    expect(phone.locator("#orders")).to_have_text(str(phone_orders + 4), timeout=5_000)
    wall_context.close()
    phone_context.close()
