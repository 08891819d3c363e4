"""The webhook's hand-written fast path agrees with what the models and the domain rules say, and a
disagreement between its SQL and Python checks could never acknowledge or refuse the wrong thing."""
from __future__ import annotations

import random
from datetime import datetime, timedelta, timezone

import pytest
from sqlalchemy.dialects.sqlite.pysqlite import SQLiteDialect_pysqlite

from coordinator.domain.errors import InvalidInput
from coordinator.domain.ingest import SaleFacts, counter_deltas, minute_of
from coordinator.extensions import db
from coordinator.models import SaleEvent
from coordinator.models.base import UTCDateTime
from coordinator.services import ingest
from coordinator.services.ingest_sql import sqlite_time as _sqlite_time
from tests.ingest.helpers import event, open_shop, post_sales

ZONES = [timezone.utc, timezone(timedelta(hours=8)), timezone(timedelta(hours=-5, minutes=-30))]


def test_sqlite_times_are_stored_exactly_as_the_models_store_them():
    dialect = SQLiteDialect_pysqlite()
    processor = UTCDateTime().dialect_impl(dialect).bind_processor(dialect)
    rng = random.Random(6)
    for _ in range(500):
        moment = datetime(rng.randint(2000, 2099), rng.randint(1, 12), rng.randint(1, 28), rng.randint(0, 23),
                          rng.randint(0, 59), rng.randint(0, 59), rng.choice([0, rng.randint(0, 999_999)]),
                          tzinfo=rng.choice(ZONES))
        assert _sqlite_time(moment) == processor(moment)


def _naive_deltas(events):
    """The rule stated plainly, one event and one counter row at a time."""
    rows, minutes = {}, {}
    for e in events:
        delta = (1, e.quantity, e.amount_fen, 0) if e.kind == "order" else (0, -e.quantity, 0, e.amount_fen)
        for scope, scope_id in (("campaign", e.campaign_id), ("session", e.session_id)):
            for key in ((scope, scope_id, "total", 0), (scope, scope_id, "county", e.county_id),
                        (scope, scope_id, "streamer", e.streamer_id), (scope, scope_id, "product", e.product_id)):
                rows[key] = [a + b for a, b in zip(rows.get(key, [0, 0, 0, 0]), delta)]
            key = (scope, scope_id, minute_of(e.occurred_at))
            minutes[key] = [a + b for a, b in zip(minutes.get(key, [0, 0, 0, 0]), delta)]
    return rows, minutes


def test_grouped_counter_deltas_equal_the_plain_rule():
    rng = random.Random(11)
    for _ in range(100):
        events = [SaleFacts(rng.choice(["order", "refund"]), rng.randint(1, 5), rng.randint(0, 10**6),
                            datetime(2026, 11, 11, rng.randint(0, 23), rng.randint(0, 59), rng.randint(0, 59),
                                     rng.randint(0, 999_999), tzinfo=timezone.utc).astimezone(rng.choice(ZONES)),
                            rng.randint(1, 3), rng.randint(1, 5), rng.randint(1, 4), rng.randint(1, 4), rng.randint(1, 9))
                  for _ in range(rng.randint(1, 200))]
        totals, minutes = counter_deltas(events)
        assert (totals, minutes) == _naive_deltas(events)
        assert all(minute.tzinfo == timezone.utc and minute.second == 0 for _s, _i, minute in minutes)


@pytest.mark.parametrize("database_url", ["postgresql"], indirect=True)
def test_stored_events_are_never_refused_and_refused_ones_never_acknowledged(app, client, clock, monkeypatch, caplog):
    """The PostgreSQL statement checks the events in SQL and facts_for_events reports on them in Python; were
    the two ever to disagree, the platform gets a 500 (and retries), never a 4xx for counted events nor a 200 for
    lost ones."""
    with app.app_context():
        shop = open_shop(clock())
    stamp = int(clock().timestamp())

    def stricter(rows, events, batch):
        raise InvalidInput("stricter than the statement", [])

    monkeypatch.setattr(ingest, "facts_for_events", stricter)
    assert post_sales(client, shop, event(shop, "o-1"), timestamp=stamp).status_code == 500
    assert "the ingest statement stored events that the checks refuse" in caplog.text

    def lenient(rows, events, batch):
        return [SaleFacts(e.kind, e.quantity, e.amount_fen, e.occurred_at, shop.campaign_id, e.session_id,
                          shop.county_id, shop.streamer_id, e.product_id) for e in events]

    monkeypatch.setattr(ingest, "facts_for_events", lenient)
    assert post_sales(client, shop, event(shop, "o-2", product="other"), timestamp=stamp).status_code == 500
    with app.app_context():
        assert [e.order_id for e in db.session.query(SaleEvent)] == ["o-1"]
