"""Pure scheduling rules, including daylight-saving changes (America/New_York falls back on 1 Nov 2026)."""
from __future__ import annotations

from datetime import date, datetime, timedelta, timezone
from zoneinfo import ZoneInfo

import pytest

from coordinator.domain import autoplan, scheduling
from coordinator.domain.scheduling import LineupProduct, Slot

NY = ZoneInfo("America/New_York")
UTC = timezone.utc


def test_local_evening_keeps_its_wall_clock_across_the_dst_change():
    before = autoplan.local_moment(date(2026, 10, 31), 19 * 60, NY)
    after = autoplan.local_moment(date(2026, 11, 1), 19 * 60, NY)
    assert before == datetime(2026, 10, 31, 23, 0, tzinfo=UTC)
    assert after == datetime(2026, 11, 2, 0, 0, tzinfo=UTC)
    assert after - before == timedelta(hours=25)


def test_auto_plan_proposes_19_00_local_on_both_sides_of_the_change():
    rules = autoplan.PlanRules((datetime(2026, 10, 30, tzinfo=UTC), datetime(2026, 11, 4, tzinfo=UTC)), 1, 3,
                               per_streamer=10)
    plan = autoplan.StreamerPlan(7, [(d, 19 * 60, 23 * 60) for d in range(7)], [LineupProduct(1, True, 5)])
    proposals = autoplan.propose([plan], rules, datetime(2026, 10, 29, tzinfo=UTC), NY)
    assert {p.starts_at.astimezone(NY).strftime("%H:%M") for p in proposals} == {"19:00"}
    assert len(proposals) == 4 and all(p.ends_at - p.starts_at == timedelta(hours=2) for p in proposals)


def test_auto_plan_skips_busy_evenings_and_needs_an_agricultural_product():
    window = (datetime(2026, 11, 11, tzinfo=UTC), datetime(2026, 11, 14, tzinfo=UTC))
    rules = autoplan.PlanRules(window, 1, 3, timedelta(minutes=10), per_streamer=5)
    busy = [Slot(9, datetime(2026, 11, 12, 11, tzinfo=UTC), datetime(2026, 11, 12, 13, tzinfo=UTC))]
    shanghai = ZoneInfo("Asia/Shanghai")
    plan = autoplan.StreamerPlan(1, [(d, 18 * 60, 22 * 60) for d in range(7)], [LineupProduct(1, True, 5)], busy)
    days = [p.starts_at.astimezone(shanghai).day for p in autoplan.propose([plan], rules, window[0], shanghai)]
    assert days == [11, 13]
    nothing = autoplan.StreamerPlan(2, [(d, 18 * 60, 22 * 60) for d in range(7)], [LineupProduct(1, False, 5)])
    assert autoplan.propose([nothing], rules, window[0], shanghai) == []


@pytest.mark.parametrize("now, status, expected", [
    (datetime(2026, 1, 1, 9, 59, tzinfo=UTC), "scheduled", None),
    (datetime(2026, 1, 1, 10, 0, tzinfo=UTC), "scheduled", "live"),
    (datetime(2026, 1, 1, 12, 0, tzinfo=UTC), "scheduled", "ended"),
    (datetime(2026, 1, 1, 12, 0, tzinfo=UTC), "live", "ended"),
    (datetime(2026, 1, 1, 12, 0, tzinfo=UTC), "cancelled", None),
])
def test_due_status(now, status, expected):
    start = datetime(2026, 1, 1, 10, tzinfo=UTC)
    assert scheduling.due_status(status, start, start + timedelta(hours=2), now) == expected


def test_overlap_with_gap_and_conflicting_ids():
    start = datetime(2026, 1, 1, 10, tzinfo=UTC)
    a = Slot(1, start, start + timedelta(hours=1))
    b = Slot(2, start + timedelta(minutes=65), start + timedelta(hours=2))
    assert scheduling.first_overlap(b, [a], timedelta(0)) is None
    assert scheduling.first_overlap(b, [a], timedelta(minutes=10)) == a
    assert scheduling.conflicting_ids({5: [a, b]}, timedelta(minutes=10)) == {1, 2}


def test_reminders_due_and_wake_times():
    start = datetime(2026, 1, 1, 10, tzinfo=UTC)
    assert scheduling.due_reminders(start, (30, 5), set(), start - timedelta(minutes=31)) == []
    assert scheduling.due_reminders(start, (30, 5), set(), start - timedelta(minutes=4)) == [5, 30]
    assert scheduling.due_reminders(start, (30, 5), {30}, start - timedelta(minutes=4)) == [5]
    assert scheduling.due_reminders(start, (30, 5), set(), start) == []
    wakes = scheduling.wake_times(start, start + timedelta(hours=1), "scheduled", (30, 5), start - timedelta(hours=1))
    assert len(wakes) == 4
