"""A host on a 360×740 phone asks for a product's sample from their start page, sees the county approve and ship it
without a reload (state and tracking link), finds the late warning on the session it is for, taps "I received it"
on My samples and watches the warning leave the start page open in another tab; a sample the county asks for on
the host's behalf then appears on both. Sideways scrolling and tap targets are measured; screenshots land in
tests/artifacts/."""
from __future__ import annotations

from datetime import datetime, timedelta, timezone

import pytest
import requests
from playwright.sync_api import expect
from sqlalchemy import create_engine, text

from coordinator.services.demo_data import STREAMER_USER
from tests import databases
from tests.e2e.test_pairing_live import log_in
from tests.e2e.test_streamer_phone import PHONE, looks_right_on_a_phone
from tests.servers import ServerProcess, load_demo


@pytest.fixture(scope="module")
def paired(sqlite_template, tmp_path_factory):
    """The demo, plus a product newly paired with its host and a session of it tomorrow (within the lead days)."""
    url = databases.copy_sqlite(sqlite_template, tmp_path_factory.mktemp("host-samples") / "samples.sqlite3")
    demo = load_demo(url)
    server = ServerProcess(url, SCHEDULER_MODE="off").start()
    headers = {"Authorization": f"Bearer {demo.api_token}"}
    engine = create_engine(url)
    with engine.connect() as connection:
        host = connection.scalar(text("SELECT id FROM streamers WHERE handle = :h"), {"h": STREAMER_USER[2]})
        product, name = connection.execute(text(
            "SELECT p.id, p.name FROM products p JOIN campaign_products cp ON cp.product_id = p.id "
            "WHERE cp.campaign_id = :c AND p.is_agricultural AND p.id NOT IN "
            "(SELECT product_id FROM pairings WHERE streamer_id = :s) ORDER BY p.id LIMIT 1"),
            {"c": demo.campaign_id, "s": host}).one()
    engine.dispose()
    made = requests.post(f"{server.url}/api/v1/campaigns/{demo.campaign_id}/pairings", headers=headers, timeout=10,
                         json={"streamer_id": host, "product_id": product})
    assert made.status_code == 201, made.text
    now = datetime.now(timezone.utc).replace(minute=0, second=0, microsecond=0)
    for hours in range(26, 46, 3):  # the first free slot a day or so ahead, clear of the demo's own sessions
        start = now + timedelta(hours=hours)
        session = requests.post(f"{server.url}/api/v1/sessions", headers=headers, timeout=10, json={
            "campaign_id": demo.campaign_id, "streamer_id": host, "starts_at": start.isoformat(),
            "ends_at": (start + timedelta(hours=1)).isoformat(), "product_ids": [product], "title": "样品试播"})
        if session.status_code == 201:
            break
    assert session.status_code == 201, session.text
    yield server, headers, made.json()["id"], product, name, session.json()["id"]
    server.stop()


def test_a_host_asks_for_follows_and_confirms_a_sample_on_a_phone(browser, paired, screenshot):
    server, headers, pairing_id, product, name, session_id = paired
    phone, page = log_in(browser, server, STREAMER_USER, PHONE, "en-US")

    # Ask from the start page: the pairing then shows the sample requested, and the session warns it is not here.
    item = page.locator(f"#pairing-{pairing_id}")
    item.locator(".ask-inline input[name=quantity]").fill("2")
    item.locator(".ask-inline button").click()
    page.wait_for_url(f"{server.url}/#pairing-{pairing_id}")
    box = item.locator(".pairing-sample")
    expect(box).to_have_attribute("data-status", "requested")
    expect(item.locator(".ask-inline")).to_be_hidden()
    warning = page.locator(f'.session-item[data-session="{session_id}"] [data-late-product="{product}"]')
    expect(warning).to_contain_text(name)
    sample_id = int(box.get_attribute("data-sample-id"))

    # The county approves and ships: the open page follows without a reload.
    page.evaluate("window.__notReloaded = true")
    for move, body in (("approve", None), ("ship", {"carrier": "sf", "tracking_number": "SF1234567890123"})):
        answer = requests.post(f"{server.url}/api/v1/samples/{sample_id}/{move}", headers=headers, json=body,
                               timeout=10)
        assert answer.status_code == 200, answer.text
    expect(box).to_have_attribute("data-status", "shipped", timeout=5_000)
    expect(box.locator(".sample-state")).to_have_text("On its way")
    link = box.locator("a.tracking-link")
    expect(link).to_have_text("SF1234567890123")
    assert "SF1234567890123" in link.get_attribute("href") and link.get_attribute("target") == "_blank"
    assert page.evaluate("window.__notReloaded") is True
    expect(warning).to_be_visible()  # shipped is not in hand yet
    item.scroll_into_view_if_needed()
    looks_right_on_a_phone(page)
    screenshot(page, "host-samples-home-360")

    # My samples, in a second tab: the parcel with its tracking and a one-tap receipt.
    mine = phone.new_page()
    mine.goto(f"{server.url}/my/samples")
    entry = mine.locator(f"#sample-{sample_id}")
    expect(entry.locator(".sample-state")).to_have_text("On its way")
    expect(entry.locator(".late-warning")).to_contain_text("样品试播")
    expect(entry.locator(".sample-cancel")).to_be_hidden()
    looks_right_on_a_phone(mine)
    screenshot(mine, "host-samples-list-360")
    entry.locator("button", has_text="I received it").click()
    mine.wait_for_load_state()
    expect(mine.locator(f"#sample-{sample_id} .sample-state")).to_have_text("Received")
    expect(mine.locator(f"#sample-{sample_id} .late-warning")).to_be_hidden()
    screenshot(mine, "host-samples-received-360")

    # The start page, still open, drops the session's warning by itself.
    expect(warning).to_have_count(0, timeout=5_000)
    expect(box.locator(".sample-state")).to_have_text("Received")
    assert page.evaluate("window.__notReloaded") is True

    # The county asks for another on the host's behalf: both open pages show it without a reload.
    mine.evaluate("window.__notReloaded = true")
    cards = mine.locator(".sample-card").count()
    again = requests.post(f"{server.url}/api/v1/samples", headers=headers, timeout=10, json={"pairing_id": pairing_id})
    assert again.status_code == 201, again.text
    expect(mine.locator(f'#sample-{again.json()["id"]} .sample-state')).to_have_text("Requested", timeout=5_000)
    assert mine.locator(".sample-card").count() == cards + 1 and mine.evaluate("window.__notReloaded") is True
    expect(box).to_have_attribute("data-status", "requested")
    expect(item.locator(".ask-inline")).to_be_hidden()
    phone.close()

    desk, wide = log_in(browser, server, STREAMER_USER, {"width": 1280, "height": 900}, "en-US")
    wide.goto(f"{server.url}/my/samples")
    screenshot(wide, "host-samples-list-desktop")
    wide.goto(f"{server.url}/my/profile")
    screenshot(wide, "host-samples-profile-desktop")
    desk.close()
