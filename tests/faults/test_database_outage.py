"""The database briefly unavailable. PostgreSQL: the server's connections are terminated and refused for a moment
while sales are posted and pages read. SQLite: another connection holds the write lock past the busy timeout.
Requests in the outage get a 503 with Retry-After (problem+json for the API, a page for people), never a 500;
the very next requests succeed without a restart; every sale answered 200 is counted exactly once."""
from __future__ import annotations

import itertools
import json
import sqlite3
import threading
import time

import pytest
import requests
from flask import request
from sqlalchemy import text

from coordinator.domain.ingest import signature_for
from coordinator.extensions import db
from coordinator.domain.access_facts import SYSTEM
from coordinator.services import screen_links
from tests import databases
from tests.faults.helpers import Outage, totals, utcnow
from tests.ingest.helpers import event, open_shop, post_sales
from tests.servers import ServerProcess, load_demo


def sell(base: str, key_id: str, secret: str, payload: dict) -> requests.Response | None:
    body = json.dumps(payload).encode()
    stamp = str(int(time.time()))
    try:
        return requests.post(base + "/api/v1/sales", data=body, timeout=10, headers={
            "Content-Type": "application/json", "X-Coordinator-Key": key_id, "X-Coordinator-Timestamp": stamp,
            "X-Coordinator-Signature": f"sha256={signature_for(secret, stamp, body)}"})
    except requests.RequestException as error:
        FAILURES.append(repr(error))
        return None


FAILURES: list[str] = []


def assert_unavailable(response: requests.Response, problem: bool) -> None:
    """A clear 503: Retry-After, problem+json for the API or a friendly page, no traceback either way."""
    assert response.status_code == 503, (response.status_code, response.text[:500])
    assert int(response.headers["Retry-After"]) > 0
    assert "Traceback" not in response.text and "sqlalchemy" not in response.text.lower()
    assert "psycopg" not in response.text.lower() and "sqlite" not in response.text.lower()
    if problem:
        assert response.headers["Content-Type"].startswith("application/problem+json")
        body = response.json()
        assert body["status"] == 503 and body["title"] and body["detail"]
    else:
        assert response.headers["Content-Type"].startswith("text/html")
        assert "<html" in response.text.lower()


def test_postgresql_connections_cut_under_load_503_then_recovers_counting_each_sale_once(sqlite_template,
                                                                                         postgres_template):
    if not databases.postgres_reachable():
        databases.unavailable("PostgreSQL is not reachable on 127.0.0.1:5432")
    url = databases.clone_postgres_database(postgres_template)
    server = None
    try:
        demo = load_demo(url)
        server = ServerProcess(url).start()
        auth = {"Authorization": f"Bearer {demo.api_token}"}
        acknowledged, refused, answers, pages, stop = {}, {}, [], [], threading.Event()

        def order(n: int) -> dict:
            return {"id": f"outage-{n}", "kind": "order", "session_id": demo.session_id, "product_id": demo.product_id,
                    "quantity": 1, "amount_fen": 100 + n % 11, "occurred_at": "2026-11-11T20:00:00+08:00"}

        numbers = itertools.count()

        def stream() -> None:
            while not stop.is_set():
                sale = order(next(numbers))
                response = sell(server.url, demo.key_id, demo.secret, sale)
                answers.append(response)
                (acknowledged if response is not None and response.status_code == 200 else refused)[sale["id"]] = sale

        def browse() -> None:
            while not stop.is_set():
                for path, headers in ((demo.screen_path, {}), (f"/api/v1/campaigns/{demo.campaign_id}/tally", auth),
                                      (f"/api/v1/sessions/{demo.session_id}", auth)):
                    try:
                        pages.append((path, requests.get(server.url + path, headers=headers, timeout=10)))
                    except requests.RequestException as error:
                        FAILURES.append(repr(error))
                        pages.append((path, None))

        workers = [threading.Thread(target=stream), threading.Thread(target=stream), threading.Thread(target=browse)]
        for worker in workers:
            worker.start()
        outage = Outage(url)
        try:
            deadline = time.monotonic() + 15
            while len(acknowledged) < 30 and time.monotonic() < deadline:
                time.sleep(0.05)  # let a real stream of posts build up
            outage.begin()
            during = len(answers)
            time.sleep(1.5)  # the outage: PostgreSQL refuses this database for a moment
        finally:
            outage.end()
        time.sleep(1.0)  # and the stream goes on after it
        stop.set()
        for worker in workers:
            worker.join()

        assert None not in answers and all(response is not None for _path, response in pages), (FAILURES, server.stop()[-3000:])
        assert {response.status_code for response in answers} <= {200, 503}, \
            [(r.status_code, r.text[:300]) for r in answers if r.status_code not in (200, 503)]
        unavailable = [response for response in answers if response.status_code == 503]
        assert unavailable and len(answers) > during, "the outage never reached a request"
        for response in unavailable:
            assert_unavailable(response, problem=True)
        for path, response in pages:
            assert response.status_code in (200, 503), (path, response.status_code, response.text[:300])
            if response.status_code == 503:
                assert_unavailable(response, problem=path.startswith("/api/"))

        # The very next requests succeed, without a restart.
        assert sell(server.url, demo.key_id, demo.secret, order(10**6)).status_code == 200
        acknowledged[order(10**6)["id"]] = order(10**6)
        for path, headers in ((demo.screen_path, {}), (f"/api/v1/campaigns/{demo.campaign_id}/tally", auth)):
            assert requests.get(server.url + path, headers=headers, timeout=10).status_code == 200
        assert answers[-1].status_code == 200  # the stream had recovered on its own before it stopped

        acked = sum(sale["amount_fen"] for sale in acknowledged.values())
        maybe = sum(sale["amount_fen"] for sale in refused.values())
        stored, _count, counted = totals(url)
        assert stored == counted and acked <= counted <= acked + maybe  # every 200 counted, counters agree
        for sale in refused.values():  # the platform retries what was refused
            assert sell(server.url, demo.key_id, demo.secret, sale).status_code == 200
        assert totals(url) == (acked + maybe, len(acknowledged) + len(refused), acked + maybe)  # once each
        log = server.stop()
        # No request failed unhandled. (SQLAlchemy's pool may still log "Exception during reset" with a traceback
        # when the ingest path hands back a connection the outage killed; the pool then discards it.)
        assert "unhandled error" not in log, log[-5000:]
        assert "database unavailable on POST /api/v1/sales" in log  # operators see what happened, in one line
        assert "lcc_screen_" not in log  # and no screen token, even in error lines
    finally:
        if server is not None:
            server.stop()
        databases.drop_postgres_database(url)


@pytest.fixture
def clock():
    """Real time: the webhook checks signatures' timestamps against it."""
    return utcnow


@pytest.mark.parametrize("database_url", ["sqlite"], indirect=True)
@pytest.mark.parametrize("app_config", [{"SQLITE_BUSY_TIMEOUT_MS": 300}])
def test_sqlite_write_lock_held_past_the_busy_timeout_503_then_recovers(app, client, database_url, app_config):
    with app.app_context():
        shop = open_shop(utcnow())
    assert post_sales(client, shop, event(shop, "before", amount_fen=100)).status_code == 200
    path = database_url.removeprefix("sqlite:///")
    holder = sqlite3.connect(path, isolation_level=None)
    batch = {"events": [event(shop, f"locked-{n}", amount_fen=1000) for n in range(3)]}
    try:
        holder.execute("BEGIN IMMEDIATE")  # another process writing, for longer than the busy timeout
        holder.execute("UPDATE counties SET name = name")
        started = time.monotonic()
        response = post_sales(client, shop, batch)
        assert time.monotonic() - started >= 0.25  # it waited for the lock first
        assert response.status_code == 503, response.get_data(as_text=True)[:500]
        assert response.mimetype == "application/problem+json" and int(response.headers["Retry-After"]) > 0
        assert response.get_json()["status"] == 503
        page = client.post("/login", data={"username": "nobody", "password": "wrong"})
        assert page.status_code in (200, 401, 503), page.status_code  # a page that writes: no 500 either
        if page.status_code == 503:
            assert page.mimetype == "text/html" and int(page.headers["Retry-After"]) > 0
            assert "Traceback" not in page.get_data(as_text=True)
        # Readers are not blocked in WAL mode, and the batch left nothing behind.
        reader = sqlite3.connect(path)
        assert reader.execute("SELECT COUNT(*) FROM sale_events").fetchone() == (1,)
        reader.close()
    finally:
        holder.execute("ROLLBACK")
        holder.close()
    again = post_sales(client, shop, batch)
    assert again.status_code == 200 and again.get_json() == {"accepted": 3, "duplicates": 0}
    assert post_sales(client, shop, batch).get_json() == {"accepted": 0, "duplicates": 3}
    assert totals(database_url) == (3100, 4, 3100)


@pytest.mark.parametrize("database_url", ["postgresql"], indirect=True)
def test_connection_cut_after_the_page_was_built_still_answers_the_page(app, client):
    """PostgreSQL drops the connection between the view's last query and the end of the request: the reader
    still gets the page it was built, and the next request gets a fresh connection (was a bare 500)."""
    with app.app_context():
        shop = open_shop(utcnow())
        _row, token = screen_links.create_screen_token(SYSTEM, shop.campaign_id, "war room")
    cut: list[int] = []

    @app.after_request
    def cut_the_connection(response):
        if request.path.startswith("/screen/") and not cut:
            pid = db.session.execute(text("SELECT pg_backend_pid()")).scalar_one()
            Outage(app.config["SQLALCHEMY_DATABASE_URI"]).terminate(pid)
            cut.append(pid)
        return response

    page = client.get(f"/screen/{token}")
    assert cut and page.status_code == 200 and "双十一" in page.get_data(as_text=True)
    again = client.get(f"/screen/{token}")  # a new connection from the pool, not the dead one
    assert again.status_code == 200 and "双十一" in again.get_data(as_text=True)
