"""Notifications bench: messages staged into the outbox at a steady rate, each in a transaction of its own, while a
delivery worker sends them to a Standard Webhooks receiver on 127.0.0.1; then a burst staged in one transaction.

Run by hand:  .venv/bin/python bench/notify.py [--backend sqlite|postgresql|both] [--database-url URL]
                                               [--messages 10000] [--rate 100] [--burst 5000] [--channels 10]
                                               [--worker process|thread] [--profile FILE]
Reports, for the paced phase, the latency from each message's commit to its first attempt reaching the receiver
(p50, p99, max) and the rate it was staged and delivered at; for the burst, how fast the worker drained it; and
checks that every message arrived (none lost, repeats counted) and the outbox says delivered. The worker is
`flask --app wsgi deliver` in a child process (its CPU is read from /proc) or, with --worker thread, a
DeliveryWorker thread of this process (--profile then writes a cProfile of the whole run).
"""
from __future__ import annotations

import argparse
import cProfile
import os
import signal
import subprocess
import sys
import tempfile
import threading
import time
import uuid
from datetime import datetime, timedelta, timezone
from http.server import BaseHTTPRequestHandler, ThreadingHTTPServer
from pathlib import Path

ROOT = Path(__file__).resolve().parent.parent
sys.path.insert(0, str(ROOT))

from sqlalchemy import create_engine, text  # noqa: E402

from config import TestingConfig  # noqa: E402

PG_ADMIN = "postgresql+psycopg://postgres@127.0.0.1:5432/test"
GOAL_P99_S = 2.0


class Receiver:
    """Answers 200 at once and notes when each webhook-id first (and how often) arrived; checks nothing else, so
    the bench measures the coordinator, not the receiver."""

    def __init__(self) -> None:
        self.first: dict[str, float] = {}
        self.count = 0
        self.lock = threading.Lock()
        owner = self

        class Handler(BaseHTTPRequestHandler):
            protocol_version = "HTTP/1.0"

            def do_POST(self) -> None:  # noqa: N802
                self.rfile.read(int(self.headers.get("Content-Length") or 0))
                at = time.time()
                message_id = self.headers.get("webhook-id", "")
                with owner.lock:
                    owner.count += 1
                    owner.first.setdefault(message_id, at)
                self.send_response(200)
                self.send_header("Content-Length", "0")
                self.end_headers()

            def log_message(self, *args) -> None:
                pass

        class Server(ThreadingHTTPServer):
            daemon_threads = True
            request_queue_size = 256

        self.server = Server(("127.0.0.1", 0), Handler)
        self.port = self.server.server_address[1]
        threading.Thread(target=self.server.serve_forever, kwargs={"poll_interval": 0.05}, daemon=True).start()

    def arrived(self, ids) -> int:
        with self.lock:
            return sum(1 for message_id in ids if message_id in self.first)


def database(backend: str, tmp: Path) -> str:
    if backend == "sqlite":
        return f"sqlite:///{tmp / f'bench-notify-{uuid.uuid4().hex[:6]}.sqlite3'}"
    name = f"lcc_bench_{uuid.uuid4().hex[:8]}"
    with create_engine(PG_ADMIN, isolation_level="AUTOCOMMIT").connect() as connection:
        connection.execute(text(f'CREATE DATABASE "{name}"'))
    return PG_ADMIN.rsplit("/", 1)[0] + "/" + name


def drop(url: str) -> None:
    if url.startswith("postgresql"):
        name = url.rsplit("/", 1)[1]
        engine = create_engine(PG_ADMIN, isolation_level="AUTOCOMMIT")
        with engine.connect() as connection:
            connection.execute(text("SELECT pg_terminate_backend(pid) FROM pg_stat_activity WHERE datname = :n"),
                               {"n": name})
            connection.execute(text(f'DROP DATABASE IF EXISTS "{name}"'))
        engine.dispose()


def flask(url: str, *args: str) -> None:
    env = {**os.environ, "DATABASE_URL": url, "SCHEDULER_MODE": "off"}
    subprocess.run([sys.executable, "-m", "flask", "--app", "wsgi", *args], cwd=ROOT, env=env, check=True,
                   capture_output=True, text=True)


def make_app(url: str, allow: str):
    from coordinator import create_app

    config = {key: getattr(TestingConfig, key) for key in dir(TestingConfig) if key.isupper()}
    return create_app({**config, "SQLALCHEMY_DATABASE_URI": url, "SCHEDULER_MODE": "off", "NOTIFY_WORKER": "off",
                       "NOTIFY_ALLOW_PRIVATE": allow})


def channels(app, receiver_url: str, count: int) -> list[int]:
    """`count` campaigns, each with one webhook channel (made through the channels service): one notice, one
    delivery, one transaction."""
    from coordinator.edge import settings
    from coordinator.extensions import db
    from coordinator.models import Campaign
    from coordinator.services import access, accounts, channels as service

    with app.app_context():
        user = accounts.create_user(f"bench-{uuid.uuid4().hex[:6]}", "commissioner", password="bench password",
                                    is_admin=True)
        actor = access.actor_for(user)
        now = datetime.now(timezone.utc)
        ids = []
        for n in range(count):
            campaign = Campaign(name=f"bench {n}", starts_at=now - timedelta(days=1), ends_at=now + timedelta(days=9),
                                owner_id=user.id, created_by_id=user.id)
            db.session.add(campaign)
            db.session.commit()
            service.create(actor, settings(app), {"kind": "webhook", "name": f"hook {n}", "campaign_id": campaign.id,
                                                  "url": receiver_url, "locale": "en"})
            ids.append(campaign.id)
        db.session.remove()
        return ids


def _notice(campaign_id: int, n: int):
    from coordinator.domain.notices import Notice

    data = {"campaign_id": campaign_id, "status": "live", "previous": "published", "n": n}
    return Notice("campaign.status", campaign_id, data, names={"campaign": f"bench {campaign_id}"})


def _staged_ids(db) -> list[str]:
    from coordinator.models import Delivery

    return [row.message_id for row in db.session.new if isinstance(row, Delivery)]


def stage_paced(app, campaigns: list[int], messages: int, rate: float) -> tuple[dict[str, float], float]:
    """One message a transaction, `rate` a second on a fixed schedule; webhook-id -> commit time, and the seconds."""
    from coordinator.edge import settings
    from coordinator.extensions import db
    from coordinator.services import outbox

    committed: dict[str, float] = {}
    with app.app_context():
        conf = settings(app)
        began = time.time()
        for n in range(messages):
            due = began + n / rate
            pause = due - time.time()
            if pause > 0:
                time.sleep(pause)  # the schedule of the changes being made, not a wait for the worker
            outbox.stage([_notice(campaigns[n % len(campaigns)], n)], conf)
            ids = _staged_ids(db)
            db.session.commit()
            at = time.time()
            committed.update({message_id: at for message_id in ids})
        seconds = time.time() - began
        db.session.remove()
    return committed, seconds


def stage_burst(app, campaigns: list[int], messages: int) -> tuple[list[str], float]:
    """`messages` notices in one transaction; their webhook-ids and the commit time."""
    from coordinator.edge import settings
    from coordinator.extensions import db
    from coordinator.services import outbox

    from sqlalchemy import func, select

    from coordinator.models import Delivery

    with app.app_context():
        before = db.session.scalar(select(func.max(Delivery.id))) or 0
        outbox.stage([_notice(campaigns[n % len(campaigns)], n) for n in range(messages)], settings(app))
        db.session.commit()
        at = time.time()
        ids = list(db.session.scalars(select(Delivery.message_id).where(Delivery.id > before)))  # the only writer
        db.session.remove()
    return ids, at


def cpu_seconds(pid: int) -> float:
    fields = Path(f"/proc/{pid}/stat").read_text().rsplit(")", 1)[1].split()
    return (int(fields[11]) + int(fields[12])) / os.sysconf("SC_CLK_TCK")


class Worker:
    """The delivery worker under test: `flask deliver` in a child process, or a DeliveryWorker thread here."""

    def __init__(self, kind: str, url: str, allow: str, app) -> None:
        self.kind, self.process, self.thread = kind, None, None
        if kind == "process":
            env = {**os.environ, "DATABASE_URL": url, "SCHEDULER_MODE": "off", "NOTIFY_ALLOW_PRIVATE": allow,
                   "PYTHONUNBUFFERED": "1"}
            self.process = subprocess.Popen([sys.executable, "-m", "flask", "--app", "wsgi", "deliver"], cwd=ROOT,
                                            env=env, stdout=subprocess.PIPE, stderr=subprocess.STDOUT, text=True)
            self.lines: list[str] = []
            threading.Thread(target=lambda: [self.lines.append(line) for line in self.process.stdout],
                             daemon=True).start()
            deadline = time.monotonic() + 30
            while not any("Delivery worker" in line for line in self.lines):
                if self.process.poll() is not None or time.monotonic() > deadline:
                    raise SystemExit("the worker did not start:\n" + "".join(self.lines))
                time.sleep(0.05)
        else:
            from coordinator.notify.worker import DeliveryWorker, WorkerOptions

            options = WorkerOptions.from_config({**app.config, "NOTIFY_ALLOW_PRIVATE": allow})
            self.thread = DeliveryWorker(app, options).start()

    def cpu(self) -> float:
        return cpu_seconds(self.process.pid) if self.process else time.process_time()

    def stop(self) -> str:
        if self.process:
            self.process.send_signal(signal.SIGINT)
            try:
                self.process.wait(timeout=15)
            except subprocess.TimeoutExpired:
                self.process.kill()
                self.process.wait()
            return "".join(self.lines)
        self.thread.stop()
        return ""


def wait_for(receiver: Receiver, ids, seconds: float) -> bool:
    deadline = time.monotonic() + seconds
    while time.monotonic() < deadline:
        if receiver.arrived(ids) == len(ids):
            return True
        time.sleep(0.02)  # polling what the worker does on real time
    return receiver.arrived(ids) == len(ids)


def quantile(values: list[float], q: float) -> float:
    ordered = sorted(values)
    return ordered[min(len(ordered) - 1, int(q * len(ordered)))]


def run(url: str, label: str, args) -> dict:
    receiver = Receiver()
    allow = f"127.0.0.1:{receiver.port}"
    flask(url, "init-db")
    app = make_app(url, allow)
    campaigns = channels(app, f"http://127.0.0.1:{receiver.port}/hook", args.channels)
    worker = Worker(args.worker, url, allow, app)
    log = ""
    try:
        cpu_before = worker.cpu()
        committed, staged_s = stage_paced(app, campaigns, args.messages, args.rate)
        arrived_all = wait_for(receiver, committed, 60)
        paced_end = max(receiver.first.get(i, 0) for i in committed)
        cpu_paced = worker.cpu() - cpu_before
        latencies = [receiver.first[i] - at for i, at in committed.items() if i in receiver.first]
        result = {"label": label, "messages": args.messages, "staged_per_s": args.messages / staged_s,
                  "delivered_per_s": len(latencies) / (paced_end - min(committed.values())),
                  "p50": quantile(latencies, 0.5), "p99": quantile(latencies, 0.99), "max": max(latencies),
                  "lost_paced": len(committed) - len(latencies), "worker_cpu_ms": cpu_paced / args.messages * 1000}
        if args.burst:
            cpu_before = worker.cpu()
            ids, at = stage_burst(app, campaigns, args.burst)
            arrived_all &= wait_for(receiver, ids, 300)
            last = max(receiver.first.get(i, 0) for i in ids)
            result.update({"burst": args.burst, "burst_per_s": args.burst / (last - at),
                           "burst_first_s": min(receiver.first[i] for i in ids if i in receiver.first) - at,
                           "lost_burst": len(ids) - receiver.arrived(ids),
                           "burst_cpu_ms": (worker.cpu() - cpu_before) / args.burst * 1000})
        time.sleep(1.0)  # a last round or two: nothing should come again
    finally:
        log = worker.stop()
        receiver.server.shutdown()
    engine = create_engine(url)
    with engine.connect() as connection:
        states = dict(connection.execute(text("SELECT state, COUNT(*) FROM deliveries GROUP BY state")).all())
        attempts = connection.execute(text("SELECT COUNT(*) FROM delivery_attempts")).scalar_one()
    engine.dispose()
    with app.app_context():
        from coordinator.extensions import db

        db.engine.dispose()
    total = args.messages + args.burst
    result.update({"arrived_all": arrived_all, "states": states, "attempts": attempts,
                   "repeats": receiver.count - len(receiver.first), "total": total,
                   "traceback": "Traceback" in log})
    if "Traceback" in log:
        print(log[log.index("Traceback") - 300:][:3000], file=sys.stderr)
    return result


def report(r: dict) -> None:
    problems = [what for what, bad in (
        ("not every message reached the receiver", not r["arrived_all"] or r["lost_paced"] or r.get("lost_burst")),
        (f"the outbox says {r['states']}", r["states"] != {"delivered": r["total"]}),
        ("the worker logged a traceback", r["traceback"])) if bad]
    ok = not problems
    print(f"{r['label']}: {r['messages']:,} messages staged at {r['staged_per_s']:.1f}/s (one a transaction), "
          f"delivered at {r['delivered_per_s']:.1f}/s; commit to first attempt p50 {r['p50'] * 1000:.0f} ms, "
          f"p99 {r['p99'] * 1000:.0f} ms, max {r['max'] * 1000:.0f} ms "
          f"({'meets' if r['p99'] <= GOAL_P99_S else 'MISSES'} p99 <= {GOAL_P99_S:.0f} s); "
          f"worker CPU {r['worker_cpu_ms']:.2f} ms a message", flush=True)
    if "burst" in r:
        print(f"{'':{len(r['label'])}}  burst of {r['burst']:,} in one transaction drained at {r['burst_per_s']:.0f}/s "
              f"(first after {r['burst_first_s'] * 1000:.0f} ms; worker CPU {r['burst_cpu_ms']:.2f} ms a message)")
    print(f"{'':{len(r['label'])}}  outbox {r['states']}, {r['attempts']:,} attempts, {r['repeats']} repeats at the "
          f"receiver: {'no message lost' if ok else 'FAILED: ' + '; '.join(problems)}", flush=True)
    if not ok:
        raise SystemExit(1)


def main() -> None:
    parser = argparse.ArgumentParser(description=__doc__, formatter_class=argparse.RawDescriptionHelpFormatter)
    parser.add_argument("--backend", choices=["sqlite", "postgresql", "both"], default="both")
    parser.add_argument("--database-url", help="an existing database to use (migrated here; left in place)")
    parser.add_argument("--messages", type=int, default=10_000)
    parser.add_argument("--rate", type=float, default=100.0, help="messages staged a second")
    parser.add_argument("--burst", type=int, default=5_000, help="messages staged in one transaction after (0: none)")
    parser.add_argument("--channels", type=int, default=10, help="webhook channels the messages are spread over")
    parser.add_argument("--worker", choices=["process", "thread"], default="process")
    parser.add_argument("--profile", help="with --worker thread: write a cProfile of the run here")
    args = parser.parse_args()
    profiler = cProfile.Profile() if args.profile else None
    if profiler:
        profiler.enable()
    try:
        if args.database_url:
            report(run(args.database_url, args.database_url.split(":", 1)[0], args))
            return
        backends = ["sqlite", "postgresql"] if args.backend == "both" else [args.backend]
        with tempfile.TemporaryDirectory() as tmp:
            for backend in backends:
                url = database(backend, Path(tmp))
                try:
                    report(run(url, {"sqlite": "SQLite (WAL)", "postgresql": "PostgreSQL"}[backend], args))
                finally:
                    drop(url)
    finally:
        if profiler:
            profiler.disable()
            profiler.dump_stats(args.profile)


if __name__ == "__main__":
    main()
