"""What the process-level notification tests share: `flask deliver` in a child process, an outbox filled through
the real services, and small additions to tests/notify's loopback receivers (whose Standard Webhooks endpoint
verifies every signature and drops repeats by webhook-id, and whose SMTP server is aiosmtpd).

Everything listens on 127.0.0.1 and nothing is ever sent elsewhere.
"""
from __future__ import annotations

import os
import signal
import subprocess
import sys
import time
import uuid
from dataclasses import dataclass, field
from datetime import datetime, timedelta, timezone

from sqlalchemy import create_engine, select, text

from tests.notify import mailbox
from tests.notify.receivers import Arrival, Receiver
from tests.notify.vendors import WebhookReceiver
from tests.faults.helpers import wait_until  # noqa: F401 - the process tests' one way to wait
from tests.servers import ROOT, drain


def utcnow() -> datetime:
    return datetime.now(timezone.utc)


class Mailbox(mailbox.Mailbox):
    """tests/notify's SMTP server, noting also when each message came (to hold reminders to their lead time)."""

    def __init__(self) -> None:
        super().__init__()
        self.times: list[float] = []

    async def handle_DATA(self, server, session, envelope) -> str:  # noqa: N802 - aiosmtpd's name
        answer = await super().handle_DATA(server, session, envelope)
        if answer.startswith("250"):
            with self.lock:
                self.times.append(time.time())
        return answer

    def snapshot(self) -> list[tuple[float, list[str], object]]:
        """(when, recipients, parsed message) of each message taken."""
        with self.lock:
            return list(zip(self.times, self.recipients, self.messages))


def snapshot(receiver: Receiver) -> list[Arrival]:
    """Every request a receiver has had so far, taken or not."""
    with receiver.lock:
        return list(receiver.arrivals)


def duplicates(receiver: WebhookReceiver) -> int:
    """Requests that repeated a webhook-id already taken: what a receiver without dedupe would act on twice."""
    return sum(1 for arrival in snapshot(receiver) if arrival.verdict == "duplicate")


class DeliverProcess:
    """`flask --app wsgi deliver` in a child process, as an operator runs an extra worker."""

    def __init__(self, database_url: str, allow: str, **env: str) -> None:
        self.env = {**os.environ, "DATABASE_URL": database_url, "SCHEDULER_MODE": "off", "NOTIFY_ALLOW_PRIVATE": allow,
                    "NOTIFY_CLAIM_SECONDS": "2", "PYTHONUNBUFFERED": "1", **env}
        self.process: subprocess.Popen | None = None
        self.lines: list[str] = []

    def start(self) -> "DeliverProcess":
        self.lines = []
        self.process = subprocess.Popen([sys.executable, "-m", "flask", "--app", "wsgi", "deliver"], cwd=ROOT,
                                        env=self.env, stdout=subprocess.PIPE, stderr=subprocess.STDOUT, text=True)
        self._reader = drain(self.process, self.lines)
        return self

    def wait_running(self, seconds: float = 30) -> None:
        assert wait_until(lambda: any("Delivery worker" in line for line in list(self.lines))
                          or self.process.poll() is not None, seconds), self.log
        assert self.process.poll() is None, self.log

    def kill(self) -> None:
        """SIGKILL: no release of its claims, no last record, like a crash or the OOM killer."""
        if self.process is not None and self.process.poll() is None:
            self.process.kill()
        if self.process is not None:
            self.process.wait()
            self._reader.join(timeout=5)

    def stop(self) -> None:
        """Ctrl-C, then a kill if it does not go within 10 s."""
        if self.process is None:
            return
        if self.process.poll() is None:
            self.process.send_signal(signal.SIGINT)
            try:
                self.process.wait(timeout=10)
            except subprocess.TimeoutExpired:
                self.process.kill()
                self.process.wait()
        self._reader.join(timeout=5)

    @property
    def log(self) -> str:
        return "\n".join(self.lines)


@dataclass
class Staged:
    """What the outbox holds for a test: the channel and the webhook-ids it was given, in order."""

    channel_id: int
    secret: str
    message_ids: list[str] = field(default_factory=list)


def stage_webhooks(app, url: str, count: int) -> Staged:
    """A campaign with one webhook channel, then `count` notices staged through the outbox and committed at once."""
    from coordinator.domain.notices import Notice
    from coordinator.edge import settings
    from coordinator.extensions import db
    from coordinator.models import Campaign, Delivery
    from coordinator.services import access, channels, outbox
    from tests.factories import make_user

    with app.app_context():
        user = make_user(f"owner-{uuid.uuid4().hex[:8]}", "commissioner", is_admin=True)
        actor = access.actor_for(user)
        now = utcnow()
        campaign = Campaign(name="Double 12", starts_at=now - timedelta(days=1), ends_at=now + timedelta(days=10),
                            owner_id=user.id, created_by_id=user.id)
        db.session.add(campaign)
        db.session.commit()
        channel, secret = channels.create(actor, settings(app), {"kind": "webhook", "name": "ERP hook", "url": url,
                                                                 "campaign_id": campaign.id, "locale": "en"})
        notices = [Notice("campaign.status", campaign.id, {"campaign_id": campaign.id, "status": "live",
                                                           "previous": "published", "n": n},
                          names={"campaign": "Double 12"}) for n in range(count)]
        assert outbox.stage(notices, settings(app)) == count
        db.session.commit()
        ids = list(db.session.scalars(select(Delivery.message_id).where(Delivery.channel_id == channel.id)
                                      .order_by(Delivery.id)))
        staged = Staged(channel.id, secret, ids)
        db.session.remove()
    return staged


def delivery_states(url: str) -> dict[str, int]:
    """state -> how many deliveries, straight from the database."""
    engine = create_engine(url)
    try:
        with engine.connect() as connection:
            return dict(connection.execute(text("SELECT state, COUNT(*) FROM deliveries GROUP BY state")).all())
    finally:
        engine.dispose()


def rows(url: str, sql: str) -> list[tuple]:
    engine = create_engine(url)
    try:
        with engine.connect() as connection:
            return [tuple(row) for row in connection.execute(text(sql)).all()]
    finally:
        engine.dispose()
