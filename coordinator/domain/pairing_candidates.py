"""Which (streamer, product) arcs enter the flow network: all of them, or a pruned set on big inputs.

When capacity is tight the optimum pairs hosts with products that are good *for them compared with
their alternatives*, not merely their highest raw scores: hosts with similar audiences rank products
alike, so raw top lists crowd onto the same few products. The pruned set therefore ranks by a rough
reduced score, the pair's score minus the other side's outside option (a dual-price estimate):
- a product's outside option is the score of its cap-th best host (what its last session would earn
  if its favourite hosts took it); each streamer keeps its top arcs, and its top agricultural arcs,
  by score minus that;
- a streamer's outside option is the score of its room-th best product; each product keeps its best
  hosts by score minus that, in proportion to the sessions it can serve, which also keeps every
  county's best arcs;
- a few agricultural and a few other arcs per streamer drawn in proportion to capacity (seeded, so
  reproducible) make the pruned network an expander: top lists overlap (similar hosts rank products
  alike), and without these arcs the agricultural minimum turned infeasible and, with agricultural
  capacity tight, 3% of the slots stayed empty (1.6% below the optimum) for want of any arc between
  the hosts with free slots and the products with free sessions.
What pruning cannot promise, solve() checks: an infeasible pruned network is redone on every arc.
Matrix entries below 0 are blocked pairs.
"""
from __future__ import annotations

import numpy as np

from coordinator.domain.pairing_model import SolverOptions

ROW_BLOCK = 1000
COL_BLOCK = 256
BLOCKED = np.iinfo(np.int32).min // 2


def all_arcs(matrix: np.ndarray) -> tuple[np.ndarray, np.ndarray, np.ndarray]:
    """Every allowed pair: rows, columns and scores."""
    rows, cols = np.nonzero(matrix >= 0)
    return rows, cols, matrix[rows, cols]


def _kth_best(values: np.ndarray, k: int) -> np.ndarray:
    """The k-th best value of each row (k counted from 1, clipped to the row length)."""
    n = values.shape[-1]
    k = min(max(k, 1), n)
    return np.partition(values, n - k, axis=-1)[..., n - k]


def _row_options(matrix: np.ndarray, room: np.ndarray) -> np.ndarray:
    """Each streamer's outside option: its room-th best score (0 once it has no room)."""
    out = np.zeros(matrix.shape[0], np.int64)
    for start in range(0, matrix.shape[0], ROW_BLOCK):
        block = matrix[start:start + ROW_BLOCK]
        for k in np.unique(room[start:start + ROW_BLOCK]):
            rows = np.flatnonzero(room[start:start + ROW_BLOCK] == k)
            if k > 0 and block.shape[1]:
                out[start + rows] = np.maximum(_kth_best(block[rows], int(k)), 0)
    return out


def _keep_columns(matrix: np.ndarray, keep: np.ndarray, row_option: np.ndarray, col_cap: np.ndarray,
                  slots: int, options: SolverOptions) -> np.ndarray:
    """Mark each product's best hosts by score minus the host's option; return products' options."""
    n_rows = matrix.shape[0]
    col_option = np.zeros(matrix.shape[1], np.int64)
    # Lists follow the sessions a product can expect: its capacity, scaled down when all products
    # together offer more sessions than streamers have slots (then nothing is contested).
    share = min(1.0, slots / max(1, int(col_cap.sum())))
    want = options.candidates_per_product_slot * np.ceil(col_cap * share) + options.extra_candidates_per_product
    for start in range(0, matrix.shape[1], COL_BLOCK):
        block = np.ascontiguousarray(matrix[:, start:start + COL_BLOCK].T)
        for offset, values in enumerate(block):
            j = start + offset
            col_option[j] = max(0, int(_kth_best(values, int(col_cap[j]))))
            k = int(min(n_rows, want[j]))
            if k > 0:
                reduced = np.where(values >= 0, values - row_option, BLOCKED)
                keep[np.argpartition(reduced, n_rows - k)[n_rows - k:], j] = True
    return col_option


def _keep_rows(matrix: np.ndarray, keep: np.ndarray, col_option: np.ndarray, agri_cols: np.ndarray,
               k_all: int, k_agri: int) -> None:
    """Mark each streamer's best arcs, and best agricultural arcs, by score minus the product's option."""
    for start in range(0, matrix.shape[0], ROW_BLOCK):
        block = matrix[start:start + ROW_BLOCK]
        reduced = np.where(block >= 0, block - col_option.astype(np.int32), BLOCKED)
        rows = np.arange(start, start + block.shape[0])[:, np.newaxis]
        for columns, k in ((None, k_all), (agri_cols, k_agri)):
            values = reduced if columns is None else reduced[:, columns]
            k = min(k, values.shape[1])
            if k > 0:
                top = np.argpartition(values, values.shape[1] - k, axis=1)[:, values.shape[1] - k:]
                keep[rows, top if columns is None else columns[top]] = True


def _keep_spread(keep: np.ndarray, among: np.ndarray, col_cap: np.ndarray, k: int) -> None:
    """Mark k columns per row among the given ones, drawn in proportion to their sessions (an expander)."""
    weights = np.where(among, col_cap, 0).astype(np.float64)
    if k <= 0 or weights.sum() <= 0:
        return
    rng = np.random.default_rng(int(among.sum()))  # fixed seed: the same input gives the same plan
    picks = rng.choice(len(weights), size=(keep.shape[0], k), p=weights / weights.sum())
    keep[np.arange(keep.shape[0])[:, np.newaxis], picks] = True


def pruned_arcs(matrix: np.ndarray, room: np.ndarray, col_agri: np.ndarray, col_cap: np.ndarray,
                options: SolverOptions) -> tuple[np.ndarray, np.ndarray, np.ndarray]:
    """The promising pairs (see the module docstring): rows, columns and scores."""
    keep = np.zeros(matrix.shape, dtype=bool)
    col_option = _keep_columns(matrix, keep, _row_options(matrix, room), col_cap, int(room.sum()), options)
    _keep_rows(matrix, keep, col_option, np.flatnonzero(col_agri), options.candidates_per_streamer,
               options.agri_candidates_per_streamer)
    _keep_spread(keep, col_agri, col_cap, options.spread_agri_candidates_per_streamer)
    _keep_spread(keep, ~col_agri, col_cap, options.spread_other_candidates_per_streamer)
    keep &= matrix >= 0
    rows, cols = np.nonzero(keep)
    return rows, cols, matrix[rows, cols]
