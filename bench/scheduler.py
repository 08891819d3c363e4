"""Scheduler bench: rebuild after a restart with 10,000 sessions, and 200 sessions starting in the same second.

    .venv/bin/python bench/scheduler.py            # SQLite file and PostgreSQL (127.0.0.1:5432) if reachable
"""
from __future__ import annotations

import sys
import tempfile
import time
from datetime import datetime, timedelta, timezone
from pathlib import Path

sys.path.insert(0, str(Path(__file__).resolve().parent.parent))

from sqlalchemy import func, insert, select  # noqa: E402

from config import TestingConfig  # noqa: E402
from coordinator import create_app, jobs  # noqa: E402
from coordinator.extensions import db  # noqa: E402
from coordinator.models import Campaign, LiveSession, Streamer  # noqa: E402
from tests import databases  # noqa: E402

SESSIONS, BURST, STREAMERS = 10_000, 200, 500


def _app(url: str):
    config = {key: getattr(TestingConfig, key) for key in dir(TestingConfig) if key.isupper()}
    return create_app({**config, "SQLALCHEMY_DATABASE_URI": url, "SCHEDULER_MODE": "off"})


def _seed(app) -> int:
    now = datetime.now(timezone.utc)
    with app.app_context():
        campaign = Campaign(name="bench", starts_at=now - timedelta(days=1), ends_at=now + timedelta(days=30))
        db.session.add(campaign)
        db.session.flush()
        db.session.execute(insert(Streamer), [{"handle": f"s{n}", "display_name": f"s{n}", "platform": "douyin",
                                               "followers": 0, "categories": []} for n in range(STREAMERS)])
        ids = list(db.session.scalars(select(Streamer.id)))
        rows = []
        for n in range(SESSIONS):
            # Spread over a week at odd seconds: start, end and both reminders are all distinct wake-ups (worst case).
            start = (now + timedelta(hours=1, seconds=n * 61 + 0.5)).replace(microsecond=0)
            rows.append({"campaign_id": campaign.id, "streamer_id": ids[n % len(ids)], "starts_at": start,
                         "ends_at": start + timedelta(hours=2), "status": "scheduled", "title": "", "notes": ""})
        db.session.execute(insert(LiveSession), rows)
        db.session.commit()
        return campaign.id


def _burst(app, campaign_id: int, at: datetime) -> list[int]:
    with app.app_context():
        ids = list(db.session.scalars(select(Streamer.id).limit(BURST)))
        rows = [{"campaign_id": campaign_id, "streamer_id": sid, "starts_at": at, "ends_at": at + timedelta(hours=1),
                 "status": "scheduled", "title": "", "notes": ""} for sid in ids]
        result = db.session.execute(insert(LiveSession).returning(LiveSession.id), rows)
        session_ids = [row[0] for row in result]
        db.session.commit()
        return session_ids


def _live_count(app, ids: list[int]) -> int:
    with app.app_context():
        try:
            return db.session.scalar(select(func.count()).where(LiveSession.id.in_(ids), LiveSession.status == "live"))
        finally:
            db.session.remove()


def run(url: str, label: str) -> None:
    databases.migrate(url)
    app = _app(url)
    campaign_id = _seed(app)
    at = (datetime.now(timezone.utc) + timedelta(seconds=8)).replace(microsecond=0)
    burst = _burst(app, campaign_id, at)
    began = time.perf_counter()
    scheduler = jobs.start(app)  # a restart: catch up, derive every wake-up from the table
    rebuild = time.perf_counter() - began
    wakeups = len(scheduler.scheduler.get_jobs())
    while _live_count(app, burst) < len(burst):
        time.sleep(0.01)  # polling the database while the scheduler acts on real time
    lag = (datetime.now(timezone.utc) - at).total_seconds()
    scheduler.shutdown()
    print(f"{label}: {SESSIONS + BURST} sessions, rebuild {rebuild:.2f} s ({wakeups} jobs); "
          f"{BURST} sessions starting at the same second all live {lag:.2f} s after their start")
    with app.app_context():
        db.engine.dispose()


def main() -> None:
    with tempfile.TemporaryDirectory() as tmp:
        run(f"sqlite:///{tmp}/bench.sqlite3", "SQLite")
    if databases.postgres_reachable():
        url = databases.create_postgres_database()
        try:
            run(url, "PostgreSQL")
        finally:
            databases.drop_postgres_database(url)


if __name__ == "__main__":
    main()
