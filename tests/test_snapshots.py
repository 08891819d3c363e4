"""tests/snapshots.py puts back exactly the database `make()` left: every row, and the ids that come next."""
from __future__ import annotations

import itertools
import os

from coordinator.extensions import db
from coordinator.models import County
from tests import databases, snapshots
from tests.access import world as access_world
from tests.access.effects import dump

_runs = itertools.count()


def _empty_again(app, sqlite_template) -> None:
    """The test's database as fresh as the app fixture made it."""
    db.session.remove()
    db.engine.dispose()
    url = app.config["SQLALCHEMY_DATABASE_URI"]
    if url.startswith("sqlite"):
        path = url.removeprefix("sqlite:///")
        for suffix in ("-wal", "-shm"):
            if os.path.exists(path + suffix):
                os.remove(path + suffix)
        databases.copy_sqlite(sqlite_template, path)
    else:
        databases.truncate_all(url)


def _next_id() -> int:
    county = County(name=f"下一个{next(_runs)}", province="陕西省")
    db.session.add(county)
    db.session.commit()
    return county.id


def test_a_world_put_back_is_the_world_built(app, clock, sqlite_template):
    built: list[int] = []
    name = f"snapshot check {next(_runs)}"

    def make():
        built.append(1)
        return access_world._build()

    with app.app_context():
        first = snapshots.cached(name, make)
        rows, following = dump(), _next_id()
        _empty_again(app, sqlite_template)
        assert not dump()["users"]
        second = snapshots.cached(name, make)
        assert built == [1], "the second world was built again, not put back"
        assert second == first and second is not first
        assert dump() == rows
        assert _next_id() == following
        second.ids["changed"] = 1
        _empty_again(app, sqlite_template)
        third = snapshots.cached(name, make)
        assert "changed" not in third.ids and dump() == rows


def test_a_world_made_over_a_tests_own_rows_is_never_put_back_into_a_fresh_database(app, clock, sqlite_template):
    built: list[int] = []
    name = f"snapshot check {next(_runs)}"

    def make():
        built.append(1)
        return access_world._build()

    with app.app_context():
        _next_id()
        snapshots.cached(name, make)
        _empty_again(app, sqlite_template)
        snapshots.cached(name, make)
        assert built == [1, 1]
        assert not [c for c in db.session.query(County) if c.name.startswith("下一个")]  # the first one's row
