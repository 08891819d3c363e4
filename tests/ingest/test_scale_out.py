"""Two server processes on PostgreSQL and Redis: pushes cross processes, duplicates racing through both count
once, and with Redis down sales are still stored and screens resync when it returns. Each in both deployments:
`python wsgi.py` (threading) and gunicorn's gevent worker."""
from __future__ import annotations

import json
import shutil
import subprocess
import threading
import time

import pytest
import requests
import socketio

from coordinator.domain.ingest import signature_for
from tests import databases
from tests.servers import GeventServer, ServerProcess, free_port, load_demo


class PrivateRedis:
    """A redis-server of this test's own, so stopping it disturbs nobody else."""

    def __init__(self) -> None:
        self.port = free_port()
        self.process: subprocess.Popen | None = None

    def start(self) -> None:
        self.process = subprocess.Popen([shutil.which("redis-server"), "--port", str(self.port), "--bind", "127.0.0.1",
                                         "--save", "", "--appendonly", "no"], stdout=subprocess.DEVNULL)
        deadline = time.monotonic() + 5
        while time.monotonic() < deadline:
            try:
                import redis

                redis.Redis(port=self.port).ping()
                return
            except Exception:  # noqa: BLE001 - not up yet
                time.sleep(0.05)
        raise RuntimeError("redis-server did not start")

    def stop(self) -> None:
        if self.process:
            self.process.kill()
            self.process.wait()
            self.process = None


@pytest.fixture(params=[ServerProcess, GeventServer], ids=["threading", "gevent"])
def cluster(request, sqlite_template, postgres_template):
    if not databases.postgres_reachable():
        databases.unavailable("PostgreSQL is not reachable on 127.0.0.1:5432")
    if not shutil.which("redis-server"):
        databases.unavailable("redis-server is not installed")
    url = databases.clone_postgres_database(postgres_template)
    redis_server = PrivateRedis()
    servers = []
    try:
        demo = load_demo(url)
        key, token = (demo.key_id, demo.secret), demo.api_token
        campaign_id, session_id, product_id = demo.campaign_id, demo.session_id, demo.product_id
        redis_server.start()
        queue = f"redis://127.0.0.1:{redis_server.port}/0"
        servers = [request.param(url, SOCKETIO_MESSAGE_QUEUE=queue).start() for _ in range(2)]
        yield servers, redis_server, key, token, (campaign_id, session_id, product_id), url
    finally:
        for server in servers:
            server.stop()
        redis_server.stop()
        databases.drop_postgres_database(url)


def sell(base, key, ids, order_id, amount_fen=1000):
    body = json.dumps({"id": order_id, "kind": "order", "session_id": ids[1], "product_id": ids[2], "quantity": 1,
                       "amount_fen": amount_fen, "occurred_at": "2026-11-11T20:00:00+08:00"}).encode()
    stamp = str(int(time.time()))
    return requests.post(base + "/api/v1/sales", data=body, timeout=10, headers={
        "Content-Type": "application/json", "X-Coordinator-Key": key[0], "X-Coordinator-Timestamp": stamp,
        "X-Coordinator-Signature": f"sha256={signature_for(key[1], stamp, body)}"})


def watcher(base, token, campaign_id):
    """A subscriber connected to one process, collecting the net totals it is pushed."""
    seen, client = [], socketio.Client(reconnection=True)
    client.on("tally", lambda snapshot: seen.append(snapshot["totals"]["net_fen"]), namespace="/live")
    client.connect(base, namespaces=["/live"], auth={"token": token}, transports=["websocket"], wait_timeout=10)
    ack = client.call("subscribe", {"campaign_id": campaign_id}, namespace="/live", timeout=10)
    assert ack["ok"]
    return client, seen


def wait_for(predicate, seconds=5.0):
    deadline = time.monotonic() + seconds
    while time.monotonic() < deadline:
        if predicate():
            return True
        time.sleep(0.05)  # waiting on other processes' real pushes
    return False


def test_two_processes_share_pushes_and_count_racing_duplicates_once(cluster):
    (one, two), _redis, key, token, ids, url = cluster
    client, seen = watcher(one.url, token, ids[0])
    try:
        assert sell(two.url, key, ids, "first", 1234).status_code == 200
        assert wait_for(lambda: 1234 in seen), seen  # posted to the other process, pushed here

        answers = []

        def race(base):
            for n in range(30):
                answers.append(sell(base, key, ids, f"dup-{n}", 100).json())
        threads = [threading.Thread(target=race, args=(base,)) for base in (one.url, two.url, one.url, two.url)]
        for thread in threads:
            thread.start()
        for thread in threads:
            thread.join()
        assert sum(a["accepted"] for a in answers) == 30 and sum(a["duplicates"] for a in answers) == 90
        assert wait_for(lambda: seen and seen[-1] == 1234 + 3000), seen
        totals = requests.get(two.url + f"/api/v1/campaigns/{ids[0]}/tally", timeout=5,
                              headers={"Authorization": f"Bearer {token}"}).json()["totals"]
        assert (totals["orders"], totals["net_fen"]) == (31, 4234)
    finally:
        client.disconnect()


def test_with_redis_down_sales_are_stored_and_screens_resync_when_it_returns(cluster):
    (one, two), redis_server, key, token, ids, url = cluster
    client, seen = watcher(one.url, token, ids[0])
    try:
        redis_server.stop()
        assert sell(two.url, key, ids, "during-outage", 500).status_code == 200
        redis_server.start()
        time.sleep(2.5)  # python-socketio's Redis listener reconnects on its own schedule
        assert sell(two.url, key, ids, "after-outage", 700).status_code == 200
        assert wait_for(lambda: seen and seen[-1] == 1200, 10), seen  # the full snapshot includes the outage sale
    finally:
        client.disconnect()
