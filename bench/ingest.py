"""Ingest throughput over real HTTP against `python wsgi.py`, beside a raw SQLAlchemy Core insert of the same rows.

Run by hand:  .venv/bin/python bench/ingest.py [--backend sqlite|postgresql|both] [--events 100000]
"""
from __future__ import annotations

import argparse
import http.client
import json
import os
import subprocess
import sys
import tempfile
import threading
import time
import uuid
from pathlib import Path

import requests
from sqlalchemy import create_engine, insert, text

ROOT = Path(__file__).resolve().parent.parent
sys.path.insert(0, str(ROOT))

from coordinator.domain.ingest import signature_for  # noqa: E402
from coordinator.models import SaleEvent  # noqa: E402

PG_ADMIN = "postgresql+psycopg://postgres@127.0.0.1:5432/test"


def flask(url: str, *args: str) -> list[str]:
    env = {**os.environ, "DATABASE_URL": url, "SCHEDULER_MODE": "off"}
    out = subprocess.run([sys.executable, "-m", "flask", "--app", "wsgi", *args], cwd=ROOT, env=env, check=True,
                         capture_output=True, text=True)
    return out.stdout.splitlines()


def database(backend: str, tmp: Path) -> str:
    if backend == "sqlite":
        return f"sqlite:///{tmp / f'bench-{uuid.uuid4().hex[:6]}.sqlite3'}"
    name = f"lcc_bench_{uuid.uuid4().hex[:8]}"
    with create_engine(PG_ADMIN, isolation_level="AUTOCOMMIT").connect() as connection:
        connection.execute(text(f'CREATE DATABASE "{name}"'))
    return PG_ADMIN.rsplit("/", 1)[0] + "/" + name


def drop(url: str) -> None:
    if url.startswith("postgresql"):
        name = url.rsplit("/", 1)[1]
        with create_engine(PG_ADMIN, isolation_level="AUTOCOMMIT").connect() as connection:
            connection.execute(text("SELECT pg_terminate_backend(pid) FROM pg_stat_activity WHERE datname = :n"), {"n": name})
            connection.execute(text(f'DROP DATABASE IF EXISTS "{name}"'))


def prepare(url: str) -> tuple[str, str, int, list[int], int]:
    flask(url, "init-db")
    lines = flask(url, "demo")
    key_id, secret = next(line for line in lines if line.startswith("Ingest key:")).split()[-2:]
    engine = create_engine(url)
    with engine.connect() as connection:
        session_id, campaign_id = connection.execute(text(
            "SELECT id, campaign_id FROM live_sessions WHERE status = 'live' LIMIT 1")).one()
        products = [row[0] for row in connection.execute(text(
            "SELECT product_id FROM lineup_items WHERE session_id = :s"), {"s": session_id})]
        key_row = connection.execute(text("SELECT id FROM ingest_keys WHERE key_id = :k"), {"k": key_id}).scalar_one()
    engine.dispose()
    return key_id, secret, session_id, products, key_row


def event(n: int, session_id: int, products: list[int], prefix: str) -> dict:
    return {"id": f"{prefix}-{n}", "kind": "order" if n % 20 else "refund", "session_id": session_id,
            "product_id": products[n % len(products)], "quantity": 1 + n % 3, "amount_fen": 580 * (1 + n % 3),
            "occurred_at": "2026-11-11T20:00:00+08:00"}


def signed(key_id: str, secret: str, body: bytes) -> dict:
    stamp = str(int(time.time()))
    return {"Content-Type": "application/json", "X-Coordinator-Key": key_id, "X-Coordinator-Timestamp": stamp,
            "X-Coordinator-Signature": f"sha256={signature_for(secret, stamp, body)}"}


def run_posts(base: str, bodies: list[bytes], key_id: str, secret: str, threads: int) -> float:
    """Post every body with `threads` clients; returns seconds taken. Every answer must be 200."""
    queue, failures, lock = list(reversed(bodies)), [], threading.Lock()

    host, port = base.removeprefix("http://").split(":")

    def worker() -> None:
        # http.client with keep-alive: a light client, so the bench measures the server, not `requests`.
        connection = http.client.HTTPConnection(host, int(port), timeout=60)
        while True:
            with lock:
                if not queue:
                    return
                body = queue.pop()
            connection.request("POST", "/api/v1/sales", body=body, headers=signed(key_id, secret, body))
            response = connection.getresponse()
            answer = response.read()
            if response.status != 200:
                failures.append(answer.decode(errors="replace"))
    started = time.perf_counter()
    pool = [threading.Thread(target=worker) for _ in range(threads)]
    for thread in pool:
        thread.start()
    for thread in pool:
        thread.join()
    if failures:
        raise SystemExit(f"{len(failures)} posts failed, e.g. {failures[0][:300]}")
    return time.perf_counter() - started


def raw_core(url: str, rows: list[dict]) -> float:
    """The same rows through a bare SQLAlchemy Core insert, 500 a transaction, into a fresh table copy."""
    engine = create_engine(url)
    started = time.perf_counter()
    for start in range(0, len(rows), 500):
        with engine.begin() as connection:
            connection.execute(insert(SaleEvent), rows[start:start + 500])
    seconds = time.perf_counter() - started
    engine.dispose()
    return seconds


def serve(url: str, port: int, server: str) -> subprocess.Popen:
    env = {**os.environ, "DATABASE_URL": url, "SCHEDULER_MODE": "off", "PORT": str(port), "PYTHONUNBUFFERED": "1"}
    command = [sys.executable, "wsgi.py"] if server == "werkzeug" else [
        str(Path(sys.executable).parent / "gunicorn"), "-w", "1", "--threads", "16", "-b", f"127.0.0.1:{port}", "wsgi:app"]
    process = subprocess.Popen(command, cwd=ROOT, env=env, stdout=subprocess.DEVNULL, stderr=subprocess.DEVNULL)
    for _ in range(200):
        try:
            requests.get(f"http://127.0.0.1:{port}/api/v1/openapi.json", timeout=5)
            return process
        except requests.RequestException:
            time.sleep(0.05)
    raise SystemExit("server did not start")


def bench(backend: str, events: int, singles: int, tmp: Path, server_kind: str) -> dict:
    url = database(backend, tmp)
    try:
        key_id, secret, session_id, products, key_row = prepare(url)
        port = 5600 + os.getpid() % 300
        server = serve(url, port, server_kind)
        base = f"http://127.0.0.1:{port}"
        try:
            batches = [json.dumps({"events": [event(n, session_id, products, "b") for n in range(i, i + 1000)]}).encode()
                       for i in range(0, events, 1000)]
            batch_s = run_posts(base, batches, key_id, secret, threads=2)
            single_bodies = [json.dumps(event(n, session_id, products, "s")).encode() for n in range(singles)]
            single_s = run_posts(base, single_bodies, key_id, secret, threads=int(os.environ.get("BENCH_THREADS", "8")))
        finally:
            server.terminate()
            server.wait()
        rows = [{"ingest_key_id": key_row, "order_id": f"raw-{n}", "kind": "order", "campaign_id": 1,
                 "session_id": session_id, "product_id": products[n % len(products)], "county_id": 1, "streamer_id": 1,
                 "quantity": 1, "amount_fen": 580, "occurred_at": __import__("datetime").datetime.now(
                     __import__("datetime").timezone.utc)} for n in range(events)]
        raw_s = raw_core(url, rows)
        engine = create_engine(url)
        with engine.connect() as connection:
            orders = connection.execute(text("SELECT orders FROM tally_counters WHERE scope='campaign' AND "
                                             "dimension='total'")).scalar_one()
        engine.dispose()
        expected_orders = sum(1 for n in range(events) if n % 20) + sum(1 for n in range(singles) if n % 20)
        assert orders == expected_orders, (orders, expected_orders)
        return {"backend": f"{backend}/{server_kind}", "batched_per_s": events / batch_s, "raw_core_per_s": events / raw_s,
                "ratio": (events / batch_s) / (events / raw_s), "single_per_s": singles / single_s,
                "events": events, "singles": singles}
    finally:
        drop(url)


def main() -> None:
    parser = argparse.ArgumentParser(description=__doc__)
    parser.add_argument("--backend", choices=["sqlite", "postgresql", "both"], default="both")
    parser.add_argument("--events", type=int, default=100_000)
    parser.add_argument("--singles", type=int, default=5_000)
    parser.add_argument("--server", choices=["werkzeug", "gunicorn", "both"], default="both",
                        help="werkzeug: `python wsgi.py`; gunicorn: -w 1 --threads 16 (the production setup)")
    args = parser.parse_args()
    backends = ["sqlite", "postgresql"] if args.backend == "both" else [args.backend]
    with tempfile.TemporaryDirectory() as tmp:
        servers = ["werkzeug", "gunicorn"] if args.server == "both" else [args.server]
        for backend in backends:
            for server_kind in servers:
                result = bench(backend, args.events, args.singles, Path(tmp), server_kind)
                print(f"{result['backend']:20s} batched {result['batched_per_s']:>9,.0f} events/s | raw Core insert "
                      f"{result['raw_core_per_s']:>9,.0f} rows/s | ratio {result['ratio']:.2f} | single posts "
                      f"{result['single_per_s']:>6,.0f}/s  ({result['events']:,} batched, {result['singles']:,} single)")


if __name__ == "__main__":
    main()
