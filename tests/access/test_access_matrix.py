"""The access matrix: every route of the URL map, as every actor, answers as the README's policy table says.

Expectations come from the table (tests/access/policy.py reads it), never from the code's answers. Each cell
sends a body that is valid for the caller the rule allows. An allowed change is checked by its effect in the
database, then the database is put back; a refused one (and any read) must leave every table as it was.

On SQLite every cell is sent. On PostgreSQL the refusals and reads are (allowed changes would need the database
put back after each, which SQLite's backup does in milliseconds); the policy's SQL filters run on both.
"""
from __future__ import annotations

import sqlite3
from contextlib import closing

from coordinator.extensions import db
from tests.access.effects import differences, dump
from tests.access.matrix import MUTATING, expected, page_clients, route_keys, send
from tests.access.policy import UNIVERSAL, table
from tests.access.routes import ROUTES
from tests.access.world import ACTORS, build


def test_every_route_is_in_the_matrix_once(app):
    keys = [route.key.split(" [")[0] for route in ROUTES]
    assert sorted(route_keys(app) - set(keys)) == [], "new routes: add them to tests/access/routes.py"
    assert sorted(set(keys) - route_keys(app)) == [], "routes gone: take them out of tests/access/routes.py"
    assert len({route.key for route in ROUTES}) == len(ROUTES)


def test_every_rule_a_route_follows_is_in_the_readme_table():
    rules = set(table()) | set(UNIVERSAL)
    assert sorted({route.rule for route in ROUTES} - rules) == []
    assert sorted(set(table()) - {route.rule for route in ROUTES}) == [], "README rules no route follows"


def _restore(path: str, pristine: sqlite3.Connection) -> None:
    db.session.remove()
    db.engine.dispose()
    with closing(sqlite3.connect(path)) as live:
        pristine.backup(live)


def test_each_actor_gets_what_the_policy_table_says(app, clock):
    with app.app_context():
        world = build()
    clients = page_clients(app)
    uri = app.config["SQLALCHEMY_DATABASE_URI"]
    full = uri.startswith("sqlite")
    pristine = sqlite3.connect(":memory:")
    if full:
        with app.app_context():
            db.engine.dispose()
        with closing(sqlite3.connect(uri.removeprefix("sqlite:///"))) as live:
            live.backup(pristine)
    with app.app_context():
        pristine_rows = state = dump()  # what the database holds between cells (restored after each change)
    wrong, sent = [], 0
    for route in ROUTES:
        api = route.rule_path.startswith("/api/")
        for actor in ACTORS:
            sign, status = expected(route, actor, api)
            changes = route.method in MUTATING
            if changes and sign == "✓" and not full:
                continue
            with app.app_context():
                got = send(app, clients, world, route, actor)
                before, after = state, dump() if changes else state
            state = after
            sent += 1
            cell = f"{route.key} as {actor} ({sign})"
            if got != status:
                wrong.append(f"{cell}: expected {status}, got {got}")
            if not changes:
                continue
            if sign == "✓":
                if not route.effect(before, after, world):
                    wrong.append(f"{cell}: allowed, but its effect is missing (changed: {differences(before, after)})")
            elif after != before:
                wrong.append(f"{cell}: refused, yet it changed {differences(before, after)}")
            if after != before and full:
                with app.app_context():
                    _restore(uri.removeprefix("sqlite:///"), pristine)
                state = pristine_rows
    assert not wrong, f"{len(wrong)} of {sent} cells disagree with the policy table:\n" + "\n".join(wrong)
    assert sent > (1500 if full else 1000)
