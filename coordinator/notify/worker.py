"""The delivery worker: claims due deliveries, sends them a few at a time, records every attempt.

It runs beside the scheduler (embedded in the process holding the scheduler's lock, or in `flask scheduler`);
`flask deliver` runs more. Any number may run: claims are leases, so none doubles another's work and a killed
worker's messages are sent again after their lease lapses.
"""
from __future__ import annotations

import logging
import os
import socket
import threading
from concurrent.futures import ThreadPoolExecutor, as_completed
from dataclasses import dataclass, field
from datetime import timedelta

from flask import Flask

from coordinator import clock
from coordinator.database import reading
from coordinator.errors import database_unavailable, first_line
from coordinator.domain.destinations import AllowList
from coordinator.notify.sender import MailSettings, attempt
from coordinator.services import delivery_work
from coordinator.services.delivery_work import Job, Tried

log = logging.getLogger(__name__)
EXTENSION = "coordinator.delivery_worker"


@dataclass
class WorkerOptions:
    """How a worker behaves: from NOTIFY_* and SMTP_* settings."""

    concurrency: int = 8
    lease: timedelta = timedelta(seconds=60)
    poll_seconds: float = 0.5
    allow: AllowList = field(default_factory=AllowList)
    mail: MailSettings = field(default_factory=MailSettings)

    @classmethod
    def from_config(cls, config) -> "WorkerOptions":
        """The options of an application's configuration."""
        return cls(config["NOTIFY_CONCURRENCY"], timedelta(seconds=config["NOTIFY_CLAIM_SECONDS"]),
                   config["NOTIFY_POLL_SECONDS"], AllowList.parse(config["NOTIFY_ALLOW_PRIVATE"]),
                   MailSettings(config["SMTP_HOST"], config["SMTP_PORT"], config["SMTP_SECURITY"], config["SMTP_USER"],
                                config["SMTP_PASSWORD"], config["MAIL_FROM"]))


class DeliveryWorker:
    """Claim, send, record, again; a thread of its own when started."""

    def __init__(self, app: Flask, options: WorkerOptions | None = None) -> None:
        self.app = app
        self.options = options or WorkerOptions.from_config(app.config)
        self.name = f"{socket.gethostname()}:{os.getpid()}:{id(self):x}"[:64]
        self._stop = threading.Event()
        self._thread: threading.Thread | None = None
        self._pool = ThreadPoolExecutor(self.options.concurrency, thread_name_prefix="deliver")

    def run_once(self) -> int:
        """One round: claim what is due and send it all; how many attempts were made."""
        from coordinator.edge import settings
        from coordinator.extensions import db

        with self.app.app_context():
            try:
                with reading():
                    due = delivery_work.any_due(clock.now())
                    db.session.rollback()
                jobs = delivery_work.claim(self.name, self.options.lease, self.options.concurrency * 4,
                                           clock.now()) if due else []
            finally:
                db.session.remove()
        if not jobs:
            return 0
        # Each attempt is recorded as soon as it ends: a slow receiver holds up nobody else's record.
        for future in as_completed([self._pool.submit(self._try, job) for job in jobs]):
            tried = future.result()
            with self.app.app_context():
                try:
                    delivery_work.record(tried, settings(self.app), clock.now())
                except Exception:  # noqa: BLE001 - the lease lapses and the message is sent again
                    log.exception("could not record delivery %d", tried.job.delivery_id)
                    db.session.rollback()
                finally:
                    db.session.remove()
        return len(jobs)

    def _try(self, job: Job) -> Tried:
        at = clock.now()
        answer, latency = attempt(job, self.options.allow, self.options.mail, at)
        if not answer.ok:
            # The error names the destination's host at most, never a secret or a signed URL.
            log.info("delivery %d to channel %d failed: %s", job.delivery_id, job.channel_id, answer.error[:200])
        return Tried(job, at, answer, latency)

    def _loop(self) -> None:
        while not self._stop.is_set():
            try:
                busy = self.run_once()
            except Exception as error:  # noqa: BLE001 - the database may be away for a moment; keep going
                if database_unavailable(error):
                    log.warning("delivery round skipped, the database is unavailable: %s", first_line(error))
                else:
                    log.exception("delivery round failed")
                busy = 0
            if not busy:
                self._stop.wait(self.options.poll_seconds)

    def start(self) -> "DeliveryWorker":
        """Run in a daemon thread until stop()."""
        self._thread = threading.Thread(target=self._loop, name="delivery-worker", daemon=True)
        self._thread.start()
        return self

    def stop(self) -> None:
        """Finish the round in progress, hand back unsent claims, and stop."""
        from coordinator.extensions import db

        self._stop.set()
        if self._thread is not None:
            self._thread.join(timeout=30)
        self._pool.shutdown(wait=True)
        with self.app.app_context():
            try:
                delivery_work.release(self.name)
            finally:
                db.session.remove()


def start(app: Flask) -> DeliveryWorker | None:
    """Start this process's worker once (none when NOTIFY_WORKER is off)."""
    if app.config["NOTIFY_WORKER"] != "on":
        return None
    existing = app.extensions.get(EXTENSION)
    if existing is None:
        existing = app.extensions[EXTENSION] = DeliveryWorker(app).start()
    return existing


def stop(app: Flask) -> None:
    """Stop this process's worker, if it runs one."""
    worker = app.extensions.pop(EXTENSION, None)
    if worker is not None:
        worker.stop()
