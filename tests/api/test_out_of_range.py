"""Numbers and dates the database cannot hold are the caller's mistake: 404 or 422, never a 5xx, nothing stored."""
from __future__ import annotations

import re

import pytest

from coordinator.extensions import db
from coordinator.models import AuditEntry, Campaign, LiveSession, Product, Streamer
from tests.api.test_foundation_api import assert_problem
from tests.factories import bearer, make_county

HUGE = 2**70
JUST_PAST_32_BITS = 2**31


@pytest.fixture
def admin(app):
    return bearer(app, "chief", "commissioner", is_admin=True)


@pytest.fixture
def page_client(app, admin):
    """A logged-in admin commissioner in a browser session."""
    client = app.test_client()
    assert client.post("/login", data={"username": "chief", "password": "correct horse"}).status_code == 302
    return client


def rules_with_ids(app, prefix: str):
    """(method, url) for every route under prefix with an <int:…> part, each id replaced by `{id}`."""
    found = []
    for rule in app.url_map.iter_rules():
        if rule.rule.startswith(prefix) and "<int:" in rule.rule:
            template = re.sub(r"<int:\w+>", "{id}", rule.rule)
            template = re.sub(r"<any\(([\w, ]+)\):\w+>", lambda m: m.group(1).split(",")[0].strip(), template)
            found += [(method, template) for method in sorted(rule.methods - {"HEAD", "OPTIONS"})]
    return found


def counts(app) -> tuple[int, ...]:
    with app.app_context():
        return tuple(db.session.query(model).count() for model in (Product, Streamer, Campaign, LiveSession,
                                                                    AuditEntry))


@pytest.mark.parametrize("number", [HUGE, JUST_PAST_32_BITS], ids=["2**70", "2**31"])
def test_every_api_route_answers_404_for_an_id_beyond_the_database(app, client, admin, number):
    routes = rules_with_ids(app, "/api/")
    assert len(routes) > 30
    for method, template in routes:
        response = client.open(template.format(id=number), method=method, json={}, headers=admin)
        assert response.status_code == 404, (method, template, response.status_code)
        assert response.mimetype == "application/problem+json"


def test_every_page_with_an_id_answers_404_for_an_id_beyond_the_database(app, page_client):
    routes = [(m, t) for m, t in rules_with_ids(app, "/") if not t.startswith("/api/")]
    assert len(routes) > 15
    for method, template in routes:
        response = page_client.open(template.format(id=HUGE), method=method)
        assert response.status_code == 404, (method, template, response.status_code)
        assert "<html" in response.get_data(as_text=True)


@pytest.mark.parametrize("url, field", [
    (f"/api/v1/products?page={HUGE}", "page"), (f"/api/v1/counties?page={HUGE}", "page"),
    (f"/api/v1/campaigns?page={HUGE}", "page"), (f"/api/v1/streamers?min_followers={HUGE}", "min_followers"),
    (f"/api/v1/products?county_id={HUGE}", "county_id"), ("/api/v1/products?in_season_on=9999-12-31", "in_season_on"),
    ("/api/v1/sessions?day=9999-12-31", "day"), ("/api/v1/sessions?day=0001-01-01", "day"),
    (f"/api/v1/sessions?campaign_id={HUGE}", "campaign_id"), (f"/api/v1/sessions?streamer_id={HUGE}", "streamer_id"),
])
def test_out_of_range_query_values_are_422_naming_the_parameter(client, admin, url, field):
    problem = assert_problem(client.get(url, headers=admin), 422)
    assert field in [error.get("field") for error in problem["errors"]]


PRODUCT = {"name": "宜君苹果", "sku": "YJ-APPLE", "category": "fruit", "price_fen": 3990, "stock": 100}
STREAMER = {"handle": "xiaomei", "display_name": "宜君小美", "platform": "taobao", "followers": 52000,
            "categories": ["fruit"]}
CAMPAIGN = {"name": "双十一", "starts_at": "2026-11-01T00:00:00+08:00", "ends_at": "2026-11-12T00:00:00+08:00"}


@pytest.mark.parametrize("path, body, field", [
    ("/api/v1/products", {**PRODUCT, "stock": HUGE}, "stock"),
    ("/api/v1/products", {**PRODUCT, "stock": JUST_PAST_32_BITS}, "stock"),
    ("/api/v1/products", {**PRODUCT, "price_fen": HUGE}, "price_fen"),
    ("/api/v1/products", {**PRODUCT, "county_id": HUGE}, "county_id"),
    ("/api/v1/products", {**PRODUCT, "available_from": "9999-12-31"}, "available_from"),
    ("/api/v1/streamers", {**STREAMER, "followers": HUGE}, "followers"),
    ("/api/v1/campaigns", {**CAMPAIGN, "target_net_fen": HUGE}, "target_net_fen"),
    ("/api/v1/campaigns", {**CAMPAIGN, "starts_at": "0001-01-01T00:00:00+14:00"}, "starts_at"),
    ("/api/v1/campaigns", {**CAMPAIGN, "ends_at": "9999-12-31T23:59:59-12:00"}, "ends_at"),
    ("/api/v1/sessions", {"campaign_id": HUGE, "streamer_id": 1, "starts_at": "2026-11-11T20:00:00+08:00",
                          "ends_at": "2026-11-11T22:00:00+08:00", "product_ids": [1]}, "campaign_id"),
    ("/api/v1/sessions", {"campaign_id": 1, "streamer_id": 1, "starts_at": "2026-11-11T20:00:00+08:00",
                          "ends_at": "2026-11-11T22:00:00+08:00", "product_ids": [HUGE]}, "product_ids.0"),
])
def test_out_of_range_body_values_are_422_naming_the_field_and_store_nothing(app, client, admin, path, body, field):
    with app.app_context():
        body = {**body, "county_id": body.get("county_id", make_county().id)} if path == "/api/v1/products" else body
    before = counts(app)
    problem = assert_problem(client.post(path, json=body, headers=admin), 422)
    assert field in [error.get("field") for error in problem["errors"]]
    assert counts(app) == before


def test_enrolment_and_manual_pairing_references_beyond_the_database_are_422(app, client, admin):
    campaign = client.post("/api/v1/campaigns", json=CAMPAIGN, headers=admin).get_json()["id"]
    before = counts(app)
    for path, body, field in [(f"/api/v1/campaigns/{campaign}/products", {"product_id": HUGE}, "product_id"),
                              (f"/api/v1/campaigns/{campaign}/streamers", {"streamer_id": HUGE}, "streamer_id"),
                              (f"/api/v1/campaigns/{campaign}/pairings", {"streamer_id": HUGE, "product_id": 1},
                               "streamer_id")]:
        problem = assert_problem(client.post(path, json=body, headers=admin), 422)
        assert field in [error.get("field") for error in problem["errors"]], path
    assert counts(app) == before


@pytest.mark.parametrize("field, value", [("stock", str(HUGE)), ("price_yuan", "1e30")])
def test_product_form_refuses_numbers_beyond_the_database_beside_the_field(app, page_client, field, value):
    with app.app_context():
        county_id = make_county().id
    form = {"county_id": county_id, "name": "宜君苹果", "sku": "YJ-APPLE", "category": "fruit", "price_yuan": "39.90",
            "stock": "100", "unit": "箱", field: value}
    response = page_client.post("/products/new", data=form, headers={"Accept-Language": "en"})
    assert response.status_code in (200, 422)
    assert "Number must be between" in response.get_data(as_text=True)
    assert counts(app)[0] == 0


def test_a_value_out_of_range_deep_inside_is_still_a_422_problem_not_a_500(app, client):
    @app.get("/api/v1/test-overflow")
    def overflow():
        raise OverflowError("Python int too large to convert to SQLite INTEGER")

    problem = assert_problem(client.get("/api/v1/test-overflow"), 422)
    assert "outside the range" in problem["detail"]
