"""UTCDateTime: aware datetimes only, stored as UTC, handed back as aware UTC on every backend."""
from __future__ import annotations

from datetime import datetime, timezone
from zoneinfo import ZoneInfo

import pytest
from sqlalchemy import Column, Integer, MetaData, Table, create_engine, insert, select, text
from sqlalchemy.dialects import postgresql, sqlite
from sqlalchemy.exc import StatementError

from coordinator.models.base import UTCDateTime

SHANGHAI = ZoneInfo("Asia/Shanghai")
EVENING = datetime(2026, 11, 11, 20, 0, tzinfo=SHANGHAI)  # 12:00 UTC
SQLITE, POSTGRESQL = sqlite.dialect(), postgresql.dialect()


def test_a_naive_datetime_is_refused_not_guessed():
    with pytest.raises(ValueError, match="naive datetime"):
        UTCDateTime().process_bind_param(datetime(2026, 11, 11, 20, 0), POSTGRESQL)


def test_a_non_utc_time_is_sent_to_postgresql_as_the_same_instant_in_utc():
    sent = UTCDateTime().process_bind_param(EVENING, POSTGRESQL)
    assert sent == EVENING and sent.tzinfo == timezone.utc and sent.hour == 12


def test_sqlite_gets_naive_utc_so_text_order_is_time_order():
    assert UTCDateTime().process_bind_param(EVENING, SQLITE) == datetime(2026, 11, 11, 12, 0)


@pytest.mark.parametrize("dialect", [SQLITE, POSTGRESQL], ids=["sqlite", "postgresql"])
def test_values_read_back_are_aware_utc(dialect):
    read = UTCDateTime().process_result_value
    assert read(datetime(2026, 11, 11, 12, 0), dialect) == datetime(2026, 11, 11, 12, 0, tzinfo=timezone.utc)
    from_server = read(EVENING, dialect)  # e.g. PostgreSQL answering in the session's time zone
    assert from_server == EVENING and from_server.tzinfo == timezone.utc
    assert read(None, dialect) is None
    assert UTCDateTime().process_bind_param(None, dialect) is None


@pytest.fixture
def times():
    engine = create_engine("sqlite://")
    table = Table("times", MetaData(), Column("id", Integer, primary_key=True), Column("at", UTCDateTime))
    table.metadata.create_all(engine)
    yield engine, table
    engine.dispose()


def test_sqlite_round_trip_returns_the_same_instant_as_aware_utc(times):
    engine, table = times
    with engine.begin() as connection:
        connection.execute(insert(table).values(at=EVENING))
        stored = connection.execute(select(table.c.at)).scalar_one()
        raw = connection.execute(text("SELECT at FROM times")).scalar_one()
    assert stored == EVENING and stored.tzinfo == timezone.utc and stored.hour == 12
    assert raw == "2026-11-11 12:00:00.000000"


def test_sqlite_orders_times_from_different_zones_by_instant(times):
    engine, table = times
    instants = [datetime(2026, 11, 11, 19, 30, tzinfo=SHANGHAI),                 # 11:30 UTC
                datetime(2026, 11, 11, 12, 0, tzinfo=timezone.utc),               # 12:00 UTC
                datetime(2026, 11, 11, 7, 15, tzinfo=ZoneInfo("America/New_York"))]  # 12:15 UTC
    with engine.begin() as connection:
        for instant in reversed(instants):
            connection.execute(insert(table).values(at=instant))
        ordered = connection.execute(select(table.c.at).order_by(table.c.at)).scalars().all()
    assert ordered == instants


def test_an_insert_with_a_naive_datetime_fails_before_reaching_the_database(times):
    engine, table = times
    with engine.begin() as connection, pytest.raises(StatementError, match="naive datetime"):
        connection.execute(insert(table).values(at=datetime(2026, 11, 11, 20, 0)))
    with engine.connect() as connection:
        assert connection.execute(select(table.c.at)).first() is None
