"""Worlds built once per test run and put back for each test that asks for the same one.

Building the access matrix's world (tests/access/world.py) or loading the demo takes from half a second to a few
seconds, and hundreds of tests start from one of them. `cached(name, make)` runs `make()` the first time, on a
fresh database, and keeps a copy of every table it left (and of the sequences); the next test with the same key
gets those rows put back into its own fresh database and a copy of what `make()` returned. Each test still starts
from the whole world in a database of its own, changes it as it likes, and nothing it does reaches the next.

The key is everything the world is made from: the backend (and database), the injected clock's time, the app's
configuration (but the database URL) and the password hashing method, the caller's own parts, and what the
database held before (a fresh database's rows and sequences). A clock on real time never repeats, so such tests
build as before; so do tests that call `make()` over rows of their own.

SQLite keeps the snapshot as an in-memory copy (the backup API, as the access matrix restores its database);
PostgreSQL as tables in a schema of its own in the run's database (snapshot_N), copied back with foreign-key
triggers off and the sequences set to where `make()` left them.
"""
from __future__ import annotations

import copy
import itertools
import re
import sqlite3
from contextlib import closing
from typing import Any, Callable, TypeVar

from flask import current_app
from sqlalchemy import text
from sqlalchemy.exc import DBAPIError

from coordinator.clock import CLOCK_KEY
from coordinator.extensions import db

T = TypeVar("T")
_numbers = itertools.count(1)
_cache: dict[tuple, tuple[Any, "Snapshot"]] = {}
FRESH_ROWS = 20  # a freshly migrated database holds a row or two (access_epochs); a test's own world holds more
_ADDRESS = re.compile(r" at 0x[0-9a-f]+")  # a function's repr in the configuration: the same function each app


def cached(name: str, make: Callable[[], T], *key: Any) -> T:
    """make()'s world in the current app's database, put back from a snapshot when it was made before."""
    app = current_app._get_current_object()
    full_key = _key(app, name, key)
    before = _state() if full_key is not None else None
    if before is None:
        return make()
    full_key += (before,)
    hit = _cache.get(full_key)
    if hit is not None:
        value, snapshot = hit
        snapshot.restore()
        return copy.deepcopy(value)
    value = make()
    try:
        _cache[full_key] = (copy.deepcopy(value), Snapshot.take())
    except DBAPIError:  # e.g. PostgreSQL as a role that may not turn foreign-key triggers off: no snapshot
        db.session.rollback()
    return value


def _key(app, name: str, key: tuple) -> tuple | None:
    from coordinator.services import accounts

    clock = app.extensions.get(CLOCK_KEY)
    now = getattr(clock, "current", None)  # tests' FakeClock; a real clock's time never repeats
    if now is None:
        return None
    config = tuple(sorted((k, _ADDRESS.sub("", repr(v))) for k, v in app.config.items()
                          if k != "SQLALCHEMY_DATABASE_URI"))
    url = app.config["SQLALCHEMY_DATABASE_URI"]
    where = "sqlite" if url.startswith("sqlite") else url
    try:
        full = (name, where, now, config, accounts.PASSWORD_METHOD, key)
        hash(full)
    except TypeError:
        return None
    return full


def _tables() -> list[str]:
    from coordinator.models import Base

    return [table.name for table in Base.metadata.sorted_tables]


def _state() -> tuple | None:
    """What the database holds before `make()`: a fresh test database's few rows (the migrations' own) and where its
    sequences stand; None when it holds more than a fresh one would (a test's own rows: nothing is cached then)."""
    connection = db.session.connection()
    try:
        counts = " + ".join(f'(SELECT COUNT(*) FROM "{name}")' for name in _tables())
        if connection.execute(text(f"SELECT {counts}")).scalar() > FRESH_ROWS:
            return None
        rows = []
        for name in _tables():
            found = connection.execute(text(f'SELECT * FROM "{name}"')).all()
            rows.append((name, tuple(sorted(repr(tuple(row)) for row in found))))
        if connection.dialect.name == "postgresql":
            sequences = connection.execute(text(
                "SELECT sequencename, last_value FROM pg_sequences WHERE schemaname = current_schema() "
                "ORDER BY sequencename")).all()
        elif connection.execute(text(
                "SELECT 1 FROM sqlite_master WHERE type = 'table' AND name = 'sqlite_sequence'")).scalar():
            sequences = connection.execute(text("SELECT name, seq FROM sqlite_sequence ORDER BY name")).all()
        else:
            sequences = []
        return tuple(rows), tuple(tuple(row) for row in sequences)
    finally:
        db.session.rollback()


class Snapshot:
    """The rows of every table (and where the sequences stand) as `make()` left them."""

    def __init__(self, dialect: str, data: Any) -> None:
        self.dialect = dialect
        self.data = data

    @classmethod
    def take(cls) -> "Snapshot":
        dialect = db.engine.dialect.name
        if dialect == "sqlite":
            path = _sqlite_path()
            db.session.remove()
            db.engine.dispose()
            copy_of = sqlite3.connect(":memory:", check_same_thread=False)
            with closing(sqlite3.connect(path)) as live:
                live.backup(copy_of)
            return cls(dialect, copy_of)
        if dialect != "postgresql":
            raise RuntimeError(f"no snapshots on {dialect}")
        db.session.remove()
        schema = f"snapshot_{next(_numbers)}"
        with db.engine.begin() as connection:
            connection.exec_driver_sql("SET LOCAL session_replication_role = replica")  # as restore will need
            connection.exec_driver_sql(f'CREATE SCHEMA "{schema}"')
            filled = []
            for name in _tables():
                connection.exec_driver_sql(f'CREATE TABLE "{schema}"."{name}" AS TABLE "{name}"')
                if connection.exec_driver_sql(f'SELECT EXISTS (SELECT 1 FROM "{name}")').scalar():
                    filled.append(name)
            sequences = []
            for (sequence,) in connection.exec_driver_sql(
                    "SELECT quote_ident(schemaname) || '.' || quote_ident(sequencename) FROM pg_sequences "
                    "WHERE schemaname = current_schema()").all():
                last, called = connection.exec_driver_sql(f"SELECT last_value, is_called FROM {sequence}").one()
                sequences.append((sequence, last, called))
        return cls(dialect, (schema, filled, sequences))

    def restore(self) -> None:
        """Put the rows back into the current app's database (which holds what it held before `make()`)."""
        if self.dialect == "sqlite":
            path = _sqlite_path()
            db.session.remove()
            db.engine.dispose()
            with closing(sqlite3.connect(path)) as live:
                self.data.backup(live)
            return
        schema, filled, sequences = self.data
        db.session.remove()
        statements = ["SET LOCAL session_replication_role = replica"]
        statements += [f'DELETE FROM "{name}"' for name in reversed(_tables())]  # the few rows of before
        statements += [f'INSERT INTO "{name}" OVERRIDING SYSTEM VALUE SELECT * FROM "{schema}"."{name}"'
                       for name in filled]
        statements += [f"SELECT setval('{sequence}', {last}, {'true' if called else 'false'})"
                       for sequence, last, called in sequences]
        with db.engine.begin() as connection:
            connection.exec_driver_sql(";\n".join(statements))


def _sqlite_path() -> str:
    return db.engine.url.database


def demo():
    """`demo.load(settings())` in the current app, cached as `cached` does: for tests that start from the demo
    (the tests of loading the demo itself call demo.load)."""
    from coordinator.edge import settings
    from coordinator.services import demo as demo_service

    return cached("demo", lambda: demo_service.load(settings()))
