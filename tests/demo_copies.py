"""The demo, loaded once per test process and copied for each test that asks for it.

`flask demo` takes seconds of CPU (last year's finished campaign alone posts thousands of sales through the real
ingest path); a dozen test modules each start servers on a demo database of their own. The first load in a process
is real; later ones copy its result over the caller's freshly migrated database: a file copy on SQLite, a
`CREATE DATABASE ... TEMPLATE` on PostgreSQL. The demo's times are relative to its load, and a run lasts minutes
against sessions that last hours.
"""
from __future__ import annotations

import atexit
import shutil
import sqlite3
import tempfile
from pathlib import Path
from typing import Callable, TypeVar

from sqlalchemy import create_engine, text
from sqlalchemy.engine import make_url

from tests import databases

T = TypeVar("T")
_loaded: dict[str, tuple[str, object]] = {}  # backend -> (where the loaded demo is kept, what its load returned)


def demo_on(database_url: str, load: Callable[[str], T]) -> T:
    """Give database_url (freshly migrated, nobody connected) the demo: copied when this process has loaded it
    already, else loaded by load(database_url) and kept for the next caller."""
    url = make_url(database_url)
    backend = url.get_backend_name()
    if backend == "sqlite":
        return _on_sqlite(Path(url.database), database_url, load)
    return _on_postgres(database_url, load)


def _on_sqlite(target: Path, database_url: str, load: Callable[[str], T]) -> T:
    if "sqlite" in _loaded:
        kept, result = _loaded["sqlite"]
        shutil.copyfile(kept, target)
        return result  # type: ignore[return-value]
    result = load(database_url)
    with sqlite3.connect(target) as connection:  # fold the WAL into the file before copying it
        connection.execute("PRAGMA wal_checkpoint(TRUNCATE)")
    kept = Path(tempfile.mkdtemp(prefix="lcc-demo-")) / "demo.sqlite3"
    shutil.copyfile(target, kept)
    atexit.register(shutil.rmtree, kept.parent, True)
    _loaded["sqlite"] = (str(kept), result)
    return result


def _on_postgres(database_url: str, load: Callable[[str], T]) -> T:
    name = database_url.rsplit("/", 1)[1]
    if "postgresql" in _loaded:
        kept, result = _loaded["postgresql"]
        _admin(f'DROP DATABASE "{name}"', f'CREATE DATABASE "{name}" TEMPLATE "{kept.rsplit("/", 1)[1]}"')
        return result  # type: ignore[return-value]
    result = load(database_url)
    kept = databases.clone_postgres_database(database_url)
    atexit.register(databases.drop_postgres_database, kept)
    _loaded["postgresql"] = (kept, result)
    return result


def _admin(*statements: str) -> None:
    engine = create_engine(databases.PG_ADMIN_URL, isolation_level="AUTOCOMMIT")
    try:
        with engine.connect() as connection:
            for statement in statements:
                connection.execute(text(statement))
    finally:
        engine.dispose()
