"""One attempt at one delivery, over HTTP or SMTP, with the safety rules of CONTRACT section 6.

HTTP: the host is resolved and every address checked against the SSRF rules, then the connection goes to the
checked address (a second lookup could answer differently); 10 s timeouts, no redirects, at most 64 KB of answer.
"""
from __future__ import annotations

import http.client
import smtplib
import socket
import ssl
import time
from dataclasses import dataclass
from datetime import datetime
from email.message import EmailMessage
from urllib.parse import urlsplit

from coordinator.domain import delivery_rules, destinations, wire
from coordinator.domain.delivery_rules import Answer
from coordinator.domain.destinations import AllowList
from coordinator.services.delivery_work import Job
from coordinator.services.destinations import resolve

TIMEOUT_S = 10.0
MAX_ANSWER = 64 * 1024


@dataclass(frozen=True)
class MailSettings:
    """Where email goes (SMTP_* and MAIL_FROM)."""

    host: str = "127.0.0.1"
    port: int = 25
    security: str = "none"
    user: str = ""
    password: str = ""
    sender: str = "coordinator@localhost"


def request_for(job: Job, now: datetime) -> wire.Request:
    """The signed HTTP request of a job's channel kind."""
    message = wire.Message(**{**job.message, "lines": tuple(job.message.get("lines", ()))})
    if job.kind == "webhook":
        return wire.webhook(job.url, job.secret, job.message_id, job.payload, now)
    if job.kind == "wecom":
        return wire.wecom(job.url, message)
    if job.kind == "dingtalk":
        return wire.dingtalk(job.url, job.secret, message, now)
    return wire.feishu(job.url, job.secret, message, now)


class _PinnedHTTP(http.client.HTTPConnection):
    """An HTTP connection to an address already checked, whatever DNS says now."""

    def __init__(self, host: str, port: int, address: str, timeout: float) -> None:
        super().__init__(host, port, timeout=timeout)
        self._address = address

    def connect(self) -> None:
        self.sock = socket.create_connection((self._address, self.port), self.timeout)


class _PinnedHTTPS(http.client.HTTPSConnection):
    """An HTTPS connection to a checked address, its certificate verified for the URL's host name."""

    def __init__(self, host: str, port: int, address: str, timeout: float) -> None:
        super().__init__(host, port, timeout=timeout, context=ssl.create_default_context())
        self._address = address

    def connect(self) -> None:
        raw = socket.create_connection((self._address, self.port), self.timeout)
        self.sock = self._context.wrap_socket(raw, server_hostname=self.host)


def post(request: wire.Request, allow: AllowList, kind: str, now: datetime) -> Answer:
    """POST a request to a destination that passes the SSRF rules after DNS; the answer judged."""
    target = destinations.parse_url(request.url)
    try:
        addresses = resolve(target)
    except (OSError, UnicodeError) as exc:
        return Answer(False, None, f"cannot resolve {target.host}: {exc}")
    # One lookup, every address checked, and the connection made to a checked one: no second lookup to rebind.
    reasons = [reason for address in addresses if (reason := destinations.refusal(target, address, allow))]
    if reasons or not addresses:
        return Answer(False, None, f"refused: {reasons[0] if reasons else 'no address'}")
    parts = urlsplit(request.url)
    path = (parts.path or "/") + (f"?{parts.query}" if parts.query else "")
    connection_class = _PinnedHTTPS if target.scheme == "https" else _PinnedHTTP
    connection = connection_class(target.host, target.port, str(addresses[0]), TIMEOUT_S)
    try:
        connection.request("POST", path, body=request.body, headers={"User-Agent": "LivestreamCoordinator/1",
                                                                     **request.headers})
        response = connection.getresponse()
        body = response.read(MAX_ANSWER)
        return delivery_rules.judge(kind, response.status, body, response.getheader("Retry-After"), now)
    except (OSError, http.client.HTTPException) as exc:
        return Answer(False, None, f"{type(exc).__name__}: {exc}"[:500])
    finally:
        connection.close()


def email_message(job: Job, mail: MailSettings) -> EmailMessage:
    """A multipart text and HTML email; its Message-ID is the delivery's, the same on every attempt."""
    message = wire.Message(**{**job.message, "lines": tuple(job.message.get("lines", ()))})
    email = EmailMessage()
    email["Subject"] = message.title
    email["From"] = mail.sender
    email["To"] = job.address
    email["Message-ID"] = f"<{job.message_id}@coordinator>"
    email.set_content(wire.plain(message))
    email.add_alternative(wire.html(message), subtype="html")
    return email


def send_email(job: Job, mail: MailSettings) -> Answer:
    """Hand an email to the SMTP server; a refusal or a lost connection is a failure to retry."""
    try:
        if mail.security == "ssl":
            server: smtplib.SMTP = smtplib.SMTP_SSL(mail.host, mail.port, timeout=TIMEOUT_S,
                                                    context=ssl.create_default_context())
        else:
            server = smtplib.SMTP(mail.host, mail.port, timeout=TIMEOUT_S)
        with server:
            if mail.security == "starttls":
                server.starttls(context=ssl.create_default_context())
            if mail.user:
                server.login(mail.user, mail.password)
            server.send_message(email_message(job, mail))
        return Answer(True, 250)
    except smtplib.SMTPResponseException as exc:
        return Answer(False, exc.smtp_code, f"SMTP {exc.smtp_code}: {exc.smtp_error!r}"[:500])
    except (OSError, smtplib.SMTPException) as exc:
        return Answer(False, None, f"{type(exc).__name__}: {exc}"[:500])


def attempt(job: Job, allow: AllowList, mail: MailSettings, now: datetime) -> tuple[Answer, int]:
    """Try a job once; the answer and how many milliseconds it took."""
    started = time.monotonic()
    try:
        answer = send_email(job, mail) if job.kind == "email" else post(request_for(job, now), allow, job.kind, now)
    except ValueError as exc:  # a URL made unusable by hand in the database: fail, retry, never crash the worker
        answer = Answer(False, None, f"unusable destination: {exc}")
    return answer, int((time.monotonic() - started) * 1000)
