"""Nothing acknowledged is lost: the server is killed with SIGKILL in the middle of a stream of sales."""
from __future__ import annotations

import json
import threading
import time

import pytest
import requests
from sqlalchemy import create_engine, text

from coordinator.domain.ingest import signature_for
from tests import databases
from tests.servers import ServerProcess, load_demo


def post(base: str, key_id: str, secret: str, event: dict) -> int:
    body = json.dumps(event).encode()
    stamp = str(int(time.time()))
    try:
        return requests.post(base + "/api/v1/sales", data=body, timeout=5, headers={
            "Content-Type": "application/json", "X-Coordinator-Key": key_id, "X-Coordinator-Timestamp": stamp,
            "X-Coordinator-Signature": f"sha256={signature_for(secret, stamp, body)}"}).status_code
    except requests.RequestException:
        return 0


LATEST_ID = "SELECT campaign_id FROM sale_events ORDER BY id DESC LIMIT 1"
LATEST = f"campaign_id = ({LATEST_ID})"


def stored_totals(url: str) -> tuple[int, int]:
    engine = create_engine(url)
    with engine.connect() as connection:
        # The stream's campaign is the one of the latest sale (the demo also holds last year's, with its sales).
        events = connection.execute(text(f"SELECT COALESCE(SUM(amount_fen), 0) FROM sale_events WHERE {LATEST}"
                                         )).scalar_one()
        counted = connection.execute(text("SELECT COALESCE(MAX(gross_fen), 0) FROM tally_counters WHERE scope = "
                                          f"'campaign' AND dimension = 'total' AND scope_id = ({LATEST_ID})")
                                     ).scalar_one()
    engine.dispose()
    return int(events), int(counted)


@pytest.mark.parametrize("backend", ["sqlite", "postgresql"])
def test_kill_9_loses_nothing_acknowledged_and_retries_count_once(backend, sqlite_template, tmp_path, request):
    if backend == "sqlite":
        url = databases.copy_sqlite(sqlite_template, tmp_path / "crash.sqlite3")
    else:
        if not databases.postgres_reachable():
            databases.unavailable("PostgreSQL is not reachable on 127.0.0.1:5432")
        url = databases.clone_postgres_database(request.getfixturevalue("postgres_template"))
    try:
        demo = load_demo(url)
        key_id, secret, session_id, product_id = demo.key_id, demo.secret, demo.session_id, demo.product_id
        server = ServerProcess(url).start()
        acknowledged, unanswered, stop = {}, {}, threading.Event()

        def stream() -> None:
            for n in range(100_000):
                if stop.is_set():
                    return
                event = {"id": f"crash-{n}", "kind": "order", "session_id": session_id, "product_id": product_id,
                         "quantity": 1, "amount_fen": 100 + n % 7, "occurred_at": "2026-11-11T20:00:00+08:00"}
                (acknowledged if post(server.url, key_id, secret, event) == 200 else unanswered)[event["id"]] = event

        sender = threading.Thread(target=stream)
        sender.start()
        deadline = time.monotonic() + 10
        while len(acknowledged) < 40 and time.monotonic() < deadline:
            time.sleep(0.05)  # let a real stream of posts build up
        server.kill()
        time.sleep(0.3)
        stop.set()
        sender.join()
        assert len(acknowledged) >= 40
        server.start()
        events_sum, counted = stored_totals(url)
        acked_sum = sum(e["amount_fen"] for e in acknowledged.values())
        in_flight = sum(e["amount_fen"] for e in unanswered.values())
        assert events_sum == counted  # the counters agree with the stored events
        assert acked_sum <= counted <= acked_sum + in_flight  # every acknowledged sale survived the crash
        for event in unanswered.values():  # the platform retries what got no 200
            assert post(server.url, key_id, secret, event) == 200
        for event in list(acknowledged.values())[:10]:  # and a nervous one retries some that did
            assert post(server.url, key_id, secret, event) == 200
        assert stored_totals(url) == (acked_sum + in_flight, acked_sum + in_flight)
        server.stop()
    finally:
        if backend == "postgresql":
            databases.drop_postgres_database(url)
