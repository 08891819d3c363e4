"""Login throttling: the first failures are free, then each one doubles the wait, up to a cap."""
from __future__ import annotations

from datetime import datetime, timedelta, timezone

import pytest

from coordinator.domain.throttle import blocked_until, delay_after_failures

NOW = datetime(2026, 11, 11, 20, 0, tzinfo=timezone.utc)


def test_the_free_failures_cost_nothing():
    assert [delay_after_failures(n, free_failures=3, max_delay_s=300) for n in range(3)] == [0, 0, 0]


def test_each_failure_past_the_free_ones_doubles_the_wait():
    delays = [delay_after_failures(n, free_failures=3, max_delay_s=300) for n in range(3, 9)]
    assert delays == [2, 4, 8, 16, 32, 64]


def test_the_wait_never_exceeds_the_cap():
    assert delay_after_failures(10, free_failures=3, max_delay_s=300) == 256
    assert delay_after_failures(11, free_failures=3, max_delay_s=300) == 300
    assert delay_after_failures(10_000, free_failures=3, max_delay_s=300) == 300


def test_with_no_free_failures_the_first_one_already_waits():
    assert delay_after_failures(0, free_failures=0, max_delay_s=300) == 2


@pytest.mark.parametrize("failures,expected", [(0, None), (2, None), (3, NOW + timedelta(seconds=2)),
                                               (5, NOW + timedelta(seconds=8)), (50, NOW + timedelta(minutes=5))])
def test_blocked_until_counts_from_the_last_failure(failures, expected):
    assert blocked_until(NOW, failures, free_failures=3, max_delay_s=300) == expected


def test_blocked_until_keeps_the_time_zone_it_was_given():
    assert blocked_until(NOW, 4, free_failures=3, max_delay_s=300).tzinfo is timezone.utc
