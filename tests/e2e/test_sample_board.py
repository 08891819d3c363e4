"""The samples board in a real browser: a commissioner opens it from the campaign page, sees a sample approved
elsewhere change its badge without a reload, ships one through the page with a tracking link that opens the
carrier's page; on a phone the board fits 360 px. Screenshots: samples-board-*.png."""
from __future__ import annotations

import re

import pytest
import requests
from playwright.sync_api import expect

from coordinator.services.demo_data import COMMISSIONER
from tests import databases
from tests.e2e.test_pages_in_browser import DESK, PHONE, no_sideways_scroll
from tests.e2e.test_pairing_live import log_in
from tests.servers import ServerProcess, load_demo


class Api:
    """The API as the demo's commissioner, by path under /api/v1."""

    def __init__(self, server, token: str) -> None:
        self.base, self.http = server.url + "/api/v1", requests.Session()
        self.http.headers["Authorization"] = f"Bearer {token}"

    def get(self, path: str, **kwargs) -> requests.Response:
        return self.http.get(self.base + path, timeout=10, **kwargs)

    def post(self, path: str, **kwargs) -> requests.Response:
        return self.http.post(self.base + path, timeout=10, **kwargs)


def _with_samples(api, campaign_id: int) -> None:
    """Samples on the demo's sessions: pairings by hand for the hosts' lineups, each with a sample requested
    (where the demo brings none of its own), one approved."""
    if api.get(f"/campaigns/{campaign_id}/samples").json()["samples"]:
        return
    sessions = api.get("/sessions", params={"campaign_id": campaign_id}).json()["items"]
    made = []
    for session in sessions:
        for product_id in session["product_ids"]:
            pairing = api.post(f"/campaigns/{campaign_id}/pairings",
                               json={"streamer_id": session["streamer_id"], "product_id": product_id})
            if pairing.status_code == 201:
                made.append(api.post("/samples", json={"pairing_id": pairing.json()["id"], "quantity": 2}).json()["id"])
    assert len(made) >= 3, made
    api.post(f"/samples/{made[0]}/approve").raise_for_status()


@pytest.fixture(scope="module")
def board_server(sqlite_template, tmp_path_factory):
    """The demo (with samples) on a server of its own: this test changes samples others may count."""
    url = databases.copy_sqlite(sqlite_template, tmp_path_factory.mktemp("samples") / "samples.sqlite3")
    demo = load_demo(url)
    server = ServerProcess(url).start()
    _with_samples(Api(server, demo.api_token), demo.campaign_id)
    yield server, demo
    server.stop()


def _first(api, campaign_id: int, status: str) -> dict:
    found = api.get(f"/campaigns/{campaign_id}/samples", params={"status": status}).json()["samples"]
    assert found, f"no {status} sample in the demo"
    return found[0]


def test_the_board_follows_changes_live_and_ships_through_the_page(browser, board_server, screenshot):
    server, demo = board_server
    context, page = log_in(browser, server, COMMISSIONER, DESK, "en-US")
    page.goto(f"{server.url}/campaigns/{demo.campaign_id}")
    page.click("#samples-link")
    expect(page.locator("h1")).to_have_text("Product samples")
    expect(page.locator("#live-indicator")).to_have_attribute("data-state", "live")
    api = Api(server, demo.api_token)
    requested = _first(api, demo.campaign_id, "requested")
    row = page.locator(f"#sample-{requested['id']}")
    expect(row).to_have_attribute("data-status", "requested")
    api.post(f"/samples/{requested['id']}/approve").raise_for_status()  # elsewhere: the API, another desk
    expect(row.locator(".sample-state")).to_have_text("Approved")
    expect(page.locator("#live-notice")).to_contain_text("Approved")
    approved = _first(api, demo.campaign_id, "approved")
    row = page.locator(f"#sample-{approved['id']}")
    row.locator("summary", has_text="Ship…").click()
    row.locator("select[name=carrier]").select_option("sf")
    row.locator("input[name=tracking_number]").fill("SF1234567890777")
    screenshot(page, "samples-board-ship-en-1280")
    row.get_by_role("button", name="Mark as shipped").click()
    expect(page.locator(".flash-info")).to_contain_text("is on its way")
    link = page.locator(f"#sample-{approved['id']} a.tracking-number")
    expect(link).to_have_text("SF1234567890777")
    expect(link).to_have_attribute("target", "_blank")
    assert "kuaidi100.com" in link.get_attribute("href")
    screenshot(page, "samples-board-en-1280")
    expect(page.locator("#late-banner")).to_be_visible()
    page.goto(f"{server.url}/campaigns/{demo.campaign_id}/calendar")
    mark = page.locator(".cal-session .sample-late").first
    expect(mark).to_have_attribute("title", re.compile("Samples not yet with the host: .+"))
    screenshot(page, "samples-calendar-en-1280")
    page.goto(f"{server.url}/campaigns/{demo.campaign_id}/pairings")
    expect(page.locator("#late-samples")).to_be_visible()
    page.locator("#late-samples a").click()
    expect(page.locator("#late-banner")).to_be_visible()
    assert page.locator("tr.sample-row").count() == page.locator('tr.sample-row[data-late="1"]').count() > 0
    page.click("button[name=lang][value=zh_Hans]")
    screenshot(page, "samples-board-late-zh-1280")
    context.close()


def test_the_board_on_a_phone(browser, board_server, screenshot):
    server, demo = board_server
    context, page = log_in(browser, server, COMMISSIONER, PHONE, "en-US")
    page.goto(f"{server.url}/campaigns/{demo.campaign_id}/samples")
    for lang in ("zh_Hans", "en"):
        page.click(f"button[name=lang][value={lang}]")
        expect(page.locator("#live-indicator")).to_have_attribute("data-state", "live")
        assert no_sideways_scroll(page)
        screenshot(page, f"samples-board-{lang}-360")
    page.locator("tr.sample-row[data-status=requested] summary", has_text="Reject…").first.click()
    assert no_sideways_scroll(page)
    screenshot(page, "samples-board-reject-en-360")
    context.close()
