"""A streamer answers on a phone while the commissioner watches the board change without a reload."""
from __future__ import annotations

from playwright.sync_api import expect

from coordinator.services.demo_data import COMMISSIONER, STREAMER_USER


def log_in(browser, server, account, viewport, locale="zh-CN"):
    context = browser.new_context(locale=locale, viewport=viewport)
    page = context.new_page()
    page.goto(server.url + "/login")
    page.fill("#username", account[0])
    page.fill("#password", account[1])
    page.click("button.wide-button")
    page.wait_for_url(server.url + "/")
    return context, page


def test_decline_on_a_phone_shows_live_on_the_board_and_stays_out_of_reruns(browser, demo_server, screenshot):
    desk, board = log_in(browser, demo_server, COMMISSIONER, {"width": 1400, "height": 900}, "en-US")
    board.goto(demo_server.url + "/campaigns/1/pairings")
    board.click("#run-pairing")
    board.wait_for_load_state()
    board.wait_for_selector("#live-indicator[data-state=live]")
    screenshot(board, "pairing-board-after-run")
    declined = board.locator("#pairing-board td .pair-declined")
    earlier = declined.count()  # the demo's hosts declined some pairings already

    phone, host = log_in(browser, demo_server, STREAMER_USER, {"width": 360, "height": 740})
    assert host.evaluate("document.documentElement.scrollWidth <= 360")
    first = host.locator(".pairing-item[data-status=proposed]").first
    product = first.locator("strong").inner_text()
    screenshot(host, "streamer-pairings-360")
    first.locator("summary", has_text="拒绝").click()
    first.locator("textarea").fill("这周已经在卖同类产品")
    first.locator("button", has_text="拒绝").click()
    host.wait_for_load_state()
    assert "谢谢" in host.inner_text(".flash")
    screenshot(host, "streamer-declined-360")

    expect(declined).to_have_count(earlier + 1)  # pushed over Socket.IO, no reload
    assert product in board.inner_text("#live-notice")
    screenshot(board, "pairing-board-live-decline")

    board.click("#run-pairing")
    board.wait_for_load_state()
    expect(declined).to_have_count(earlier + 1)  # still there, not proposed again
    desk.close()
    phone.close()
