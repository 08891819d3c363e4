"""The database as the matrix sees it, and the effects an allowed request must have on it."""
from __future__ import annotations

from typing import Any, Callable

from sqlalchemy import select

from coordinator.extensions import db
from coordinator.models import Base

Dump = dict[str, dict[tuple, dict[str, Any]]]
Effect = Callable[[Dump, Dump, Any], bool]
# Failed logins are counted whoever is refused, and are no change to what the matrix protects.
IGNORED = {"login_throttles"}


def dump() -> Dump:
    """Every row of every table, by primary key (read on the session's connection: the same rows, with the same
    column types' processing, without the ORM's per-statement work; the matrix dumps some 1,800 times)."""
    out: Dump = {}
    db.session.flush()
    connection = db.session.connection()
    for table, keys, statement in _tables():
        out[table.name] = {tuple(row[k] for k in keys): dict(row)
                           for row in connection.execute(statement).mappings()}
    db.session.rollback()
    return out


_TABLES: list = []


def _tables() -> list:
    """(table, primary key columns, SELECT of every row) for each table the matrix watches, in dependency order."""
    if not _TABLES:
        for table in Base.metadata.sorted_tables:
            if table.name not in IGNORED:
                _TABLES.append((table, [c.name for c in table.primary_key.columns], select(table)))
    return _TABLES


def differences(before: Dump, after: Dump) -> list[str]:
    """Which tables changed, for a failure message."""
    return sorted(name for name in before if before[name] != after.get(name))


def nothing(before: Dump, after: Dump, world) -> bool:
    """An allowed read, preview or answer that must leave the database as it was."""
    return before == after


def row(table: str, key: str, **values) -> Effect:
    """The row of `table` with the world's id `key` now holds these values (callables test the value)."""
    def check(before: Dump, after: Dump, world) -> bool:
        found = after[table].get((world.ids[key],))
        return found is not None and all(v(found[k]) if callable(v) else found[k] == v for k, v in values.items())
    return check


def added(table: str, **values) -> Effect:
    """A new row in `table` holding these values."""
    def check(before: Dump, after: Dump, world) -> bool:
        new = [r for pk, r in after[table].items() if pk not in before[table]]
        return any(all(v(r[k]) if callable(v) else r[k] == v for k, v in values.items()) for r in new)
    return check


def gone(table: str, key: str | None = None, where: Callable[[dict, Any], bool] | None = None) -> Effect:
    """The row with the world's id `key` (or the rows matching `where`) left `table`."""
    def check(before: Dump, after: Dump, world) -> bool:
        if key is not None:
            return (world.ids[key],) in before[table] and (world.ids[key],) not in after[table]
        lost = [r for pk, r in before[table].items() if pk not in after[table]]
        return bool(lost) and all(where(r, world) for r in lost)
    return check


def both(*effects: Effect) -> Effect:
    """Every one of the effects."""
    return lambda before, after, world: all(effect(before, after, world) for effect in effects)
