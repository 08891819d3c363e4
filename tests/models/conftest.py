"""A seeded database per backend, shared by a module's cases; each case rolls its own changes back.

The `app` fixture truncates every PostgreSQL table before each test (about 0.17 s); the constraint
cases number over a hundred per backend, so they share one seeded database and never commit.
"""
from __future__ import annotations

from typing import Iterator, NamedTuple

import pytest
from flask import Flask

from config import TestingConfig
from coordinator import create_app
from coordinator.extensions import db
from tests import databases
from tests.models.rows import Ids, seed


BACKENDS = ["sqlite", "postgresql"]


class Seeded(NamedTuple):
    app: Flask
    ids: Ids


def app_for(url: str) -> Flask:
    """An application on the database at url, configured as in tests/conftest.py."""
    config = {key: getattr(TestingConfig, key) for key in dir(TestingConfig) if key.isupper()}
    return create_app({**config, "SQLALCHEMY_DATABASE_URI": url})


@pytest.fixture(scope="module", params=BACKENDS)
def seeded(request, tmp_path_factory) -> Iterator[Seeded]:
    """A migrated database holding `rows.seed`'s world, committed once for the whole module."""
    if request.param == "sqlite":
        template = request.getfixturevalue("sqlite_template")
        url = databases.copy_sqlite(template, tmp_path_factory.mktemp("seeded") / "seeded.sqlite3")
    else:
        url = request.getfixturevalue("postgres_url")
        databases.truncate_all(url)
    app = app_for(url)
    with app.app_context():
        ids = seed(db.session.connection())
        db.session.commit()
    yield Seeded(app, ids)
    with app.app_context():
        db.session.remove()
        db.engine.dispose()
    if request.param == "postgresql":
        databases.truncate_all(url)
