"""Pure rules of the foundation: login delays, token secrets, aware UTC storage."""
from __future__ import annotations

from datetime import datetime, timedelta, timezone
from zoneinfo import ZoneInfo

import pytest
from sqlalchemy import Column, Integer, MetaData, Table, create_engine, insert, select

from coordinator.domain import secrets
from coordinator.domain.throttle import blocked_until, delay_after_failures
from coordinator.models.base import UTCDateTime


def test_login_delay_is_free_at_first_then_doubles_up_to_the_cap():
    assert [delay_after_failures(n, 3, 300) for n in range(0, 9)] == [0, 0, 0, 2, 4, 8, 16, 32, 64]
    assert delay_after_failures(40, 3, 300) == 300
    now = datetime(2026, 11, 11, tzinfo=timezone.utc)
    assert blocked_until(now, 2, 3, 300) is None
    assert blocked_until(now, 4, 3, 300) == now + timedelta(seconds=4)


def test_tokens_are_random_prefixed_and_stored_as_digests():
    first, second = secrets.new_token("api"), secrets.new_token("api")
    assert first != second and first.startswith("lcc_api_") and len(first) > 40
    assert secrets.token_digest(first) != first and len(secrets.token_digest(first)) == 64
    assert secrets.token_prefix(first) == first[:12]
    assert secrets.constant_time_equal("abc", "abc") and not secrets.constant_time_equal("abc", "abd")


@pytest.fixture
def table():
    engine = create_engine("sqlite://")
    metadata = MetaData()
    times = Table("times", metadata, Column("id", Integer, primary_key=True), Column("at", UTCDateTime))
    metadata.create_all(engine)
    return engine, times


def test_naive_datetimes_are_refused(table):
    engine, times = table
    with engine.begin() as connection, pytest.raises(Exception, match="naive datetime"):
        connection.execute(insert(times).values(at=datetime(2026, 11, 11, 20, 0)))


def test_aware_times_come_back_as_the_same_instant_in_utc(table):
    engine, times = table
    evening = datetime(2026, 11, 11, 20, 0, tzinfo=ZoneInfo("Asia/Shanghai"))
    with engine.begin() as connection:
        connection.execute(insert(times).values(at=evening))
        stored = connection.execute(select(times.c.at)).scalar_one()
    assert stored == evening and stored.tzinfo == timezone.utc and stored.hour == 12
