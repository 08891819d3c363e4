"""Pairing through the API: the engine's plan on the demo, decisions kept, declines never proposed again."""
from __future__ import annotations

from collections import Counter

import pytest

from coordinator.extensions import db
from coordinator.models import Product
from tests.api.test_foundation_api import assert_problem
from tests.api.test_planning_api import DOUBLE_11, HOST
from tests import snapshots
from tests.factories import api_token, bearer


@pytest.fixture
def demo_campaign(app, clock):
    """The demo campaign (two weeks from 22 November), a commissioner token and the demo streamer's token."""
    clock.current = clock.current.replace(day=22)  # passion fruit's season ended on 15 November
    with app.app_context():
        logins = snapshots.demo()
        from coordinator.models import User

        host = db.session.query(User).filter_by(username=logins.streamer[0]).one()
        host_token = api_token(host)
        return logins.campaign_id, {"Authorization": f"Bearer {logins.api_token}"}, \
            {"Authorization": f"Bearer {host_token}"}, host.streamer_id


def agricultural(app) -> set[int]:
    with app.app_context():
        return {p.id for p in db.session.query(Product).filter_by(is_agricultural=True)}


def test_auto_pairing_keeps_the_rules_and_explains_itself(app, client, demo_campaign):
    campaign_id, admin, _host, _sid = demo_campaign
    response = client.post(f"/api/v1/campaigns/{campaign_id}/pairings/auto", headers=admin)
    assert response.status_code == 200, response.get_json()
    body = response.get_json()
    carried = [p for p in body["pairings"] if p["status"] != "declined"]  # the demo's declines stay as records
    per_streamer = Counter(p["streamer_id"] for p in carried)
    agri = agricultural(app)
    agri_per_streamer = Counter(p["streamer_id"] for p in carried if p["product_id"] in agri)
    assert len(per_streamer) == 12 and max(per_streamer.values()) <= 5
    assert all(agri_per_streamer[s] >= 1 for s in per_streamer)
    assert all(p["reasons"] and p["score"] > 0 for p in body["pairings"])
    proposed = [p for p in body["pairings"] if p["source"] == "engine"]  # the demo paired some by hand
    assert "XW-PASSION-3J" not in {sku for sku in _skus(app, proposed)}  # out of season all campaign
    assert client.get(f"/api/v1/campaigns/{campaign_id}/pairings", headers=admin).get_json()["pairings"] == body["pairings"]


def _skus(app, rows):
    with app.app_context():
        return [db.session.get(Product, row["product_id"]).sku for row in rows]


def test_decline_is_never_proposed_again_and_decisions_stay(app, client, demo_campaign):
    campaign_id, admin, host, streamer_id = demo_campaign
    first = client.post(f"/api/v1/campaigns/{campaign_id}/pairings/auto", headers=admin).get_json()["pairings"]
    mine = client.get("/api/v1/me/pairings", headers=host).get_json()["pairings"]
    assert mine and all(p["streamer_id"] == streamer_id for p in mine)
    declined, accepted = mine[0], mine[-1]
    assert_problem(client.post(f"/api/v1/pairings/{declined['id']}/decline", json={"reason": ""}, headers=host), 422)
    answer = client.post(f"/api/v1/pairings/{declined['id']}/decline", json={"reason": "已经在卖同类产品"}, headers=host)
    assert answer.status_code == 200 and answer.get_json()["status"] == "declined"
    if accepted["id"] != declined["id"]:
        assert client.post(f"/api/v1/pairings/{accepted['id']}/accept", headers=host).get_json()["status"] == "accepted"
    other = next(p for p in first if p["streamer_id"] != streamer_id)
    assert client.post(f"/api/v1/pairings/{other['id']}/lock", headers=admin).get_json()["status"] == "locked"
    rerun = client.post(f"/api/v1/campaigns/{campaign_id}/pairings/auto", headers=admin)
    assert rerun.status_code == 200, rerun.get_json()
    again = rerun.get_json()["pairings"]
    pairs = {(p["streamer_id"], p["product_id"]): p["status"] for p in again}
    assert pairs[(declined["streamer_id"], declined["product_id"])] == "declined"  # kept as a record, not proposed
    assert pairs[(other["streamer_id"], other["product_id"])] == "locked"
    if accepted["id"] != declined["id"]:
        assert pairs[(accepted["streamer_id"], accepted["product_id"])] == "accepted"


def test_streamers_answer_only_their_own_pairings(app, client, demo_campaign):
    campaign_id, admin, host, streamer_id = demo_campaign
    rows = client.post(f"/api/v1/campaigns/{campaign_id}/pairings/auto", headers=admin).get_json()["pairings"]
    foreign = next(p for p in rows if p["streamer_id"] != streamer_id)
    assert_problem(client.post(f"/api/v1/pairings/{foreign['id']}/accept", headers=host), 404)  # another host's pairing is not disclosed
    assert_problem(client.post(f"/api/v1/campaigns/{campaign_id}/pairings/auto", headers=host), 403)
    assert_problem(client.post(f"/api/v1/pairings/{foreign['id']}/accept", headers=admin), 403)
    assert_problem(client.post("/api/v1/pairings/99999/accept", headers=host), 404)
    seen = client.get(f"/api/v1/campaigns/{campaign_id}/pairings", headers=host).get_json()["pairings"]
    assert seen and {p["streamer_id"] for p in seen} == {streamer_id}


def test_manual_pairing_stays_through_runs_and_duplicates_conflict(app, client, demo_campaign):
    campaign_id, admin, _host, streamer_id = demo_campaign
    with app.app_context():
        honey = db.session.query(Product).filter_by(sku="JL-HONEYSUCKLE").one().id
    made = client.post(f"/api/v1/campaigns/{campaign_id}/pairings", json={"streamer_id": streamer_id, "product_id": honey},
                       headers=admin)
    assert made.status_code == 201 and made.get_json()["source"] == "manual"
    assert_problem(client.post(f"/api/v1/campaigns/{campaign_id}/pairings",
                               json={"streamer_id": streamer_id, "product_id": honey}, headers=admin), 409)
    rerun = client.post(f"/api/v1/campaigns/{campaign_id}/pairings/auto", headers=admin)
    assert rerun.status_code == 200, rerun.get_json()
    again = rerun.get_json()["pairings"]
    assert any(p["id"] == made.get_json()["id"] for p in again)
    assert client.delete(f"/api/v1/pairings/{made.get_json()['id']}", headers=admin).status_code == 204


def test_no_agricultural_product_in_season_is_422_with_the_reason(app, client):
    admin = bearer(app, "chief", "commissioner", is_admin=True)
    county = client.post("/api/v1/counties", json={"name": "寻乌县", "province": "江西省"}, headers=admin).get_json()["id"]
    passion = client.post("/api/v1/products", json={
        "county_id": county, "name": "百香果", "sku": "XW-P", "category": "fruit", "price_fen": 2990, "stock": 4000,
        "available_from": "2026-06-01", "available_to": "2026-10-15"}, headers=admin).get_json()["id"]
    host = client.post("/api/v1/streamers", json=HOST, headers=admin).get_json()["id"]
    cid = client.post("/api/v1/campaigns", json=DOUBLE_11, headers=admin).get_json()["id"]
    client.post(f"/api/v1/campaigns/{cid}/products", json={"product_id": passion}, headers=admin)
    client.post(f"/api/v1/campaigns/{cid}/streamers", json={"streamer_id": host}, headers=admin)
    problem = assert_problem(client.post(f"/api/v1/campaigns/{cid}/pairings/auto", headers=admin), 422)
    assert "agricultural" in problem["detail"]
    assert client.get(f"/api/v1/campaigns/{cid}/pairings", headers=admin).get_json()["pairings"] == []
