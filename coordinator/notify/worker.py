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
import time
from concurrent.futures import FIRST_COMPLETED, Future, ThreadPoolExecutor, wait
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
        """One round: claim what is due, send it all, record it; how many attempts were made."""
        jobs = self._claim(self.options.concurrency * 4)
        pending = {self._pool.submit(self._try, job) for job in jobs}
        while pending:  # each recorded as it ends (with any that ended with it): a slow receiver holds up no one
            finished, pending = wait(pending, return_when=FIRST_COMPLETED)
            self._record(finished)
        return len(jobs)

    def _claim(self, limit: int) -> list[Job]:
        """Claim up to `limit` due deliveries; an idle poll only reads (no SQLite write lock)."""
        from coordinator.extensions import db

        with self.app.app_context():
            try:
                with reading():
                    due = delivery_work.any_due(clock.now())
                    db.session.rollback()
                return delivery_work.claim(self.name, self.options.lease, limit, clock.now()) if due else []
            finally:
                db.session.remove()

    def _record(self, finished) -> None:
        """Store the attempts of the sends that finished, together: one transaction whatever their number."""
        from coordinator.edge import settings
        from coordinator.extensions import db

        tried = []
        for future in finished:
            try:
                tried.append(future.result())
            except Exception:  # noqa: BLE001 - the lease lapses and the message is sent again
                log.exception("a delivery attempt failed unexpectedly")
        if not tried:
            return
        with self.app.app_context():
            try:
                delivery_work.record_all(tried, settings(self.app), clock.now())
            except Exception as error:  # noqa: BLE001 - the leases lapse and the messages are sent again
                self._log_failure(error, f"could not record deliveries {[t.job.delivery_id for t in tried]}")
                db.session.rollback()
            finally:
                db.session.remove()

    @staticmethod
    def _log_failure(error: Exception, what: str) -> None:
        if database_unavailable(error):
            log.warning("%s, the database is unavailable: %s", what, first_line(error))
        else:
            log.exception(what)

    def _try(self, job: Job) -> Tried:
        with self.app.app_context():  # a pool thread has none: without it the app's injected clock is not read
            at = clock.now()
        answer, latency = attempt(job, self.options.allow, self.options.mail, at)
        if not answer.ok:
            # The error names the destination's host at most, never a secret or a signed URL.
            log.info("delivery %d to channel %d failed: %s", job.delivery_id, job.channel_id, answer.error[:200])
        return Tried(job, at, answer, latency)

    def _loop(self) -> None:
        """Keep the senders busy. Claim again as soon as most of them are free while claims come back full, else
        after a poll; record whatever finished together in one transaction. So one slow destination holds up
        nobody else's messages (there are no rounds to wait for), and a busy worker commits once for many messages
        rather than once for each."""
        concurrency, poll = self.options.concurrency, self.options.poll_seconds
        pending: set[Future] = set()
        claim_at = 0.0  # time.monotonic() of the next claim
        while not self._stop.is_set():
            if len(pending) <= concurrency and time.monotonic() >= claim_at:
                limit = concurrency * 4 - len(pending)
                try:
                    jobs = self._claim(limit)
                except Exception as error:  # noqa: BLE001 - the database may be away for a moment; keep going
                    self._log_failure(error, "delivery round skipped" if database_unavailable(error)
                                      else "delivery round failed")
                    jobs = []
                pending |= {self._pool.submit(self._try, job) for job in jobs}
                # All it asked for: more may be due at once. Fewer: all that was due is taken; look after a poll.
                claim_at = time.monotonic() + (0.0 if jobs and len(jobs) == limit else poll)
            if not pending:
                self._stop.wait(max(0.0, claim_at - time.monotonic()))
                continue
            timeout = max(0.0, claim_at - time.monotonic()) if len(pending) <= concurrency else poll
            finished, pending = wait(pending, timeout=timeout, return_when=FIRST_COMPLETED)
            self._record(finished)
        if pending:  # stopping: the sends under way finish (each has its timeout) and are recorded
            self._record(wait(pending).done)

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
