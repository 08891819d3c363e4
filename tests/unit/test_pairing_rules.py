"""Pairing engine hard rules, people's decisions, explanations and 422 answers, on small hand-made cases."""
from __future__ import annotations

import re
from datetime import date

import pytest

from coordinator.domain.errors import InvalidInput
from coordinator.domain.pairing import PairingProblem, PairingWeights, StreamerIn, solve
from tests.unit.test_pairing import product, rules

SPRING = (date(2024, 3, 1), date(2024, 5, 1))
HOSTS = [StreamerIn(1, 50_000, ("fruit",), "douyin", "Guizhou"), StreamerIn(2, 900_000, ("tea",), "taobao", "Hebei"),
         StreamerIn(3, 3_000, (), "kuaishou", "Gansu")]


def pairs(result) -> set[tuple[int, int]]:
    return {(p.streamer_id, p.product_id) for p in result.pairings}


def test_declined_pairs_never_appear_and_kept_pairs_always_do():
    products = [product(1, category="fruit"), product(2, category="tea", county=2), product(3, county=3)]
    problem = PairingProblem(HOSTS, products, rules(), fixed=[(3, 2)], declined=[(1, 1), (2, 2)])
    result = solve(problem)
    assert (1, 1) not in pairs(result) and (2, 2) not in pairs(result)
    kept = [p for p in result.pairings if (p.streamer_id, p.product_id) == (3, 2)]
    assert kept and kept[0].fixed and kept[0].reasons[0].startswith("kept")


def test_kept_pairing_out_of_season_stays_with_a_warning():
    products = [product(1, season=SPRING), product(2, county=2)]
    result = solve(PairingProblem(HOSTS, products, rules(), fixed=[(1, 1)]))
    assert (1, 1) in pairs(result)
    assert all(p.product_id != 1 for p in result.pairings if p.streamer_id != 1)
    assert any("out of season" in w and "product 1" in w for w in result.warnings)


def test_out_of_season_products_are_never_proposed_and_partial_seasons_count():
    products = [product(1, season=SPRING), product(2, season=(date(2024, 11, 1), date(2024, 12, 31))), product(3)]
    result = solve(PairingProblem(HOSTS, products, rules(max_products=3)))
    assert all(p.product_id != 1 for p in result.pairings)
    late = next(p for p in result.pairings if p.product_id == 2)
    assert any("in season 11-01→12-31, 48% of the campaign" in r for r in late.reasons)


def test_capacity_is_stock_divided_by_expected_units():
    products = [product(1, stock=149), product(2, stock=10_000, county=2)]
    result = solve(PairingProblem(HOSTS, products, rules(max_products=2, units=50)))
    assert sum(1 for p in result.pairings if p.product_id == 1) <= 2
    result = solve(PairingProblem(HOSTS, products, rules(max_products=2, units=100)))
    assert sum(1 for p in result.pairings if p.product_id == 1) <= 1


def test_agricultural_minimum_beats_a_higher_score():
    hosts = [StreamerIn(1, 50_000, ("crafts",))]
    products = [product(1, category="crafts", agri=False), product(2, category="crafts", agri=False),
                product(3, category="fruit", agri=True)]
    assert {p.product_id for p in solve(PairingProblem(hosts, products, rules(0, 2))).pairings} == {1, 2}
    assert {p.product_id for p in solve(PairingProblem(hosts, products, rules(1, 2))).pairings} == {1, 3} or \
        {p.product_id for p in solve(PairingProblem(hosts, products, rules(1, 2))).pairings} == {2, 3}


def test_every_county_is_covered_when_feasible_even_at_a_lower_score():
    hosts = [StreamerIn(1, 50_000, ("fruit",)), StreamerIn(2, 50_000, ("fruit",))]
    products = [product(1, category="fruit", stock=5000), product(2, category="crafts", county=2)]
    weights = PairingWeights(county_bonus=())
    result = solve(PairingProblem(hosts, products, rules(min_agri=0, max_products=1), weights=weights))
    assert not result.uncovered_counties
    assert {p.product_id for p in result.pairings} == {1, 2}


def test_uncovered_counties_are_named_with_their_reason():
    products = [product(1), product(2, county=2, season=SPRING), product(3, county=3, stock=20),
                product(4, county=4), product(5, county=5)]
    hosts = [StreamerIn(1, 50_000, ("fruit",))]
    result = solve(PairingProblem(hosts, products, rules(min_agri=1, max_products=1), declined=[(1, 4)]))
    reasons = {u.county_id: u.reason for u in result.uncovered_counties}
    assert "out of season" in reasons[2]
    assert "below the 50 units one session needs" in reasons[3]
    assert "declined" in reasons[4]
    # One slot for counties 1 and 5: one of them is covered, the other is named with the squeeze.
    squeezed = [reasons[k] for k in (1, 5) if k in reasons]
    assert len(squeezed) == 1 and "no streamer slot is left" in squeezed[0]
    assert "agricultural minimum (1 per streamer)" in squeezed[0] and "1 product per streamer" in squeezed[0]
    assert result.stats["covered_counties"] == 1 and result.stats["coverage"] == "lexicographic"


def test_no_agricultural_product_in_season_answers_422_naming_the_streamer():
    products = [product(1, season=SPRING), product(2, agri=False, category="crafts")]
    with pytest.raises(InvalidInput) as raised:
        solve(PairingProblem(HOSTS[:1], products, rules(min_agri=1)))
    assert raised.value.status == 422
    assert "streamer 1 cannot get 1 agricultural product" in raised.value.errors[0].message
    assert "only 0 in season" in raised.value.errors[0].message


def test_too_little_agricultural_stock_in_total_answers_422():
    products = [product(1, stock=100), product(2, agri=False)]
    with pytest.raises(InvalidInput) as raised:
        solve(PairingProblem(HOSTS, products, rules(min_agri=1)))
    assert "need 3 agricultural products" in raised.value.detail and "2 sessions" in raised.value.detail


def test_competing_streamers_are_named_when_only_a_group_falls_short():
    # Streamers 1 and 2 declined product 2: both need product 1, which has one session. Streamer 3 is fine.
    products = [product(1, stock=50), product(2, stock=500)]
    problem = PairingProblem(HOSTS, products, rules(min_agri=1), declined=[(1, 2), (2, 2)])
    with pytest.raises(InvalidInput) as raised:
        solve(problem)
    assert "2 streamers (1, 2) need 2 agricultural products" in raised.value.detail
    assert "only 1" in raised.value.detail


def test_kept_pairings_that_fill_a_lineup_without_agriculture_answer_422():
    products = [product(1, agri=False), product(2, agri=False), product(3)]
    with pytest.raises(InvalidInput) as raised:
        solve(PairingProblem(HOSTS[:1], products, rules(min_agri=1, max_products=2), fixed=[(1, 1), (1, 2)]))
    assert "streamer 1" in raised.value.errors[0].message and "still needs 1 agricultural product" in \
        raised.value.errors[0].message


@pytest.mark.parametrize("change, field", [
    (dict(fixed=[(1, 1)], declined=[(1, 1)]), "fixed"),
    (dict(declined=[(9, 1)]), "declined"),
    (dict(weights=PairingWeights(county_bonus=(1.0, 2.0))), "weights.county_bonus"),
    (dict(weights=PairingWeights(category=-1.0)), "weights.category"),
])
def test_inconsistent_input_is_rejected(change, field):
    problem = PairingProblem(HOSTS, [product(1)], rules(), **change)
    with pytest.raises(InvalidInput) as raised:
        solve(problem)
    assert any(e.field == field for e in raised.value.errors)


def test_reasons_are_readable_and_add_up_to_the_score():
    products = [product(1, category="fruit", stock=800, regions=("Guizhou",)),
                product(2, category="tea", county=2, stock=40_000, platforms=("taobao",))]
    result = solve(PairingProblem(HOSTS, products, rules(min_agri=1, max_products=2)))
    for pairing in result.pairings:
        points = [float(x) for r in pairing.reasons for x in re.findall(r"\(\+(\d+\.\d+)\)", r)]
        assert abs(sum(points) - pairing.score) <= 0.005 * len(points)
    first = next(p for p in result.pairings if (p.streamer_id, p.product_id) == (1, 1))
    assert "category fruit matches (+3.00)" in first.reasons
    assert "audience 50k fits stock 800 (+1.55)" in first.reasons
    assert "host from Guizhou, as the product prefers (+0.50)" in first.reasons
    assert any(r.startswith("first streamer for County 1 county") or r.startswith("pairing ") for r in first.reasons)
    assert result.objective == pytest.approx(sum(p.score for p in result.pairings))
