"""Each channel kind's wire format (CONTRACT section 6), signed as its vendor documents; nothing is sent here."""
from __future__ import annotations

import base64
import hashlib
import hmac
import json
import secrets
from dataclasses import dataclass, field
from datetime import datetime, timezone
from html import escape
from urllib.parse import quote_plus

from standardwebhooks import Webhook

# Feishu refuses a body over 20 KB; WeCom's markdown content stops at 4096 bytes, DingTalk's is kept as short.
FEISHU_MAX_BODY = 20 * 1024
ROBOT_MAX_TEXT = 4000


@dataclass(frozen=True)
class Message:
    """The words of one message, in the recipient's language: a title, a few lines and a link to more."""

    title: str
    lines: tuple[str, ...] = ()
    link: str = ""
    link_text: str = "Details"


@dataclass(frozen=True)
class Request:
    """An HTTP POST ready to send."""

    url: str
    body: bytes
    headers: dict[str, str] = field(default_factory=dict)


def new_webhook_secret() -> str:
    """A Standard Webhooks secret: whsec_ and 24 random bytes in base64."""
    return "whsec_" + base64.b64encode(secrets.token_bytes(24)).decode()


def markdown(message: Message) -> str:
    """The message as the robots' markdown: bold title, lines, a link."""
    link = f"\n\n[{message.link_text}]({message.link})" if message.link else ""
    # Cut the lines, never the link: the link is how the reader gets to the rest.
    return _clip("\n\n".join([f"**{message.title}**", *message.lines]), ROBOT_MAX_TEXT - len(link.encode())) + link


def plain(message: Message) -> str:
    """The message as plain text."""
    return "\n".join([message.title, *message.lines, *([message.link] if message.link else [])])


def html(message: Message) -> str:
    """The message as a small HTML email body."""
    lines = "".join(f"<p>{escape(line)}</p>" for line in message.lines)
    link = f'<p><a href="{escape(message.link)}">{escape(message.link_text)}</a></p>' if message.link else ""
    return f"<!doctype html><html><body><h2>{escape(message.title)}</h2>{lines}{link}</body></html>"


def _clip(text: str, limit: int) -> str:
    data = text.encode("utf-8")
    if len(data) <= limit:
        return text
    return data[:limit - 3].decode("utf-8", "ignore") + "…"


def _json(value: object) -> bytes:
    return json.dumps(value, ensure_ascii=False, separators=(",", ":")).encode("utf-8")


def webhook(url: str, secret: str, message_id: str, payload: dict, now: datetime) -> Request:
    """Standard Webhooks v1: the payload signed over "<id>.<timestamp>.<body>" with the channel's secret."""
    body = _json(payload)
    moment = now.astimezone(timezone.utc)
    signature = Webhook(secret).sign(message_id, moment, body.decode("utf-8"))
    return Request(url, body, {"Content-Type": "application/json", "webhook-id": message_id,
                               "webhook-timestamp": str(int(moment.timestamp())), "webhook-signature": signature})


def wecom(url: str, message: Message) -> Request:
    """A WeCom group robot's markdown message."""
    return Request(url, _json({"msgtype": "markdown", "markdown": {"content": markdown(message)}}),
                   {"Content-Type": "application/json"})


def dingtalk_sign(secret: str, timestamp_ms: int) -> str:
    """DingTalk's sign: base64 HMAC-SHA256 keyed with the secret of "<ms>\\n<secret>", URL-encoded."""
    digest = hmac.new(secret.encode(), f"{timestamp_ms}\n{secret}".encode(), hashlib.sha256).digest()
    return quote_plus(base64.b64encode(digest).decode())


def dingtalk(url: str, secret: str, message: Message, now: datetime) -> Request:
    """A DingTalk group robot's markdown message, its URL signed with timestamp and sign."""
    stamp = int(now.timestamp() * 1000)
    signed = f"{url}{'&' if '?' in url else '?'}timestamp={stamp}&sign={dingtalk_sign(secret, stamp)}"
    body = {"msgtype": "markdown", "markdown": {"title": message.title[:100], "text": markdown(message)}}
    return Request(signed, _json(body), {"Content-Type": "application/json"})


def feishu_sign(secret: str, timestamp_s: int) -> str:
    """Feishu's sign: base64 HMAC-SHA256 keyed with "<s>\\n<secret>" of the empty string."""
    return base64.b64encode(hmac.new(f"{timestamp_s}\n{secret}".encode(), b"", hashlib.sha256).digest()).decode()


def feishu(url: str, secret: str, message: Message, now: datetime) -> Request:
    """A Feishu custom robot's rich-text ("post") message, signed, its body kept under 20 KB."""
    stamp = int(now.timestamp())
    lines = list(message.lines)
    while True:
        paragraphs = [[{"tag": "text", "text": line}] for line in lines]
        if message.link:
            paragraphs.append([{"tag": "a", "text": message.link_text, "href": message.link}])
        body = {"timestamp": str(stamp), "sign": feishu_sign(secret, stamp), "msg_type": "post",
                "content": {"post": {"zh_cn": {"title": message.title[:200], "content": paragraphs}}}}
        data = _json(body)
        if len(data) <= FEISHU_MAX_BODY or not lines:
            return Request(url, data, {"Content-Type": "application/json"})
        long_lines = any(len(line.encode()) > 64 for line in lines)
        lines = [_clip(line, max(len(line.encode()) // 2, 64)) for line in lines] if long_lines else lines[:-1]
