"""A destination that hangs holds up no other channel's messages: the delivery worker's loop (the one `flask
deliver` and the scheduler's process run, here a DeliveryWorker thread on a SQLite file) claims again while the
hanging sends wait, so another channel's messages still reach it well within the 5 s CONTRACT section 6 promises."""
from __future__ import annotations

import time

import pytest

from coordinator.notify.worker import DeliveryWorker
from tests.notify.vendors import WebhookReceiver
from tests.notify_processes.helpers import delivery_states, stage_webhooks, wait_until

pytestmark = pytest.mark.timeout(60)
HANG_S = 4.0


@pytest.fixture
def hanging():
    """A receiver that answers each request after 4 s (at once when it is stopped)."""
    receiver = WebhookReceiver().start()
    receiver.delay = HANG_S
    yield receiver
    receiver.stop()


@pytest.fixture
def app_config(webhook, hanging):
    return {"NOTIFY_ALLOW_PRIVATE": f"127.0.0.1:{webhook.port},127.0.0.1:{hanging.port}"}


@pytest.mark.parametrize("database_url", ["sqlite"], indirect=True)
def test_a_hanging_destination_does_not_delay_another_channels_messages(app, database_url, webhook, hanging):
    webhook.delay = 0.0
    slow = stage_webhooks(app, hanging.url, 3)
    hanging.secret = slow.secret
    worker = DeliveryWorker(app).start()
    try:
        assert wait_until(lambda: len(hanging.arrivals) == 3, 10)  # three sends now wait on the hanging receiver
        committed = time.time()
        fast = stage_webhooks(app, webhook.url, 20)
        webhook.secret = fast.secret
        assert wait_until(lambda: len(webhook.accepted) == 20, 10), delivery_states(database_url)
        last = max(arrival.at.timestamp() for arrival in webhook.accepted)
        assert last - committed < 2.0, last - committed
        assert len(hanging.accepted) == 3  # still answering: sent once each, nothing doubled meanwhile
    finally:
        hanging.stop()  # its answers come at once, so the worker's stop need not wait for them
        worker.stop()
    assert sorted(webhook.ids()) == sorted(fast.message_ids)
    assert delivery_states(database_url) == {"delivered": 23}
