"""A real SMTP server on 127.0.0.1 (aiosmtpd's Controller on a free port) that keeps every message it takes."""
from __future__ import annotations

import threading
from collections import deque
from email import message_from_bytes
from email.message import EmailMessage
from email.policy import default as default_policy

from aiosmtpd.controller import Controller


class _Controller(Controller):
    """aiosmtpd's Controller asked for port 0: it learns the port the system chose before it checks it listens."""

    def _trigger_server(self) -> None:
        self.port = self.server.sockets[0].getsockname()[1]
        super()._trigger_server()


class Mailbox:
    """The handler: each message parsed, with its envelope; the next N can be refused with a 451."""

    def __init__(self) -> None:
        self.lock = threading.Lock()
        self.messages: list[EmailMessage] = []
        self.recipients: list[list[str]] = []
        self.refusals: deque[str] = deque()
        self._controller: _Controller | None = None

    async def handle_DATA(self, server, session, envelope) -> str:  # noqa: N802 - aiosmtpd's name
        """Take the message, or refuse it as a busy server does."""
        with self.lock:
            if self.refusals:
                return self.refusals.popleft()
            self.messages.append(message_from_bytes(envelope.content, policy=default_policy))
            self.recipients.append(list(envelope.rcpt_tos))
        return "250 Message accepted for delivery"

    def refuse_next(self, times: int = 1) -> None:
        """Answer the next `times` messages "451 try again later"."""
        self.refusals.extend(["451 4.3.0 Try again later"] * times)

    def clear(self) -> None:
        """Forget what came before (one server serves a whole test run)."""
        with self.lock:
            self.messages.clear()
            self.recipients.clear()
            self.refusals.clear()

    @property
    def port(self) -> int:
        """The port it listens on."""
        assert self._controller is not None
        return self._controller.port

    def start(self) -> "Mailbox":
        """Listen on 127.0.0.1 on a free port."""
        self._controller = _Controller(self, hostname="127.0.0.1", port=0)
        self._controller.start()
        return self

    def stop(self) -> None:
        """Stop listening."""
        if self._controller is not None:
            self._controller.stop()


def parts(message: EmailMessage) -> dict[str, str]:
    """A multipart message's bodies by content type (text/plain, text/html)."""
    return {part.get_content_type(): part.get_content() for part in message.walk() if not part.is_multipart()}
