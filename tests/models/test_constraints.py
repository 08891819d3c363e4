"""The database itself refuses rows that break its rules, on SQLite and on PostgreSQL."""
from __future__ import annotations

from datetime import date, datetime, timezone

import pytest
from sqlalchemy import insert
from sqlalchemy.exc import IntegrityError

from coordinator.extensions import db
from coordinator.models import (
    AvailabilityWindow, Campaign, CampaignProduct, County, IngestKey, LineupItem, LiveSession, Pairing, Product,
    SaleEvent, Streamer, TallyCounter, User,
)

T0 = datetime(2026, 11, 10, 12, tzinfo=timezone.utc)
T1 = datetime(2026, 11, 10, 14, tzinfo=timezone.utc)


def seed() -> dict[str, int]:
    """One valid row of each kind that the broken rows refer to."""
    county = County(name="宜君县", province="陕西省")
    db.session.add(county)
    db.session.flush()
    product = Product(county_id=county.id, name="玉米糁", sku="GRITS", category="grain", price_fen=580, stock=10)
    streamer = Streamer(handle="xiaomei", display_name="小美", platform="taobao", followers=10, categories=[])
    campaign = Campaign(name="双十一", starts_at=T0, ends_at=T1)
    key = IngestKey(key_id="ik_1", name="platform", secret="s")
    apple = Product(county_id=county.id, name="苹果", sku="APPLE", category="fruit", price_fen=3990, stock=10)
    db.session.add_all([product, apple, streamer, campaign, key])
    db.session.flush()
    session = LiveSession(campaign_id=campaign.id, streamer_id=streamer.id, starts_at=T0, ends_at=T1)
    db.session.add(session)
    db.session.flush()
    db.session.add(LineupItem(session_id=session.id, product_id=product.id, position=0))
    db.session.add(SaleEvent(ingest_key_id=key.id, order_id="o-1", kind="order", campaign_id=campaign.id,
                             session_id=session.id, product_id=product.id, county_id=county.id,
                             streamer_id=streamer.id, quantity=1, amount_fen=580, occurred_at=T0))
    db.session.add(CampaignProduct(campaign_id=campaign.id, product_id=product.id))
    db.session.commit()
    return {"county": county.id, "product": product.id, "streamer": streamer.id, "campaign": campaign.id,
            "key": key.id, "session": session.id, "apple": apple.id}


def product(ids, **over):
    return Product, {"county_id": ids["county"], "name": "x", "sku": "NEW", "category": "c", "price_fen": 1,
                     "stock": 1, "unit": "件", "is_agricultural": True, "shipping_origin": "", "selling_points": [],
                     "image_url": "", "created_at": T0, "updated_at": T0, **over}


def streamer(ids, **over):
    return Streamer, {"handle": "new", "display_name": "n", "platform": "douyin", "followers": 0, "categories": [],
                      "region": "", "bio": "", "created_at": T0, "updated_at": T0, **over}


def campaign(ids, **over):
    return Campaign, {"name": "c", "description": "", "starts_at": T0, "ends_at": T1, "min_agri_products_per_session": 1,
                      "max_products_per_session": 5, "status": "draft", "created_at": T0, "updated_at": T0, **over}


def sale(ids, **over):
    return SaleEvent, {"ingest_key_id": ids["key"], "order_id": "o-2", "kind": "order", "campaign_id": ids["campaign"],
                       "session_id": ids["session"], "product_id": ids["product"], "county_id": ids["county"],
                       "streamer_id": ids["streamer"], "quantity": 1, "amount_fen": 1, "occurred_at": T0,
                       "received_at": T0, **over}


def session(ids, **over):
    return LiveSession, {"campaign_id": ids["campaign"], "streamer_id": ids["streamer"], "starts_at": T0, "ends_at": T1,
                         "status": "scheduled", "title": "", "notes": "", "created_at": T0, "updated_at": T0, **over}


def pairing(ids, **over):
    return Pairing, {"campaign_id": ids["campaign"], "streamer_id": ids["streamer"], "product_id": ids["product"],
                     "status": "proposed", "source": "engine", "score": 0.0, "reasons": [], "decline_reason": "",
                     "created_at": T0, "updated_at": T0, **over}


def user(ids, **over):
    return User, {"username": "u", "password_hash": "", "role": "commissioner", "is_admin": False, "locale": "",
                  "active": True, "created_at": T0, **over}


def window(ids, **over):
    return AvailabilityWindow, {"streamer_id": ids["streamer"], "weekday": 4, "start_minute": 1140, "end_minute": 1440, **over}


def counter(ids, **over):
    return TallyCounter, {"scope": "campaign", "scope_id": 1, "dimension": "total", "dimension_id": 0, "orders": 0,
                          "units": 0, "gross_fen": 0, "refunded_fen": 0, "seq": 0, "updated_at": T0, **over}


BROKEN = {
    "duplicate sku": lambda ids: product(ids, sku="GRITS"),
    "negative price": lambda ids: product(ids, price_fen=-1),
    "negative stock": lambda ids: product(ids, stock=-1),
    "reversed harvest window": lambda ids: product(ids, available_from=date(2026, 12, 1), available_to=date(2026, 11, 1)),
    "product of a missing county": lambda ids: product(ids, county_id=9999),
    "duplicate handle": lambda ids: streamer(ids, handle="xiaomei"),
    "negative followers": lambda ids: streamer(ids, followers=-5),
    "campaign ends before it starts": lambda ids: campaign(ids, ends_at=T0),
    "min agri above max": lambda ids: campaign(ids, min_agri_products_per_session=6),
    "max products zero": lambda ids: campaign(ids, max_products_per_session=0, min_agri_products_per_session=0),
    "unknown campaign status": lambda ids: campaign(ids, status="finished"),
    "negative target": lambda ids: campaign(ids, target_net_fen=-1),
    "duplicate order id under one key": lambda ids: sale(ids, order_id="o-1"),
    "sale quantity zero": lambda ids: sale(ids, quantity=0),
    "negative sale amount": lambda ids: sale(ids, amount_fen=-1),
    "unknown sale kind": lambda ids: sale(ids, kind="gift"),
    "sale of a missing session": lambda ids: sale(ids, session_id=9999),
    "session ends before it starts": lambda ids: session(ids, ends_at=T0),
    "unknown session status": lambda ids: session(ids, status="paused"),
    "unknown pairing status": lambda ids: pairing(ids, status="maybe"),
    "duplicate pairing": lambda ids: (pairing(ids), pairing(ids))[1],
    "streamer user without a streamer": lambda ids: user(ids, role="streamer"),
    "commissioner bound to a streamer": lambda ids: user(ids, streamer_id=ids["streamer"]),
    "unknown role": lambda ids: user(ids, role="admin"),
    "weekday eight": lambda ids: window(ids, weekday=8),
    "window ends before it starts": lambda ids: window(ids, start_minute=1300, end_minute=1200),
    "window past midnight": lambda ids: window(ids, end_minute=1500),
    "duplicate enrolment": lambda ids: (CampaignProduct, {"campaign_id": ids["campaign"], "product_id": ids["product"],
                                                          "enrolled_at": T0}),
    "lineup of a missing product": lambda ids: (LineupItem, {"session_id": ids["session"], "product_id": 9999,
                                                             "position": 1}),
    "duplicate lineup position": lambda ids: (LineupItem, {"session_id": ids["session"], "product_id": ids["apple"], "position": 0}),
    "negative tally gross": lambda ids: counter(ids, gross_fen=-1),
    "unknown tally scope": lambda ids: counter(ids, scope="county"),
}


@pytest.mark.parametrize("case", sorted(BROKEN))
def test_the_database_refuses(app, case):
    with app.app_context():
        ids = seed()
        model, values = BROKEN[case](ids)
        if case == "duplicate pairing":
            db.session.execute(insert(model).values(**values))
        with pytest.raises(IntegrityError):
            db.session.execute(insert(model).values(**values))
            db.session.commit()
        db.session.rollback()


@pytest.mark.parametrize("case", ["product", "streamer", "campaign", "sale", "session", "pairing", "user", "window", "counter"])
def test_a_valid_row_of_each_kind_goes_in(app, case):
    builders = {"product": product, "streamer": streamer, "campaign": campaign, "sale": sale, "session": session,
                "pairing": pairing, "user": user, "window": window, "counter": counter}
    with app.app_context():
        ids = seed()
        model, values = builders[case](ids)
        db.session.execute(insert(model).values(**values))
        db.session.commit()
