"""Commissioners manage ingest keys and screen links; streamers and strangers cannot."""
from __future__ import annotations

import re

from tests.api.test_foundation_api import assert_problem
from tests.api.test_planning_api import DOUBLE_11
from tests.factories import bearer, make_streamer, make_user


def test_ingest_keys_through_the_api(app, client):
    admin = bearer(app, "chief", "commissioner")
    made = client.post("/api/v1/ingest-keys", json={"name": "taobao"}, headers=admin)
    assert made.status_code == 201 and len(made.get_json()["secret"]) == 64
    key = made.get_json()
    listed = client.get("/api/v1/ingest-keys", headers=admin).get_json()["keys"]
    assert [k["key_id"] for k in listed] == [key["key_id"]] and "secret" not in listed[0]
    rotated = client.post(f"/api/v1/ingest-keys/{key['id']}/rotate", json={"grace_hours": 2}, headers=admin).get_json()
    assert rotated["secret"] != key["secret"] and rotated["previous_valid_until"]
    assert client.post(f"/api/v1/ingest-keys/{key['id']}/revoke", headers=admin).get_json()["revoked_at"]
    assert_problem(client.post(f"/api/v1/ingest-keys/{key['id']}/rotate", json={}, headers=admin), 409)
    assert_problem(client.post("/api/v1/ingest-keys/999/revoke", headers=admin), 404)
    assert_problem(client.post("/api/v1/ingest-keys", json={"name": ""}, headers=admin), 422)


def test_only_an_admin_or_the_keys_maker_may_rotate_or_revoke_it(app, client):
    """A platform's key stops all its sales when revoked: a commissioner of some other county may not do that."""
    maker, other = bearer(app, "maker", "commissioner"), bearer(app, "other", "commissioner")
    admin = bearer(app, "chief", "commissioner", is_admin=True)
    key = client.post("/api/v1/ingest-keys", json={"name": "taobao"}, headers=maker).get_json()
    for action, body in (("rotate", {"grace_hours": 2}), ("revoke", None)):
        assert_problem(client.post(f"/api/v1/ingest-keys/{key['id']}/{action}", json=body, headers=other), 403)
    assert client.get("/api/v1/ingest-keys", headers=other).get_json()["keys"][0]["revoked_at"] is None
    assert client.post(f"/api/v1/ingest-keys/{key['id']}/rotate", json={}, headers=maker).status_code == 200
    assert client.post(f"/api/v1/ingest-keys/{key['id']}/revoke", headers=admin).status_code == 200
    with app.app_context():
        from coordinator.models import AuditEntry
        from coordinator.extensions import db

        trail = [(e.action, e.entity_type) for e in db.session.query(AuditEntry).order_by(AuditEntry.id)]
        assert trail == [("rotate", "ingest_keys"), ("revoke", "ingest_keys")]
        assert key["secret"] not in str([e.after for e in db.session.query(AuditEntry)])


def test_the_keys_page_offers_rotate_and_revoke_only_where_the_user_may(app, client):
    with app.app_context():
        make_user("maker", password="correct horse")
        make_user("other", password="correct horse")
    maker, other = app.test_client(), app.test_client()
    for browser, name in ((maker, "maker"), (other, "other")):
        assert browser.post("/login", data={"username": name, "password": "correct horse"}).status_code == 302
    assert maker.post("/ingest-keys", data={"name": "抖音"}).status_code == 200
    key_id = int(re.search(r"/ingest-keys/(\d+)/rotate", maker.get("/ingest-keys").get_data(as_text=True)).group(1))
    assert "/rotate" not in other.get("/ingest-keys").get_data(as_text=True)
    assert other.post(f"/ingest-keys/{key_id}/revoke").status_code == 302
    assert "Revoked" not in maker.get("/ingest-keys", headers={"Accept-Language": "en"}).get_data(as_text=True)


def test_screen_links_through_the_api(app, client):
    admin = bearer(app, "chief", "commissioner")
    campaign_id = client.post("/api/v1/campaigns", json=DOUBLE_11, headers=admin).get_json()["id"]
    made = client.post(f"/api/v1/campaigns/{campaign_id}/screens", json={"name": "县政府大屏"}, headers=admin).get_json()
    assert made["path"].startswith("/screen/lcc_screen_")
    assert client.get(made["path"]).status_code == 200
    assert client.post(f"/api/v1/screens/{made['id']}/revoke", headers=admin).status_code == 200
    assert client.get(made["path"]).status_code == 404
    assert [s["name"] for s in client.get(f"/api/v1/campaigns/{campaign_id}/screens", headers=admin).get_json()["screens"]] == ["县政府大屏"]
    assert_problem(client.post("/api/v1/campaigns/999/screens", json={"name": "x"}, headers=admin), 404)


def test_streamers_may_not_manage_keys(app, client):
    with app.app_context():
        make_streamer("host")
    host = bearer(app, "host", "streamer", streamer_handle="host")
    assert_problem(client.get("/api/v1/ingest-keys", headers=host), 403)
    assert_problem(client.post("/api/v1/ingest-keys", json={"name": "x"}, headers=host), 403)
    assert_problem(client.get("/api/v1/ingest-keys"), 401)


def test_key_pages_show_a_secret_once(app, client):
    with app.app_context():
        make_user("chief", "commissioner")
    client.post("/login", data={"username": "chief", "password": "correct horse"})
    page = client.post("/ingest-keys", data={"name": "抖音"}).get_data(as_text=True)
    shown = re.search(r'value="(ik_\w+) (\w{64})"', page)
    assert shown
    listing = client.get("/ingest-keys").get_data(as_text=True)
    assert shown.group(1) in listing and shown.group(2) not in listing
