"""Shipping import bench: a county office's sheet of 1,000 approved samples, previewed and then shipped through the
real API (POST /api/v1/campaigns/{id}/samples/shipments), on SQLite and PostgreSQL.

Run by hand:  .venv/bin/python bench/samples_import.py [--backend sqlite|postgresql|both] [--rows 1000] [--runs 3]
For each run a fresh campaign gets `rows` approved samples (250 hosts × 4 products of two counties, each host with a
shipping address, the campaign with a group webhook so every shipment stages its message). Three files are sent:
a clean CSV and a clean XLSX (dry_run=true, then all_or_nothing), and a CSV with 5% bad rows (unknown samples,
requested ones, wrong carriers or numbers, repeats; dry_run, then valid_rows). Printed: wall time of each
request, its CPU time in this process (which the machine's other load inflates less) and the SQL statements it ran;
it checks that every valid row shipped and every bad one was named.
"""
from __future__ import annotations

import argparse
import io
import statistics
import sys
import tempfile
import time
import uuid
from datetime import timedelta
from pathlib import Path

ROOT = Path(__file__).resolve().parent.parent
sys.path.insert(0, str(ROOT))

from openpyxl import Workbook  # noqa: E402
from sqlalchemy import create_engine, event, text  # noqa: E402

from config import TestingConfig  # noqa: E402

PG_ADMIN = "postgresql+psycopg://postgres@127.0.0.1:5432/test"
GOAL_S = 5.0
CARRIERS = (("顺丰", "SF{:013d}"), ("zto", "{:012d}"), ("EMS", "{:013d}"), ("京东", "JD{:013d}"))


def database(backend: str, tmp: Path) -> str:
    if backend == "sqlite":
        return f"sqlite:///{tmp / f'bench-samples-{uuid.uuid4().hex[:6]}.sqlite3'}"
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


def make_app(url: str):
    from coordinator import create_app
    from tests import databases

    databases.migrate(url)
    config = {key: getattr(TestingConfig, key) for key in dir(TestingConfig) if key.isupper()}
    return create_app({**config, "SQLALCHEMY_DATABASE_URI": url, "SCHEDULER_MODE": "off", "NOTIFY_WORKER": "off"})


def campaign_with_samples(app, rows: int, run: int) -> tuple[int, list[int], list[int], str]:
    """A published campaign of the admin's with `rows` approved samples and 20 requested ones; their ids, a token."""
    from coordinator import clock
    from coordinator.extensions import db
    from coordinator.models import (Campaign, CampaignProduct, CampaignStreamer, Channel, County, Pairing, Product,
                                    Sample, ShippingAddress, Streamer)
    from coordinator.services import access, accounts

    with app.app_context():
        user = accounts.create_user(f"chief{run}", "commissioner", "correct horse battery", is_admin=True)
        token = accounts.issue_api_token(access.actor_for(user), "bench")[1]
        now = clock.now()
        counties = [County(name=f"县{run}-{i}", province="陕西省") for i in range(2)]
        db.session.add_all(counties)
        db.session.flush()
        products = [Product(county_id=counties[i % 2].id, name=f"样品{run}-{i}", sku=f"B{run}-{i}", category="fruit",
                            price_fen=2990, stock=5000, is_agricultural=True) for i in range(4)]
        hosts = [Streamer(handle=f"h{run}_{i:04d}", display_name=f"主播{i}", platform="douyin", followers=1000,
                          categories=["fruit"], manager_id=user.id) for i in range(rows // 4 + 5)]
        campaign = Campaign(name=f"双十一{run}", status="published", owner_id=user.id, starts_at=now,
                            ends_at=now + timedelta(days=10))
        db.session.add_all([*products, *hosts, campaign])
        db.session.flush()
        db.session.add(Channel(kind="webhook", name="县域群", campaign_id=campaign.id, url="https://hooks.example.com/c",
                               secret="whsec_" + "A" * 32, created_by_id=user.id))
        db.session.add_all([CampaignProduct(campaign_id=campaign.id, product_id=p.id) for p in products])
        db.session.add_all([CampaignStreamer(campaign_id=campaign.id, streamer_id=h.id) for h in hosts])
        db.session.add_all([ShippingAddress(streamer_id=h.id, recipient="王", phone="138", address="宜君县1号")
                            for h in hosts])
        pairs = [(h, p) for h in hosts for p in products][:rows + 20]
        pairings = [Pairing(campaign_id=campaign.id, streamer_id=h.id, product_id=p.id, status="accepted",
                            source="manual", reasons=[]) for h, p in pairs]
        db.session.add_all(pairings)
        db.session.flush()
        samples = [Sample(campaign_id=campaign.id, pairing_id=pairing.id, streamer_id=pairing.streamer_id,
                          product_id=pairing.product_id, status="approved" if i < rows else "requested",
                          requested_at=now, approved_at=now if i < rows else None)
                   for i, pairing in enumerate(pairings)]
        db.session.add_all(samples)
        db.session.commit()
        return campaign.id, [s.id for s in samples[:rows]], [s.id for s in samples[rows:]], token


def lines(sample_ids: list[int]) -> list[list]:
    """A good row for each sample: the carriers in turn, each number in its carrier's form."""
    return [[sample_id, CARRIERS[i % 4][0], CARRIERS[i % 4][1].format(sample_id)]
            for i, sample_id in enumerate(sample_ids)]


def spoiled(rows: list[list], requested: list[int]) -> tuple[list[list], int]:
    """Every 20th row broken one of five ways; how many rows are bad."""
    out, bad = [], 0
    for i, row in enumerate(rows):
        if i % 20 == 19:
            kind = (i // 20) % 5
            row = [[9_000_000 + i, *row[1:]], [requested[(i // 100) % len(requested)], *row[1:]],
                   [row[0], "顺风", row[2]], [row[0], "sf", "YT123"], None][kind]
            if row is None:  # a repeat of the row before, which stays good
                row = list(out[-1])
            bad += 1
        out.append(row)
    return out, bad


def as_csv(rows: list[list]) -> bytes:
    return "\n".join(["样品编号,快递公司,快递单号", *(",".join(str(c) for c in row) for row in rows)]).encode("utf-8-sig")


def as_xlsx(rows: list[list]) -> bytes:
    book = Workbook()
    book.active.append(["样品编号", "快递公司", "快递单号"])
    for row in rows:
        book.active.append(row)
    out = io.BytesIO()
    book.save(out)
    return out.getvalue()


class Statements:
    """Counts the SQL statements the engine runs."""

    def __init__(self, engine) -> None:
        self.count = 0
        event.listen(engine, "before_cursor_execute", self._seen)

    def _seen(self, *args) -> None:
        self.count += 1


def post(app, counter, campaign_id: int, token: str, data: bytes, filename: str,
         **query) -> tuple[dict, tuple[float, float], int]:
    """One request: its answer, (wall, CPU) seconds, and the SQL statements it ran."""
    client = app.test_client()
    before = counter.count
    started, cpu = time.perf_counter(), time.process_time()
    response = client.post(f"/api/v1/campaigns/{campaign_id}/samples/shipments", query_string=query,
                           headers={"Authorization": f"Bearer {token}"},
                           data={"file": (io.BytesIO(data), filename)}, content_type="multipart/form-data")
    elapsed = (time.perf_counter() - started, time.process_time() - cpu)
    assert response.status_code == 200, response.get_json()
    return response.get_json(), elapsed, counter.count - before


def shipped(app, sample_ids: list[int]) -> int:
    from coordinator.extensions import db
    from coordinator.models import Sample

    with app.app_context():
        return db.session.query(Sample).filter(Sample.id.in_(sample_ids), Sample.status == "shipped").count()


def run(url: str, label: str, rows: int, runs: int) -> list[tuple]:
    app = make_app(url)
    from coordinator.extensions import db

    with app.app_context():
        counter = Statements(db.engine)
    results: dict[str, list[tuple[tuple[float, float], int]]] = {}
    for number in range(runs):
        for case in ("csv", "xlsx", "bad csv"):
            campaign_id, ids, requested, token = campaign_with_samples(app, rows, f"{number}{case[0]}{len(case)}")
            good = lines(ids)
            data, bad = (spoiled(good, requested) if case == "bad csv" else (good, 0))
            payload = as_xlsx(data) if case == "xlsx" else as_csv(data)
            name = "ship.xlsx" if case == "xlsx" else "ship.csv"
            preview, preview_s, preview_q = post(app, counter, campaign_id, token, payload, name, dry_run="true")
            assert preview["valid_rows"] == rows - bad and len(preview["bad_rows"]) == bad, preview["bad_rows"]
            mode = "valid_rows" if bad else "all_or_nothing"
            report, import_s, import_q = post(app, counter, campaign_id, token, payload, name, mode=mode)
            assert report["imported"] == rows - bad and shipped(app, ids) == rows - bad
            results.setdefault(f"{case} preview", []).append((preview_s, preview_q))
            results.setdefault(f"{case} preview+import", []).append((import_s, import_q))
    table = []
    for case, figures in results.items():
        walls, cpus = [t[0] for t, _q in figures], [t[1] for t, _q in figures]
        table.append((label, case, statistics.median(walls), max(walls), statistics.median(cpus), figures[0][1]))
    return table


def main() -> None:
    parser = argparse.ArgumentParser(description=__doc__.splitlines()[0])
    parser.add_argument("--backend", choices=("sqlite", "postgresql", "both"), default="both")
    parser.add_argument("--rows", type=int, default=1000)
    parser.add_argument("--runs", type=int, default=3)
    args = parser.parse_args()
    backends = ("sqlite", "postgresql") if args.backend == "both" else (args.backend,)
    table = []
    with tempfile.TemporaryDirectory() as tmp:
        for backend in backends:
            url = database(backend, Path(tmp))
            try:
                table += run(url, "SQLite" if backend == "sqlite" else "PostgreSQL", args.rows, args.runs)
            finally:
                drop(url)
    print(f"\n{args.rows} rows, {args.runs} runs each; goal: preview + import under {GOAL_S:.0f} s\n")
    print("| backend | file | request | wall s (median) | wall s (max) | CPU s of this process (median) "
          "| SQL statements |")
    print("| --- | --- | --- | --- | --- | --- | --- |")
    for label, case, median, worst, cpu, statements in table:
        file, request = case.rsplit(" ", 1)
        print(f"| {label} | {file} | {request} | {median:.2f} | {worst:.2f} | {cpu:.2f} | {statements:,} |")
    worst = max(row[3] for row in table if row[1].endswith("import"))
    print(f"\nslowest preview + import: {worst:.2f} s ({'within' if worst < GOAL_S else 'OVER'} the goal)")


if __name__ == "__main__":
    main()
