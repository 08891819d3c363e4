"""Ingest throughput over real HTTP against `python wsgi.py` or gunicorn, beside a raw SQLAlchemy Core insert of the
same rows in the same run.

Run by hand:  .venv/bin/python bench/ingest.py [--backend sqlite|postgresql|both] [--server werkzeug|gunicorn|both]
                                               [--workers N] [--events 100000] [--singles 5000] [--repeat 1]
Besides the rates it prints where the CPU went during each phase: the server's processes, this client's, and the
whole machine's busy share (the client runs on the same 2 cores, so it competes with the server it measures).
"""
from __future__ import annotations

import argparse
import http.client
import json
import os
import resource
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


def process_tree(pid: int) -> list[int]:
    """A process and its descendants still running (gunicorn's master and workers)."""
    found, pending = [], [pid]
    while pending:
        current = pending.pop()
        try:
            for task in Path(f"/proc/{current}/task").iterdir():
                pending += [int(child) for child in (task / "children").read_text().split()]
        except (FileNotFoundError, ProcessLookupError):
            continue
        found.append(current)
    return found


def _ticks(pid: int) -> float:
    """CPU seconds (user + system) of a process and its children still running."""
    total = 0.0
    for current in process_tree(pid):
        try:
            fields = Path(f"/proc/{current}/stat").read_text().rsplit(")", 1)[1].split()
        except (FileNotFoundError, ProcessLookupError):
            continue
        total += (int(fields[11]) + int(fields[12])) / os.sysconf("SC_CLK_TCK")
    return total


def _machine() -> tuple[float, float]:
    """(busy, total) CPU seconds of the whole machine so far."""
    values = [int(v) for v in Path("/proc/stat").read_text().splitlines()[0].split()[1:]]
    idle = values[3] + values[4]
    return (sum(values) - idle) / os.sysconf("SC_CLK_TCK"), sum(values) / os.sysconf("SC_CLK_TCK")


class CpuMeter:
    """CPU used by the server, by this client and by the whole machine between start() and stop()."""

    def __init__(self, server_pid: int) -> None:
        self.server_pid = server_pid

    def start(self) -> None:
        self._server, self._client, self._machine = _ticks(self.server_pid), self._self(), _machine()

    @staticmethod
    def _self() -> float:
        usage = resource.getrusage(resource.RUSAGE_SELF)
        return usage.ru_utime + usage.ru_stime

    def stop(self) -> dict:
        busy, total = _machine()
        return {"server_cpu_s": _ticks(self.server_pid) - self._server, "client_cpu_s": self._self() - self._client,
                "machine_busy": (busy - self._machine[0]) / max(total - self._machine[1], 1e-9)}


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


def serve(url: str, port: int, server: str, workers: int = 1) -> subprocess.Popen:
    env = {**os.environ, "DATABASE_URL": url, "SCHEDULER_MODE": "off", "PORT": str(port), "PYTHONUNBUFFERED": "1"}
    if workers > 1:
        # Several processes share tally pushes through Redis, as in the README's scale-out setup.
        env["SOCKETIO_MESSAGE_QUEUE"] = os.environ.get("SOCKETIO_MESSAGE_QUEUE", "redis://127.0.0.1:6379/0")
    command = [sys.executable, "wsgi.py"] if server == "werkzeug" else [
        str(Path(sys.executable).parent / "gunicorn"), "-w", str(workers), "--threads", "16", "-b", f"127.0.0.1:{port}",
        "wsgi:app"]
    return start_server(command, env, f"http://127.0.0.1:{port}/api/v1/openapi.json")


def start_server(command: list[str], env: dict, probe_url: str) -> subprocess.Popen:
    """Start a server process and wait (up to 20 s) until probe_url answers."""
    process = subprocess.Popen(command, cwd=ROOT, env=env, stdout=subprocess.DEVNULL, stderr=subprocess.DEVNULL)
    for _ in range(400):
        try:
            requests.get(probe_url, timeout=5)
            return process
        except requests.RequestException:
            time.sleep(0.05)
    raise SystemExit("server did not start")


def bench(backend: str, events: int, singles: int, tmp: Path, server_kind: str, workers: int = 1) -> dict:
    url = database(backend, tmp)
    try:
        key_id, secret, session_id, products, key_row = prepare(url)
        port = 5600 + os.getpid() % 300
        server = serve(url, port, server_kind, workers)
        base = f"http://127.0.0.1:{port}"
        meter = CpuMeter(server.pid)
        try:
            batches = [json.dumps({"events": [event(n, session_id, products, "b") for n in range(i, i + 1000)]}).encode()
                       for i in range(0, events, 1000)]
            meter.start()
            batch_s = run_posts(base, batches, key_id, secret, threads=2)
            batch_cpu = meter.stop()
            single_bodies = [json.dumps(event(n, session_id, products, "s")).encode() for n in range(singles)]
            meter.start()
            single_s = run_posts(base, single_bodies, key_id, secret, threads=int(os.environ.get("BENCH_THREADS", "8")))
            single_cpu = meter.stop()
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
        label = server_kind if server_kind == "werkzeug" else f"gunicorn {workers}x16"
        return {"backend": f"{backend}/{label}", "batched_per_s": events / batch_s, "raw_core_per_s": events / raw_s,
                "ratio": (events / batch_s) / (events / raw_s), "single_per_s": singles / single_s,
                "events": events, "singles": singles,
                "batch_server_ms": batch_cpu["server_cpu_s"] / (events / 1000) * 1000,
                "batch_client_ms": batch_cpu["client_cpu_s"] / (events / 1000) * 1000,
                "batch_busy": batch_cpu["machine_busy"],
                "single_server_ms": single_cpu["server_cpu_s"] / singles * 1000,
                "single_client_ms": single_cpu["client_cpu_s"] / singles * 1000, "single_busy": single_cpu["machine_busy"]}
    finally:
        drop(url)


def main() -> None:
    parser = argparse.ArgumentParser(description=__doc__)
    parser.add_argument("--backend", choices=["sqlite", "postgresql", "both"], default="both")
    parser.add_argument("--events", type=int, default=100_000)
    parser.add_argument("--singles", type=int, default=5_000)
    parser.add_argument("--server", choices=["werkzeug", "gunicorn", "both"], default="both",
                        help="werkzeug: `python wsgi.py`; gunicorn: -w WORKERS --threads 16 (the production setup)")
    parser.add_argument("--workers", type=int, default=1, help="gunicorn worker processes (more than 1: Redis queue)")
    parser.add_argument("--repeat", type=int, default=1, help="runs of each case; the median run is printed last")
    args = parser.parse_args()
    backends = ["sqlite", "postgresql"] if args.backend == "both" else [args.backend]
    with tempfile.TemporaryDirectory() as tmp:
        servers = ["werkzeug", "gunicorn"] if args.server == "both" else [args.server]
        for backend in backends:
            for server_kind in servers:
                runs = []
                for _ in range(args.repeat):
                    runs.append(bench(backend, args.events, args.singles, Path(tmp), server_kind, args.workers))
                    report(runs[-1])
                if args.repeat > 1:
                    print("median:", end=" ")
                    report({key: (sorted(r[key] for r in runs)[len(runs) // 2] if key != "backend" else runs[0][key])
                            for key in runs[0]})


def report(result: dict) -> None:
    print(f"{result['backend']:24s} batched {result['batched_per_s']:>7,.0f} events/s | raw Core insert "
          f"{result['raw_core_per_s']:>7,.0f} rows/s | ratio {result['ratio']:.2f} | single posts "
          f"{result['single_per_s']:>5,.0f}/s  ({result['events']:,} batched, {result['singles']:,} single)\n"
          f"{'':24s} CPU per 1000-event batch: server {result['batch_server_ms']:.0f} ms, client "
          f"{result['batch_client_ms']:.0f} ms, machine busy {result['batch_busy']:.0%} | per single post: server "
          f"{result['single_server_ms']:.2f} ms, client {result['single_client_ms']:.2f} ms, machine busy "
          f"{result['single_busy']:.0%}", flush=True)


if __name__ == "__main__":
    main()
