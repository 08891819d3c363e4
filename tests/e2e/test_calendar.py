"""A new commissioner's week: pair, auto-plan the demo campaign, drag a session on the calendar, and the host's
iCal feed follows."""
from __future__ import annotations

from datetime import datetime
from zoneinfo import ZoneInfo

import icalendar
import pytest
import requests
from playwright.sync_api import expect

from coordinator.services.demo_data import COMMISSIONER, STREAMER_USER
from tests import databases
from tests.servers import ServerProcess, load_demo


@pytest.fixture(scope="module")
def planning_server(sqlite_template, tmp_path_factory):
    """A demo server of this module's own, so other browser tests' answers do not change its plan."""
    url = databases.copy_sqlite(sqlite_template, tmp_path_factory.mktemp("calendar") / "calendar.sqlite3")
    load_demo(url)
    server = ServerProcess(url).start()
    yield server
    server.stop()


def log_in(browser, server, account, viewport):
    context = browser.new_context(locale="zh-CN", viewport=viewport)
    page = context.new_page()
    page.goto(server.url + "/login")
    page.fill("#username", account[0])
    page.fill("#password", account[1])
    page.click("button.wide-button")
    page.wait_for_url(server.url + "/")
    return context, page


def feed_events(url: str) -> dict[str, icalendar.Event]:
    calendar = icalendar.Calendar.from_ical(requests.get(url, timeout=10).content)
    return {str(event["UID"]): event for event in calendar.walk("VEVENT")}


def test_auto_plan_drag_a_session_and_read_the_feed(browser, planning_server, screenshot):
    server = planning_server
    host_context, host = log_in(browser, server, STREAMER_USER, {"width": 360, "height": 740})
    desk, page = log_in(browser, server, COMMISSIONER, {"width": 1400, "height": 900})
    page.goto(server.url + "/campaigns/1/pairings")
    page.click("#run-pairing")
    page.wait_for_load_state()
    host.reload()
    for _ in range(2):  # the host accepts two of the products proposed to them
        host.locator(".pairing-item form[action$='/accept'] button").first.click()
        host.wait_for_load_state()
    feed_url = host.locator("#ical-link").get_attribute("href")
    before = feed_events(feed_url)

    page.goto(server.url + "/campaigns/1/plan")
    screenshot(page, "calendar-1-plan")
    page.click("#confirm-plan")
    page.wait_for_load_state()
    page.goto(server.url + "/campaigns/1/calendar")
    cards = page.locator(".cal-session[draggable=true]")
    expect(cards.first).to_be_visible()
    screenshot(page, "calendar-2-week")

    # The host's own row; they accepted pairings, so the plan gave them sessions to drag. One the plan made (the
    # demo's own sessions, one warned for a sample on its way, are the host's already) to a day it can go to: not
    # past, and clear of the host's other sessions that day (late on a Saturday, that can be next week's).
    for _week in range(4):
        row = page.locator("#calendar tbody tr", has=page.locator("th", has_text="@yijun_xiaomei"))
        cells = row.locator(".cal-cell").all()
        days = [cell.get_attribute("data-day") for cell in cells]
        move = movable(row, cells, days, before)
        if move:
            break
        page.click("a.button:has-text('向后')")
        page.wait_for_load_state()
    card, there = move
    session_id = card.get_attribute("data-session")
    card.drag_to(cells[there])
    page.wait_for_load_state()
    expect(row.locator(f".cal-cell[data-day='{days[there]}'] .cal-session[data-session='{session_id}']")).to_have_count(1)
    screenshot(page, "calendar-3-moved")

    event = feed_events(feed_url)[f"session-{session_id}@livestream-coordinator"]
    start = event["DTSTART"].dt.astimezone(ZoneInfo("Asia/Shanghai"))
    assert start.date().isoformat() == days[there]  # the feed follows the move
    assert f"session-{session_id}@livestream-coordinator" not in before
    desk.close()
    host_context.close()


def minutes(text: str) -> tuple[int, int]:
    """A card's "19:00–21:00" as minutes of the day."""
    start, end = (int(t[:2]) * 60 + int(t[3:5]) for t in text.split("–"))
    return start, end if end > start else end + 24 * 60


def movable(row, cells, days, before):
    """(card, the index of a day it may move to) among the plan's sessions in the row, or None."""
    today = datetime.now(ZoneInfo("Asia/Shanghai")).date().isoformat()
    for card in row.locator(".cal-session[draggable=true]").all():
        if f"session-{card.get_attribute('data-session')}@livestream-coordinator" in before:
            continue
        here = days.index(card.locator("xpath=ancestor::td[1]").get_attribute("data-day"))
        start, end = minutes(card.locator("strong").first.inner_text())
        for there in sorted(range(len(days)), key=lambda i: abs(i - here)):
            if there == here or days[there] < today:
                continue
            taken = [minutes(t) for t in cells[there].locator(".cal-session > strong").all_inner_texts()]
            if all(end + 10 <= other_start or other_end + 10 <= start for other_start, other_end in taken):
                return card, there
    return None

