"""The signed webhook of CONTRACT section 3, rule by rule, on the model of Stripe's webhook tests."""
from __future__ import annotations

import json

import pytest

from coordinator.domain.ingest import signature_for
from coordinator.extensions import db
from coordinator.models import Campaign, LiveSession, SaleEvent
from coordinator.services import keys, tallies
from tests.api.test_foundation_api import assert_problem
from tests.ingest.helpers import event, open_shop, post_sales, signed_headers
from coordinator.domain.access_facts import SYSTEM


@pytest.fixture
def shop(app, clock):
    with app.app_context():
        return open_shop(clock())


@pytest.fixture
def post(client, shop, clock):
    """Post as the platform, signed at the injected clock's time."""
    def send(payload, **signing):
        signing.setdefault("timestamp", int(clock().timestamp()))
        return post_sales(client, shop, payload, **signing)
    return send


def totals(app, scope="campaign", scope_id=None, shop=None) -> dict:
    with app.app_context():
        return tallies.read_snapshot(scope, scope_id or shop.campaign_id)["totals"]


def stored(app) -> int:
    with app.app_context():
        return db.session.query(SaleEvent).count()


def test_one_event_is_accepted_and_counted(app, shop, post):
    response = post(event(shop, "o-1"))
    assert response.status_code == 200 and response.get_json() == {"accepted": 1, "duplicates": 0}
    assert totals(app, shop=shop) == {"orders": 1, "units": 1, "gross_fen": 3990, "refunded_fen": 0, "net_fen": 3990}


def test_orders_refunds_and_duplicates_add_up_exactly(app, shop, post):
    batch = {"events": [event(shop, "o-1", quantity=2, amount_fen=7980), event(shop, "o-2", product="grits", quantity=10,
                                                                               amount_fen=5800),
                        event(shop, "r-1", kind="refund", quantity=1, amount_fen=3990),
                        event(shop, "o-2", product="grits", quantity=10, amount_fen=5800)]}
    assert post(batch).get_json() == {"accepted": 3, "duplicates": 1}
    assert post({"events": batch["events"][:2]}).get_json() == {"accepted": 0, "duplicates": 2}
    assert post(event(shop, "r-2", kind="refund", product="grits", quantity=1, amount_fen=0)).status_code == 200
    with app.app_context():
        snap = tallies.read_snapshot("campaign", shop.campaign_id)
        session_snap = tallies.read_snapshot("session", shop.session_id)
    assert snap["totals"] == {"orders": 2, "units": 10, "gross_fen": 13780, "refunded_fen": 3990, "net_fen": 9790}
    assert session_snap["totals"] == snap["totals"]
    assert [(r["name"], r["net_fen"], r["units"]) for r in snap["by_product"]] == [("玉米糁", 5800, 9), ("宜君苹果", 3990, 1)]
    assert snap["by_county"] == [{"county_id": shop.county_id, "name": "宜君县", "net_fen": 9790, "orders": 2}]
    assert snap["by_streamer"][0]["display_name"] == "宜君小美"
    assert snap["seq"] == 2  # two changes; the all-duplicate post changed nothing
    assert stored(app) == 4


def test_the_same_order_id_under_another_key_is_another_order(app, client, shop, post, clock):
    post(event(shop, "o-1"))
    with app.app_context():
        other, secret = keys.create_ingest_key(SYSTEM, "douyin")
        other_key_id = other.key_id
    body = json.dumps(event(shop, "o-1")).encode()
    headers = signed_headers(shop, body, int(clock().timestamp()), secret)
    headers["X-Coordinator-Key"] = other_key_id
    assert client.post("/api/v1/sales", data=body, headers=headers).get_json() == {"accepted": 1, "duplicates": 0}


@pytest.mark.parametrize("broken", ["no key", "unknown key", "no timestamp", "words for a timestamp", "superscript digits",
                                    "a thousand digits", "stale timestamp",
                                    "future timestamp", "no signature", "signature without scheme", "wrong signature",
                                    "signature of another body", "wrong secret"])
def test_bad_credentials_are_401_and_store_nothing(app, client, shop, clock, broken):
    body = json.dumps(event(shop, "o-1")).encode()
    now = int(clock().timestamp())
    headers = signed_headers(shop, body, now)
    if broken == "no key":
        del headers["X-Coordinator-Key"]
    elif broken == "unknown key":
        headers["X-Coordinator-Key"] = "ik_nobody"
    elif broken == "no timestamp":
        del headers["X-Coordinator-Timestamp"]
    elif broken == "words for a timestamp":
        headers["X-Coordinator-Timestamp"] = "yesterday"
    elif broken == "superscript digits":
        headers["X-Coordinator-Timestamp"] = "²³"
    elif broken == "a thousand digits":
        headers["X-Coordinator-Timestamp"] = "9" * 1000
    elif broken in ("stale timestamp", "future timestamp"):
        headers = signed_headers(shop, body, now - 301 if broken == "stale timestamp" else now + 301)
    elif broken == "no signature":
        del headers["X-Coordinator-Signature"]
    elif broken == "signature without scheme":
        headers["X-Coordinator-Signature"] = headers["X-Coordinator-Signature"].removeprefix("sha256=")
    elif broken == "wrong signature":
        headers["X-Coordinator-Signature"] = "sha256=" + "0" * 64
    elif broken == "signature of another body":
        headers["X-Coordinator-Signature"] = signed_headers(shop, body + b" ", now)["X-Coordinator-Signature"]
    elif broken == "wrong secret":
        headers = signed_headers(shop, body, now, secret="f" * 64)
    assert_problem(client.post("/api/v1/sales", data=body, headers=headers), 401)
    assert stored(app) == 0


def test_a_timestamp_just_inside_the_window_is_fine(shop, post, clock):
    assert post(event(shop, "o-1"), timestamp=int(clock().timestamp()) - 299).status_code == 200


def test_rotation_accepts_old_and_new_secrets_then_only_the_new(app, client, shop, clock, post):
    with app.app_context():
        key_row = db.session.query(SaleEvent.__table__.c.id).count()  # no sales yet
        from coordinator.models import IngestKey

        row_id = db.session.query(IngestKey).one().id
        _key, new_secret = keys.rotate_ingest_key(SYSTEM, row_id, grace_hours=1)
    assert key_row == 0
    assert post(event(shop, "o-old")).status_code == 200  # still signed with the old secret
    assert post(event(shop, "o-new"), secret=new_secret).status_code == 200
    body = json.dumps(event(shop, "o-both")).encode()
    now = str(int(clock().timestamp()))
    both = signed_headers(shop, body, int(now))
    both["X-Coordinator-Signature"] = f"sha256={'a' * 64}, sha256={signature_for(new_secret, now, body)}"
    assert client.post("/api/v1/sales", data=body, headers=both).status_code == 200
    clock.advance(hours=2)
    assert_problem(post(event(shop, "o-late")), 401)
    assert post(event(shop, "o-late"), secret=new_secret).status_code == 200


def test_a_revoked_key_is_401(app, shop, post):
    with app.app_context():
        from coordinator.models import IngestKey

        keys.revoke_ingest_key(SYSTEM, db.session.query(IngestKey).one().id)
    assert_problem(post(event(shop, "o-1")), 401)


def test_malformed_bodies_are_400(app, shop, post):
    assert_problem(post(b"{not json"), 400)
    assert_problem(post(b"[1, 2]"), 400)
    assert stored(app) == 0


def test_a_body_over_two_mebibytes_is_413(app, shop, post):
    big = {"events": [event(shop, f"o-{i}", note="x" * 3000) for i in range(800)]}
    assert_problem(post(big), 413)
    assert stored(app) == 0


@pytest.mark.parametrize("bad, field", [
    ({"quantity": 0}, "quantity"), ({"quantity": "2"}, "quantity"), ({"amount_fen": -1}, "amount_fen"),
    ({"amount_fen": 39.9}, "amount_fen"), ({"kind": "gift"}, "kind"), ({"occurred_at": "2026-11-11T20:00:00"}, "occurred_at"),
    ({"id": ""}, "id"), ({"session_id": None}, "session_id"),
    ({"quantity": 2**63}, "quantity"), ({"amount_fen": 2**70}, "amount_fen"), ({"session_id": 2**40}, "session_id"),
    ({"product_id": 2**63}, "product_id"), ({"id": "o\x00-2"}, "id"), ({"id": "o\n2"}, "id"),
    ({"occurred_at": "0001-01-01T00:00:00+14:00"}, "occurred_at"),
    ({"occurred_at": "9999-12-31T23:59:59-12:00"}, "occurred_at"),
], ids=["zero-quantity", "string-quantity", "negative-amount", "float-amount", "unknown-kind", "time-without-offset",
        "empty-id", "null-session", "huge-quantity", "huge-amount", "huge-session", "huge-product", "nul-in-id",
        "newline-in-id", "year-1", "year-9999"])
def test_one_bad_event_rejects_the_whole_batch_naming_its_index(app, shop, post, bad, field):
    problem = assert_problem(post({"events": [event(shop, "o-1"), event(shop, "o-2", **bad)]}), 422)
    assert [(e["index"], e["field"]) for e in problem["errors"]] == [(1, field)]
    assert stored(app) == 0


def test_a_single_bad_event_names_its_field(app, shop, post):
    problem = assert_problem(post(event(shop, "o-1", quantity=-1)), 422)
    assert problem["errors"][0]["field"] == "quantity" and "index" not in problem["errors"][0]


@pytest.mark.parametrize("change, field", [({"product": "other"}, "product_id"), ({"session_id": 999}, "session_id")],
                         ids=["product-not-in-lineup", "unknown-session"])
def test_events_must_match_a_session_and_its_lineup(app, shop, post, change, field):
    problem = assert_problem(post({"events": [event(shop, "o-1"), event(shop, "o-2", **change)]}), 422)
    assert [(e["index"], e["field"]) for e in problem["errors"]] == [(1, field)]
    assert stored(app) == 0


def test_an_order_id_repeated_with_a_bad_repeat_rejects_the_batch(app, shop, post):
    # The first occurrence is the one stored, but the repeat is checked too: the body is all or nothing.
    batch = {"events": [event(shop, "o-1"), event(shop, "o-1", product="other"), event(shop, "o-2")]}
    problem = assert_problem(post(batch), 422)
    assert [(e["index"], e["field"]) for e in problem["errors"]] == [(1, "product_id")]
    assert stored(app) == 0 and totals(app, shop=shop)["orders"] == 0


def test_batch_size_limits(app, shop, post):
    assert_problem(post({"events": []}), 422)
    assert_problem(post({"events": [event(shop, f"o-{i}") for i in range(1001)]}), 422)
    assert post({"events": [event(shop, f"o-{i}") for i in range(1000)]}).get_json()["accepted"] == 1000


def test_cancelled_sessions_refuse_and_closed_campaigns_conflict(app, shop, post):
    with app.app_context():
        db.session.get(LiveSession, shop.session_id).status = "ended"
        db.session.commit()
    assert post(event(shop, "o-late")).status_code == 200  # late orders after the session ended are fine
    with app.app_context():
        db.session.get(Campaign, shop.campaign_id).status = "closed"
        db.session.commit()
    assert_problem(post(event(shop, "o-closed")), 409)
    with app.app_context():
        db.session.get(Campaign, shop.campaign_id).status = "live"
        db.session.get(LiveSession, shop.session_id).status = "cancelled"
        db.session.commit()
    assert_problem(post(event(shop, "o-cancelled")), 422)
    assert stored(app) == 1


def test_tally_endpoints_and_who_may_read_them(app, client, shop, post):
    from tests.factories import bearer

    post(event(shop, "o-1"))
    admin = bearer(app, "chief", "commissioner", is_admin=True)
    body = client.get(f"/api/v1/campaigns/{shop.campaign_id}/tally", headers=admin).get_json()
    assert body["totals"]["net_fen"] == 3990 and body["scope"] == "campaign"
    assert client.get(f"/api/v1/sessions/{shop.session_id}/tally", headers=admin).get_json()["scope"] == "session"
    host = bearer(app, "xiaomei", "streamer", streamer_handle="xiaomei")
    assert client.get(f"/api/v1/sessions/{shop.session_id}/tally", headers=host).status_code == 200
    with app.app_context():
        from coordinator.models import Streamer

        db.session.add(Streamer(handle="other", display_name="别人", platform="douyin", followers=1, categories=[]))
        db.session.commit()
    stranger = bearer(app, "other", "streamer", streamer_handle="other")
    assert_problem(client.get(f"/api/v1/sessions/{shop.session_id}/tally", headers=stranger), 404)
    assert_problem(client.get(f"/api/v1/campaigns/{shop.campaign_id}/tally", headers=stranger), 404)
    assert_problem(client.get(f"/api/v1/campaigns/{shop.campaign_id}/tally"), 401)
