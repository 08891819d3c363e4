"""The migrations build exactly the schema the models describe, and upgrade older databases in place.

Each test gets an empty database of its own (a file, or a uniquely named PostgreSQL database that is
dropped afterwards), because these tests downgrade and rebuild whole schemas.
"""
from __future__ import annotations

import shutil
from datetime import date, datetime, timezone
from pathlib import Path
from typing import Any

import pytest
from alembic import command as alembic_command
from alembic.autogenerate import compare_metadata
from alembic.migration import MigrationContext
from alembic.script import ScriptDirectory
from flask import Flask
from flask_migrate import downgrade, upgrade
from sqlalchemy import CheckConstraint, MetaData, Table, func, insert, inspect, select
from sqlalchemy.engine import Connection
from sqlalchemy.exc import IntegrityError

from coordinator import ROOT
from coordinator.extensions import db
from coordinator.models import Base, County, Product, SaleEvent
from tests import databases
from tests.models.conftest import BACKENDS, app_for
from tests.models.rows import MISSING, add, seed

MIGRATIONS = ROOT / "coordinator" / "migrations"
WHEN = datetime(2026, 11, 1, 8, tzinfo=timezone.utc)


@pytest.fixture(params=BACKENDS)
def empty_app(request, tmp_path):
    """An application on an empty database (no tables, no alembic_version)."""
    if request.param == "sqlite":
        url = f"sqlite:///{tmp_path / 'empty.sqlite3'}"
    else:
        if not databases.postgres_reachable():
            databases.unavailable("PostgreSQL is not reachable on 127.0.0.1:5432")
        url = databases.create_postgres_database()
    app = app_for(url)
    try:
        yield app
    finally:
        with app.app_context():
            db.session.remove()
            db.engine.dispose()
        if request.param == "postgresql":
            databases.drop_postgres_database(url)


def init_db(app: Flask) -> str:
    result = app.test_cli_runner().invoke(args=["init-db"])
    assert result.exit_code == 0, result.output
    return result.output


def revisions(directory: Path = MIGRATIONS) -> list[str]:
    """Every revision id, oldest first (the history must stay linear)."""
    script = ScriptDirectory(str(directory))
    assert len(script.get_heads()) == 1, "the migration history has branched"
    return [rev.revision for rev in reversed(list(script.walk_revisions()))]


def current_revision(connection: Connection) -> str | None:
    return MigrationContext.configure(connection).get_current_revision()


def schema_differences(app: Flask) -> list[Any]:
    """What autogenerate would write into a new migration, plus CHECK constraints it cannot see."""
    with app.app_context(), db.engine.connect() as connection:
        # The options Flask-Migrate hands to env.py (compare_type=True, render_as_batch=True); the
        # naming convention travels with Base.metadata. The models declare no server defaults, so
        # any default found in the database is a difference too. Nothing is filtered out.
        options = {**app.extensions["migrate"].configure_args, "compare_type": True, "compare_server_default": True}
        options.pop("process_revision_directives", None)
        context = MigrationContext.configure(connection, opts=options)
        differences = list(compare_metadata(context, Base.metadata))
        differences += check_constraint_differences(connection)
        return differences


def check_constraint_differences(connection: Connection) -> list[tuple[str, str, object, object]]:
    """Autogenerate ignores CHECK constraints, so compare them here: names on both backends and,
    on SQLite, which keeps the text as written, the expressions as well. (PostgreSQL rewrites
    expressions, e.g. IN into = ANY (ARRAY[...]), so comparing its text would only test that rewrite.)"""
    inspector, found = inspect(connection), []
    exact = connection.dialect.name == "sqlite"
    for table in Base.metadata.sorted_tables:
        declared = {c.name: str(c.sqltext) for c in table.constraints if isinstance(c, CheckConstraint)}
        present = {c["name"]: c["sqltext"] for c in inspector.get_check_constraints(table.name)}
        if set(declared) != set(present) or (exact and declared != present):
            found.append(("check constraints differ", table.name, declared, present))
    return found


def row_counts() -> dict[str, int]:
    """Rows per table, read on a connection of its own that is closed before any migration runs."""
    with db.engine.connect() as connection:
        return {t.name: connection.scalar(select(func.count()).select_from(t)) for t in Base.metadata.sorted_tables}


def table_names(app: Flask) -> set[str]:
    with app.app_context():
        return set(inspect(db.engine).get_table_names())


def test_init_db_on_an_empty_database_builds_what_the_models_describe(empty_app):
    init_db(empty_app)
    assert table_names(empty_app) == set(Base.metadata.tables) | {"alembic_version"}
    assert schema_differences(empty_app) == []
    with empty_app.app_context(), db.engine.connect() as connection:
        assert current_revision(connection) == revisions()[-1]


def test_init_db_twice_is_a_no_op(empty_app):
    init_db(empty_app)
    with empty_app.app_context():
        seed(db.session.connection())
        db.session.commit()
        before = row_counts()
    init_db(empty_app)
    with empty_app.app_context():
        after = row_counts()
        with db.engine.connect() as connection:
            assert current_revision(connection) == revisions()[-1]
    assert after == before
    assert schema_differences(empty_app) == []


def test_downgrade_to_base_then_upgrade_to_head(empty_app):
    init_db(empty_app)
    with empty_app.app_context():
        downgrade(revision="base")
    assert table_names(empty_app) <= {"alembic_version"}
    with empty_app.app_context():
        upgrade(revision="head")
    assert schema_differences(empty_app) == []


def reflected(connection: Connection, name: str) -> Table:
    """A table as the database has it at the current revision, not as the models have it now."""
    return Table(name, MetaData(), autoload_with=connection)


def filler(table: Table, label: str) -> dict[str, Any]:
    """Values for every required column of a reflected table, from the column types alone."""
    values: dict[str, Any] = {}
    for column in table.columns:
        if column.nullable or column.server_default is not None or column.autoincrement is True or (
                column.primary_key and column.type.python_type is int):
            continue
        kind = column.type.python_type
        values[column.name] = {str: label, int: 0, bool: False, float: 0.0, datetime: WHEN,
                               date: WHEN.date(), list: [], dict: {}}[kind]
    return values


def store_rows_at_0001(connection: Connection) -> None:
    """What a database at revision 0001 held, written against 0001's tables so later revisions never change it."""
    def put(table: str, /, **values: Any) -> Any:
        return connection.execute(insert(reflected(connection, table)).values(**values)).inserted_primary_key[0]

    stamps = {"created_at": WHEN, "updated_at": WHEN}
    county = put("counties", name="宜君县", province="陕西省", story="", created_at=WHEN)
    streamer = put("streamers", handle="xiaomei", display_name="小美", platform="taobao", followers=12000,
                   categories=["grain"], region="", bio="", **stamps)
    product = put("products", county_id=county, name="玉米糁", sku="GRITS", category="grain", price_fen=580, stock=100,
                  unit="袋", is_agricultural=True, shipping_origin="", selling_points=[], image_url="", **stamps)
    campaign = put("campaigns", name="双十一", description="", starts_at=WHEN, ends_at=WHEN.replace(day=30),
                   min_agri_products_per_session=1, max_products_per_session=5, status="live", **stamps)
    key = put("ingest_keys", key_id="ik_1", name="platform", secret="s", created_at=WHEN)
    session = put("live_sessions", campaign_id=campaign, streamer_id=streamer, starts_at=WHEN,
                  ends_at=WHEN.replace(hour=10), status="ended", title="", notes="", **stamps)
    put("lineup_items", session_id=session, product_id=product, position=0)
    put("sale_events", ingest_key_id=key, order_id="o-1", kind="order", campaign_id=campaign, session_id=session,
        product_id=product, county_id=county, streamer_id=streamer, quantity=2, amount_fen=1160, occurred_at=WHEN,
        received_at=WHEN)


def test_init_db_upgrades_an_older_database_keeping_its_rows(empty_app):
    """A database left at the first revision, with rows stored there and at every revision after it
    but the last, is brought to head by init-db with nothing lost (today 0001 is also head)."""
    steps = revisions()
    with empty_app.app_context():
        for number, step in enumerate(steps[:-1] or steps):
            upgrade(revision=step)
            with db.engine.begin() as connection:
                if number == 0:
                    store_rows_at_0001(connection)
                counties = reflected(connection, "counties")
                connection.execute(insert(counties).values(**filler(counties, f"county at {step}")))
        with db.engine.connect() as connection:
            assert current_revision(connection) == (steps[-2] if len(steps) > 1 else steps[0])
    init_db(empty_app)
    with empty_app.app_context():
        assert current_revision(db.session.connection()) == steps[-1]
        names = set(db.session.scalars(select(County.name)))
        assert {"宜君县"} | {f"county at {step}" for step in steps[:-1] or steps} <= names
        sale = db.session.scalars(select(SaleEvent)).one()
        assert (sale.order_id, sale.quantity, sale.amount_fen, sale.occurred_at) == ("o-1", 2, 1160, WHEN)
        assert db.session.scalars(select(Product)).one().sku == "GRITS"
        # The upgraded database still takes new rows through today's models.
        db.session.add(County(name="石阡县", province="贵州省"))
        db.session.commit()


REVISION = '''"""a revision written by the tests, on top of the real ones"""
from alembic import op
import sqlalchemy as sa

revision = "zz_probe"
down_revision = {head!r}
branch_labels = None
depends_on = None

# On SQLite, making a column nullable rebuilds the table: copy, DROP the old one, rename.
COLUMNS = {columns!r}


def upgrade():
    for table, column in COLUMNS.items():
        with op.batch_alter_table(table) as batch_op:
            batch_op.alter_column(column, existing_type=sa.Text(), nullable=True)
    op.execute({extra!r} or "SELECT 1")


def downgrade():
    for table, column in COLUMNS.items():
        with op.batch_alter_table(table) as batch_op:
            batch_op.alter_column(column, existing_type=sa.Text(), nullable=False)
'''
PARENTS = {"counties": "story", "streamers": "bio", "products": "image_url", "users": "locale",
           "campaigns": "description", "live_sessions": "notes"}


def migrations_with_probe(tmp_path: Path, extra: str = "") -> str:
    """A copy of the migrations directory with one more revision, 'zz_probe'."""
    directory = tmp_path / "migrations"
    shutil.copytree(MIGRATIONS, directory, ignore=shutil.ignore_patterns("__pycache__"))
    source = REVISION.format(head=revisions()[-1], columns=PARENTS, extra=extra)
    (directory / "versions" / "zz_probe.py").write_text(source)
    return str(directory)


def nullable(table: str, column: str) -> bool:
    return next(c for c in inspect(db.engine).get_columns(table) if c["name"] == column)["nullable"]


def test_a_migration_that_rebuilds_parent_tables_keeps_their_children(empty_app, tmp_path):
    """On SQLite, changing a column copies the table and drops the old one. Were foreign keys on,
    dropping `campaigns` would delete its enrolments and pairings (ON DELETE CASCADE) or fail
    (RESTRICT): env.py turns them off for the migration and checks them before committing."""
    directory = migrations_with_probe(tmp_path)
    init_db(empty_app)
    with empty_app.app_context():
        seed(db.session.connection())
        db.session.commit()
        before = row_counts()
        upgrade(directory=directory, revision="zz_probe")
        assert row_counts() == before
        assert nullable("campaigns", "description") is True
        downgrade(directory=directory, revision=revisions()[-1])
        # Foreign keys are enforced again once the migration is over.
        with pytest.raises(IntegrityError), db.engine.begin() as connection:
            add(connection, "lineup_items", {"session_id": MISSING, "product_id": MISSING, "position": 9})
    assert schema_differences(empty_app) == []


def test_a_failed_upgrade_leaves_the_database_as_it_was(empty_app, tmp_path):
    """A revision that leaves a row pointing at nothing is refused whole, schema changes included:
    PostgreSQL refuses the row at once; on SQLite, where foreign keys are off during migrations,
    env.py's foreign_key_check refuses it before the single migration transaction commits."""
    dangling = f"INSERT INTO lineup_items (session_id, product_id, position) VALUES ({MISSING}, {MISSING}, 0)"
    directory = migrations_with_probe(tmp_path, extra=dangling)
    init_db(empty_app)
    with empty_app.app_context():
        seed(db.session.connection())
        db.session.commit()
        before = row_counts()
        # Alembic's own command, because Flask-Migrate turns a RuntimeError into sys.exit(1).
        config = empty_app.extensions["migrate"].migrate.get_config(directory)
        with pytest.raises(Exception, match="dangling foreign keys|violates foreign key constraint"):
            alembic_command.upgrade(config, "zz_probe")
        with db.engine.connect() as connection:
            assert current_revision(connection) == revisions()[-1]
        assert row_counts() == before
        assert nullable("campaigns", "description") is False
    assert schema_differences(empty_app) == []
