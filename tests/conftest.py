"""Fixtures in the flaskr style: app, client, runner; each app test runs on SQLite and PostgreSQL."""
from __future__ import annotations

from datetime import datetime, timezone

import pytest

from config import TestingConfig
from coordinator import create_app
from coordinator.clock import CLOCK_KEY
from coordinator.extensions import db
from tests import databases, routing_cache

routing_cache.install()  # Werkzeug's URL builders compiled once a run, not once an app (see tests/routing_cache.py)

BACKENDS = ["sqlite", "postgresql"]


class FakeClock:
    """A clock tests move by hand instead of sleeping."""

    def __init__(self, start: datetime | None = None) -> None:
        self.current = start or datetime(2026, 11, 11, 12, 0, tzinfo=timezone.utc)

    def __call__(self) -> datetime:
        return self.current

    def advance(self, **delta: float) -> None:
        """Move the clock forward by a timedelta's keyword arguments."""
        from datetime import timedelta

        self.current += timedelta(**delta)


@pytest.fixture(autouse=True)
def quick_password_hashes(monkeypatch):
    """Cheap password hashes inside the test process (servers started by tests keep the real, slow ones)."""
    from coordinator.services import accounts

    monkeypatch.setattr(accounts, "PASSWORD_METHOD", "pbkdf2:sha256:1000")


@pytest.fixture(scope="session")
def sqlite_template(tmp_path_factory):
    """One migrated SQLite file per run, copied for each test."""
    path = tmp_path_factory.mktemp("template") / "template.sqlite3"
    databases.migrate(f"sqlite:///{path}")
    return path


def _migrated_postgres():
    """A fresh migrated PostgreSQL database for the run, dropped at its end."""
    if not databases.postgres_reachable():
        databases.unavailable("PostgreSQL is not reachable on 127.0.0.1:5432")
    url = databases.create_postgres_database()
    try:
        databases.migrate(url)
        yield url
    finally:
        databases.drop_postgres_database(url)


@pytest.fixture(scope="session")
def postgres_url():
    """One migrated PostgreSQL database per run, dropped at the end."""
    yield from _migrated_postgres()


@pytest.fixture(scope="session")
def postgres_template():
    """A migrated PostgreSQL database nothing connects to, for tests whose servers need a database of their own:
    databases.clone_postgres_database copies it (CREATE DATABASE ... TEMPLATE, under a second) where migrating a
    fresh one takes several."""
    yield from _migrated_postgres()


@pytest.fixture(params=BACKENDS)
def database_url(request, tmp_path):
    """A clean, migrated database on each backend."""
    if request.param == "sqlite":
        return databases.copy_sqlite(request.getfixturevalue("sqlite_template"), tmp_path / "test.sqlite3")
    url = request.getfixturevalue("postgres_url")
    databases.truncate_all(url)
    return url


@pytest.fixture
def clock():
    """The injected clock every service reads."""
    return FakeClock()


@pytest.fixture
def app_config():
    """Per-test overrides of TestingConfig; tests may add to it before `app` is built."""
    return {}


@pytest.fixture
def app(database_url, clock, app_config):
    """An application on a clean database with an injected clock."""
    config = {key: getattr(TestingConfig, key) for key in dir(TestingConfig) if key.isupper()}
    config.update({"SQLALCHEMY_DATABASE_URI": database_url, "WTF_CSRF_ENABLED": False}, **app_config)
    application = create_app(config)
    application.extensions[CLOCK_KEY] = clock
    yield application
    with application.app_context():
        db.session.remove()
        db.engine.dispose()


@pytest.fixture
def client(app):
    """A test client for pages and the API."""
    return app.test_client()


@pytest.fixture
def runner(app):
    """A runner for the flask commands."""
    return app.test_cli_runner()
