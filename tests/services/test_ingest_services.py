"""Sales ingest, the sales simulator and the demo, used by services alone (no request, settings injected)."""
from __future__ import annotations

import json
import random
import threading
from http.server import BaseHTTPRequestHandler, HTTPServer

import pytest

from coordinator import clock
from coordinator.domain.access_facts import SYSTEM
from coordinator.domain.errors import InvalidInput, NotAuthenticated
from coordinator.domain.events import TalliesChanged
from coordinator.domain.ingest import signature_for
from coordinator.extensions import db
from coordinator.models import Campaign, LiveSession, SaleEvent
from coordinator.services import demo, ingest, ingest_parse, ingest_sql, keys, simulator
from tests.services.conftest import actor


def _order(env, order_id: str, session: str = "SS_host") -> dict:
    return {"id": order_id, "kind": "order", "session_id": env.ids[session], "product_id": env.ids["PA1"],
            "quantity": 2, "amount_fen": 5980, "occurred_at": "2026-11-11T20:00:00+08:00"}


def _signed(key_id: str, secret: str, body: bytes):
    stamp = str(int(clock.now().timestamp()))
    signed = ingest.authenticate(key_id, stamp, f"sha256={signature_for(secret, stamp, body)}", body)
    db.session.commit()  # outside a request every transaction takes SQLite's write lock: end it before the webhook's
    return signed


def test_a_scoped_key_stores_its_campaigns_sales_once_and_nothing_elsewhere(env):
    key, secret = keys.create_ingest_key(actor(env, "owner"), "淘宝", [env.ids["C"]])
    key_id = key.key_id
    body = json.dumps({"events": [_order(env, "o-1"), _order(env, "o-1")]}).encode()
    events, batch = ingest_parse.parse_events(body)
    result = ingest.store(_signed(key_id, secret, body), events, batch)
    assert (result.accepted, result.duplicates) == (1, 1)
    assert result.events == [TalliesChanged(frozenset({("campaign", env.ids["C"]), ("session", env.ids["SS_host"])}))]
    elsewhere = json.dumps(_order(env, "o-2", "SS_other")).encode()
    with pytest.raises(InvalidInput):
        ingest.store(_signed(key_id, secret, elsewhere), *ingest_parse.parse_events(elsewhere))
    assert db.session.query(SaleEvent).count() == 1
    with pytest.raises(NotAuthenticated):
        ingest.authenticate(key_id, "1", "sha256=00", body)
    ingest.forget_keys()


def test_the_ingest_sql_reads_and_writes_on_the_databases_own_connection(env):
    key, secret = keys.create_ingest_key(SYSTEM, "抖音")
    key_row_id, now = key.id, clock.now()
    db.session.commit()
    connection = db.engine.raw_connection()
    cursor = connection.cursor()
    try:
        if db.engine.dialect.name == "sqlite":
            rows = ingest_sql.read_facts_sqlite(cursor, key_row_id, secret, [env.ids["SS_host"]], now)
            assert {row[5] for row in rows} == {env.ids["PA1"], env.ids["PB1"]}
            assert ingest_sql.sqlite_time(now).endswith(".000000")
            event = ingest_parse.parse_events(json.dumps(_order(env, "raw-1")).encode())[0][0]
            facts = ingest.facts_for_events(rows, [event], False)
            assert ingest_sql.store_sqlite(cursor, key_row_id, [("raw-1", (event, facts[0]))], now) == ["raw-1"]
        else:
            connection.driver_connection.autocommit = True
            event = ingest_parse.parse_events(json.dumps(_order(env, "raw-1")).encode())[0][0]
            outcome = ingest_sql.store_postgresql(cursor, key_row_id, secret, [event], now)
            assert outcome.stored and outcome.inserted == ["raw-1"]
        connection.commit()
    finally:
        cursor.close()
        connection.close()
    assert db.session.query(SaleEvent).filter_by(order_id="raw-1").count() == 1


class _Receiver(BaseHTTPRequestHandler):
    """A sales webhook stand-in on 127.0.0.1 that counts the events it is sent."""

    received: list[int] = []

    def do_POST(self):  # noqa: N802 - http.server's name
        self.received.append(len(json.loads(self.rfile.read(int(self.headers["Content-Length"])))["events"]))
        self.send_response(200)
        self.end_headers()

    def log_message(self, *args):
        pass


def test_the_simulator_posts_signed_batches_into_live_sessions(env):
    db.session.get(LiveSession, env.ids["SS_host"]).status = "live"
    db.session.commit()
    shelves = simulator.shelves(env.ids["C"])
    assert shelves[0].session_id == env.ids["SS_host"]
    batch = simulator.make_events(random.Random(1), shelves, 25, [0], "t")
    assert len(batch) == 25 and all(e["session_id"] == env.ids["SS_host"] for e in batch)
    _Receiver.received = []
    server = HTTPServer(("127.0.0.1", 0), _Receiver)
    threading.Thread(target=server.serve_forever, daemon=True).start()
    url = f"http://127.0.0.1:{server.server_port}"
    try:
        assert simulator.post(url, "ik_x", "secret", batch) == 200
        outcome = simulator.run(url, "ik_x", "secret", shelves, rate=40, seconds=0.3, report=lambda line: None,
                                seed=2)
    finally:
        server.shutdown()
    assert outcome["statuses"] == {200: len(_Receiver.received) - 1} and sum(_Receiver.received) == 25 + outcome["events"]
    assert simulator.post("http://127.0.0.1:9", "ik_x", "secret", batch) == 0  # nobody listening


def test_the_demo_loads_in_the_injected_zone(env, settings):
    logins = demo.load(settings)
    assert demo.campaign_id() == logins.campaign_id
    campaign = db.session.get(Campaign, logins.campaign_id)
    assert campaign.starts_at.astimezone(settings.zone).hour == 0  # midnight in New York, not Shanghai
    assert campaign.owner_id is not None and logins.ingest_key.startswith("ik_")


def test_the_demo_robot_is_one_channel_of_the_demo_campaign_however_often_it_is_added(env, settings):
    from dataclasses import replace

    from coordinator.domain.destinations import AllowList
    from coordinator.models import Channel

    local = replace(settings, allow_private=AllowList.parse("127.0.0.1:5081"))
    logins = demo.load(local)
    first = demo.add_robot(local, "http://127.0.0.1:5081/cgi-bin/webhook/send?key=demo")
    again = demo.add_robot(local, "http://127.0.0.1:5081/cgi-bin/webhook/send?key=demo2")
    assert again.id == first.id and again.url.endswith("key=demo2") and again.campaign_id == logins.campaign_id
    assert db.session.query(Channel).filter_by(campaign_id=logins.campaign_id).count() == 1
