"""The four HTTP receivers, each checking the signature and body its vendor documents, and answering as it does:
Standard Webhooks, a WeCom group robot, a DingTalk group robot and a Feishu custom robot."""
from __future__ import annotations

import base64
import hashlib
import hmac
import json
from datetime import timedelta

from standardwebhooks import Webhook
from standardwebhooks.webhooks import WebhookVerificationError

from tests.notify.receivers import OK, Arrival, Receiver, token

HOUR = timedelta(hours=1)


def _json(body: bytes) -> dict | None:
    try:
        value = json.loads(body)
    except ValueError:
        return None
    return value if isinstance(value, dict) else None


class WebhookReceiver(Receiver):
    """A Standard Webhooks v1 endpoint: standardwebhooks' own verify(), repeats dropped by webhook-id."""

    path = "/hooks/coordinator"
    secret = ""  # the channel's, answered once when it is made

    def check(self, arrival: Arrival) -> tuple[str, int, dict]:
        """Verify the signature and timestamp (real time ±5 min); a webhook-id already taken is a repeat."""
        try:
            Webhook(self.secret).verify(arrival.body, arrival.headers)
        except WebhookVerificationError as exc:
            return f"signature: {exc}", 401, {"error": str(exc)}
        if arrival.headers["webhook-id"] in self.ids():
            return "duplicate", 200, {}
        return "", 200, {}

    def ids(self) -> list[str]:
        """The webhook-id of each message taken."""
        return [arrival.headers["webhook-id"] for arrival in self.accepted]

    def texts(self) -> list[str]:
        """Each message's type."""
        return [arrival.json["type"] for arrival in self.accepted]


class WeComReceiver(Receiver):
    """A WeCom group robot: POST /cgi-bin/webhook/send?key=…, markdown content of at most 4096 bytes, 20 a minute."""

    path = "/cgi-bin/webhook/send"

    def __init__(self, *args, **kwargs) -> None:
        super().__init__(*args, **kwargs)
        self.key = token()

    def channel_fields(self) -> dict[str, str]:
        """The robot's webhook address holds its key."""
        return {"url": f"{self.url}?key={self.key}"}

    def check(self, arrival: Arrival) -> tuple[str, int, dict]:
        """The key, the markdown message, the rate."""
        if arrival.query.get("key") != self.key:
            return "key", 200, {"errcode": 93000, "errmsg": "invalid webhook url"}
        body = _json(arrival.body)
        if not body or body.get("msgtype") != "markdown" or not isinstance(body.get("markdown"), dict):
            return "msgtype", 200, {"errcode": 40008, "errmsg": "invalid message type"}
        content = body["markdown"].get("content")
        if not isinstance(content, str) or not content:
            return "content", 200, {"errcode": 44004, "errmsg": "empty content"}
        if len(content.encode()) > 4096:
            return "length", 200, {"errcode": 40058, "errmsg": "markdown.content exceed max length 4096"}
        if self.recent(60) >= 20:
            return "rate", 200, {"errcode": 45009, "errmsg": "api freq out of limit"}
        return "", 200, OK

    def texts(self) -> list[str]:
        """Each message's markdown."""
        return [arrival.json["markdown"]["content"] for arrival in self.accepted]


def dingtalk_expected_sign(secret: str, timestamp: str) -> str:
    """DingTalk's documented sign (before URL encoding): base64(HmacSHA256(key=secret, "<timestamp>\\n<secret>"))."""
    digest = hmac.new(secret.encode("utf-8"), f"{timestamp}\n{secret}".encode("utf-8"), hashlib.sha256).digest()
    return base64.b64encode(digest).decode()


class DingTalkReceiver(Receiver):
    """A DingTalk group robot: access_token, timestamp (ms, within an hour) and sign in the query; 20 a minute."""

    path = "/robot/send"

    def __init__(self, *args, **kwargs) -> None:
        super().__init__(*args, **kwargs)
        self.access_token, self.secret = token(), "SEC" + token() + token()

    def channel_fields(self) -> dict[str, str]:
        """The robot's webhook address (with its access_token) and its signing secret."""
        return {"url": f"{self.url}?access_token={self.access_token}", "secret": self.secret}

    def check(self, arrival: Arrival) -> tuple[str, int, dict]:
        """The token, the sign over the timestamp (the query is URL-decoded, as DingTalk decodes it), the body."""
        query = arrival.query
        if query.get("access_token") != self.access_token:
            return "token", 200, {"errcode": 300001, "errmsg": "token is not exist"}
        stamp = query.get("timestamp", "")
        if not stamp.isdigit() or abs(int(stamp) / 1000 - self.now().timestamp()) > HOUR.total_seconds():
            return "timestamp", 200, {"errcode": 310000, "errmsg": "invalid timestamp"}
        if not hmac.compare_digest(query.get("sign", ""), dingtalk_expected_sign(self.secret, stamp)):
            return "sign", 200, {"errcode": 310000, "errmsg": "sign not match"}
        body = _json(arrival.body)
        markdown = body.get("markdown") if body else None
        if not body or body.get("msgtype") != "markdown" or not isinstance(markdown, dict) or \
                not isinstance(markdown.get("title"), str) or not isinstance(markdown.get("text"), str):
            return "body", 200, {"errcode": 40035, "errmsg": "缺少参数 json"}
        if self.recent(60) >= 20:
            return "rate", 200, {"errcode": 130101, "errmsg": "send too fast, exceed 20 times per minute"}
        return "", 200, OK

    def texts(self) -> list[str]:
        """Each message's markdown text."""
        return [arrival.json["markdown"]["text"] for arrival in self.accepted]

    def signs(self) -> list[str]:
        """The sign of every request, taken or not."""
        return [arrival.query.get("sign", "") for arrival in self.arrivals]


def feishu_expected_sign(secret: str, timestamp: str) -> str:
    """Feishu's documented sign: base64(HmacSHA256(key="<timestamp>\\n<secret>", message=b""))."""
    return base64.b64encode(hmac.new(f"{timestamp}\n{secret}".encode("utf-8"), b"", hashlib.sha256).digest()).decode()


class FeishuReceiver(Receiver):
    """A Feishu custom robot: timestamp and sign in the JSON body, at most 20 KB, 5 a second and 100 a minute."""

    path = "/open-apis/bot/v2/hook/"

    def __init__(self, *args, **kwargs) -> None:
        super().__init__(*args, **kwargs)
        self.hook, self.secret = token(), token()

    def channel_fields(self) -> dict[str, str]:
        """The robot's webhook address and its signing secret."""
        return {"url": self.url + self.hook, "secret": self.secret}

    def check(self, arrival: Arrival) -> tuple[str, int, dict]:
        """The hook, the body's size and shape, the sign over its timestamp (within an hour), the rate."""
        if arrival.path != self.path + self.hook:
            return "hook", 200, {"code": 19001, "msg": "param invalid: incoming webhook access token invalid"}
        if len(arrival.body) > 20 * 1024:
            return "size", 200, {"code": 9499, "msg": "Bad Request"}
        body = _json(arrival.body)
        if not body or body.get("msg_type") not in ("text", "post", "interactive") or \
                not isinstance(body.get("content"), dict):
            return "body", 200, {"code": 19002, "msg": "params error, msg_type need"}
        stamp = body.get("timestamp")
        fresh = isinstance(stamp, str) and stamp.isdigit() and \
            abs(int(stamp) - self.now().timestamp()) <= HOUR.total_seconds()
        if not fresh or not hmac.compare_digest(str(body.get("sign", "")), feishu_expected_sign(self.secret, stamp)):
            return "sign", 200, {"code": 19021, "msg": "sign match fail or timestamp is not within one hour from "
                                                       "current time"}
        if self.recent(1) >= 5 or self.recent(60) >= 100:
            return "rate", 200, {"code": 11232, "msg": "frequency limited psm[lark.oapi.app_platform_runtime]"}
        return "", 200, {"StatusCode": 0, "StatusMessage": "success", "code": 0, "data": {}, "msg": "success"}

    def texts(self) -> list[str]:
        """Each message's title and words, one string per message."""
        out = []
        for arrival in self.accepted:
            post = arrival.json["content"]["post"]["zh_cn"]
            words = [item.get("text", "") + item.get("href", "") for line in post["content"] for item in line]
            out.append("\n".join([post["title"], *words]))
        return out
