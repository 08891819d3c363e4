"""Reconciliation bench: a 200,000-row platform export compared with 200,000 stored sales, on SQLite and PostgreSQL.

Run by hand:  .venv/bin/python bench/reconcile.py [--backend sqlite|postgresql|both] [--rows 200000]
(bench/report.py runs it too, after the report's own figures.)

A live campaign of 20 sessions × 10 products gets its sales through the webhook's own write path
(`ingest.store`, batches of 1000). The export holds `rows` orders: 1% at another amount (different), 1% never
posted (missing here), 0.5% naming a session the campaign lacks (unknown); 2,000 more stored sales are not in it
(missing there). Each file (CSV, then XLSX) is reconciled in a fresh process, so its peak RSS is the upload's own
(the interpreter and the app included); then the missing orders are applied. Goal: ≤ 30 s and ≤ 500 MB.
"""
from __future__ import annotations

import argparse
import csv
import io
import json
import resource
import subprocess
import sys
import tempfile
import time
from datetime import datetime, timedelta, timezone
from pathlib import Path

ROOT = Path(__file__).resolve().parent.parent
sys.path.insert(0, str(ROOT))

from bench.samples_import import database, drop  # noqa: E402
from config import TestingConfig  # noqa: E402

GOAL_S, GOAL_MB = 30.0, 500
HEADER = ["订单编号", "类型", "直播场次ID", "商品ID", "购买数量", "实付金额", "下单时间"]
START = datetime(2026, 11, 11, 12, tzinfo=timezone.utc)


def make_app(url: str, migrate: bool = True):
    """The app on the bench's database (migrated first, unless a parent process did)."""
    from coordinator import create_app
    from tests import databases

    if migrate:
        databases.migrate(url)
    config = {key: getattr(TestingConfig, key) for key in dir(TestingConfig) if key.isupper()}
    return create_app({**config, "SQLALCHEMY_DATABASE_URI": url, "SCHEDULER_MODE": "off", "NOTIFY_WORKER": "off"})


def _order(i: int, sessions: list[int], products: list[int]) -> dict:
    return {"id": f"TB{i:09d}", "kind": "order", "session_id": sessions[i % len(sessions)],
            "product_id": products[i % len(products)], "quantity": 1 + i % 3, "amount_fen": 3990 * (1 + i % 3),
            "occurred_at": (START + timedelta(seconds=i % 36000)).isoformat()}


def load(app, rows: int) -> tuple[int, str, list[dict]]:
    """The campaign, its key, the stored sales; the export's rows (as the platform has them)."""
    from coordinator.extensions import db
    from coordinator.models import Campaign, County, LineupItem, LiveSession, Product, Streamer
    from coordinator.schemas.sales import SaleEventIn
    from coordinator.services import access, accounts, ingest, keys

    with app.app_context():
        admin = access.actor_for(accounts.create_user("chief", "commissioner", "correct horse battery",
                                                      is_admin=True))
        county = County(name="宜君县", province="陕西省")
        db.session.add(county)
        db.session.flush()
        products = [Product(county_id=county.id, name=f"宜君苹果{i}", sku=f"AP{i}", category="fruit", price_fen=3990,
                            stock=10**6) for i in range(10)]
        host = Streamer(handle="xiaomei", display_name="小美", platform="taobao", followers=10**6, categories=["fruit"])
        campaign = Campaign(name="双十一对账", starts_at=START - timedelta(days=1), ends_at=START + timedelta(days=2),
                            status="live")
        db.session.add_all([*products, host, campaign])
        db.session.flush()
        sessions = []
        for s in range(20):
            session = LiveSession(campaign_id=campaign.id, streamer_id=host.id, status="live",
                                  starts_at=START + timedelta(hours=s), ends_at=START + timedelta(hours=s + 1))
            session.lineup = [LineupItem(product_id=p.id, position=i) for i, p in enumerate(products)]
            db.session.add(session)
            sessions.append(session)
        db.session.commit()
        session_ids, product_ids, campaign_id = [s.id for s in sessions], [p.id for p in products], campaign.id
        key, secret = keys.create_ingest_key(admin, "淘宝直播", [campaign_id])
        signed = ingest.SignedBy(key.id, secret)
        exported, stored = [], []
        for i in range(rows + 2000):
            sale = _order(i, session_ids, product_ids)
            if i >= rows:  # stored, not in the export: missing there
                stored.append(sale)
                continue
            row = dict(sale)
            if i % 100 == 1:  # never posted: missing here
                pass
            elif i % 200 == 2:
                row["session_id"] = 999_999  # a session the campaign lacks: unknown
            else:
                stored.append(sale)
                if i % 100 == 0:
                    row["amount_fen"] += 100  # the platform's amount differs
            exported.append(row)
        db.session.remove()
        started = time.perf_counter()
        for start in range(0, len(stored), 1000):
            ingest.store(signed, [SaleEventIn(**s) for s in stored[start:start + 1000]], batch=True)
        print(f"  stored {len(stored):,} sales in {time.perf_counter() - started:.1f} s", flush=True)
        return campaign_id, key.key_id, exported


def files(exported: list[dict], tmp: Path) -> dict[str, Path]:
    """The export as the platform's CSV and XLSX (yuan, local times, its own headers)."""
    from openpyxl import Workbook

    def cells(row):
        local = datetime.fromisoformat(row["occurred_at"]).astimezone(timezone(timedelta(hours=8)))
        return [row["id"], "订单", row["session_id"], row["product_id"], row["quantity"], row["amount_fen"] / 100,
                local.strftime("%Y-%m-%d %H:%M:%S")]

    out = io.StringIO()
    writer = csv.writer(out)
    writer.writerow(HEADER)
    writer.writerows(cells(row) for row in exported)
    (tmp / "export.csv").write_bytes(out.getvalue().encode("utf-8-sig"))
    book = Workbook(write_only=True)
    sheet = book.create_sheet()
    sheet.append(HEADER)
    for row in exported:
        sheet.append(cells(row))
    book.save(tmp / "export.xlsx")
    return {"CSV": tmp / "export.csv", "XLSX": tmp / "export.xlsx"}


def measure(url: str, path: str, key_id: str, campaign_id: int, apply: bool) -> dict:
    """In this fresh process: one upload (and an apply), its time and this process's peak RSS."""
    from coordinator.extensions import db
    from coordinator.models import User
    from coordinator.services import access, reconcile, reconcile_apply
    from coordinator.edge import settings

    app = make_app(url, migrate=False)
    with app.app_context():
        admin = access.actor_for(db.session.query(User).filter_by(username="chief").one())
        data = Path(path).read_bytes()
        started = time.perf_counter()
        rec = reconcile.upload(admin, settings(app), campaign_id, key_id, Path(path).name, data)
        seconds = time.perf_counter() - started
        summary = {k: getattr(rec, k) for k in ("rows", "matched", "missing_here", "missing_there", "different",
                                                "unknown", "invalid")}
        applied = None
        if apply:
            started = time.perf_counter()
            result = reconcile_apply.apply(admin, rec.id).value
            applied = {"accepted": result.accepted, "duplicates": result.duplicates,
                       "seconds": round(time.perf_counter() - started, 2)}
    return {"seconds": round(seconds, 2), "rss_mb": resource.getrusage(resource.RUSAGE_SELF).ru_maxrss // 1024,
            "summary": summary, "applied": applied, "bytes": len(data)}


def run(backend: str, rows: int) -> list[dict]:
    """Load, write both files, reconcile each in a fresh process; the figures."""
    with tempfile.TemporaryDirectory() as folder:
        tmp = Path(folder)
        url = database(backend, tmp)
        try:
            campaign_id, key_id, exported = load(make_app(url), rows)
            paths = files(exported, tmp)
            del exported
            results = []
            for label, path in paths.items():
                args = [sys.executable, __file__, "--measure", url, str(path), key_id, str(campaign_id)]
                if label == "CSV":
                    args.append("--apply")
                answer = subprocess.run(args, capture_output=True, text=True)
                if answer.returncode:
                    raise SystemExit(f"{backend} {label} failed:\n{answer.stderr[-3000:]}")
                results.append({"backend": backend, "file": label, **json.loads(answer.stdout.strip().splitlines()[-1])})
            return results
        finally:
            drop(url)


def table(results: list[dict]) -> str:
    """The figures as a markdown table."""
    lines = ["| database | file | size | rows | reconcile s | peak RSS | matched / different / missing here / "
             "missing there / unknown | apply (stored, s) | goal |", "|---|---|---|---|---|---|---|---|---|"]
    for r in results:
        s, a = r["summary"], r["applied"]
        ok = r["seconds"] <= GOAL_S and r["rss_mb"] <= GOAL_MB
        applied = f"{a['accepted']:,} in {a['seconds']} s" if a else "–"
        lines.append(f"| {r['backend']} | {r['file']} | {r['bytes'] / 2**20:.1f} MiB | {s['rows']:,} | {r['seconds']} "
                     f"| {r['rss_mb']} MB | {s['matched']:,} / {s['different']:,} / {s['missing_here']:,} / "
                     f"{s['missing_there']:,} / {s['unknown']:,} | "
                     f"{applied} | {'met' if ok else 'MISSED'} |")
    return "\n".join(lines)


def main() -> None:
    """Parse the arguments and run (or, with --measure, be the fresh process that reconciles)."""
    parser = argparse.ArgumentParser(description=__doc__.split("\n")[0])
    parser.add_argument("--backend", choices=("sqlite", "postgresql", "both"), default="both")
    parser.add_argument("--rows", type=int, default=200_000)
    parser.add_argument("--measure", nargs=4, metavar=("URL", "FILE", "KEY_ID", "CAMPAIGN_ID"))
    parser.add_argument("--apply", action="store_true")
    args = parser.parse_args()
    if args.measure:
        url, path, key_id, campaign_id = args.measure
        print(json.dumps(measure(url, path, key_id, int(campaign_id), args.apply)))
        return
    backends = ("sqlite", "postgresql") if args.backend == "both" else (args.backend,)
    results = [r for backend in backends for r in run(backend, args.rows)]
    print(table(results))


if __name__ == "__main__":
    main()
