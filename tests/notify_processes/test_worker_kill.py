"""kill -9 of `flask deliver` in the middle of a batch of 200 webhook messages to a slow receiver (50 ms a request),
then a restart, on a SQLite file; and two `flask deliver` running at once, one of them killed mid-batch, on
PostgreSQL (where claims take FOR UPDATE SKIP LOCKED). Each pairing of scenario and backend costs 6-8 s (two
application start-ups and a lease to lapse), so each scenario runs on one backend: the kill alone on SQLite, two
workers on PostgreSQL.

What a user relies on (CONTRACT section 6: at least once, a kill of any process loses no message): every message
arrives, signed, with the body it was staged with; a receiver that drops repeats by webhook-id acts on each one
exactly once; and the repeats a receiver without dedupe would see are only the messages the dead worker had sent
but not yet recorded (at most the claims one worker holds at once, NOTIFY_CONCURRENCY * 4 = 32), never a message
already delivered.
Claims are leases of NOTIFY_CLAIM_SECONDS=2 here, so a dead worker's messages are sent again within seconds.
"""
from __future__ import annotations

import time

import pytest

from tests.notify_processes.helpers import (DeliverProcess, delivery_states, duplicates, rows, snapshot, stage_webhooks,
                                           wait_until)

pytestmark = pytest.mark.timeout(90)
BATCH = 200
ROUND = 8 * 4  # the most claims a worker holds at once: NOTIFY_CONCURRENCY (8) * 4


def _delivered_ids(url: str) -> set[str]:
    return {row[0] for row in rows(url, "SELECT message_id FROM deliveries WHERE state = 'delivered'")}


def _claimers(url: str) -> set[int]:
    """The process ids of the workers holding claims now (a claim names hostname:pid:object)."""
    return {int(row[0].split(":")[1]) for row in rows(url, "SELECT DISTINCT claimed_by FROM deliveries "
                                                           "WHERE claimed_by <> ''")}


def _ids(arrivals) -> list[str]:
    return [arrival.headers["webhook-id"] for arrival in arrivals]


def _check_each_message_once(webhook, staged, url: str) -> None:
    assert delivery_states(url) == {"delivered": BATCH}
    arrivals = snapshot(webhook)
    # Every request carried a valid Standard Webhooks signature; the only ones not taken were repeats.
    assert {arrival.verdict for arrival in arrivals} <= {"", "duplicate"}, [a.verdict for a in arrivals][:3]
    # The deduplicating receiver acted on each staged message once, none missing, none unknown.
    assert sorted(webhook.ids()) == sorted(staged.message_ids)
    assert sorted(arrival.json["data"]["n"] for arrival in webhook.accepted) == list(range(BATCH))
    assert {arrival.json["type"] for arrival in webhook.accepted} == {"campaign.status"}
    # Each repeat came under the webhook-id of its first send, with the same body.
    first = {arrival.headers["webhook-id"]: arrival.json["data"] for arrival in webhook.accepted}
    for arrival in arrivals:
        assert arrival.json["data"] == first[arrival.headers["webhook-id"]]


def _twice(webhook) -> set[str]:
    """The webhook-ids that came more than once."""
    seen = _ids(snapshot(webhook))
    return {message_id for message_id in set(seen) if seen.count(message_id) > 1}


@pytest.mark.parametrize("database_url", ["sqlite"], indirect=True)
def test_kill_9_mid_batch_then_restart_delivers_every_message_once_after_dedupe(app, database_url, webhook):
    staged = stage_webhooks(app, webhook.url, BATCH)
    webhook.secret = staged.secret
    worker = DeliverProcess(database_url, f"127.0.0.1:{webhook.port}")
    try:
        worker.start()
        assert wait_until(lambda: len(webhook.arrivals) >= 60 or worker.process.poll() is not None, 40), worker.log
        worker.kill()
        time.sleep(0.3)  # let requests already written to the receiver's socket land before counting
        received = set(_ids(snapshot(webhook)))
        recorded = _delivered_ids(database_url)
        assert len(received) < BATCH and delivery_states(database_url).get("pending"), "killed after the batch"
        assert recorded <= received
        sent_not_recorded = received - recorded

        worker.start()
        assert wait_until(lambda: delivery_states(database_url) == {"delivered": BATCH}, 40), \
            (delivery_states(database_url), worker.log)
    finally:
        worker.kill()
    _check_each_message_once(webhook, staged, database_url)
    # Only what the dead worker had sent without recording it came twice (a receiver without dedupe would act on
    # those again); nothing it had recorded was sent again.
    twice = _twice(webhook)
    assert twice <= sent_not_recorded and len(twice) == duplicates(webhook) <= ROUND, (twice, sent_not_recorded)
    attempts = rows(database_url, "SELECT COUNT(*), SUM(CASE WHEN ok THEN 1 ELSE 0 END) FROM delivery_attempts")[0]
    assert attempts[1] == BATCH  # one successful attempt recorded per message: the log a user reads is right
    assert "Traceback" not in worker.log, worker.log


@pytest.mark.parametrize("database_url", ["postgresql"], indirect=True)
def test_two_workers_one_killed_mid_batch_deliver_every_message_once_after_dedupe(app, database_url, webhook):
    allow = f"127.0.0.1:{webhook.port}"
    first, second = DeliverProcess(database_url, allow), DeliverProcess(database_url, allow)
    try:
        first.start(), second.start()
        first.wait_running(), second.wait_running()
        # Staged once both run, so that both claim from the same batch.
        staged = stage_webhooks(app, webhook.url, BATCH)
        webhook.secret = staged.secret
        # Killed while it holds claims, some sent and not recorded: the second must take them over.
        assert wait_until(lambda: len(webhook.arrivals) >= 40 and first.process.pid in _claimers(database_url), 40,
                          poll=0.01), (first.log, second.log)
        first.kill()
        time.sleep(0.3)  # let requests already written to the receiver's socket land before counting
        unrecorded_at_kill = set(_ids(snapshot(webhook))) - _delivered_ids(database_url)
        assert delivery_states(database_url).get("pending"), "killed after the batch"
        # The rest, the dead worker's lapsed claims among them, can only be sent by the second.
        assert wait_until(lambda: delivery_states(database_url) == {"delivered": BATCH}, 40), \
            (delivery_states(database_url), second.log)
    finally:
        first.kill(), second.kill()
    _check_each_message_once(webhook, staged, database_url)
    # At least once, with few repeats: only messages the dead worker had sent without recording came twice; two
    # live workers never sent one message both, and nothing recorded was sent again.
    twice = _twice(webhook)
    assert twice <= unrecorded_at_kill and duplicates(webhook) <= ROUND, (len(twice), duplicates(webhook))
    assert "Traceback" not in first.log + second.log, first.log + second.log
