"""Counties, products, streamers, campaigns and enrolments through the API (CONTRACT section 2)."""
from __future__ import annotations

import pytest

from coordinator.extensions import db
from coordinator.models import AuditEntry, Campaign, County, Product, Streamer
from tests.api.test_foundation_api import assert_problem
from tests.factories import bearer

APPLE = {"name": "宜君苹果", "sku": "YJ-APPLE-5KG", "category": "fruit", "price_fen": 6990, "stock": 800,
         "available_from": "2026-09-20", "available_to": "2027-01-31", "shipping_origin": "宜君县电商物流配送中心",
         "selling_points": ["剪纸包装", "高海拔红富士"]}
HOST = {"handle": "yijun_xiaomei", "display_name": "宜君小美", "platform": "taobao", "followers": 52000,
        "categories": ["fruit", "grain"], "availability": [{"weekday": 4, "start": "19:00", "end": "24:00"}]}
DOUBLE_11 = {"name": "One More Agriproduct · Double 11", "starts_at": "2026-11-01T00:00:00+08:00",
             "ends_at": "2026-11-12T00:00:00+08:00"}


@pytest.fixture
def admin(app):
    return bearer(app, "chief", "commissioner", is_admin=True)


@pytest.fixture
def county_id(client, admin):
    return client.post("/api/v1/counties", json={"name": "Yijun", "province": "Shaanxi"}, headers=admin).get_json()["id"]


def count(app, model) -> int:
    with app.app_context():
        return db.session.query(model).count()


def test_contract_create_answers(client, admin, county_id):
    product = client.post("/api/v1/products", json={**APPLE, "county_id": county_id}, headers=admin)
    assert product.status_code == 201
    assert product.get_json()["is_agricultural"] is True and product.get_json()["price_fen"] == 6990
    streamer = client.post("/api/v1/streamers", json=HOST, headers=admin)
    assert streamer.status_code == 201
    assert streamer.get_json()["availability"] == [{"weekday": 4, "start": "19:00", "end": "24:00"}]
    campaign = client.post("/api/v1/campaigns", json=DOUBLE_11, headers=admin)
    assert campaign.status_code == 201
    body = campaign.get_json()
    assert (body["min_agri_products_per_session"], body["max_products_per_session"], body["status"]) == (1, 5, "draft")
    assert body["starts_at"].startswith("2026-10-31T16:00:00")
    cid = body["id"]
    assert client.post(f"/api/v1/campaigns/{cid}/products", json={"product_id": product.get_json()["id"]},
                       headers=admin).status_code == 201
    assert client.post(f"/api/v1/campaigns/{cid}/streamers", json={"streamer_id": streamer.get_json()["id"]},
                       headers=admin).status_code == 201
    listed = client.get(f"/api/v1/campaigns/{cid}/products", headers=admin).get_json()["items"]
    assert [p["sku"] for p in listed] == ["YJ-APPLE-5KG"]


@pytest.mark.parametrize("body, field", [
    ({"price_fen": -1}, "price_fen"),
    ({"stock": -5}, "stock"),
    ({"price_fen": "6990"}, "price_fen"),
    ({"price_fen": 69.9}, "price_fen"),
    ({"is_agricultural": "yes"}, "is_agricultural"),
    ({"sku": ""}, "sku"),
    ({"name": None}, "name"),
    ({"available_from": "2027-02-01"}, "available_to"),
    ({"county_id": 9999}, "county_id"),
    ({"selling_points": "not a list"}, "selling_points"),
], ids=["negative-price", "negative-stock", "price-as-string", "price-as-float", "bool-as-string", "empty-sku",
        "null-name", "reversed-harvest-window", "unknown-county", "selling-points-not-list"])
def test_bad_product_is_422_with_the_field_and_stores_nothing(app, client, admin, county_id, body, field):
    problem = assert_problem(client.post("/api/v1/products", json={**APPLE, "county_id": county_id, **body},
                                         headers=admin), 422)
    assert field in [e.get("field") for e in problem["errors"]]
    assert count(app, Product) == 0


def test_duplicate_sku_and_handle_are_409_naming_the_field(app, client, admin, county_id):
    assert client.post("/api/v1/products", json={**APPLE, "county_id": county_id}, headers=admin).status_code == 201
    problem = assert_problem(client.post("/api/v1/products", json={**APPLE, "county_id": county_id}, headers=admin), 409)
    assert problem["errors"][0]["field"] == "sku"
    assert client.post("/api/v1/streamers", json=HOST, headers=admin).status_code == 201
    clash = {**HOST, "handle": HOST["handle"].upper()}
    assert assert_problem(client.post("/api/v1/streamers", json=clash, headers=admin), 409)["errors"][0]["field"] == "handle"
    assert count(app, Product) == 1 and count(app, Streamer) == 1


@pytest.mark.parametrize("body, field", [
    ({"starts_at": "2026-11-01T00:00:00"}, "starts_at"),
    ({"ends_at": "2026-10-01T00:00:00+08:00"}, "ends_at"),
    ({"min_agri_products_per_session": 6}, "min_agri_products_per_session"),
    ({"max_products_per_session": 0}, "max_products_per_session"),
    ({"starts_at": "next tuesday"}, "starts_at"),
], ids=["time-without-offset", "ends-before-start", "min-above-max", "max-zero", "not-a-time"])
def test_bad_campaign_is_422_and_stores_nothing(app, client, admin, body, field):
    problem = assert_problem(client.post("/api/v1/campaigns", json={**DOUBLE_11, **body}, headers=admin), 422)
    assert field in [e.get("field") for e in problem["errors"]]
    assert count(app, Campaign) == 0


def test_bad_streamer_windows_are_422(app, client, admin):
    for windows in ([{"weekday": 7, "start": "19:00", "end": "22:00"}],
                    [{"weekday": 1, "start": "22:00", "end": "19:00"}],
                    [{"weekday": 1, "start": "19:00", "end": "23:00"}, {"weekday": 1, "start": "22:00", "end": "24:00"}],
                    [{"weekday": 1, "start": "19:75", "end": "23:00"}]):
        assert_problem(client.post("/api/v1/streamers", json={**HOST, "availability": windows}, headers=admin), 422)
    assert count(app, Streamer) == 0


def test_roles_and_credentials(app, client, admin, county_id):
    streamer_id = client.post("/api/v1/streamers", json=HOST, headers=admin).get_json()["id"]
    other_id = client.post("/api/v1/streamers", json={**HOST, "handle": "puan_tea"}, headers=admin).get_json()["id"]
    host = bearer(app, "xiaomei", "streamer", streamer_handle=HOST["handle"])
    assert_problem(client.post("/api/v1/counties", json={"name": "Pu'an", "province": "Guizhou"}), 401)
    assert_problem(client.post("/api/v1/counties", json={"name": "Pu'an", "province": "Guizhou"}, headers=host), 403)
    assert_problem(client.get("/api/v1/products", headers=host), 403)
    assert client.get(f"/api/v1/streamers/{streamer_id}", headers=host).status_code == 200
    assert_problem(client.get(f"/api/v1/streamers/{other_id}", headers=host), 404)  # another host: not disclosed
    edited = client.patch(f"/api/v1/streamers/{streamer_id}", json={"categories": ["fruit", "tea"]}, headers=host)
    assert edited.status_code == 200 and edited.get_json()["categories"] == ["fruit", "tea"]
    assert_problem(client.patch(f"/api/v1/streamers/{streamer_id}", json={"followers": 9_000_000}, headers=host), 403)
    assert_problem(client.get("/api/v1/products/999", headers=admin), 404)
    assert count(app, County) == 1


def test_commissioners_see_only_their_counties(app, client, admin, county_id):
    product_id = client.post("/api/v1/products", json={**APPLE, "county_id": county_id}, headers=admin).get_json()["id"]
    local = bearer(app, "puan_office", "commissioner")
    me = client.get("/api/v1/me", headers=local).get_json()["id"]
    # Counties are the admins': a commissioner may not register one (and so assign themself to it).
    assert_problem(client.post("/api/v1/counties", json={"name": "Pu'an", "province": "Guizhou"}, headers=local), 403)
    own = client.post("/api/v1/counties", json={"name": "Pu'an", "province": "Guizhou"}, headers=admin).get_json()
    assert client.get("/api/v1/counties", headers=local).get_json()["items"] == []
    assert client.post(f"/api/v1/counties/{own['id']}/commissioners", json={"user_id": me}, headers=admin).status_code == 201
    assert_problem(client.post(f"/api/v1/counties/{own['id']}/commissioners", json={"user_id": me}, headers=admin), 409)
    assert_problem(client.post(f"/api/v1/counties/{county_id}/commissioners", json={"user_id": me}, headers=local), 404)
    assert [c["name"] for c in client.get("/api/v1/counties", headers=local).get_json()["items"]] == ["Pu'an"]
    assert_problem(client.get(f"/api/v1/products/{product_id}", headers=local), 404)
    assert_problem(client.patch(f"/api/v1/products/{product_id}", json={"stock": 1}, headers=local), 404)
    sneaky = {**APPLE, "sku": "PA-TEA", "county_id": county_id}
    assert_problem(client.post("/api/v1/products", json=sneaky, headers=local), 422)
    assert client.post("/api/v1/products", json={**sneaky, "county_id": own["id"]}, headers=local).status_code == 201
    assert {c["name"] for c in client.get("/api/v1/counties", headers=admin).get_json()["items"]} == {"Yijun", "Pu'an"}


def test_list_filters_sorting_and_pagination(client, admin, county_id):
    for index, (name, price, agri) in enumerate([("苹果", 6990, True), ("玉米糁", 580, True), ("剪纸", 3900, False)]):
        body = {**APPLE, "county_id": county_id, "sku": f"SKU-{index}", "name": name, "price_fen": price,
                "is_agricultural": agri}
        assert client.post("/api/v1/products", json=body, headers=admin).status_code == 201
    page = client.get("/api/v1/products?sort=-price_fen&per_page=2", headers=admin).get_json()
    assert [p["price_fen"] for p in page["items"]] == [6990, 3900] and page["total"] == 3
    second = client.get("/api/v1/products?sort=-price_fen&per_page=2&page=2", headers=admin).get_json()
    assert [p["price_fen"] for p in second["items"]] == [580]
    agri = client.get("/api/v1/products?is_agricultural=false", headers=admin).get_json()["items"]
    assert [p["name"] for p in agri] == ["剪纸"]
    assert client.get("/api/v1/products?in_season_on=2027-03-01", headers=admin).get_json()["total"] == 0
    assert_problem(client.get("/api/v1/products?sort=colour", headers=admin), 422)
    assert_problem(client.get("/api/v1/products?per_page=1000", headers=admin), 422)


def test_lifecycle_allows_only_sensible_steps_and_closed_refuses_changes(client, admin, county_id):
    cid = client.post("/api/v1/campaigns", json=DOUBLE_11, headers=admin).get_json()["id"]
    assert_problem(client.post(f"/api/v1/campaigns/{cid}/status", json={"status": "live"}, headers=admin), 409)
    for status in ("published", "live", "closed"):
        response = client.post(f"/api/v1/campaigns/{cid}/status", json={"status": status}, headers=admin)
        assert response.status_code == 200 and response.get_json()["status"] == status
    assert_problem(client.post(f"/api/v1/campaigns/{cid}/status", json={"status": "draft"}, headers=admin), 409)
    assert_problem(client.post(f"/api/v1/campaigns/{cid}/status", json={"status": "finished"}, headers=admin), 422)
    product_id = client.post("/api/v1/products", json={**APPLE, "county_id": county_id}, headers=admin).get_json()["id"]
    assert_problem(client.post(f"/api/v1/campaigns/{cid}/products", json={"product_id": product_id}, headers=admin), 409)
    assert_problem(client.patch(f"/api/v1/campaigns/{cid}", json={"name": "renamed"}, headers=admin), 409)


def test_enrolment_conflicts_and_unknown_references(app, client, admin, county_id):
    cid = client.post("/api/v1/campaigns", json=DOUBLE_11, headers=admin).get_json()["id"]
    product_id = client.post("/api/v1/products", json={**APPLE, "county_id": county_id}, headers=admin).get_json()["id"]
    assert client.post(f"/api/v1/campaigns/{cid}/products", json={"product_id": product_id}, headers=admin).status_code == 201
    assert_problem(client.post(f"/api/v1/campaigns/{cid}/products", json={"product_id": product_id}, headers=admin), 409)
    assert_problem(client.post(f"/api/v1/campaigns/{cid}/products", json={"product_id": 404}, headers=admin), 422)
    assert_problem(client.post(f"/api/v1/campaigns/{cid}/streamers", json={"streamer_id": 404}, headers=admin), 422)
    assert_problem(client.post("/api/v1/campaigns/999/products", json={"product_id": product_id}, headers=admin), 404)
    assert_problem(client.delete(f"/api/v1/products/{product_id}", headers=admin), 409)
    assert client.delete(f"/api/v1/campaigns/{cid}/products/{product_id}", headers=admin).status_code == 204
    assert client.delete(f"/api/v1/products/{product_id}", headers=admin).status_code == 204


def test_delete_county_with_products_is_409(client, admin, county_id):
    client.post("/api/v1/products", json={**APPLE, "county_id": county_id}, headers=admin)
    problem = assert_problem(client.delete(f"/api/v1/counties/{county_id}", headers=admin), 409)
    assert "products" in problem["detail"]


def test_patch_changes_only_what_is_sent_and_is_audited(app, client, admin, county_id):
    cid = client.post("/api/v1/campaigns", json=DOUBLE_11, headers=admin).get_json()["id"]
    product_id = client.post("/api/v1/products", json={**APPLE, "county_id": county_id}, headers=admin).get_json()["id"]
    client.post(f"/api/v1/campaigns/{cid}/products", json={"product_id": product_id}, headers=admin)
    changed = client.patch(f"/api/v1/products/{product_id}", json={"stock": 120}, headers=admin).get_json()
    assert changed["stock"] == 120 and changed["price_fen"] == APPLE["price_fen"]
    assert_problem(client.patch(f"/api/v1/products/{product_id}", json={}, headers=admin), 422)
    trail = client.get(f"/api/v1/campaigns/{cid}/audit", headers=admin).get_json()["entries"]
    update = next(e for e in trail if e["action"] == "update")
    assert update["entity_type"] == "products" and update["before"]["stock"] == 800 and update["after"] == {"stock": 120}
    assert [e["action"] for e in trail][-1] == "create"
    with app.app_context():
        assert db.session.query(AuditEntry).filter_by(action="enrol").count() == 1


def test_coverage_names_uncovered_counties_and_sessions_breaking_the_rule(app, client, admin, county_id):
    from datetime import datetime, timezone

    from coordinator.models import LineupItem, LiveSession, Pairing

    puan = client.post("/api/v1/counties", json={"name": "Pu'an", "province": "Guizhou"}, headers=admin).get_json()["id"]
    apple = client.post("/api/v1/products", json={**APPLE, "county_id": county_id}, headers=admin).get_json()["id"]
    craft = client.post("/api/v1/products", json={**APPLE, "sku": "PA-CRAFT", "county_id": puan, "is_agricultural": False},
                        headers=admin).get_json()["id"]
    host = client.post("/api/v1/streamers", json=HOST, headers=admin).get_json()["id"]
    cid = client.post("/api/v1/campaigns", json=DOUBLE_11, headers=admin).get_json()["id"]
    for pid in (apple, craft):
        client.post(f"/api/v1/campaigns/{cid}/products", json={"product_id": pid}, headers=admin)
    client.post(f"/api/v1/campaigns/{cid}/streamers", json={"streamer_id": host}, headers=admin)
    with app.app_context():
        db.session.add(Pairing(campaign_id=cid, streamer_id=host, product_id=apple))
        for hour, lineup in ((12, [apple, craft]), (14, [craft])):
            session = LiveSession(campaign_id=cid, streamer_id=host, starts_at=datetime(2026, 11, 10, hour, tzinfo=timezone.utc),
                                  ends_at=datetime(2026, 11, 10, hour + 1, tzinfo=timezone.utc))
            session.lineup = [LineupItem(product_id=pid, position=i) for i, pid in enumerate(lineup)]
            db.session.add(session)
        db.session.commit()
    coverage = client.get(f"/api/v1/campaigns/{cid}/coverage", headers=admin).get_json()
    assert [(c["name"], c["covered"], c["streamers"], c["sessions"]) for c in coverage["counties"]] == [
        ("Pu'an", False, 0, 2), ("Yijun", True, 1, 1)]
    assert [(s["ok"], s["agri_products"], s["products"]) for s in coverage["sessions"]] == [(True, 1, 2), (False, 0, 1)]
    assert "at least 1" in coverage["sessions"][1]["problems"][0]
