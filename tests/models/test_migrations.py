"""The migrations build exactly the schema the models describe, and upgrade older databases in place."""
from __future__ import annotations

import pytest
from alembic.autogenerate import compare_metadata
from alembic.migration import MigrationContext
from alembic.script import ScriptDirectory
from flask_migrate import downgrade, upgrade
from sqlalchemy import inspect, text

from coordinator.extensions import db
from coordinator.models import Base


def schema_differences(app) -> list:
    with app.app_context(), db.engine.connect() as connection:
        context = MigrationContext.configure(connection, opts={"compare_type": True, "compare_server_default": False})
        return compare_metadata(context, Base.metadata)


def test_migrated_schema_matches_the_models(app):
    assert schema_differences(app) == []


def test_init_db_twice_changes_nothing(app, runner):
    assert runner.invoke(args=["init-db"]).exit_code == 0
    assert runner.invoke(args=["init-db"]).exit_code == 0
    assert schema_differences(app) == []


def test_downgrade_to_nothing_and_back(app):
    with app.app_context():
        downgrade(revision="base")
        assert set(inspect(db.engine).get_table_names()) <= {"alembic_version"}
        upgrade()
    assert schema_differences(app) == []


def revisions(app) -> list[str]:
    with app.app_context():
        script = ScriptDirectory.from_config(app.extensions["migrate"].migrate.get_config())
        return [rev.revision for rev in reversed(list(script.walk_revisions()))]


def test_an_older_database_keeps_its_rows_through_every_upgrade(app, runner):
    steps = revisions(app)
    with app.app_context():
        downgrade(revision="base")
        upgrade(revision=steps[0])
        with db.engine.begin() as connection:
            connection.execute(text("INSERT INTO counties (name, province, story, created_at) "
                                    "VALUES ('宜君县', '陕西省', '', '2026-11-01 00:00:00')"))
        for step in steps[1:]:
            upgrade(revision=step)
    assert runner.invoke(args=["init-db"]).exit_code == 0
    with app.app_context(), db.engine.connect() as connection:
        assert connection.execute(text("SELECT name FROM counties")).scalar_one() == "宜君县"
        version = connection.execute(text("SELECT version_num FROM alembic_version")).scalar_one()
    assert version == steps[-1]


@pytest.mark.parametrize("database_url", ["sqlite"], indirect=True)
def test_sqlite_runs_in_wal_mode_with_foreign_keys_and_a_busy_timeout(app):
    with app.app_context(), db.engine.connect() as connection:
        assert connection.exec_driver_sql("PRAGMA journal_mode").scalar() == "wal"
        assert connection.exec_driver_sql("PRAGMA foreign_keys").scalar() == 1
        assert connection.exec_driver_sql("PRAGMA busy_timeout").scalar() == app.config["SQLITE_BUSY_TIMEOUT_MS"]
