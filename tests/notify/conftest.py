"""The in-process delivery tests' world: loopback receivers for every channel kind, an SMTP server, an app allowed
to send to them (and nowhere else), the access world with its own example.com channels removed, and a worker
driven by hand on the injected clock."""
from __future__ import annotations

import socket
from dataclasses import dataclass
from datetime import datetime, timezone

import pytest

from coordinator.extensions import db
from coordinator.models import Channel, Delivery
from tests.access.world import build
from tests.conftest import FakeClock
from tests.notify.mailbox import Mailbox
from tests.notify.vendors import DingTalkReceiver, FeishuReceiver, WebhookReceiver, WeComReceiver

PUBLIC_URL = "https://coordinator.example.org"
LOOPBACK = {"127.0.0.1", "::1", "localhost"}


def pytest_configure(config):
    """Register the notify_config marker."""
    config.addinivalue_line("markers", "notify_config(**overrides): configuration of a tests/notify app")


@pytest.fixture(autouse=True)
def loopback_only(monkeypatch):
    """Nothing in these tests connects anywhere but loopback: a connection elsewhere is refused and fails the test."""
    real = socket.create_connection
    elsewhere: list = []

    def guarded(address, *args, **kwargs):
        if address[0] not in LOOPBACK:
            elsewhere.append(address)
            raise OSError(f"the tests refuse to connect to {address[0]}")
        return real(address, *args, **kwargs)

    monkeypatch.setattr(socket, "create_connection", guarded)
    yield elsewhere
    assert not elsewhere, f"something tried to connect outside loopback: {elsewhere}"


@pytest.fixture
def clock():
    """The injected clock, starting at the real time: Standard Webhooks receivers check timestamps against it."""
    return FakeClock(datetime.now(timezone.utc).replace(microsecond=0))


@dataclass
class Robots:
    """One receiver of each HTTP kind, and one no setting allows (SSRF tests: it must never hear anything)."""

    webhook: WebhookReceiver
    wecom: WeComReceiver
    dingtalk: DingTalkReceiver
    feishu: FeishuReceiver
    unlisted: WebhookReceiver

    def listed(self) -> list:
        """The receivers NOTIFY_ALLOW_PRIVATE names."""
        return [self.webhook, self.wecom, self.dingtalk, self.feishu]


@pytest.fixture
def robots(clock):
    """Fresh receivers on free ports; robots check timestamps and rates against the injected clock."""
    made = Robots(WebhookReceiver(), WeComReceiver(clock), DingTalkReceiver(clock), FeishuReceiver(clock),
                  WebhookReceiver())
    receivers = [made.webhook, made.wecom, made.dingtalk, made.feishu, made.unlisted]
    for receiver in receivers:
        receiver.start()
    yield made
    for receiver in receivers:
        receiver.stop()


@pytest.fixture(scope="session")
def smtp_server():
    """One SMTP server for the run."""
    server = Mailbox().start()
    yield server
    server.stop()


@pytest.fixture
def mailbox(smtp_server):
    """The SMTP server, emptied for this test."""
    smtp_server.clear()
    return smtp_server


@pytest.fixture
def app_config(request, robots, smtp_server):
    """Sending allowed to the listed receivers only, email to the local SMTP server, and a test's notify_config."""
    marker = request.node.get_closest_marker("notify_config")
    return {"NOTIFY_ALLOW_PRIVATE": ",".join(f"127.0.0.1:{r.port}" for r in robots.listed()),
            "SMTP_HOST": "127.0.0.1", "SMTP_PORT": smtp_server.port, "SMTP_SECURITY": "none",
            "MAIL_FROM": "coordinator@example.org", "PUBLIC_URL": PUBLIC_URL, **(marker.kwargs if marker else {})}


@pytest.fixture
def world(app):
    """The access world, without its two channels on example.com (and their failed deliveries)."""
    with app.app_context():
        made = build()
        db.session.query(Delivery).delete()
        db.session.query(Channel).delete()
        db.session.commit()
        db.session.remove()
    return made


@pytest.fixture
def worker(app):
    """A delivery worker the test runs round by round with run_once()."""
    from coordinator.notify.worker import DeliveryWorker

    made = DeliveryWorker(app)
    yield made
    made.stop()
