"""Real time and a slow loopback webhook receiver (tests/notify's) for the process-level notification tests."""
from __future__ import annotations

import pytest

from tests.notify.vendors import WebhookReceiver
from tests.notify_processes.helpers import utcnow


@pytest.fixture
def clock():
    """Real time: the outbox's due times are read by worker processes on the real clock."""
    return utcnow


@pytest.fixture
def webhook():
    """A slow Standard Webhooks receiver (50 ms a request), so a batch of 200 is still in flight when a worker dies."""
    receiver = WebhookReceiver().start()
    receiver.delay = 0.05
    yield receiver
    receiver.stop()


@pytest.fixture
def app_config(webhook):
    """The test process stages deliveries to the receiver, which NOTIFY_ALLOW_PRIVATE lets through."""
    return {"NOTIFY_ALLOW_PRIVATE": f"127.0.0.1:{webhook.port}"}
