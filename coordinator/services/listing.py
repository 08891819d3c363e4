"""Pagination and sorting of list queries, shared by every collection."""
from __future__ import annotations

from dataclasses import dataclass
from typing import Any, Generic, Sequence, TypeVar

from sqlalchemy import Select, func, select

from coordinator.domain.errors import FieldError, InvalidInput
from coordinator.extensions import db

T = TypeVar("T")
MAX_PER_PAGE = 200


@dataclass
class Page(Generic[T]):
    """One page of a collection and how many there are in all."""

    items: Sequence[T]
    total: int
    page: int
    per_page: int


def sort_clause(sort: str, columns: dict[str, Any]):
    """'name' sorts ascending, '-name' descending; unknown keys are a 422 on 'sort'."""
    key = sort.lstrip("-")
    if key not in columns:
        raise InvalidInput("Unknown sort key.", [FieldError(f"sort by one of {', '.join(sorted(columns))}", field="sort")])
    column = columns[key]
    return column.desc() if sort.startswith("-") else column.asc()


def paginate(stmt: Select, page: int, per_page: int, sort: str, columns: dict[str, Any], tiebreak: Any) -> Page:
    """Run a select for one page, sorted, with the total count."""
    total = db.session.scalar(select(func.count()).select_from(stmt.order_by(None).subquery())) or 0
    items = db.session.scalars(
        stmt.order_by(sort_clause(sort, columns), tiebreak).offset((page - 1) * per_page).limit(per_page)
    ).all()
    return Page(items=items, total=total, page=page, per_page=per_page)
