"""Pure planning rules: lifecycle, lineup checks, county coverage, spreadsheet cells, availability."""
from __future__ import annotations

from datetime import date

import pytest

from coordinator.domain import cells, lifecycle
from coordinator.domain.catalog import availability_errors, in_season, parse_clock, season_overlaps
from coordinator.domain.coverage import county_coverage, lineup_problems
from coordinator.domain.errors import Conflict


@pytest.mark.parametrize("current, target", [("draft", "published"), ("published", "live"), ("live", "closed"),
                                             ("published", "draft"), ("draft", "closed")])
def test_sensible_lifecycle_steps_pass(current, target):
    lifecycle.check_transition(current, target)


@pytest.mark.parametrize("current, target", [("draft", "live"), ("closed", "draft"), ("live", "published"),
                                             ("closed", "closed")])
def test_senseless_lifecycle_steps_conflict(current, target):
    with pytest.raises(Conflict):
        lifecycle.check_transition(current, target)


def test_lineup_problems_name_the_broken_rule():
    assert lineup_problems(agri=1, total=3, min_agri=1, max_products=5) == []
    assert "at least 2" in lineup_problems(agri=1, total=3, min_agri=2, max_products=5)[0]
    assert "at most 5" in lineup_problems(agri=2, total=6, min_agri=1, max_products=5)[0]
    assert "empty lineup" in lineup_problems(0, 0, 0, 5)


def test_uncovered_counties_come_first():
    rows = county_coverage({1: "宜君", 2: "普安"}, {10: 1, 11: 1, 20: 2}, carried=[(7, 10), (8, 11)], scheduled=[(100, 10)])
    assert [(r.name, r.covered, r.products, len(r.streamers), len(r.sessions)) for r in rows] == [
        ("普安", False, 1, 0, 0), ("宜君", True, 2, 2, 1)]


def test_seasons():
    assert in_season(date(2026, 9, 1), date(2027, 1, 31), date(2026, 11, 11))
    assert not in_season(date(2026, 6, 1), date(2026, 10, 31), date(2026, 11, 11))
    assert in_season(None, None, date(2026, 11, 11))
    assert season_overlaps(date(2026, 6, 1), date(2026, 11, 5), date(2026, 11, 1), date(2026, 11, 12))
    assert not season_overlaps(date(2026, 6, 1), date(2026, 10, 31), date(2026, 11, 1), date(2026, 11, 12))


@pytest.mark.parametrize("text, minutes", [("00:00", 0), ("19:30", 1170), ("24:00", 1440)])
def test_clock_parsing(text, minutes):
    assert parse_clock(text) == minutes


@pytest.mark.parametrize("text", ["24:01", "7pm", "19:60", "19"])
def test_clock_parsing_refuses_nonsense(text):
    with pytest.raises(ValueError):
        parse_clock(text)


def test_availability_overlap_on_a_day_is_an_error_but_not_across_days():
    assert availability_errors([(4, 1140, 1440), (5, 1140, 1440)]) == []
    assert availability_errors([(4, 1140, 1380), (4, 1320, 1440)])[0].field == "availability.1.start"


@pytest.mark.parametrize("cell, fen", [(5.8, 580), ("5.80", 580), ("¥16", 1600), ("1,299.5", 129950)])
def test_yuan_cells_become_exact_fen(cell, fen):
    assert cells.yuan_to_fen(cell) == fen


@pytest.mark.parametrize("cell", ["5.805", "五元", ""])
def test_unreadable_money_cells_are_refused(cell):
    with pytest.raises(ValueError):
        cells.yuan_to_fen(cell)


def test_cells_read_chinese_conventions():
    assert cells.to_int("52万") == 520_000 and cells.to_int(12.0) == 12
    assert cells.to_bool("是") is True and cells.to_bool("否") is False
    assert cells.to_date("2026/9/1") == date(2026, 9, 1)
    assert cells.to_list("水果、脐橙,茶", tags=True) == ["水果", "脐橙", "茶"]
    windows = cells.to_windows("周五 19:00-24:00; Sat 20:00-23:00")
    assert windows == [(4, 1140, 1440), (5, 1200, 1380)]
    assert cells.to_windows(cells.format_windows(windows)) == windows
    with pytest.raises(ValueError):
        cells.to_int("12.5")
