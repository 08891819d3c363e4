"""Tally snapshots: the arithmetic of CONTRACT section 4, from counter rows."""
from __future__ import annotations

from dataclasses import dataclass
from datetime import datetime

LEADERBOARD_ROWS = 20


@dataclass(frozen=True)
class CounterRow:
    """One counter of a scope: its total (dimension 'total', id 0) or one county, streamer or product."""

    dimension: str
    dimension_id: int
    orders: int = 0
    units: int = 0
    gross_fen: int = 0
    refunded_fen: int = 0

    @property
    def net_fen(self) -> int:
        """What was sold less what was refunded."""
        return self.gross_fen - self.refunded_fen


def _board(rows: list[CounterRow], dimension: str, id_key: str, name_key: str, names: dict[tuple[str, int], str],
           count_key: str) -> list[dict]:
    picked = sorted((r for r in rows if r.dimension == dimension), key=lambda r: (-r.net_fen, r.dimension_id))
    return [{id_key: r.dimension_id, name_key: names.get((dimension, r.dimension_id), ""), "net_fen": r.net_fen,
             count_key: getattr(r, count_key)} for r in picked[:LEADERBOARD_ROWS]]


def snapshot(scope: str, scope_id: int, seq: int, rows: list[CounterRow], names: dict[tuple[str, int], str],
             at: datetime) -> dict:
    """A scope's snapshot: totals and the three leaderboards, largest net first, at most 20 rows each."""
    total = next((r for r in rows if r.dimension == "total"), CounterRow("total", 0))
    return {
        "scope": scope, "id": scope_id, "seq": seq,
        "totals": {"orders": total.orders, "units": total.units, "gross_fen": total.gross_fen,
                   "refunded_fen": total.refunded_fen, "net_fen": total.net_fen},
        "by_county": _board(rows, "county", "county_id", "name", names, "orders"),
        "by_streamer": _board(rows, "streamer", "streamer_id", "display_name", names, "orders"),
        "by_product": _board(rows, "product", "product_id", "name", names, "units"),
        "at": at.isoformat(),
    }
