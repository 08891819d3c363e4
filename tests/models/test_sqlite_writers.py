"""Concurrent read-then-write transactions on SQLite queue for the write lock instead of failing."""
from __future__ import annotations

import threading

import pytest
from sqlalchemy import select

from coordinator.extensions import db
from coordinator.models import TallyCounter

THREADS, ROUNDS = 8, 50


@pytest.mark.parametrize("database_url", ["sqlite"], indirect=True)
def test_eight_writers_reading_then_writing_lose_no_update(app):
    with app.app_context():
        db.session.add(TallyCounter(scope="campaign", scope_id=1, dimension="total", dimension_id=0))
        db.session.commit()
    errors: list[Exception] = []

    def writer() -> None:
        try:
            with app.app_context():
                for _ in range(ROUNDS):
                    # Read, then write, in one transaction: with a deferred BEGIN two such transactions can both
                    # hold read locks and one fails with "database is locked" when upgrading, whatever the busy
                    # timeout. BEGIN IMMEDIATE (coordinator/database.py) takes the write lock first, so they queue.
                    row = db.session.scalars(select(TallyCounter)).one()
                    row.orders = row.orders + 1
                    db.session.commit()
        except Exception as exc:  # noqa: BLE001 - collected and asserted below
            errors.append(exc)

    threads = [threading.Thread(target=writer) for _ in range(THREADS)]
    for thread in threads:
        thread.start()
    for thread in threads:
        thread.join()
    assert errors == []
    with app.app_context():
        assert db.session.scalars(select(TallyCounter)).one().orders == THREADS * ROUNDS
