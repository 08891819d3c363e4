"""The pure rules of notifications: retries, robots' limits and answers, SSRF, and the vendors' wire formats."""
from __future__ import annotations

import base64
import hashlib
import hmac
import json
from datetime import datetime, timedelta, timezone
from ipaddress import ip_address
from urllib.parse import parse_qs, urlsplit

import pytest
from standardwebhooks import Webhook

from coordinator.domain import delivery_rules as rules
from coordinator.domain import wire
from coordinator.domain.destinations import AllowList, is_public, parse_url, refusal

NOW = datetime(2026, 11, 11, 12, 0, tzinfo=timezone.utc)
MESSAGE = wire.Message("宜君苹果开播", ("活动：多一件农产品", "时间：11-11 20:00 到 22:00"), "https://c.example/x", "查看")


def test_the_schedule_runs_out_into_failed_and_a_longer_retry_after_wins():
    schedule = rules.parse_schedule("0,5,300")
    assert rules.next_attempt(1, schedule, NOW) == NOW + timedelta(seconds=5)
    assert rules.next_attempt(1, schedule, NOW, timedelta(seconds=90)) == NOW + timedelta(seconds=90)
    assert rules.next_attempt(2, schedule, NOW, timedelta(seconds=1)) == NOW + timedelta(seconds=300)
    assert rules.next_attempt(3, schedule, NOW) is None
    for bad in ("", "5,x", "-1"):
        with pytest.raises(ValueError):
            rules.parse_schedule(bad)


def test_retry_after_as_seconds_or_a_date_capped_at_a_day():
    assert rules.retry_after("120", NOW) == timedelta(seconds=120)
    assert rules.retry_after("Wed, 11 Nov 2026 12:01:00 GMT", NOW) == timedelta(minutes=1)
    assert rules.retry_after("999999999", NOW) == timedelta(days=1)
    assert rules.retry_after("soon", NOW) is None and rules.retry_after(None, NOW) is None


def test_a_robots_nonzero_code_fails_and_its_rate_limit_code_waits_a_minute():
    assert rules.judge("webhook", 204, b"", None, NOW).ok
    assert not rules.judge("webhook", 500, b"", "7", NOW).ok
    assert rules.judge("webhook", 500, b"", "7", NOW).retry_after == timedelta(seconds=7)
    assert rules.judge("wecom", 200, b'{"errcode":0,"errmsg":"ok"}', None, NOW).ok
    assert rules.judge("feishu", 200, b'{"code":0,"msg":"success"}', None, NOW).ok
    limited = rules.judge("dingtalk", 200, b'{"errcode":130101,"errmsg":"send too fast"}', None, NOW)
    assert not limited.ok and limited.retry_after == timedelta(seconds=60) and "130101" in limited.error
    assert not rules.judge("wecom", 200, b"<html>proxy</html>", None, NOW).ok


def test_budgets_keep_each_robot_inside_its_vendors_limit():
    sends = [NOW - timedelta(seconds=s) for s in range(0, 40, 2)]  # 20 in the last 40 s
    assert rules.send_budget("dingtalk", sends, 0, NOW) == 0
    assert rules.send_budget("wecom", sends[:15], 3, NOW) == 2
    assert rules.send_budget("feishu", [NOW - timedelta(milliseconds=100)] * 4, 0, NOW) == 1  # 5 a second
    assert rules.send_budget("webhook", sends, 0, NOW) > 1000
    assert rules.should_disable(NOW - timedelta(days=5), NOW) and not rules.should_disable(None, NOW)


@pytest.mark.parametrize("url", ["http://127.0.0.1/x", "http://10.0.0.8/", "http://169.254.169.254/latest",
                                 "http://[::1]:8080/", "http://[::ffff:127.0.0.1]/", "http://192.168.1.2/",
                                 "http://0.0.0.0/", "http://224.0.0.1/"])
def test_addresses_inside_the_network_are_refused_unless_listed(url):
    destination = parse_url(url)
    address = ip_address(destination.host.strip("[]"))
    assert refusal(destination, address, AllowList()) is not None
    listed = AllowList.parse(f"{destination.host}:{destination.port}")
    assert refusal(destination, address, listed) is None


def test_only_http_urls_without_credentials_and_an_allow_list_that_parses():
    for bad in ("ftp://example.com/", "file:///etc/passwd", "http://user:pw@example.com/", "http:///x",
                "http://example.com:99999/"):
        with pytest.raises(ValueError):
            parse_url(bad)
    assert is_public(ip_address("8.8.8.8"))
    allow = AllowList.parse("127.0.0.1:9000, 10.20.0.0/16")
    assert allow.allows("x", ip_address("10.20.3.4"), 443) and not allow.allows("x", ip_address("127.0.0.1"), 9001)
    with pytest.raises(ValueError):
        AllowList.parse("127.0.0.1")


def test_the_webhook_is_standard_webhooks_v1_signed_over_id_timestamp_and_body():
    secret = wire.new_webhook_secret()
    now = datetime.now(timezone.utc)
    request = wire.webhook("https://h.example/x", secret, "msg_1", {"type": "session.live", "data": {"id": 1}}, now)
    assert Webhook(secret).verify(request.body, request.headers)["type"] == "session.live"
    key = base64.b64decode(secret.removeprefix("whsec_"))
    signed = f"msg_1.{int(now.timestamp())}.".encode() + request.body
    expected = base64.b64encode(hmac.new(key, signed, hashlib.sha256).digest()).decode()
    assert request.headers["webhook-signature"] == f"v1,{expected}"


def test_dingtalk_signs_its_url_and_feishu_its_body_as_their_documents_say():
    ding = wire.dingtalk("https://oapi.dingtalk.com/robot/send?access_token=T", "SECxyz", MESSAGE, NOW)
    query = parse_qs(urlsplit(ding.url).query)
    stamp = query["timestamp"][0]
    expected = base64.b64encode(hmac.new(b"SECxyz", f"{stamp}\nSECxyz".encode(), hashlib.sha256).digest()).decode()
    assert query["access_token"] == ["T"] and query["sign"] == [expected] and stamp == str(int(NOW.timestamp() * 1000))
    assert json.loads(ding.body)["msgtype"] == "markdown"
    feishu = json.loads(wire.feishu("https://open.feishu.cn/hook/x", "s3", MESSAGE, NOW).body)
    key = f"{feishu['timestamp']}\ns3".encode()
    assert feishu["sign"] == base64.b64encode(hmac.new(key, b"", hashlib.sha256).digest()).decode()
    assert feishu["msg_type"] == "post" and feishu["content"]["post"]["zh_cn"]["title"] == MESSAGE.title


def test_long_messages_are_cut_to_what_each_robot_takes():
    long = wire.Message("标题", tuple("很长的一行" * 400 for _ in range(10)), "https://c.example/x")
    assert len(wire.feishu("https://f.example/x", "s", long, NOW).body) <= wire.FEISHU_MAX_BODY
    content = json.loads(wire.wecom("https://w.example/x", long).body)["markdown"]["content"]
    assert len(content.encode()) <= wire.ROBOT_MAX_TEXT and content.startswith("**标题**")
    assert content.endswith("(https://c.example/x)")
    assert "<script>" not in wire.html(wire.Message("<script>x</script>"))
