"""Web security across every route: CSRF on every state-changing form, security headers, no secret in the logs."""
from __future__ import annotations

import time

import pytest
import requests

from coordinator.domain.ingest import signature_for
from coordinator.extensions import db
from tests import databases
from tests.access.effects import dump
from tests.access.matrix import MUTATING, csrf_token, logged_in, page_clients, url
from tests.access.routes import ROUTES
from tests.access.world import build
from tests.servers import ServerProcess, load_demo


@pytest.fixture
def app_config():
    return {"WTF_CSRF_ENABLED": True}


def test_every_state_changing_page_refuses_a_post_without_its_csrf_token(app, clock):
    with app.app_context():
        world = build()
    people = {actor: logged_in(app, actor) for actor in ("owner", "admin", "host")}
    with app.app_context():
        before = dump()
    posts = [route for route in ROUTES if route.method in MUTATING and not route.rule_path.startswith("/api/")]
    assert len(posts) > 40
    for route in posts:
        for actor, client in people.items():
            with app.app_context():
                body = route.form(world, actor) if route.form else {"name": "x"}
            response = client.post(url(route, world), data=body)
            assert response.status_code == 400, (route.key, actor, response.status_code)
    with app.app_context():
        db.session.remove()
        assert dump() == before


def test_the_api_called_from_a_logged_in_page_needs_the_csrf_token_too(app, clock):
    with app.app_context():
        build()
    owner = logged_in(app, "owner")
    campaign = {"name": "x", "starts_at": "2026-12-01T00:00:00+08:00", "ends_at": "2026-12-02T00:00:00+08:00"}
    assert owner.post("/api/v1/campaigns", json=campaign).status_code == 400
    token = csrf_token(owner.get("/campaigns/new").get_data(as_text=True))
    assert owner.post("/api/v1/campaigns", json=campaign, headers={"X-CSRFToken": token}).status_code == 201


def test_every_answer_carries_the_security_headers(app, clock):
    with app.app_context():
        world = build()
    clients = page_clients(app)
    gets = [route for route in ROUTES if route.method == "GET"]
    for route in gets:
        target = url(route, world)
        headers = {"Authorization": f"Bearer {world.tokens['owner']}"} if target.startswith("/api/") else {}
        response = clients["owner"].get(target, headers=headers)
        rule = route.key
        csp = response.headers.get("Content-Security-Policy", "")
        assert "frame-ancestors 'none'" in csp and "script-src 'self'" in csp and "unsafe-inline" not in csp, rule
        assert response.headers.get("X-Content-Type-Options") == "nosniff", rule
        assert response.headers.get("Referrer-Policy") == "same-origin", rule


def test_the_server_log_names_no_password_token_or_secret(sqlite_template, tmp_path):
    url = databases.copy_sqlite(sqlite_template, tmp_path / "logs.sqlite3")
    demo = load_demo(url)
    secrets = {"api token": demo.api_token, "ingest secret": demo.secret,
               "screen token": demo.screen_path.rsplit("/", 1)[1], "password": "one-more-agri-2026"}
    server = ServerProcess(url).start()
    try:
        browser = requests.Session()
        token = csrf_token(browser.get(server.url + "/login").text)
        assert browser.post(server.url + "/login", data={"username": "commissioner", "password": secrets["password"],
                                                         "csrf_token": token}, allow_redirects=False).status_code == 302
        assert requests.get(server.url + demo.screen_path).status_code == 200
        assert requests.get(server.url + demo.screen_path + "/series.json").status_code == 200
        assert requests.get(server.url + "/api/v1/me",
                            headers={"Authorization": f"Bearer {demo.api_token}"}).status_code == 200
        body = ('{"id": "log-1", "kind": "order", "session_id": %d, "product_id": %d, "quantity": 1, '
                '"amount_fen": 100, "occurred_at": "2026-11-11T20:00:00+08:00"}' % (demo.session_id, demo.product_id))
        stamp = str(int(time.time()))
        signature = signature_for(demo.secret, stamp, body.encode())
        secrets["signature"] = signature
        assert requests.post(server.url + "/api/v1/sales", data=body, headers={
            "X-Coordinator-Key": demo.key_id, "X-Coordinator-Timestamp": stamp, "Content-Type": "application/json",
            "X-Coordinator-Signature": f"sha256={signature}"}).status_code == 200
    finally:
        output = server.stop()
    assert "GET /screen/[redacted]" in output  # the access log still shows what was asked for
    leaked = [name for name, value in secrets.items() if value in output]
    assert leaked == [], f"the server log shows the {', '.join(leaked)}"
