"""The pairing problem as one min-cost flow, solved exactly by OR-Tools.

Network (capacities; costs are negated scores, because the solver minimizes):

    source ──(room_i - need_i)──> hub_i ──(room_i - need_i)──> agri_i      agri_i holds supply need_i
    hub_i  ──1, -score──> non-agricultural product j
    agri_i ──1, -score──> agricultural product j
    product j ──(sessions left_j)──> county k ──parallel arcs──> sink
    source ──────────────────────── bypass ─────────────────────────> sink

Why this is the pairing problem exactly:
- Flow on streamer->product arcs is 0 or 1 (min-cost flow has integral optima for integral data), so
  it is a set of pairings; a pair enters at most once because there is one arc per pair.
- A streamer sends at most room_i = max_products - fixed pairings, and its agri node must send its
  supply need_i = min_agri - fixed agricultural pairings to agricultural products: the lower bound
  handled by the standard transformation (supply at the arc's head, demand at its tail) instead of a
  penalty, so an input that cannot keep it has no feasible flow at all and the solver says INFEASIBLE.
- The bypass lets the total flow vary between sum(need) and sum(room); source and sink stay balanced.
- A product sends at most stock // expected units - fixed pairings to its county.
- County k's sink arcs are one unit arc per bonus level (bonus[l] for its l-th pairing, counting fixed
  ones) and one uncapped arc worth 0. Bonuses never grow, so the solver fills the arcs in order and
  their total is exactly the concave fairness bonus of the county's number of pairings.
- Coverage, tried first as a hard bound: each county that has any allowed pair and no fixed pairing
  gets lower bound 1 on its first unit arc (demand 1 at the county, supply 1 at the sink). Feasible
  means every such county is covered in the optimum.
- Only if that is infeasible (or pruning lost it, see solve()) does the second form run, on every
  pair: the first unit arc of each such county then earns COVER = F * (best arc score + first bonus)
  + 1 instead, F = sum(room). Every other term of any feasible flow lies in [0, F * (that sum)], so
  one more covered county outweighs any score: the optimum covers as many counties as the other
  hard bounds allow (lexicographic: coverage first, then score), and the counties it leaves out are
  exactly those no plan could add without uncovering another or breaking a hard bound. The bound
  form comes first because it gives the same guarantee with a cost range about 50,000 times smaller,
  which makes the cost-scaling solver about 25% faster at full size.

Not representable exactly, so not modelled: a bonus on the number of distinct streamers of a county
(a streamer carrying two products of one county counts twice here), and anything depending on two
pairings at once (e.g. variety within one streamer's lineup).
"""
from __future__ import annotations

from dataclasses import dataclass

import numpy as np
from ortools.graph.python import min_cost_flow


@dataclass
class FlowInput:
    """Per streamer, per product column and per county bounds, and the candidate arcs with scores."""

    room: np.ndarray
    need: np.ndarray
    col_agri: np.ndarray
    col_cap: np.ndarray
    col_county: np.ndarray
    county_level: np.ndarray
    bonus: np.ndarray
    rows: np.ndarray
    cols: np.ndarray
    scores: np.ndarray
    must_cover: np.ndarray | None = None  # bool per county: lower bound form; None: lexicographic form


def _i32(values) -> np.ndarray:
    return np.ascontiguousarray(values, dtype=np.int32)


def _i64(values) -> np.ndarray:
    return np.ascontiguousarray(values, dtype=np.int64)


def _county_arcs(fi: FlowInput, node0: int, sink: int, cover: int, uncapped: int):
    """Parallel county->sink arcs: a unit arc per remaining bonus level, then an uncapped arc at 0.

    With must_cover, a bound county's first unit arc has lower = upper = 1: it carries no free
    capacity (the node supplies enforce it), so it is left out."""
    tails, caps, costs = [], [], []
    bound = fi.must_cover if fi.must_cover is not None else np.zeros(len(fi.county_level), bool)
    for k, level in enumerate(fi.county_level.tolist()):
        for lvl in range(level + int(bool(bound[k])), len(fi.bonus)):
            tails.append(node0 + k)
            caps.append(1)
            costs.append(-(int(fi.bonus[lvl]) + (cover if lvl == 0 else 0)))
        if level == 0 and len(fi.bonus) == 0 and not bound[k]:
            tails.append(node0 + k)
            caps.append(1)
            costs.append(-cover)
        tails.append(node0 + k)
        caps.append(uncapped)
        costs.append(0)
    return _i32(tails), _i32([sink] * len(tails)), _i64(caps), _i64(costs)


def solve_flow(fi: FlowInput) -> np.ndarray | None:
    """Chosen candidate arcs (bool per arc) of an optimal flow, or None when the hard bounds cannot hold."""
    n_s, n_p, n_c = len(fi.room), len(fi.col_cap), len(fi.county_level)
    source, sink = 0, 1
    hub0, agri0, col0 = 2, 2 + n_s, 2 + 2 * n_s
    county0 = col0 + n_p
    free = np.maximum(fi.room - fi.need, 0)
    flow_cap = int(fi.room.sum())
    best = int(fi.scores.max()) if len(fi.scores) else 0
    cover = 0 if fi.must_cover is not None else flow_cap * (best + int(fi.bonus[0] if len(fi.bonus) else 0)) + 1

    net = min_cost_flow.SimpleMinCostFlow()
    # Streamer->product arcs go in first so their indices are 0..m-1.
    tails = np.where(fi.col_agri[fi.cols], agri0 + fi.rows, hub0 + fi.rows)
    m = len(fi.rows)
    net.add_arcs_with_capacity_and_unit_cost(_i32(tails), _i32(col0 + fi.cols), np.ones(m, np.int64),
                                             _i64(-fi.scores.astype(np.int64)))
    streamers = np.arange(n_s)
    net.add_arcs_with_capacity_and_unit_cost(_i32(np.full(n_s, source)), _i32(hub0 + streamers), _i64(free),
                                             np.zeros(n_s, np.int64))
    net.add_arcs_with_capacity_and_unit_cost(_i32(hub0 + streamers), _i32(agri0 + streamers), _i64(free),
                                             np.zeros(n_s, np.int64))
    net.add_arcs_with_capacity_and_unit_cost(_i32(col0 + np.arange(n_p)), _i32(county0 + fi.col_county),
                                             _i64(fi.col_cap), np.zeros(n_p, np.int64))
    net.add_arcs_with_capacity_and_unit_cost(*_county_arcs(fi, county0, sink, cover, flow_cap))
    net.add_arc_with_capacity_and_unit_cost(source, sink, int(free.sum()), 0)

    supplies = np.zeros(county0 + n_c, np.int64)
    supplies[source] = int(free.sum())
    supplies[agri0:agri0 + n_s] = fi.need
    supplies[sink] = -int(free.sum() + fi.need.sum())
    if fi.must_cover is not None:
        supplies[county0:county0 + n_c] -= fi.must_cover
        supplies[sink] += int(fi.must_cover.sum())
    net.set_nodes_supplies(_i32(np.arange(len(supplies))), supplies)

    status = net.solve()
    if status == net.INFEASIBLE:
        return None
    if status != net.OPTIMAL:
        raise RuntimeError(f"min-cost flow failed with status {status}")
    if m == 0:
        return np.zeros(0, dtype=bool)
    return np.asarray(net.flows(_i32(np.arange(m)))) > 0
