"""Pairing engine: the best streamer-product pairings the campaign's hard rules allow, explained.

solve(problem) builds one min-cost flow (pairing_flow explains why it is exactly the problem), solves
it with OR-Tools, and returns each pairing with a score and the reasons that add up to it. Hard rules
are bounds of the network, never penalties: if they cannot hold, InvalidInput (HTTP 422) says why.
"""
from __future__ import annotations

from collections import defaultdict
from dataclasses import dataclass
from time import perf_counter

import numpy as np

from coordinator.domain.catalog import season_overlaps
from coordinator.domain.pairing_candidates import all_arcs, pruned_arcs
from coordinator.domain.pairing_diagnose import agri_infeasible, agri_shortage, lineup_full, uncovered_reason
from coordinator.domain.pairing_flow import FlowInput, solve_flow
from coordinator.domain.pairing_model import (Pairing, PairingProblem, PairingResult, PairingRules,
                                              PairingWeights, ProductIn, SolverOptions, StreamerIn,
                                              UncoveredCounty, validate)
from coordinator.domain.pairing_reasons import county_reason, pair_reasons
from coordinator.domain.pairing_scores import MILLI, Tables, build_tables, milli_scores, score_matrix

__all__ = ["Pairing", "PairingProblem", "PairingResult", "PairingRules", "PairingWeights", "ProductIn",
           "SolverOptions", "StreamerIn", "UncoveredCounty", "score_pair", "solve"]


@dataclass
class _Setup:
    """Positions, capacities left after fixed pairings, and the eligible product columns."""

    tables: Tables
    fixed: list[tuple[int, int]]
    sessions: np.ndarray
    cap_left: np.ndarray
    room: np.ndarray
    need: np.ndarray
    in_season: np.ndarray
    columns: np.ndarray
    county_of: np.ndarray
    county_ids: list[int]
    county_level: np.ndarray


def _setup(problem: PairingProblem) -> _Setup:
    """Consume fixed pairings up front: they take slots, sessions and county levels like any pairing."""
    rules, streamers, products = problem.rules, problem.streamers, problem.products
    s_pos = {s.id: i for i, s in enumerate(streamers)}
    p_pos = {p.id: j for j, p in enumerate(products)}
    fixed = [(s_pos[s], p_pos[p]) for s, p in dict.fromkeys(problem.fixed)]
    fs = np.array([i for i, _ in fixed], dtype=np.int64)
    fp = np.array([j for _, j in fixed], dtype=np.int64)
    agri = np.array([p.is_agricultural for p in products], dtype=bool)
    sessions = np.array([p.stock // rules.expected_units_per_session for p in products], dtype=np.int64)
    on_product = np.bincount(fp, minlength=len(products))
    # A product's capacity is never below what people already fixed on it ("never undo").
    cap_left = np.maximum(sessions, on_product) - on_product
    room = np.maximum(rules.max_products - np.bincount(fs, minlength=len(streamers)), 0)
    fixed_agri = np.bincount(fs[agri[fp]] if len(fp) else fs, minlength=len(streamers))
    need = np.maximum(rules.min_agri - fixed_agri, 0)
    in_season = np.array([season_overlaps(p.available_from, p.available_to, rules.starts_on, rules.ends_on)
                          for p in products], dtype=bool)
    county_ids = list(dict.fromkeys(p.county_id for p in products))
    c_pos = {c: k for k, c in enumerate(county_ids)}
    county_of = np.array([c_pos[p.county_id] for p in products], dtype=np.int64)
    return _Setup(
        tables=build_tables(streamers, products, rules.starts_on, rules.ends_on), fixed=fixed,
        sessions=sessions, cap_left=cap_left, room=room, need=need, in_season=in_season,
        columns=np.flatnonzero(in_season & (cap_left > 0)), county_of=county_of, county_ids=county_ids,
        county_level=np.bincount(county_of[fp], minlength=len(county_ids)) if len(fp) else
        np.zeros(len(county_ids), np.int64))


def _blocked_matrix(problem: PairingProblem, st: _Setup) -> np.ndarray:
    """Scores of every streamer against every eligible product, -1 where a pair is declined or fixed."""
    matrix = score_matrix(st.tables, problem.weights, st.columns)
    col_of = {int(j): c for c, j in enumerate(st.columns)}
    s_pos = {s.id: i for i, s in enumerate(problem.streamers)}
    p_pos = {p.id: j for j, p in enumerate(problem.products)}
    pairs = [(s_pos[s], p_pos[p]) for s, p in problem.declined] + st.fixed
    for i, j in pairs:
        if j in col_of:
            matrix[i, col_of[j]] = -1
    return matrix


def solve(problem: PairingProblem) -> PairingResult:
    """Propose the best pairings the hard rules allow, each with its score and reasons."""
    validate(problem)
    clock = {"start": perf_counter()}
    st = _setup(problem)
    rules, opts = problem.rules, problem.options
    if (st.need > st.room).any():
        raise lineup_full(problem.streamers, st.need, st.room, rules)
    matrix = _blocked_matrix(problem, st)
    clock["scored"] = perf_counter()
    col_agri, col_cap = st.tables.agri[st.columns], st.cap_left[st.columns]
    shortage = agri_shortage(problem.streamers, st.need, matrix, col_agri, col_cap, rules)
    if shortage is not None:
        raise shortage
    has_arc = np.zeros(len(st.county_ids), dtype=bool)
    has_arc[st.county_of[st.columns[(matrix >= 0).any(axis=0)]]] = True
    bonus = np.rint(np.array(problem.weights.county_bonus, dtype=np.float64) * MILLI).astype(np.int64)

    def run(arcs, must_cover):
        rows, cols, scores = arcs
        chosen = solve_flow(FlowInput(st.room, st.need, col_agri, col_cap, st.county_of[st.columns],
                                      st.county_level, bonus, rows, cols, scores, must_cover))
        return arcs, chosen

    pruned = matrix.size > opts.prune_above_pairs
    arcs = pruned_arcs(matrix, st.room, col_agri, col_cap, opts) if pruned else all_arcs(matrix)
    # Every county that could be covered must be; if that fails, maximize coverage on every pair.
    (rows, cols, scores), chosen = run(arcs, has_arc & (st.county_level == 0))
    coverage, fallback = "bound", pruned and chosen is None
    if chosen is None:
        # Exact on every pair: pruning may be what lost feasibility or coverage.
        (rows, cols, scores), chosen = run(all_arcs(matrix) if pruned else arcs, None)
        coverage, pruned = "lexicographic", False
    clock["solved"] = perf_counter()
    if chosen is None:
        raise agri_infeasible(problem.streamers, st.need, matrix, col_agri, col_cap, rules)
    result = _assemble(problem, st, rows[chosen], st.columns[cols[chosen]], scores[chosen], bonus)
    result.uncovered_counties = _uncovered(problem, st, result.pairings, has_arc)
    clock["explained"] = perf_counter()
    result.stats = {
        "streamers": len(problem.streamers), "products": len(problem.products),
        "eligible_products": len(st.columns), "candidate_arcs": len(rows), "pruned": pruned,
        "fallback": fallback, "coverage": coverage, "counties": len(st.county_ids),
        "covered_counties": len(st.county_ids) - len(result.uncovered_counties),
        "seconds": {step: round(clock[step] - clock["start"], 3) for step in ("scored", "solved", "explained")},
    }
    return result


def _assemble(problem: PairingProblem, st: _Setup, si: np.ndarray, pj: np.ndarray, scores: np.ndarray,
              bonus: np.ndarray) -> PairingResult:
    """Pairings (fixed ones first in each county) with scores, reasons and the county bonus given in order."""
    w, streamers, products = problem.weights, problem.streamers, problem.products
    fs = np.array([i for i, _ in st.fixed], dtype=np.int64)
    fp = np.array([j for _, j in st.fixed], dtype=np.int64)
    fixed_scores = milli_scores(st.tables, w, fs, fp) if len(fs) else np.zeros(0, np.int32)
    all_s, all_p = np.concatenate([fs, si]), np.concatenate([fp, pj])
    all_scores = np.concatenate([fixed_scores, scores]).astype(np.int64)
    n_fixed = len(fs)
    # Fixed pairings take a county's first bonus levels, as in the network; then the best scores.
    order = np.lexsort((-all_scores, np.arange(len(all_s)) >= n_fixed, st.county_of[all_p]))
    county_sorted = st.county_of[all_p][order]
    starts = np.searchsorted(county_sorted, county_sorted, side="left")
    level = np.empty(len(all_s), np.int64)
    level[order] = np.arange(len(all_s)) - starts
    padded = np.append(bonus, 0)
    earned = padded[np.minimum(level, len(bonus))]
    texts = pair_reasons(st.tables, w, streamers, products, all_s, all_p)
    pairings, warnings = [], []
    for k, (i, j, lvl, bonus_k, score) in enumerate(zip(all_s.tolist(), all_p.tolist(), level.tolist(),
                                                         earned.tolist(), all_scores.tolist())):
        s, p = streamers[i], products[j]
        reasons = texts[k] + [county_reason(p.county_name, lvl, bonus_k / MILLI)]
        if k < n_fixed:
            reasons.insert(0, "kept as people decided (locked, accepted or added by hand)")
            if not st.in_season[j]:
                warnings.append(f"product {p.id} is out of season for the whole campaign but stays with "
                                f"streamer {s.id}, as people decided")
        pairings.append(Pairing(s.id, p.id, (score + bonus_k) / MILLI, tuple(reasons), k < n_fixed))
    warnings += _overfull(problem, st)
    pairings.sort(key=lambda x: (x.streamer_id, -x.score, x.product_id))
    objective = round(float(all_scores.sum() + earned.sum()) / MILLI, 3)
    return PairingResult(pairings, [], objective, warnings)


def _overfull(problem: PairingProblem, st: _Setup) -> list[str]:
    """Fixed pairings that exceed a lineup or a stock: kept, and said out loud."""
    rules, out = problem.rules, []
    per_s = np.bincount([i for i, _ in st.fixed], minlength=len(problem.streamers))
    per_p = np.bincount([j for _, j in st.fixed], minlength=len(problem.products))
    for i in np.flatnonzero(per_s > rules.max_products):
        out.append(f"streamer {problem.streamers[i].id} keeps {per_s[i]} pairings, more than the "
                   f"{rules.max_products} products a session allows")
    for j in np.flatnonzero(per_p > st.sessions):
        out.append(f"product {problem.products[j].id} keeps {per_p[j]} pairings but its stock covers "
                   f"{st.sessions[j]} sessions of {rules.expected_units_per_session} units")
    return out


def _uncovered(problem: PairingProblem, st: _Setup, pairings: list[Pairing],
               has_arc: np.ndarray) -> list[UncoveredCounty]:
    """Counties without a pairing, each with the reason."""
    p_pos = {p.id: j for j, p in enumerate(problem.products)}
    covered = {int(st.county_of[p_pos[p.product_id]]) for p in pairings}
    positions: dict[int, list[int]] = defaultdict(list)
    for j, k in enumerate(st.county_of.tolist()):
        positions[k].append(j)
    out = []
    for k, county_id in enumerate(st.county_ids):
        if k not in covered:
            reason = uncovered_reason(problem.products, positions[k], st.in_season, st.cap_left, bool(has_arc[k]),
                                      len(problem.streamers), problem.rules)
            out.append(UncoveredCounty(county_id, problem.products[positions[k][0]].county_name, reason))
    return out


def score_pair(problem: PairingProblem, streamer_id: int, product_id: int) -> tuple[float, list[str]]:
    """The score of one pair without the county bonus, and its reasons (e.g. for a manual pairing).

    Raises StopIteration when either id is not in the problem (services rely on it)."""
    rules = problem.rules
    si = np.array([next(i for i, s in enumerate(problem.streamers) if s.id == streamer_id)])
    pj = np.array([next(j for j, p in enumerate(problem.products) if p.id == product_id)])
    tables = build_tables(problem.streamers, problem.products, rules.starts_on, rules.ends_on)
    milli = int(milli_scores(tables, problem.weights, si, pj)[0])
    return milli / MILLI, pair_reasons(tables, problem.weights, problem.streamers, problem.products, si, pj)[0]
