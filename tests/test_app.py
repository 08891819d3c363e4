"""The factory, configuration checks, security headers and the never-a-traceback rule."""
from __future__ import annotations

import pytest

from config import TestingConfig
from coordinator import create_app
from coordinator.extensions import db


def _config(**overrides) -> dict:
    base = {key: getattr(TestingConfig, key) for key in dir(TestingConfig) if key.isupper()}
    return {**base, **overrides}


def test_the_old_public_development_secret_is_refused_everywhere():
    for env in ("production", "development"):
        with pytest.raises(RuntimeError, match="SECRET_KEY"):
            create_app(_config(ENV_NAME=env, SECRET_KEY="dev-only-secret-key-change-me"))
    with pytest.raises(RuntimeError, match="SECRET_KEY"):
        create_app(_config(ENV_NAME="production", SECRET_KEY="short", TESTING=False))
    vault = "a-real-secret-from-the-vault-0123456789"
    assert create_app(_config(ENV_NAME="production", SECRET_KEY=vault)).config["SECRET_KEY"] == vault


@pytest.mark.parametrize("setting, value", [("SCHEDULER_MODE", "sometimes"), ("COORDINATOR_TIMEZONE", "Mars/Olympus"),
                                            ("SOCKETIO_ASYNC_MODE", "eventlet")])
def test_unusable_settings_are_refused_at_start(setting, value):
    with pytest.raises(RuntimeError, match=setting):
        create_app(_config(**{setting: value}))


def test_socketio_mode_is_pinned_not_detected(app):
    import gevent  # noqa: F401 - installed (requirements.txt), so a detecting server would have picked it

    assert app.extensions["socketio"].server.eio.async_mode == "threading"


def test_gevent_on_sqlite_is_refused_because_a_lock_wait_would_stall_every_screen():
    with pytest.raises(RuntimeError, match="SOCKETIO_ASYNC_MODE=gevent needs PostgreSQL"):
        create_app(_config(SOCKETIO_ASYNC_MODE="gevent", SQLALCHEMY_DATABASE_URI="sqlite:///x.sqlite3"))


def test_gevent_outside_a_patched_process_is_refused_instead_of_stalling():
    # This test process is not patched, as a `flask` command or a gunicorn thread worker would not be.
    with pytest.raises(RuntimeError, match="needs a process gevent has patched"):
        create_app(_config(SOCKETIO_ASYNC_MODE="gevent",
                           SQLALCHEMY_DATABASE_URI="postgresql+psycopg://postgres@127.0.0.1:5432/test"))


def test_pages_and_api_carry_security_headers(client):
    for path in ("/login", "/api/v1/openapi.json", "/api/v1/me"):
        headers = client.get(path).headers
        csp = headers["Content-Security-Policy"]
        assert "default-src 'self'" in csp and "frame-ancestors 'none'" in csp and "script-src 'self'" in csp
        assert headers["X-Content-Type-Options"] == "nosniff"


@pytest.fixture
def exploding_app(app):
    """The test app with one view that fails the way a bug would."""

    def explode():
        raise ZeroDivisionError("secret internals: password=hunter2")

    app.add_url_rule("/api/v1/explode", "explode_api", explode)
    app.add_url_rule("/explode", "explode_page", explode)
    app.config["PROPAGATE_EXCEPTIONS"] = False
    return app


def test_an_unexpected_error_is_a_500_without_a_traceback(exploding_app):
    client = exploding_app.test_client()
    api = client.get("/api/v1/explode")
    assert api.status_code == 500 and api.mimetype == "application/problem+json"
    page = client.get("/explode")
    assert page.status_code == 500 and page.mimetype == "text/html"
    for response in (api, page):
        text = response.get_data(as_text=True)
        assert "hunter2" not in text and "Traceback" not in text and "ZeroDivisionError" not in text


@pytest.mark.parametrize("database_url", ["sqlite", "postgresql"], indirect=True)
def test_the_pool_keeps_a_connection_for_each_server_thread(app):
    """A connection handed back is kept for the next request, up to DATABASE_POOL_SIZE (16, gunicorn's threads):
    a smaller pool closed the surplus of every burst and reopened it at the next one, a new PostgreSQL backend
    each time, and that churn had cost a third of the webhook's single-post throughput."""
    with app.app_context():
        engine = db.engine
    connections = [engine.connect() for _ in range(app.config["DATABASE_POOL_SIZE"])]
    for connection in connections:
        connection.close()
    assert engine.pool.checkedin() == app.config["DATABASE_POOL_SIZE"]  # 16 unless the environment says otherwise
