"""Redis stopped and restarted under a sustained stream of sales into two server processes (PostgreSQL, Socket.IO
over Redis). tests/ingest/test_scale_out.py covers one sale across an outage; this one keeps posting through it:
every post is answered 200 promptly, the totals are exact afterwards on both processes, and the screens on both
catch up to them once Redis is back, without reconnecting."""
from __future__ import annotations

import itertools
import shutil
import threading
import time

import pytest
import requests

from tests import databases
from tests.ingest.test_scale_out import PrivateRedis, sell, watcher
from tests.servers import ServerProcess, load_demo


@pytest.fixture
def cluster(postgres_template):
    if not databases.postgres_reachable():
        databases.unavailable("PostgreSQL is not reachable on 127.0.0.1:5432")
    if not shutil.which("redis-server"):
        databases.unavailable("redis-server is not installed")
    url = databases.clone_postgres_database(postgres_template)
    redis_server = PrivateRedis()  # never the machine's shared Redis
    servers: list[ServerProcess] = []
    try:
        demo = load_demo(url)
        redis_server.start()
        queue = f"redis://127.0.0.1:{redis_server.port}/0"
        servers = [ServerProcess(url, SOCKETIO_MESSAGE_QUEUE=queue).start() for _ in range(2)]
        yield servers, redis_server, demo
    finally:
        for server in servers:
            server.stop()
        redis_server.stop()
        databases.drop_postgres_database(url)


def test_sales_stream_through_a_redis_restart_exact_totals_and_screens_catch_up(cluster):
    servers, redis_server, demo = cluster
    key, ids = (demo.key_id, demo.secret), (demo.campaign_id, demo.session_id, demo.product_id)
    screens = [watcher(server.url, demo.api_token, demo.campaign_id) for server in servers]
    answers: list[tuple[int, float, int]] = []  # (status, seconds, amount)
    numbers, stop = itertools.count(), threading.Event()

    def post(base: str) -> None:
        n = next(numbers)
        amount = 100 + n % 13
        started = time.monotonic()
        try:
            status = sell(base, key, ids, f"redis-{n}", amount).status_code
        except requests.RequestException:
            status = 0
        answers.append((status, time.monotonic() - started, amount))

    def stream(base: str) -> None:
        while not stop.is_set():
            post(base)

    def tally(base: str) -> dict:
        return requests.get(f"{base}/api/v1/campaigns/{demo.campaign_id}/tally", timeout=5,
                            headers={"Authorization": f"Bearer {demo.api_token}"}).json()["totals"]

    try:
        before = tally(servers[0].url)
        workers = [threading.Thread(target=stream, args=(server.url,)) for server in servers]
        for worker in workers:
            worker.start()
        try:
            deadline = time.monotonic() + 15
            while len(answers) < 40 and time.monotonic() < deadline:
                time.sleep(0.05)  # a real stream builds up
            redis_server.stop()
            down_from = len(answers)
            time.sleep(1.5)  # Redis is down under load
            down_posts = len(answers) - down_from
            redis_server.start()
            time.sleep(1.0)  # and back, under load
        finally:
            stop.set()
            for worker in workers:
                worker.join()
        assert down_posts > 0, "no sale was posted while Redis was down"
        assert {status for status, _s, _a in answers} == {200}, [a for a in answers if a[0] != 200][:5]
        assert max(seconds for _st, seconds, _a in answers) < 3.0  # nothing hung waiting for Redis

        # Screens catch up with the next sales once each process's Redis listener is back.
        deadline = time.monotonic() + 15
        while time.monotonic() < deadline:
            post(servers[len(answers) % 2].url)
            net = tally(servers[0].url)["net_fen"]
            if all(seen and seen[-1] == net for _client, seen in screens):
                break
            time.sleep(0.5)  # the other processes reconnect to Redis on their own schedule
        assert {status for status, _s, _a in answers} == {200}
        totals = [tally(server.url) for server in servers]
        sold = sum(amount for _status, _s, amount in answers)
        assert totals[0] == totals[1]  # both processes read the same, exact totals: each sale once
        assert (totals[0]["orders"], totals[0]["net_fen"]) == (before["orders"] + len(answers), before["net_fen"] + sold)
        assert [seen[-1] if seen else None for _c, seen in screens] == [totals[0]["net_fen"]] * 2
    finally:
        for client, _seen in screens:
            client.disconnect()
