"""A message that does not get through is tried again on the retry schedule, as late as the receiver asks, under the
same webhook-id; once the schedule is spent it is failed, and a replay sends it again."""
from __future__ import annotations

from datetime import datetime, timedelta
from email.utils import format_datetime

import pytest

from tests.access.world import bearer
from tests.notify.helpers import iso, log, make_channel, one, owner, schedule_session, send_tests

SQLITE = pytest.mark.parametrize("database_url", ["sqlite"], indirect=True)


def gaps(delivery: dict) -> list[float]:
    """Seconds between a delivery's attempts."""
    times = [datetime.fromisoformat(a["at"]) for a in delivery["attempts"]]
    return [(later - earlier).total_seconds() for earlier, later in zip(times, times[1:])]


@pytest.mark.notify_config(NOTIFY_RETRY_SCHEDULE="0,5,10,20")
def test_a_receiver_failing_three_times_gets_the_message_once_on_the_fourth_attempt(client, clock, world, robots,
                                                                                      worker):
    channel = make_channel(client, world, "webhook", robots.webhook)
    robots.webhook.fail_next(3, status=500)
    schedule_session(client, world, clock)

    assert worker.run_once() == 1
    for wait in (5, 10, 20):
        clock.advance(seconds=wait - 1)
        assert worker.run_once() == 0  # not a second before the schedule says
        assert one(client, world, channel["id"])["state"] == "pending"
        clock.advance(seconds=1)
        assert worker.run_once() == 1
    delivery = one(client, world, channel["id"])
    assert delivery["state"] == "delivered" and delivery["next_attempt_at"] is None
    assert [a["status_code"] for a in delivery["attempts"]] == [500, 500, 500, 200]
    assert [a["error"] for a in delivery["attempts"]] == ["HTTP 500"] * 3 + [""] and gaps(delivery) == [5, 10, 20]
    hook = robots.webhook
    assert len(hook.arrivals) == 4 and all(a.verdict == "" for a in hook.arrivals)  # each attempt signed
    assert {a.headers["webhook-id"] for a in hook.arrivals} == {delivery["message_id"]}
    assert len(hook.accepted) == 1
    clock.advance(minutes=10)
    assert worker.run_once() == 0


@SQLITE
@pytest.mark.parametrize("form", ["seconds", "http-date"])
def test_a_retry_after_answer_is_waited_for_though_the_schedule_says_five_seconds(client, clock, world, robots, worker,
                                                                                form):
    channel = make_channel(client, world, "wecom", robots.wecom)
    wait = "120" if form == "seconds" else format_datetime(clock() + timedelta(seconds=120), usegmt=True)
    robots.wecom.fail_next(1, status=429, headers={"Retry-After": wait})
    schedule_session(client, world, clock)

    assert worker.run_once() == 1
    clock.advance(seconds=5)
    assert worker.run_once() == 0
    clock.advance(seconds=114)
    assert worker.run_once() == 0 and len(robots.wecom.arrivals) == 1
    clock.advance(seconds=1)
    assert worker.run_once() == 1
    delivery = one(client, world, channel["id"])
    assert delivery["state"] == "delivered" and [a["status_code"] for a in delivery["attempts"]] == [429, 200]
    assert gaps(delivery) == [120] and len(robots.wecom.accepted) == 1


@SQLITE
def test_a_robots_rate_limit_answer_is_retried_a_minute_later_not_dropped(client, clock, world, robots, worker):
    channel = make_channel(client, world, "dingtalk", robots.dingtalk)
    robots.dingtalk.fail_next(1, status=200, body={"errcode": 130101,
                                                   "errmsg": "send too fast, exceed 20 times per minute"})
    schedule_session(client, world, clock)

    assert worker.run_once() == 1
    delivery = one(client, world, channel["id"])
    assert delivery["state"] == "pending" and "130101" in delivery["attempts"][0]["error"]
    clock.advance(seconds=5)  # the schedule's next step: too soon for a robot that said "too fast"
    assert worker.run_once() == 0
    clock.advance(seconds=55)
    assert worker.run_once() == 1
    delivery = one(client, world, channel["id"])
    assert delivery["state"] == "delivered" and gaps(delivery) == [60]
    assert len(robots.dingtalk.accepted) == 1 and all(a.verdict == "" for a in robots.dingtalk.arrivals)


@SQLITE
def test_an_smtp_server_saying_try_again_later_gets_the_email_on_the_next_attempt(client, clock, world, mailbox,
                                                                                  worker):
    channel = make_channel(client, world, "email", address="team@example.org")
    mailbox.refuse_next(1)
    schedule_session(client, world, clock)
    assert worker.run_once() == 1 and mailbox.messages == []
    clock.advance(seconds=5)
    assert worker.run_once() == 1
    delivery = one(client, world, channel["id"])
    assert delivery["state"] == "delivered" and [a["status_code"] for a in delivery["attempts"]] == [451, 250]
    assert len(mailbox.messages) == 1


@SQLITE
@pytest.mark.notify_config(NOTIFY_RETRY_SCHEDULE="0,5")
def test_a_failed_delivery_is_sent_again_by_replay_and_failed_ones_since_a_time_all_at_once(client, clock, world,
                                                                                           robots, worker):
    hook = robots.webhook
    channel = make_channel(client, world, "webhook", hook)
    hook.fail_next(2)
    schedule_session(client, world, clock)
    assert worker.run_once() == 1
    clock.advance(seconds=5)
    assert worker.run_once() == 1
    [failed] = log(client, world, channel_id=channel["id"], state="failed")
    assert len(failed["attempts"]) == 2
    clock.advance(minutes=2)  # (a webhook's timestamp must stay within 5 minutes of the receiver's real time)
    assert worker.run_once() == 0  # the schedule is spent: nothing more by itself

    path = f"/api/v1/deliveries/{failed['id']}/replay"
    assert client.post(path, headers=bearer(world, "viewer")).status_code == 403  # a reader may not
    replayed = client.post(path, headers=owner(world))
    assert replayed.status_code == 202 and replayed.get_json() == {"delivery_id": failed["id"], "state": "pending"}
    assert worker.run_once() == 1
    assert one(client, world, channel["id"])["state"] == "delivered"
    assert [a.headers["webhook-id"] for a in hook.arrivals] == [failed["message_id"]] * 3 and len(hook.accepted) == 1

    since = clock()
    hook.fail_next(4)
    tests = send_tests(client, world, channel["id"], 2)
    worker.run_once()
    clock.advance(seconds=5)
    worker.run_once()
    assert {d["id"] for d in log(client, world, state="failed")} == set(tests)
    late = client.post("/api/v1/deliveries/replay", headers=owner(world), json={"since": iso(clock())})
    assert late.status_code == 202 and late.get_json() == {"count": 0}
    again = client.post("/api/v1/deliveries/replay", headers=owner(world), json={"since": iso(since)})
    assert again.status_code == 202 and again.get_json() == {"count": 2}
    assert worker.run_once() == 2
    assert log(client, world, state="failed") == [] and len(hook.accepted) == 3
