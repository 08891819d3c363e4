"""Messages go only where they may: no private or loopback destination unless allowed, checked again after DNS at
every delivery; no redirects followed; a slow or endless receiver costs a bounded wait; no secret in the logs."""
from __future__ import annotations

import logging
import socket
import time
from dataclasses import replace
from urllib.parse import quote_plus

import pytest

from coordinator.domain.destinations import AllowList
from coordinator.notify import sender
from coordinator.notify.worker import DeliveryWorker
from tests.notify.helpers import log, make_channel, one, owner, schedule_session

SQLITE = pytest.mark.parametrize("database_url", ["sqlite"], indirect=True)
PUBLIC = "93.184.215.14"  # a public address DNS may give first; never connected to (the loopback guard)


@SQLITE
def test_destinations_inside_the_network_are_refused_when_a_channel_is_made(client, world, robots):
    refused = [f"http://127.0.0.1:{robots.unlisted.port}{robots.unlisted.path}", "http://localhost:9/hook",
               f"http://localhost:{robots.unlisted.port}/hook", "http://10.0.0.7/hook", "http://192.168.1.20/hook",
               "http://172.16.5.4/hook", "http://169.254.169.254/latest/meta-data/", "http://[::1]:8080/hook",
               "http://[::ffff:127.0.0.1]/hook", "http://0.0.0.0/hook", "file:///etc/passwd",
               "ftp://ftp.example.org/hook", "gopher://127.0.0.1:25/"]
    for url in refused:
        for kind, extra in (("webhook", {}), ("dingtalk", {"secret": "SECabc"})):
            response = client.post("/api/v1/channels", headers=owner(world), json={
                "kind": kind, "name": "内网", "campaign_id": world.ids["C"], "url": url, **extra})
            assert response.status_code == 422, (url, response.get_json())
            assert [e.get("field") for e in response.get_json()["errors"]] == ["url"], url
    assert client.get("/api/v1/channels", headers=owner(world)).get_json()["items"] == []
    assert robots.unlisted.arrivals == []
    make_channel(client, world, "webhook", robots.webhook)  # the allowed one is taken


@SQLITE
def test_a_name_that_dns_rebinds_to_loopback_after_creation_is_never_sent_to(client, clock, world, robots, worker,
                                                                             monkeypatch, loopback_only):
    real = socket.getaddrinfo
    answers = {"hooks.partner.test": [PUBLIC]}

    def resolver(host, port, *args, **kwargs):
        if host not in answers:
            return real(host, port, *args, **kwargs)
        return [(socket.AF_INET, socket.SOCK_STREAM, 6, "", (address, port)) for address in answers[host]]

    monkeypatch.setattr(socket, "getaddrinfo", resolver)
    channel = make_channel(client, world, "webhook", None, url=f"http://hooks.partner.test:{robots.unlisted.port}/h")
    robots.unlisted.secret = channel["secret"]
    schedule_session(client, world, clock)
    answers["hooks.partner.test"] = ["127.0.0.1"]
    assert worker.run_once() == 1
    clock.advance(seconds=5)
    answers["hooks.partner.test"] = [PUBLIC, "127.0.0.1"]  # one public address first does not let it through
    assert worker.run_once() == 1

    delivery = one(client, world, channel["id"])
    assert delivery["state"] == "pending" and [a["status_code"] for a in delivery["attempts"]] == [None, None]
    for attempt in delivery["attempts"]:
        assert attempt["error"].startswith("refused: 127.0.0.1") and "NOTIFY_ALLOW_PRIVATE" in attempt["error"]
    assert robots.unlisted.arrivals == [] and loopback_only == []


@SQLITE
def test_a_destination_struck_from_the_allow_list_gets_nothing_more(app, client, clock, world, robots, worker):
    channel = make_channel(client, world, "wecom", robots.wecom)
    schedule_session(client, world, clock)
    strict = DeliveryWorker(app, replace(worker.options, allow=AllowList()))
    try:
        assert strict.run_once() == 1
    finally:
        strict.stop()
    [attempt] = one(client, world, channel["id"])["attempts"]
    assert attempt["status_code"] is None and attempt["error"].startswith("refused: 127.0.0.1")
    assert robots.wecom.arrivals == []


@SQLITE
def test_a_redirect_is_a_failure_and_is_not_followed(client, clock, world, robots, worker):
    channel = make_channel(client, world, "webhook", robots.webhook)
    robots.webhook.redirect_next(robots.unlisted.url)
    schedule_session(client, world, clock)
    assert worker.run_once() == 1
    delivery = one(client, world, channel["id"])
    assert delivery["state"] == "pending" and delivery["attempts"][0]["status_code"] == 302
    assert robots.unlisted.arrivals == []
    clock.advance(seconds=5)
    assert worker.run_once() == 1 and one(client, world, channel["id"])["state"] == "delivered"


@SQLITE
def test_a_receiver_slower_than_the_timeout_is_a_failure_retried_under_the_same_id(client, clock, world, robots,
                                                                                   worker, monkeypatch):
    monkeypatch.setattr(sender, "TIMEOUT_S", 0.3)  # 10 s in the service
    channel = make_channel(client, world, "webhook", robots.webhook)
    robots.webhook.delay = 5.0
    schedule_session(client, world, clock)
    started = time.monotonic()
    assert worker.run_once() == 1
    assert time.monotonic() - started < 2
    [attempt] = one(client, world, channel["id"])["attempts"]
    assert attempt["status_code"] is None and "timed out" in attempt["error"]
    robots.webhook.delay = 0.0
    clock.advance(seconds=5)
    assert worker.run_once() == 1 and one(client, world, channel["id"])["state"] == "delivered"
    # The slow receiver had taken the first one: the second comes under its webhook-id and is dropped as a repeat.
    assert [a.verdict for a in robots.webhook.arrivals] == ["", "duplicate"] and len(robots.webhook.accepted) == 1


@SQLITE
def test_an_endless_answer_is_read_to_64_kb_and_the_connection_dropped(client, clock, world, robots, worker):
    channel = make_channel(client, world, "webhook", robots.webhook)
    robots.webhook.endless_next()
    schedule_session(client, world, clock)
    assert worker.run_once() == 1
    assert one(client, world, channel["id"])["state"] == "delivered"
    deadline = time.monotonic() + 5
    while not robots.webhook.cut_short and time.monotonic() < deadline:
        time.sleep(0.01)  # the receiver's own thread notices the hang-up on its next write
    assert robots.webhook.cut_short == 1 and sender.MAX_ANSWER == 64 * 1024


@SQLITE
@pytest.mark.notify_config(NOTIFY_RETRY_SCHEDULE="0,5")
def test_failing_deliveries_log_no_secret_and_no_signature(client, clock, world, robots, worker, caplog,
                                                           monkeypatch):
    monkeypatch.setattr(sender, "TIMEOUT_S", 0.3)
    caplog.set_level(logging.INFO)
    ding, feishu, hook = robots.dingtalk, robots.feishu, robots.webhook
    secrets = [ding.secret, ding.access_token, feishu.secret, feishu.hook]
    made = [make_channel(client, world, "dingtalk", ding), make_channel(client, world, "feishu", feishu),
            make_channel(client, world, "webhook", hook)]
    secrets += [made[2]["secret"], made[2]["secret"].removeprefix("whsec_")]
    ding.secret, feishu.secret = "SEC" + "0" * 64, "0" * 32  # the robots' keys changed: every sign is wrong now
    hook.fail_next(1, status=500)
    schedule_session(client, world, clock)
    assert worker.run_once() == 3
    clock.advance(seconds=5)
    hook.delay = 2.0  # and a timeout on the second try
    assert worker.run_once() == 3

    assert [a.verdict for a in ding.arrivals] == ["sign", "sign"] and [a.verdict for a in feishu.arrivals] == \
        ["sign", "sign"]
    signs = ding.signs() + [quote_plus(s) for s in ding.signs()] + [a.json["sign"] for a in feishu.arrivals]
    signs += [a.headers["webhook-signature"].split(",", 1)[1] for a in hook.arrivals]
    failures = [r for r in caplog.records if "failed" in r.getMessage()]
    assert len(failures) == 6, caplog.text
    errors = [a["error"] for d in log(client, world) for a in d["attempts"]]
    assert any("310000" in e for e in errors) and any("19021" in e for e in errors)
    for secret in secrets + signs:
        assert secret not in caplog.text and not any(secret in e for e in errors), secret
