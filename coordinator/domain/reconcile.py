"""Comparing a platform's order export with the stored sales, order id by order id.

Each row of the file is one of: matched (stored with the same kind, session, product, quantity and amount);
different (stored, but one of those differs); missing here (not stored, and the webhook would take it); unknown
(not stored, and its session or product is not one the campaign's sales can name); invalid (a cell cannot be read,
or the order id is on an earlier row too). Each stored sale the file lacks is missing there.
"""
from __future__ import annotations

from collections.abc import Iterable
from dataclasses import dataclass, field
from datetime import datetime
from enum import StrEnum
from typing import Any

from coordinator.domain.enums import SessionStatus
from coordinator.domain.plain_errors import _

COMPARED = ("kind", "session_id", "product_id", "quantity", "amount_fen")


class RowKind(StrEnum):
    """How one order of a reconciliation compares."""

    MATCHED = "matched"
    MISSING_HERE = "missing_here"
    MISSING_THERE = "missing_there"
    DIFFERENT = "different"
    UNKNOWN = "unknown"
    INVALID = "invalid"


@dataclass(frozen=True, slots=True)
class StoredSale:
    """A sale the webhook stored under the reconciled key."""

    event_id: int
    order_id: str
    kind: str
    session_id: int
    product_id: int
    quantity: int
    amount_fen: int
    occurred_at: datetime
    campaign_id: int


@dataclass(frozen=True, slots=True)
class SessionFacts:
    """What decides whether a sale may name a session: its status and lineup."""

    status: str
    products: frozenset[int]


@dataclass(slots=True)
class Compared:
    """One order of the result, as it will be stored and listed."""

    kind: RowKind
    line: int | None
    values: dict[str, Any]
    event_id: int | None = None
    stored: dict[str, Any] | None = None
    problem: str | None = None
    problem_values: dict[str, Any] | None = None


@dataclass
class Outcome:
    """Every compared order, and how many of each kind."""

    rows: list[Compared] = field(default_factory=list)
    file_rows: int = 0

    def count(self, kind: RowKind) -> int:
        """How many orders are of a kind."""
        return sum(1 for row in self.rows if row.kind is kind)

    def summary(self) -> dict[str, int]:
        """The counts the contract answers with (and unknown and invalid beside them)."""
        counts = {kind.value: 0 for kind in RowKind}
        for row in self.rows:
            counts[row.kind.value] += 1
        return {"rows": self.file_rows, **counts}


def _sale_values(sale: StoredSale) -> dict[str, Any]:
    return {"order_id": sale.order_id, "kind": sale.kind, "session_id": sale.session_id,
            "product_id": sale.product_id, "quantity": sale.quantity, "amount_fen": sale.amount_fen,
            "occurred_at": sale.occurred_at}


def _not_postable(values: dict[str, Any], sessions: dict[int, SessionFacts]) -> tuple[str, dict] | None:
    session = sessions.get(values["session_id"])
    where = {"session": values["session_id"], "product": values["product_id"]}
    if session is None:
        return _("no session %(session)s in this campaign"), where
    if session.status == SessionStatus.CANCELLED.value:
        return _("session %(session)s is cancelled"), where
    if values["product_id"] not in session.products:
        return _("product %(product)s is not in session %(session)s's lineup"), where
    return None


def compare(file_rows: Iterable[tuple[int, dict[str, Any], tuple[str, str] | None]],
            stored: dict[str, StoredSale], campaign_id: int, sessions: dict[int, SessionFacts]) -> Outcome:
    """Classify each file row (line, values, problem) against the key's stored sales; then what the file lacks.

    `stored` holds the key's sales of this campaign and those of other campaigns whose order ids the file names.
    """
    out = Outcome()
    seen: dict[str, int] = {}
    for line, values, problem in file_rows:
        out.file_rows += 1
        order_id = values.get("order_id")
        if problem is not None:
            if order_id:  # its stored sale, if any, is not missing there: this row is it, unreadable
                seen.setdefault(order_id, line)
            field_name, message = problem
            out.rows.append(Compared(RowKind.INVALID, line, values, problem=_("%(field)s: %(message)s"),
                                     problem_values={"field": field_name, "message": message}))
            continue
        if order_id in seen:
            out.rows.append(Compared(RowKind.INVALID, line, values, problem=_("the order id is on row %(line)s too"),
                                     problem_values={"line": seen[order_id]}))
            continue
        seen[order_id] = line
        sale = stored.get(order_id)
        if sale is not None and sale.campaign_id != campaign_id:
            out.rows.append(Compared(RowKind.UNKNOWN, line, values, sale.event_id,
                                     problem=_("the order is stored for another campaign (%(campaign)s)"),
                                     problem_values={"campaign": sale.campaign_id}))
        elif sale is not None:
            mine = _sale_values(sale)
            differs = {name: mine[name] for name in COMPARED if values[name] != mine[name]}
            out.rows.append(Compared(RowKind.DIFFERENT if differs else RowKind.MATCHED, line, values, sale.event_id,
                                     stored=differs or None))
        elif refusal := _not_postable(values, sessions):
            out.rows.append(Compared(RowKind.UNKNOWN, line, values, problem=refusal[0], problem_values=refusal[1]))
        else:
            out.rows.append(Compared(RowKind.MISSING_HERE, line, values))
    lacking = [sale for order_id, sale in stored.items() if order_id not in seen and sale.campaign_id == campaign_id]
    lacking.sort(key=lambda sale: (sale.occurred_at, sale.order_id))
    out.rows.extend(Compared(RowKind.MISSING_THERE, None, _sale_values(sale), sale.event_id) for sale in lacking)
    return out
