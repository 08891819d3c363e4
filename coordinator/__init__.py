"""The Livestream Campaign Coordinator: create_app wires the parts, nothing more."""
from __future__ import annotations

import json
from pathlib import Path
from typing import Any

from flask import Flask

ROOT = Path(__file__).resolve().parent.parent


def create_app(config: Any = None) -> Flask:
    """Build an application from a config class, object or mapping (default: the environment)."""
    from config import Config, check_config
    from coordinator import (
        api, assets, cli, compression, database, edge, errors, i18n, jobs, realtime, security, views,
    )
    from coordinator.extensions import babel, csrf, db, login_manager, migrate, socketio

    app = Flask(__name__, template_folder=str(ROOT / "templates"), static_folder=str(ROOT / "static"),
                instance_path=str(ROOT / "instance"))
    app.config.from_object(Config)
    if isinstance(config, dict):
        app.config.update(config)
    elif config is not None:
        app.config.from_object(config)
    check_config(app.config)
    Path(app.instance_path).mkdir(parents=True, exist_ok=True)  # the default SQLite file and the key live there
    security.ensure_secret_key(app)
    edge.install_settings(app)
    edge.install_upload_limits(app)  # before csrf.init_app: its check reads the form
    # Chinese text stays readable in JSON columns (and searchable as a substring). Stale PostgreSQL connections
    # (after a restart) are caught at checkout by coordinator.database without a round trip, not by a pre-ping.
    # A pool smaller than the server's threads would close and reopen connections under load (see config.py).
    uri = app.config["SQLALCHEMY_DATABASE_URI"]
    pool = {} if _in_memory(uri) else {
        "pool_size": app.config["DATABASE_POOL_SIZE"], "max_overflow": app.config["DATABASE_POOL_OVERFLOW"]}
    if uri.startswith("postgresql"):
        # Keepalives every 30 s keep a NAT's or proxy's idle timer from dropping pooled connections, and find a
        # vanished peer in about a minute (the socket then reports the error the checkout looks for); a request
        # whose bytes go unacknowledged for 20 s (the server's host gone) fails instead of waiting for good.
        pool["connect_args"] = {"keepalives": 1, "keepalives_idle": 30, "keepalives_interval": 10,
                                "keepalives_count": 3, "tcp_user_timeout": 20_000}
    app.config["SQLALCHEMY_ENGINE_OPTIONS"] = {
        "json_serializer": lambda value: json.dumps(value, ensure_ascii=False),
        **pool,
        **app.config["SQLALCHEMY_ENGINE_OPTIONS"],
    }

    database.install_engine_events(app.config["SQLITE_BUSY_TIMEOUT_MS"])
    db.init_app(app)
    app.teardown_appcontext(database.release_session)  # runs before Flask-SQLAlchemy's own, registered earlier
    migrate.init_app(app, db, directory=str(ROOT / "coordinator" / "migrations"), render_as_batch=True)
    babel.init_app(app, locale_selector=i18n.select_locale, timezone_selector=i18n.select_timezone)
    csrf.init_app(app)
    login_manager.init_app(app)
    socketio.init_app(app, async_mode=app.config["SOCKETIO_ASYNC_MODE"], message_queue=app.config["SOCKETIO_MESSAGE_QUEUE"],
                      ping_interval=app.config["SOCKETIO_PING_INTERVAL"], ping_timeout=app.config["SOCKETIO_PING_TIMEOUT"])

    errors.init_app(app)
    security.init_app(app)
    compression.init_app(app)
    assets.init_app(app)
    views.init_app(app)
    api.init_app(app)
    realtime.init_app(app)
    cli.init_app(app)
    jobs.init_app(app)
    return app


def _in_memory(url: str) -> bool:
    """An in-memory SQLite database: one connection shared by all (its static pool takes no size)."""
    from sqlalchemy.engine import make_url

    parsed = make_url(url)
    return parsed.get_backend_name() == "sqlite" and parsed.database in (None, "", ":memory:")
