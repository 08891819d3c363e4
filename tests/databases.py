"""Test databases: a migrated SQLite template and a per-run PostgreSQL database."""
from __future__ import annotations

import os
import shutil
import socket
import uuid
from pathlib import Path

import pytest
from sqlalchemy import create_engine, text

PG_ADMIN_URL = os.environ.get("TEST_POSTGRES_ADMIN_URL", "postgresql+psycopg://postgres@127.0.0.1:5432/test")
PG_HOST, PG_PORT = "127.0.0.1", 5432


def in_ci() -> bool:
    """CI sets CI=true: there a missing service is a failure, not a skip."""
    return os.environ.get("CI", "").lower() in ("1", "true", "yes")


def unavailable(reason: str) -> None:
    """Fail under CI, skip elsewhere, saying why either way."""
    if in_ci():
        pytest.fail(f"{reason} (required when CI=true)")
    pytest.skip(reason)


def postgres_reachable() -> bool:
    """True when something listens on PostgreSQL's port."""
    try:
        with socket.create_connection((PG_HOST, PG_PORT), timeout=1):
            return True
    except OSError:
        return False


def migrate(url: str) -> None:
    """Apply every migration to the database at url."""
    from flask_migrate import upgrade

    from config import TestingConfig
    from coordinator import create_app
    from coordinator.extensions import db

    app = create_app({**_config_dict(TestingConfig), "SQLALCHEMY_DATABASE_URI": url})
    with app.app_context():
        upgrade()
        db.engine.dispose()


def _config_dict(config_class: type) -> dict:
    return {key: getattr(config_class, key) for key in dir(config_class) if key.isupper()}


def create_postgres_database() -> str:
    """Create an empty database of this run's own and return its URL."""
    name = f"lcc_test_{os.getpid()}_{uuid.uuid4().hex[:8]}"
    admin = create_engine(PG_ADMIN_URL, isolation_level="AUTOCOMMIT")
    with admin.connect() as conn:
        conn.execute(text(f'CREATE DATABASE "{name}"'))
    admin.dispose()
    return PG_ADMIN_URL.rsplit("/", 1)[0] + "/" + name


def clone_postgres_database(template_url: str) -> str:
    """A new database of this run's own, a copy of the one at template_url (which nobody may be connected to)."""
    name = f"lcc_test_{os.getpid()}_{uuid.uuid4().hex[:8]}"
    template = template_url.rsplit("/", 1)[1]
    admin = create_engine(PG_ADMIN_URL, isolation_level="AUTOCOMMIT")
    with admin.connect() as conn:
        conn.execute(text(f'CREATE DATABASE "{name}" TEMPLATE "{template}"'))
    admin.dispose()
    return PG_ADMIN_URL.rsplit("/", 1)[0] + "/" + name


def drop_postgres_database(url: str) -> None:
    """Drop a database made by create_postgres_database, closing stray connections."""
    name = url.rsplit("/", 1)[1]
    admin = create_engine(PG_ADMIN_URL, isolation_level="AUTOCOMMIT")
    with admin.connect() as conn:
        conn.execute(text("SELECT pg_terminate_backend(pid) FROM pg_stat_activity WHERE datname = :n"), {"n": name})
        conn.execute(text(f'DROP DATABASE IF EXISTS "{name}"'))
    admin.dispose()


def truncate_all(url: str) -> None:
    """Empty every table of a migrated PostgreSQL database, keeping the schema, and restart their sequences.

    What `TRUNCATE ... RESTART IDENTITY CASCADE` of every table does, done as DELETEs: TRUNCATE gives each of the
    ~35 tables and their indexes new files (about 0.2 s a test), DELETE of a test's few rows takes milliseconds.
    The deletes run with foreign-key triggers off (session_replication_role, a superuser's setting: the schema's
    foreign keys form cycles, and every table is emptied anyway). Where that cannot be done, or the database
    holds tables the models do not know (TRUNCATE ... CASCADE would empty those too), it falls back to TRUNCATE.
    """
    from coordinator.models import Base

    names = [t.name for t in Base.metadata.sorted_tables]
    engine = create_engine(url)
    try:
        if not _delete_all(engine, names):
            tables = ", ".join(f'"{name}"' for name in names)
            with engine.begin() as conn:
                conn.execute(text(f"TRUNCATE {tables} RESTART IDENTITY CASCADE"))
    finally:
        engine.dispose()


def _delete_all(engine, names: list[str]) -> bool:
    """The fast way of truncate_all; False (nothing changed) when it does not apply here."""
    from sqlalchemy.exc import DBAPIError

    try:
        with engine.begin() as conn:
            present = set(conn.execute(text(
                "SELECT tablename FROM pg_tables WHERE schemaname = current_schema()")).scalars())
            if present - set(names) - {"alembic_version"}:
                return False
            conn.execute(text("SET LOCAL session_replication_role = replica"))
            # The sequences RESTART IDENTITY restarts: those owned by (serial) or part of (identity) a table's column.
            sequences = conn.execute(text(
                "SELECT s.oid::regclass::text FROM pg_class s JOIN pg_depend d ON d.classid = 'pg_class'::regclass "
                "AND d.objid = s.oid AND d.refclassid = 'pg_class'::regclass AND d.deptype IN ('a', 'i') "
                "JOIN pg_class t ON t.oid = d.refobjid WHERE s.relkind = 'S' AND t.relname = ANY(:names) "
                "AND t.relnamespace = current_schema()::regnamespace"), {"names": names}).scalars().all()
            statements = [f'DELETE FROM "{name}"' for name in reversed(names)]
            statements += [f"ALTER SEQUENCE {sequence} RESTART" for sequence in sequences]
            conn.exec_driver_sql(";\n".join(statements))
        return True
    except DBAPIError:  # e.g. not a superuser: session_replication_role is refused
        return False


def copy_sqlite(template: Path, target: Path) -> str:
    """A fresh copy of the migrated SQLite template, as a URL."""
    shutil.copyfile(template, target)
    return f"sqlite:///{target}"
