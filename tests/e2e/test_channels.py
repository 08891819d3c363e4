"""Notification channels in a real browser: a commissioner adds a webhook for the demo campaign, pointed at a
receiver this test runs, sees its secret once, sends a test message and watches the delivery log show it delivered
(signed with that secret); a host on a phone adds their email on "My channels". Screenshots: channels-*.png."""
from __future__ import annotations

import base64
import hashlib
import hmac
import threading
import time
from http.server import BaseHTTPRequestHandler, ThreadingHTTPServer

import pytest
from playwright.sync_api import expect

from coordinator.services.demo_data import COMMISSIONER, STREAMER_USER
from tests import databases
from tests.e2e.test_pages_in_browser import DESK, PHONE, no_sideways_scroll
from tests.e2e.test_pairing_live import log_in
from tests.servers import ServerProcess, load_demo


class Receiver(BaseHTTPRequestHandler):
    """A webhook receiver that answers 204 and keeps what it was sent."""

    received: list[tuple[dict, bytes]] = []

    def do_POST(self) -> None:  # noqa: N802 - the name http.server calls
        body = self.rfile.read(int(self.headers.get("Content-Length") or 0))
        self.received.append(({k.lower(): v for k, v in self.headers.items()}, body))
        self.send_response(204)
        self.end_headers()

    def log_message(self, *args) -> None:
        """Quiet: the test reads what arrived, not a log."""


@pytest.fixture(scope="module")
def notify_server(sqlite_template, tmp_path_factory):
    """The demo on a server whose delivery worker runs (SCHEDULER_MODE=embedded) and may post to our receiver."""
    receiver = ThreadingHTTPServer(("127.0.0.1", 0), Receiver)
    threading.Thread(target=receiver.serve_forever, daemon=True).start()
    url = databases.copy_sqlite(sqlite_template, tmp_path_factory.mktemp("channels") / "channels.sqlite3")
    demo = load_demo(url)
    server = ServerProcess(url, SCHEDULER_MODE="embedded", NOTIFY_POLL_SECONDS="0.2",
                           NOTIFY_ALLOW_PRIVATE=f"127.0.0.1:{receiver.server_port}").start()
    yield server, demo.campaign_id, f"http://127.0.0.1:{receiver.server_port}/hooks/coordinator"
    server.stop()
    receiver.shutdown()


def signed_with(secret: str, headers: dict, body: bytes) -> bool:
    """Standard Webhooks: v1,<base64 HMAC-SHA256 of "id.timestamp.body"> keyed with the secret's bytes."""
    key = base64.b64decode(secret.removeprefix("whsec_"))
    signed = f"{headers['webhook-id']}.{headers['webhook-timestamp']}.".encode() + body
    digest = hmac.new(key, signed, hashlib.sha256).digest()
    return headers["webhook-signature"] == "v1," + base64.b64encode(digest).decode()


def test_a_webhook_secret_once_a_test_message_and_its_delivery(browser, notify_server, screenshot):
    server, campaign_id, hook = notify_server
    context, page = log_in(browser, server, COMMISSIONER, DESK)
    page.click("button[name=lang][value=zh_Hans]")
    page.goto(f"{server.url}/campaigns/{campaign_id}")
    page.get_by_role("link", name="通知渠道").click()
    expect(page.locator("h1")).to_contain_text("通知渠道")
    page.select_option("#kind", "webhook")
    expect(page.locator("#address")).to_be_hidden()
    expect(page.locator("#secret")).to_be_hidden()
    page.fill("#name", "县域数据平台")
    page.fill("#url", hook)
    page.click("#new-channel button[type=submit]")
    secret = page.input_value("#new-secret")
    assert secret.startswith("whsec_")
    screenshot(page, "channels-secret-zh-1280")
    page.goto(page.url)
    assert secret not in page.content()
    row = page.locator("#channels tr", has_text="县域数据平台")
    row.get_by_role("button", name="发送测试消息").click()
    expect(page.locator(".flash-info")).to_contain_text("测试消息")
    screenshot(page, "channels-campaign-zh-1280")
    page.locator("#channels tr", has_text="县域数据平台").get_by_role("link", name="投递记录").click()
    delivered = page.locator("#deliveries tr[data-state=delivered]", has_text="测试消息")
    deadline = time.monotonic() + 8
    while delivered.count() == 0 and time.monotonic() < deadline:
        time.sleep(0.3)  # the worker sends within a poll; the page is reloaded to read the log again
        page.reload()
    expect(delivered).to_have_count(1)
    expect(delivered.locator(".attempts li.ok code")).to_have_text("204")
    headers, body = next((h, b) for h, b in Receiver.received if b'"channel.test"' in b)
    assert signed_with(secret, headers, body)
    screenshot(page, "channels-deliveries-zh-1280")
    context.close()


def test_a_host_adds_their_email_on_a_phone(browser, notify_server, screenshot):
    server = notify_server[0]
    context, page = log_in(browser, server, STREAMER_USER, PHONE)
    page.click("button[name=lang][value=zh_Hans]")
    page.get_by_role("link", name="我的渠道").click()
    expect(page.locator("h1")).to_contain_text("我的渠道")
    expect(page.locator("#url")).to_be_hidden()
    page.fill("#name", "我的邮箱")
    page.fill("#address", "xiaomei@example.com")
    page.click("#new-channel button[type=submit]")
    expect(page.locator(".flash-info")).to_contain_text("我的邮箱")
    row = page.locator("#channels tr", has_text="我的邮箱")
    expect(row).to_contain_text("xiaomei@example.com")
    row.get_by_role("button", name="停用").click()
    expect(page.locator("#channels tr[data-enabled=no]", has_text="我的邮箱")).to_have_count(1)
    assert no_sideways_scroll(page)
    screenshot(page, "channels-host-zh-360")
    context.close()
