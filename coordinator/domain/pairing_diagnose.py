"""Explain why the hard rules cannot hold, and why a county was left out."""
from __future__ import annotations

import numpy as np
from ortools.graph.python import max_flow

from coordinator.domain.errors import FieldError, InvalidInput
from coordinator.domain.pairing_model import PairingRules, ProductIn, StreamerIn

MAX_ERRORS = 20


def _plural(n: int, word: str) -> str:
    return f"{n:,} {word}" if n == 1 else f"{n:,} {word}s"


def _raise(detail: str, errors: list[FieldError]) -> InvalidInput:
    if len(errors) > MAX_ERRORS:
        errors = errors[:MAX_ERRORS] + [FieldError(f"and {len(errors) - MAX_ERRORS:,} more", field="streamers")]
    return InvalidInput(detail, errors)


def lineup_full(streamers: list[StreamerIn], need: np.ndarray, room: np.ndarray, rules: PairingRules) -> InvalidInput:
    """Fixed pairings fill some lineups without the agricultural products the campaign asks for."""
    errors = [FieldError(f"streamer {streamers[i].id}: kept pairings leave {_plural(int(room[i]), 'slot')} of "
                         f"{rules.max_products} but it still needs {_plural(int(need[i]), 'agricultural product')}",
                         field=f"streamers.{streamers[i].id}") for i in np.flatnonzero(need > room)]
    return _raise("Locked or accepted pairings leave no room for the agricultural minimum "
                  f"(at least {rules.min_agri} per streamer).", errors)


def agri_shortage(streamers: list[StreamerIn], need: np.ndarray, matrix: np.ndarray, col_agri: np.ndarray,
                  col_cap: np.ndarray, rules: PairingRules) -> InvalidInput | None:
    """The cheap proofs that the agricultural minimum cannot hold: per streamer, then in total."""
    units = rules.expected_units_per_session
    agri_cols = np.flatnonzero(col_agri)
    options = (matrix[:, agri_cols] >= 0).sum(axis=1) if len(agri_cols) else np.zeros(len(need), np.int64)
    short = np.flatnonzero(options < need)
    if len(short):
        errors = [FieldError(f"streamer {streamers[i].id} cannot get {_plural(int(need[i]), 'agricultural product')}"
                             f": only {int(options[i])} in season with stock for a session ({units} units) and "
                             "not declined", field=f"streamers.{streamers[i].id}") for i in short]
        return _raise(f"{_plural(len(short), 'streamer')} cannot meet the agricultural minimum.", errors)
    total_need, total_cap = int(need.sum()), int(col_cap[agri_cols].sum())
    if total_need > total_cap:
        return _raise(f"Streamers need {total_need:,} agricultural products but in-season agricultural products "
                      f"have stock for only {_plural(total_cap, 'session')} ({units} units each).", [])
    return None


def agri_infeasible(streamers: list[StreamerIn], need: np.ndarray, matrix: np.ndarray, col_agri: np.ndarray,
                    col_cap: np.ndarray, rules: PairingRules) -> InvalidInput:
    """Why streamers cannot all get their agricultural minimum: the smallest story that proves it."""
    quick = agri_shortage(streamers, need, matrix, col_agri, col_cap, rules)
    if quick is not None:
        return quick
    return _hall_witness(streamers, need, matrix, np.flatnonzero(col_agri), col_cap, rules.expected_units_per_session)


def _hall_witness(streamers: list[StreamerIn], need: np.ndarray, matrix: np.ndarray, agri_cols: np.ndarray,
                  col_cap: np.ndarray, units: int) -> InvalidInput:
    """A group of streamers whose agricultural options cannot serve them all (a max-flow minimum cut)."""
    n_s, n_a = len(need), len(agri_cols)
    rows, cols = np.nonzero(matrix[:, agri_cols] >= 0)
    net = max_flow.SimpleMaxFlow()
    source, sink = n_s + n_a, n_s + n_a + 1
    net.add_arcs_with_capacity(np.full(n_s, source, np.int32), np.arange(n_s, dtype=np.int32), need.astype(np.int64))
    net.add_arcs_with_capacity(rows.astype(np.int32), (n_s + cols).astype(np.int32), np.ones(len(rows), np.int64))
    net.add_arcs_with_capacity((n_s + np.arange(n_a)).astype(np.int32), np.full(n_a, sink, np.int32),
                               col_cap[agri_cols].astype(np.int64))
    net.solve(source, sink)
    side = np.asarray(net.get_source_side_min_cut())
    group = side[side < n_s]
    if len(group) == 0:
        return InvalidInput("The agricultural minimum cannot be met with the products' capacity.", [])
    served = int(net.optimal_flow()) - int(need.sum() - need[group].sum())
    ids = ", ".join(str(streamers[i].id) for i in group[:MAX_ERRORS]) + (" …" if len(group) > MAX_ERRORS else "")
    detail = (f"{_plural(len(group), 'streamer')} ({ids}) need {int(need[group].sum()):,} agricultural products "
              f"between them, but the in-season agricultural products they may carry can serve only {served:,} "
              f"of them ({units} units of stock per session).")
    errors = [FieldError(f"streamer {streamers[i].id} competes for the same scarce agricultural products",
                         field=f"streamers.{streamers[i].id}") for i in group]
    return _raise(detail, errors)


def uncovered_reason(products: list[ProductIn], positions: list[int], in_season: np.ndarray,
                     sessions: np.ndarray, has_arc: bool, n_streamers: int, rules: PairingRules) -> str:
    """Why a county has no streamer: the first of its products' blocking facts, else the rules' squeeze."""
    window = f"{rules.starts_on:%m-%d}→{rules.ends_on:%m-%d}"
    live = [j for j in positions if in_season[j]]
    if not live:
        which = "its only product is" if len(positions) == 1 else f"all {len(positions)} of its products are"
        return f"{which} out of season during the campaign ({window})"
    if not any(sessions[j] > 0 for j in live):
        most = max(products[j].stock for j in live)
        return (f"stock of its in-season products ({most:,} units at most) is below the "
                f"{rules.expected_units_per_session} units one session needs")
    if n_streamers == 0:
        return "no streamers are enrolled"
    if not has_arc:
        return "every streamer who could carry its products declined them"
    rules_text = f"the limit of {_plural(rules.max_products, 'product')} per streamer"
    if rules.min_agri:
        rules_text = f"the agricultural minimum ({rules.min_agri} per streamer), " + rules_text
    return f"no streamer slot is left for it without breaking {rules_text} or another county's coverage"
