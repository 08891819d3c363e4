"""Tally fan-out: 1,000 subscribed Socket.IO clients while sales are posted at 1,000 events/s, beside a bare
python-socketio server broadcasting to the same number of clients in the same run.

Run by hand:  .venv/bin/python bench/fanout.py [--clients 1000] [--procs 10] [--rate 1000] [--seconds 30]
                                               [--backend sqlite|postgresql] [--skip-bare]
                                               [--mode threading|gevent]   (gevent needs --backend postgresql)
Needs aiohttp (python-socketio's asyncio client): .venv/bin/pip install -r bench/requirements.txt

Layout: the server under test is its own process (gunicorn, one worker: a thread per WebSocket in threading mode,
a greenlet per WebSocket with -k gevent under --mode gevent; the bare server runs in the same mode);
the clients are --procs other processes, each holding clients/procs asyncio python-socketio AsyncClient
connections over WebSocket, each connection authenticated with a screen token and subscribed to the campaign
(CONTRACT section 4). The poster is a thread of this process posting signed batches to the real webhook.

Latency of a sale: from the 200 answer to its post (and, also shown, from the moment the post was sent) to the first
`tally` push whose totals.orders include that post's orders, at each client; all times are time.time() of the one
machine. RSS per client: the server process's RSS after every client subscribed, less its RSS before, divided by
the clients.
"""
from __future__ import annotations

import argparse
import asyncio
import json
import os
import statistics
import subprocess
import sys
import tempfile
import threading
import time
import uuid
from pathlib import Path

import requests

ROOT = Path(__file__).resolve().parent.parent
sys.path.insert(0, str(ROOT))
sys.path.insert(0, str(ROOT / "bench"))


# ----------------------------------------------------------------------------------------------- client process

async def _client_main(url: str, token: str, campaign_id: int, count: int, concurrency: int) -> None:
    import socketio

    received: list[list[tuple[float, int]]] = [[] for _ in range(count)]
    clients = []
    gate = asyncio.Semaphore(concurrency)

    async def one(index: int) -> None:
        client = socketio.AsyncClient(reconnection=False)

        @client.on("tally", namespace="/live")
        async def tally(snapshot):  # noqa: ANN001 - python-socketio handler
            received[index].append((time.time(), snapshot["totals"]["orders"]))

        async with gate:
            for attempt in range(5):
                try:
                    await client.connect(url, auth={"token": token}, namespaces=["/live"], transports=["websocket"],
                                         wait_timeout=30)
                    ack = await client.call("subscribe", {"campaign_id": campaign_id}, namespace="/live", timeout=30)
                    if not ack.get("ok"):
                        raise RuntimeError(ack)
                    received[index].append((time.time(), ack["snapshot"]["totals"]["orders"]))
                    break
                except Exception as error:  # noqa: BLE001 - retried; a refused client is reported as missing
                    await client.disconnect()
                    await asyncio.sleep(0.5 * (attempt + 1))
                    if attempt == 4:
                        print(f"client {index} failed: {error}", file=sys.stderr, flush=True)
        clients.append(client)

    await asyncio.gather(*(one(i) for i in range(count)))
    connected = sum(1 for c in clients if c.connected)
    print(json.dumps({"ready": connected}), flush=True)
    loop = asyncio.get_running_loop()
    await loop.run_in_executor(None, sys.stdin.readline)  # the parent says stop
    results = {"received": received, "connected": connected}
    await asyncio.gather(*(c.disconnect() for c in clients), return_exceptions=True)
    print(json.dumps(results), flush=True)


def client_process(args: argparse.Namespace) -> None:
    asyncio.run(_client_main(args.url, args.token, args.campaign, args.count, args.concurrency))


class ClientFleet:
    """--procs processes of asyncio clients; start() returns once every client subscribed."""

    def __init__(self, url: str, token: str, campaign_id: int, clients: int, procs: int) -> None:
        per = [clients // procs + (1 if i < clients % procs else 0) for i in range(procs)]
        self.procs = [subprocess.Popen(
            [sys.executable, __file__, "--client", "--url", url, "--token", token, "--campaign", str(campaign_id),
             "--count", str(n), "--concurrency", "10"], stdin=subprocess.PIPE, stdout=subprocess.PIPE, text=True,
            cwd=ROOT) for n in per if n]

    def wait_ready(self) -> int:
        started, ready = time.time(), 0
        for p in self.procs:
            ready += json.loads(p.stdout.readline())["ready"]
        print(f"  {ready} clients subscribed in {time.time() - started:.1f} s", flush=True)
        return ready

    def stop(self) -> list[list[tuple[float, int]]]:
        for p in self.procs:
            p.stdin.write("stop\n")
            p.stdin.flush()
        received = []
        for p in self.procs:
            received += json.loads(p.stdout.readline())["received"]
            p.wait(timeout=60)
        return received


# ----------------------------------------------------------------------------------------------- measurements

def rss_kb(pid: int) -> int:
    """Resident set of a process and its children (gunicorn's master and worker), in KiB."""
    from ingest import process_tree

    total = 0
    for current in process_tree(pid):
        try:
            status = Path(f"/proc/{current}/status").read_text()
        except (FileNotFoundError, ProcessLookupError):
            continue
        total += sum(int(line.split()[1]) for line in status.splitlines() if line.startswith("VmRSS:"))
    return total


def percentile(values: list[float], share: float) -> float:
    ordered = sorted(values)
    return ordered[min(len(ordered) - 1, int(share * len(ordered)))] if ordered else float("nan")


def latencies(received: list[list[tuple[float, int]]], marks: list[tuple[float, int]]) -> tuple[list[float], int]:
    """For every (time, orders reached) mark and every client: seconds until that client saw orders >= reached."""
    out, missing = [], 0
    for pushes in received:
        if not pushes:
            missing += len(marks)
            continue
        index = 0
        for at, reached in marks:
            while index < len(pushes) and pushes[index][1] < reached:
                index += 1
            if index == len(pushes):
                missing += 1
                continue
            out.append(pushes[index][0] - at)
    return out, missing


def summary(name: str, values: list[float], missing: int, rss_per_client: float, extra: str = "") -> None:
    print(f"{name:36s} p50 {percentile(values, 0.5) * 1000:7.0f} ms | p99 {percentile(values, 0.99) * 1000:7.0f} ms | "
          f"max {max(values, default=float('nan')) * 1000:7.0f} ms | {len(values):,} deliveries, {missing:,} missing | "
          f"RSS/client {rss_per_client:6.1f} KB {extra}", flush=True)


def start_server(command: list[str], env: dict, port: int) -> subprocess.Popen:
    from ingest import start_server as start_and_wait

    return start_and_wait(command, env, f"http://127.0.0.1:{port}/socket.io/?EIO=4&transport=polling")


def gunicorn(threads: int, port: int, app: str, mode: str = "threading") -> list[str]:
    """One gunicorn worker: a thread per connection (threading) or a greenlet per connection (gevent)."""
    worker = ["--threads", str(threads)] if mode == "threading" else ["-k", "gevent"]
    return [str(Path(sys.executable).parent / "gunicorn"), "-w", "1", *worker, "-b",
            f"127.0.0.1:{port}", "--worker-connections", str(threads + 100), "--timeout", "120", app]


# ----------------------------------------------------------------------------------------------- the two runs

def run_bare(args: argparse.Namespace, port: int) -> None:
    """A minimal python-socketio server (same threading mode and gunicorn) broadcasting a snapshot-sized payload."""
    env = {**os.environ, "PYTHONPATH": str(ROOT / "bench"), "SOCKETIO_ASYNC_MODE": args.mode}
    server = start_server(gunicorn(args.clients + 50, port, "bare_socketio:app", args.mode), env, port)
    try:
        before = rss_kb(server.pid)
        fleet = ClientFleet(f"http://127.0.0.1:{port}", "bare", 1, args.clients, args.procs)
        ready = fleet.wait_ready()
        after = rss_kb(server.pid)
        marks = requests.post(f"http://127.0.0.1:{port}/broadcast", json={"seconds": args.seconds, "hz": 4},
                              timeout=args.seconds + 60).json()["marks"]
        time.sleep(1.0)
        received = fleet.stop()
        values, missing = latencies(received, [(at, n) for at, n in marks])
        summary(f"bare python-socketio ({ready} clients)", values, missing, (after - before) / max(ready, 1),
                f"(emit to receipt, {len(marks)} broadcasts at 4/s)")
    finally:
        server.terminate()
        server.wait()


def run_app(args: argparse.Namespace, port: int, tmp: Path) -> None:
    import ingest as ingest_bench

    url = ingest_bench.database(args.backend, tmp)
    try:
        key_id, secret, session_id, products, _key_row = ingest_bench.prepare(url)
        campaign_id = _campaign_of(url, session_id)
        token = ingest_bench.flask(url, "screen-token", "--campaign", str(campaign_id))[-1].rsplit("/", 1)[1]
        env = {**os.environ, "DATABASE_URL": url, "SCHEDULER_MODE": "off", "PYTHONUNBUFFERED": "1",
               "SOCKETIO_ASYNC_MODE": args.mode}
        server = start_server(gunicorn(args.clients + 50, port, "wsgi:app", args.mode), env, port)
        base = f"http://127.0.0.1:{port}"
        try:
            post = Poster(base, key_id, secret, session_id, products)
            post.send(1)  # a first sale, so connection pools and the coalescer thread exist before RSS is read
            time.sleep(1.0)
            before = rss_kb(server.pid)
            fleet = ClientFleet(base, token, campaign_id, args.clients, args.procs)
            ready = fleet.wait_ready()
            time.sleep(2.0)
            after = rss_kb(server.pid)
            post.run(args.rate, args.batch, args.seconds, _orders_of(url, campaign_id))
            time.sleep(2.0)
            received = fleet.stop()
            after_200, missing = latencies(received, [(answered, orders) for _sent, answered, orders in post.marks])
            after_send, _ = latencies(received, [(sent, orders) for sent, _answered, orders in post.marks])
            rate = post.events / max(post.elapsed, 1e-9)
            summary(f"coordinator ({ready} clients), from 200", after_200, missing,
                    (after - before) / max(ready, 1), f"({post.events:,} events at {rate:,.0f}/s in {len(post.marks)} "
                                                      f"posts of {args.batch}; post p50 {post.p50_ms:.0f} ms)")
            summary(f"coordinator ({ready} clients), from send", after_send, missing, (after - before) / max(ready, 1))
        finally:
            server.terminate()
            server.wait()
    finally:
        ingest_bench.drop(url)


def _orders_of(url: str, campaign_id: int) -> int:
    from sqlalchemy import create_engine, text

    engine = create_engine(url)
    with engine.connect() as connection:
        orders = connection.execute(text("SELECT orders FROM tally_counters WHERE scope = 'campaign' AND scope_id = :c "
                                         "AND dimension = 'total'"), {"c": campaign_id}).scalar()
    engine.dispose()
    return orders or 0


def _campaign_of(url: str, session_id: int) -> int:
    from sqlalchemy import create_engine, text

    engine = create_engine(url)
    with engine.connect() as connection:
        campaign_id = connection.execute(text("SELECT campaign_id FROM live_sessions WHERE id = :s"),
                                         {"s": session_id}).scalar_one()
    engine.dispose()
    return campaign_id


class Poster:
    """Posts signed batches of orders on a fixed schedule and notes when each was sent and answered."""

    def __init__(self, base: str, key_id: str, secret: str, session_id: int, products: list[int]) -> None:
        import http.client

        host, port = base.removeprefix("http://").split(":")
        self.connection = http.client.HTTPConnection(host, int(port), timeout=60)
        self.key_id, self.secret, self.session_id, self.products = key_id, secret, session_id, products
        self.prefix, self.sent_events = uuid.uuid4().hex[:6], 0
        self.marks: list[tuple[float, float, int]] = []
        self.durations: list[float] = []
        self.events, self.elapsed = 0, 0.0

    def send(self, count: int) -> tuple[float, float]:
        import ingest as ingest_bench

        events = [{"id": f"{self.prefix}-{self.sent_events + n}", "kind": "order", "session_id": self.session_id,
                   "product_id": self.products[n % len(self.products)], "quantity": 1, "amount_fen": 580,
                   "occurred_at": time.strftime("%Y-%m-%dT%H:%M:%SZ", time.gmtime())} for n in range(count)]
        self.sent_events += count
        body = json.dumps({"events": events}).encode()
        sent = time.time()
        for attempt in range(2):
            try:
                self.connection.request("POST", "/api/v1/sales", body=body,
                                        headers=ingest_bench.signed(self.key_id, self.secret, body))
                response = self.connection.getresponse()
                answer = response.read()
                break
            except (ConnectionError, OSError):  # gunicorn closed the idle keep-alive connection: open another
                self.connection.close()
                if attempt:
                    raise
                sent = time.time()
        answered = time.time()
        if response.status != 200:
            raise SystemExit(f"post failed: {response.status} {answer[:300]!r}")
        return sent, answered

    def run(self, rate: float, batch: int, seconds: float, orders: int) -> None:
        """Post for `seconds`; `orders` is the campaign's order count before the first post."""
        interval, posts = batch / rate, int(seconds * rate / batch)
        started = time.time()
        for k in range(posts):
            due = started + k * interval
            if due > time.time():
                time.sleep(due - time.time())
            sent, answered = self.send(batch)
            orders += batch
            self.marks.append((sent, answered, orders))
            self.durations.append(answered - sent)
        self.events, self.elapsed = posts * batch, time.time() - started

    @property
    def p50_ms(self) -> float:
        return statistics.median(self.durations) * 1000 if self.durations else float("nan")


def main() -> None:
    parser = argparse.ArgumentParser(description=__doc__, formatter_class=argparse.RawDescriptionHelpFormatter)
    parser.add_argument("--clients", type=int, default=1000)
    parser.add_argument("--procs", type=int, default=10, help="client processes")
    parser.add_argument("--rate", type=float, default=1000, help="events posted a second")
    parser.add_argument("--batch", type=int, default=50, help="events per post")
    parser.add_argument("--seconds", type=float, default=30)
    parser.add_argument("--backend", choices=["sqlite", "postgresql"], default="sqlite")
    parser.add_argument("--skip-bare", action="store_true")
    parser.add_argument("--mode", choices=["threading", "gevent"], default="threading",
                        help="the servers' async mode: gunicorn --threads, or gunicorn -k gevent")
    parser.add_argument("--client", action="store_true", help=argparse.SUPPRESS)
    parser.add_argument("--url", help=argparse.SUPPRESS)
    parser.add_argument("--token", help=argparse.SUPPRESS)
    parser.add_argument("--campaign", type=int, help=argparse.SUPPRESS)
    parser.add_argument("--count", type=int, help=argparse.SUPPRESS)
    parser.add_argument("--concurrency", type=int, default=10, help=argparse.SUPPRESS)
    args = parser.parse_args()
    if args.mode == "gevent" and args.backend != "postgresql" and not args.client:
        parser.error("--mode gevent needs --backend postgresql (the coordinator refuses gevent on SQLite)")
    if args.client:
        client_process(args)
        return
    port = 5700 + os.getpid() % 200
    print(f"{args.clients} clients in {args.procs} processes, {args.rate:,.0f} events/s for {args.seconds:.0f} s, "
          f"server: {' '.join(gunicorn(args.clients + 50, port, 'wsgi:app', args.mode)[1:7])} ({args.mode} mode), "
          f"backend {args.backend}", flush=True)
    if not args.skip_bare:
        run_bare(args, port)
    with tempfile.TemporaryDirectory() as tmp:
        run_app(args, port + 1, Path(tmp))


if __name__ == "__main__":
    main()
