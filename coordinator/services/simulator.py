"""Realistic signed orders and refunds posted through the real webhook, so a demo screen moves."""
from __future__ import annotations

import json
import random
import time
import urllib.error
import urllib.request
from dataclasses import dataclass
from datetime import datetime, timezone

from sqlalchemy import select

from coordinator.domain.enums import SessionStatus
from coordinator.domain.ingest import signature_for
from coordinator.extensions import db
from coordinator.models import LineupItem, LiveSession, Product

REFUND_SHARE = 0.05
BATCHES_PER_SECOND = 4


@dataclass(frozen=True)
class Shelf:
    """A session and the products it sells, with their prices."""

    session_id: int
    products: tuple[tuple[int, int], ...]


def shelves(campaign_id: int) -> list[Shelf]:
    """The campaign's sessions that can take sales, live ones first."""
    sessions = db.session.scalars(select(LiveSession).where(
        LiveSession.campaign_id == campaign_id, LiveSession.status != SessionStatus.CANCELLED.value)
        .order_by(LiveSession.status != SessionStatus.LIVE.value, LiveSession.starts_at)).all()
    prices = dict(db.session.execute(select(Product.id, Product.price_fen)).all())
    out = []
    for session in sessions:
        items = db.session.scalars(select(LineupItem.product_id).where(LineupItem.session_id == session.id)).all()
        if items:
            out.append(Shelf(session.id, tuple((pid, prices[pid]) for pid in items)))
    return out


def make_events(rng: random.Random, shelf_list: list[Shelf], count: int, serial: list[int], run: str) -> list[dict]:
    """Orders with a few refunds of earlier orders; live sessions get most of the traffic."""
    events = []
    for _ in range(count):
        shelf = shelf_list[0] if rng.random() < 0.7 else rng.choice(shelf_list)
        product_id, price = rng.choice(shelf.products)
        quantity = rng.choices((1, 2, 3, 5), weights=(70, 18, 8, 4))[0]
        serial[0] += 1
        refund = serial[0] > 20 and rng.random() < REFUND_SHARE
        events.append({"id": f"sim-{run}-{serial[0]}", "kind": "refund" if refund else "order",
                       "session_id": shelf.session_id, "product_id": product_id, "quantity": 1 if refund else quantity,
                       "amount_fen": price if refund else price * quantity,
                       "occurred_at": datetime.now(timezone.utc).isoformat()})
    return events


def post(url: str, key_id: str, secret: str, events: list[dict]) -> int:
    """Sign and post one batch; returns the HTTP status."""
    body = json.dumps({"events": events}).encode()
    stamp = str(int(time.time()))
    request = urllib.request.Request(url.rstrip("/") + "/api/v1/sales", data=body, method="POST", headers={
        "Content-Type": "application/json", "X-Coordinator-Key": key_id, "X-Coordinator-Timestamp": stamp,
        "X-Coordinator-Signature": f"sha256={signature_for(secret, stamp, body)}"})
    try:
        with urllib.request.urlopen(request, timeout=10) as response:
            return response.status
    except urllib.error.HTTPError as error:
        return error.code
    except OSError:
        return 0


def run(url: str, key_id: str, secret: str, shelf_list: list[Shelf], rate: float, seconds: float,
        report=print, seed: int | None = None) -> dict:
    """Post about `rate` events a second for `seconds` seconds, in four batches a second."""
    rng, serial, run_id = random.Random(seed), [0], f"{int(time.time())}{random.randrange(1000):03d}"
    started, sent, statuses = time.monotonic(), 0, {}
    while time.monotonic() - started < seconds:
        due = int(rate * (time.monotonic() - started + 1 / BATCHES_PER_SECOND)) - sent
        if due > 0:
            status = post(url, key_id, secret, make_events(rng, shelf_list, min(due, 1000), serial, run_id))
            statuses[status] = statuses.get(status, 0) + 1
            sent += min(due, 1000)
            if status != 200:
                report(f"post answered {status or 'nothing (is the server up?)'}")
        time.sleep(1 / BATCHES_PER_SECOND)  # pacing real traffic against a real server
    return {"events": sent, "statuses": statuses}
