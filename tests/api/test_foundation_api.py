"""The API's foundation: bearer auth, the problem+json shape, the OpenAPI document."""
from __future__ import annotations

from coordinator.extensions import db
from coordinator.models import ApiToken
from tests.factories import bearer


def assert_problem(response, status: int) -> dict:
    """The response is an RFC 9457 problem with the given status."""
    assert response.status_code == status, response.get_data(as_text=True)
    assert response.mimetype == "application/problem+json"
    body = response.get_json()
    assert {"type", "title", "status", "detail"} <= body.keys()
    assert body["status"] == status
    return body


def test_me_answers_with_the_tokens_account(app, client):
    headers = bearer(app, "wang", "commissioner")
    response = client.get("/api/v1/me", headers=headers)
    assert response.status_code == 200
    assert response.get_json()["username"] == "wang"
    assert response.get_json()["role"] == "commissioner"


def test_no_token_is_401_problem(client):
    assert_problem(client.get("/api/v1/me"), 401)


def test_unknown_and_malformed_tokens_are_401(client):
    assert_problem(client.get("/api/v1/me", headers={"Authorization": "Bearer lcc_api_nope"}), 401)
    assert_problem(client.get("/api/v1/me", headers={"Authorization": "Basic abc"}), 401)


def test_revoked_token_is_401(app, client):
    headers = bearer(app)
    with app.app_context():
        token = db.session.query(ApiToken).one()
        token.revoked_at = token.created_at
        db.session.commit()
    assert_problem(client.get("/api/v1/me", headers=headers), 401)


def test_tokens_are_stored_hashed(app):
    headers = bearer(app)
    secret = headers["Authorization"].split()[1]
    with app.app_context():
        stored = db.session.query(ApiToken).one()
        assert secret not in (stored.token_hash, stored.prefix) and len(stored.token_hash) == 64


def test_unmatched_api_url_is_problem_json(client):
    body = assert_problem(client.get("/api/v1/no-such-thing"), 404)
    assert "no-such-thing" not in body["type"]
    assert_problem(client.get("/api/nothing"), 404)


def test_wrong_method_is_405_problem(app, client):
    assert_problem(client.delete("/api/v1/me", headers=bearer(app)), 405)


def test_malformed_json_body_is_400(app, client):
    headers = {**bearer(app), "Content-Type": "application/json"}
    assert_problem(client.post("/api/v1/me/tokens", data="{not json", headers=headers), 400)
    assert_problem(client.post("/api/v1/me/tokens", data="[1, 2]", headers=headers), 400)
    assert_problem(client.post("/api/v1/me/tokens", data="name=x", headers={**headers, "Content-Type": "text/plain"}), 400)


def test_body_over_two_mebibytes_is_413(app, client):
    headers = {**bearer(app), "Content-Type": "application/json"}
    body = b'{"x": "' + b"a" * (2 * 1024 * 1024) + b'"}'
    assert_problem(client.post("/api/v1/me/tokens", data=body, headers=headers), 413)


def test_openapi_is_served_without_authentication(client):
    response = client.get("/api/v1/openapi.json")
    assert response.status_code == 200
    document = response.get_json()
    assert document["openapi"].startswith("3.")
    assert "/api/v1/me" in document["paths"]
    assert "bearer" in document["components"]["securitySchemes"]


def test_token_created_through_the_api_works_once_shown(app, client):
    headers = bearer(app)
    created = client.post("/api/v1/me/tokens", json={"name": "spreadsheet robot", "extra": 1}, headers=headers)
    assert created.status_code == 201
    token = created.get_json()["token"]
    assert client.get("/api/v1/me", headers={"Authorization": f"Bearer {token}"}).status_code == 200
    listed = client.get("/api/v1/me/tokens", headers=headers).get_json()["tokens"]
    assert [t["name"] for t in listed] == ["spreadsheet robot", "test"]
    assert all("token" not in t for t in listed)


def test_revoked_token_stops_working_at_once(app, client):
    headers = bearer(app)
    created = client.post("/api/v1/me/tokens", json={"name": "temp"}, headers=headers).get_json()
    assert client.post(f"/api/v1/me/tokens/{created['id']}/revoke", headers=headers).status_code == 200
    assert_problem(client.get("/api/v1/me", headers={"Authorization": f"Bearer {created['token']}"}), 401)


def test_invalid_token_name_is_422_with_field_errors_and_stores_nothing(app, client):
    headers = bearer(app)
    for body in ({}, {"name": ""}, {"name": 12}, {"name": "x" * 121}):
        problem = assert_problem(client.post("/api/v1/me/tokens", json=body, headers=headers), 422)
        assert problem["errors"][0]["field"] == "name"
    assert len(client.get("/api/v1/me/tokens", headers=headers).get_json()["tokens"]) == 1


def test_revoking_someone_elses_token_is_404(app, client):
    mine = bearer(app, "alice")
    theirs = bearer(app, "bob")
    their_id = client.get("/api/v1/me/tokens", headers=theirs).get_json()["tokens"][0]["id"]
    assert_problem(client.post(f"/api/v1/me/tokens/{their_id}/revoke", headers=mine), 404)
    assert client.get("/api/v1/me", headers=theirs).status_code == 200
