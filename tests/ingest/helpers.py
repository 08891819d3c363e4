"""A campaign with a live session to sell into, and a signed poster like the sales platform's."""
from __future__ import annotations

import json
import time
from dataclasses import dataclass
from datetime import datetime, timezone

from coordinator.domain.ingest import signature_for
from coordinator.extensions import db
from coordinator.models import Campaign, CampaignProduct, CampaignStreamer, County, LineupItem, LiveSession, Product, Streamer
from coordinator.services import keys
from coordinator.domain.access_facts import SYSTEM


@dataclass
class Shop:
    """Ids of what a test sells, and the ingest key to sign with."""

    campaign_id: int
    session_id: int
    apple_id: int
    grits_id: int
    other_product_id: int
    county_id: int
    streamer_id: int
    key_id: str
    secret: str


def open_shop(now: datetime) -> Shop:
    """A campaign with one session whose lineup is apples and grits (the other product is not in it)."""
    county = County(name="宜君县", province="陕西省")
    db.session.add(county)
    db.session.flush()
    apple = Product(county_id=county.id, name="宜君苹果", sku="YJ-APPLE", category="fruit", price_fen=3990, stock=1000)
    grits = Product(county_id=county.id, name="玉米糁", sku="YJ-GRITS", category="grain", price_fen=580, stock=9000)
    other = Product(county_id=county.id, name="礼盒", sku="YJ-GIFT", category="gift", price_fen=9900, stock=10)
    host = Streamer(handle="xiaomei", display_name="宜君小美", platform="taobao", followers=52000, categories=["fruit"])
    campaign = Campaign(name="双十一", starts_at=datetime(2026, 11, 1, tzinfo=timezone.utc),
                        ends_at=datetime(2026, 11, 30, tzinfo=timezone.utc), status="live")
    db.session.add_all([apple, grits, other, host, campaign])
    db.session.flush()
    db.session.add_all([CampaignProduct(campaign_id=campaign.id, product_id=p.id) for p in (apple, grits, other)]
                       + [CampaignStreamer(campaign_id=campaign.id, streamer_id=host.id)])
    session = LiveSession(campaign_id=campaign.id, streamer_id=host.id, starts_at=now, ends_at=now.replace(hour=23),
                          status="live")
    session.lineup = [LineupItem(product_id=apple.id, position=0), LineupItem(product_id=grits.id, position=1)]
    db.session.add(session)
    db.session.commit()
    key, secret = keys.create_ingest_key(SYSTEM, "taobao")
    return Shop(campaign.id, session.id, apple.id, grits.id, other.id, county.id, host.id, key.key_id, secret)


def event(shop: Shop, order_id: str, kind: str = "order", product: str = "apple", quantity: int = 1,
          amount_fen: int = 3990, **over) -> dict:
    """One sale event as the platform sends it."""
    product_id = {"apple": shop.apple_id, "grits": shop.grits_id, "other": shop.other_product_id}[product]
    return {"id": order_id, "kind": kind, "session_id": shop.session_id, "product_id": product_id, "quantity": quantity,
            "amount_fen": amount_fen, "occurred_at": "2026-11-11T20:00:00+08:00", **over}


def signed_headers(shop: Shop, body: bytes, timestamp: int | None = None, secret: str | None = None) -> dict:
    """The three headers of CONTRACT section 3."""
    stamp = str(int(time.time()) if timestamp is None else timestamp)
    return {"X-Coordinator-Key": shop.key_id, "X-Coordinator-Timestamp": stamp, "Content-Type": "application/json",
            "X-Coordinator-Signature": f"sha256={signature_for(secret or shop.secret, stamp, body)}"}


def post_sales(client, shop: Shop, payload, **signing):
    """Sign and post a body the way the platform does."""
    body = payload if isinstance(payload, bytes) else json.dumps(payload).encode()
    return client.post("/api/v1/sales", data=body, headers=signed_headers(shop, body, **signing))
