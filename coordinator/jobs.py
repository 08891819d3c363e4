"""The one scheduler: APScheduler jobs derived from the sessions table, guarded by a PostgreSQL advisory lock."""
from __future__ import annotations

import logging
import os
import sys
import threading
import time
from datetime import datetime, timezone

from apscheduler.schedulers.background import BackgroundScheduler
from flask import Flask
from sqlalchemy import text

log = logging.getLogger(__name__)
# Any fixed 64-bit number all coordinator processes agree on: "LCC-SCHD".
LOCK_KEY = 0x4C43432D53434844
EXTENSION = "coordinator.scheduler"
JOB_DEFAULTS = {"misfire_grace_time": None, "coalesce": True, "max_instances": 1}


class SessionScheduler:
    """Wakes at every session's start, end and reminder times, and sweeps every second besides."""

    def __init__(self, app: Flask) -> None:
        self.app = app
        self.scheduler = BackgroundScheduler(timezone=timezone.utc, job_defaults=JOB_DEFAULTS)
        self.lock_connection = None
        self.running = False
        self._stop = threading.Event()
        self._waiter: threading.Thread | None = None

    def tick(self) -> None:
        """Move due sessions and send due reminders (a job: safe to run any number of times)."""
        from coordinator.edge import publish, settings
        from coordinator.extensions import db
        from coordinator.services import session_clock

        with self.app.app_context():
            try:
                done = session_clock.advance(settings(self.app))
                publish(done.events, self.app)
                for session_id, _campaign_id, status in done.transitions:
                    log.info("session %d is now %s", session_id, status)
                for reminder in done.reminders:
                    log.info("reminded streamer %d of session %d (%d min)", reminder["streamer_id"],
                             reminder["session_id"], reminder["lead_minutes"])
            except Exception:  # noqa: BLE001 - the next sweep retries; a job must not kill the scheduler
                log.exception("scheduler tick failed")
                db.session.rollback()
            finally:
                db.session.remove()

    def samples_late(self) -> None:
        """Stage sample.late for samples that became late (a job: each sample and session is told once)."""
        from coordinator.edge import settings
        from coordinator.extensions import db
        from coordinator.services import sample_late

        with self.app.app_context():
            try:
                staged = sample_late.stage_late(settings(self.app))
                if staged:
                    log.info("%d samples are late for their sessions", staged)
            except Exception:  # noqa: BLE001 - the next look retries
                log.exception("looking for late samples failed")
                db.session.rollback()
            finally:
                db.session.remove()

    def wake_at(self, moments: list[datetime]) -> None:
        """Add a job per distinct moment; the same moment twice is one job."""
        for moment in moments:
            self.scheduler.add_job(self.tick, "date", run_date=moment, id=f"wake:{moment.timestamp():.6f}",
                                   replace_existing=True)

    def rebuild(self) -> int:
        """Catch up at once, then derive every wake-up from the sessions table; returns how many jobs."""
        from coordinator.edge import settings
        from coordinator.extensions import db
        from coordinator.services import session_clock

        self.tick()
        with self.app.app_context():
            try:
                moments = session_clock.wake_plan(settings(self.app))
            finally:
                db.session.remove()
        # Jobs for moments no longer needed stay: a spare tick changes nothing.
        self.wake_at(moments)
        return len(moments)

    def session_changed(self, event) -> None:
        """A session of this process's app was scheduled or moved: wake at its new times."""
        from coordinator import clock
        from coordinator.domain.scheduling import wake_times
        from coordinator.edge import settings

        if self.running:
            leads = settings(self.app).reminder_leads
            self.wake_at(wake_times(event.starts_at, event.ends_at, event.status, leads, clock.now()))

    def _acquire(self) -> bool:
        """On PostgreSQL hold an advisory lock on a connection of our own; SQLite has one process."""
        from coordinator.extensions import db

        with self.app.app_context():
            if db.engine.dialect.name != "postgresql":
                return True
            if self.lock_connection is None:
                self.lock_connection = db.engine.connect()
            got = self.lock_connection.execute(text("SELECT pg_try_advisory_lock(:k)"), {"k": LOCK_KEY}).scalar()
            self.lock_connection.commit()
            return bool(got)

    def _run(self) -> None:
        self.running = True
        self.scheduler.start()
        count = self.rebuild()
        self.scheduler.add_job(self.tick, "interval", seconds=self.app.config["SCHEDULER_SWEEP_SECONDS"], id="sweep",
                               replace_existing=True)
        self.scheduler.add_job(self.rebuild, "interval", minutes=10, id="rebuild", replace_existing=True)
        self.scheduler.add_job(self.samples_late, "interval", seconds=self.app.config["SAMPLE_LATE_SWEEP_SECONDS"],
                               id="samples-late", replace_existing=True, next_run_time=datetime.now(timezone.utc))
        from coordinator.notify import worker

        worker.start(self.app)  # messages are delivered beside the scheduler, by its lock's holder
        log.info("scheduler running with %d wake-ups", count)

    def _wait_for_lock(self) -> None:
        while not self._stop.is_set():
            try:
                if self._acquire():
                    self._run()
                    return
            except Exception:  # noqa: BLE001 - the database may be starting; keep trying
                log.exception("could not take the scheduler lock")
                self.lock_connection = None
            self._stop.wait(2.0)

    def start(self, block_for_lock: bool = False) -> "SessionScheduler":
        """Run now if the lock is free, otherwise stand by and take over when the holder goes away."""
        if block_for_lock:
            self._wait_for_lock()
            return self
        try:
            acquired = self._acquire()
        except Exception:  # noqa: BLE001 - serving must not fail because the database is slow to start
            log.exception("could not take the scheduler lock")
            acquired, self.lock_connection = False, None
        if acquired:
            self._run()
        else:
            self._waiter = threading.Thread(target=self._wait_for_lock, name="scheduler-standby", daemon=True)
            self._waiter.start()
        return self

    def shutdown(self) -> None:
        """Stop the jobs and release the lock."""
        from coordinator.notify import worker

        self._stop.set()
        if self.running:
            self.scheduler.shutdown(wait=True)
            worker.stop(self.app)
            self.running = False
        if self.lock_connection is not None:
            self.lock_connection.close()  # closing the session releases the advisory lock
            self.lock_connection = None


def _serving() -> bool:
    """False for flask commands (init-db, demo, …): only a serving process embeds the scheduler."""
    if os.environ.get("FLASK_RUN_FROM_CLI") != "true":
        return True
    # `flask run` serves; with the reloader only the child (WERKZEUG_RUN_MAIN) may start it.
    return "run" in sys.argv[1:] and os.environ.get("WERKZEUG_RUN_MAIN", "true") == "true"


def start(app: Flask, block_for_lock: bool = False) -> SessionScheduler:
    """Start this process's scheduler (once per app)."""
    existing = app.extensions.get(EXTENSION)
    if existing is not None:
        return existing
    scheduler = SessionScheduler(app)
    app.extensions[EXTENSION] = scheduler
    return scheduler.start(block_for_lock)


def init_app(app: Flask) -> None:
    """Embed the scheduler when SCHEDULER_MODE is embedded (under TESTING only when a test asks)."""
    if app.config["SCHEDULER_MODE"] != "embedded":
        return
    if app.testing and not app.config.get("SCHEDULER_IN_TESTS"):
        return
    if not _serving():
        return
    start(app)


def run_standalone(app: Flask) -> None:
    """The `flask scheduler` command's loop: wait for the lock, run until interrupted."""
    logging.basicConfig(level=logging.INFO, format="%(asctime)s %(name)s %(message)s")
    logging.getLogger("apscheduler").setLevel(logging.WARNING)
    scheduler = start(app, block_for_lock=True)
    try:
        while True:
            time.sleep(3600)
    except KeyboardInterrupt:
        pass
    finally:
        scheduler.shutdown()
