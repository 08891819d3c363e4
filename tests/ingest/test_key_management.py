"""Ingest keys are scoped to the campaigns their maker changes (only an admin's may post for every campaign);
screen links belong to a campaign's team; streamers and strangers manage neither."""
from __future__ import annotations

import re

from coordinator.extensions import db
from coordinator.models import AuditEntry, IngestKey, SaleEvent, User
from tests.api.test_foundation_api import assert_problem
from tests.api.test_planning_api import DOUBLE_11
from tests.factories import bearer, make_streamer, make_user
from tests.ingest.helpers import event, open_shop, post_sales


def _campaign(client, headers) -> int:
    made = client.post("/api/v1/campaigns", json=DOUBLE_11, headers=headers)
    assert made.status_code == 201
    return made.get_json()["id"]


def test_an_admin_makes_a_key_for_every_campaign_and_manages_it(app, client):
    admin = bearer(app, "chief", "commissioner", is_admin=True)
    made = client.post("/api/v1/ingest-keys", json={"name": "taobao"}, headers=admin)
    assert made.status_code == 201 and len(made.get_json()["secret"]) == 64 and made.get_json()["campaign_ids"] is None
    key = made.get_json()
    listed = client.get("/api/v1/ingest-keys", headers=admin).get_json()["keys"]
    assert [k["key_id"] for k in listed] == [key["key_id"]] and "secret" not in listed[0]
    rotated = client.post(f"/api/v1/ingest-keys/{key['id']}/rotate", json={"grace_hours": 2}, headers=admin).get_json()
    assert rotated["secret"] != key["secret"] and rotated["previous_valid_until"]
    assert client.post(f"/api/v1/ingest-keys/{key['id']}/revoke", headers=admin).get_json()["revoked_at"]
    assert_problem(client.post(f"/api/v1/ingest-keys/{key['id']}/rotate", json={}, headers=admin), 409)
    assert_problem(client.post("/api/v1/ingest-keys/999/revoke", headers=admin), 404)
    assert_problem(client.post("/api/v1/ingest-keys", json={"name": ""}, headers=admin), 422)


def test_a_commissioner_names_the_campaigns_they_own_and_nobody_else_touches_the_key(app, client):
    maker, other = bearer(app, "maker", "commissioner"), bearer(app, "other", "commissioner")
    admin = bearer(app, "chief", "commissioner", is_admin=True)
    mine, theirs = _campaign(client, maker), _campaign(client, other)
    assert_problem(client.post("/api/v1/ingest-keys", json={"name": "taobao"}, headers=maker), 403)
    for hidden in (theirs, 999):  # another team's draft is as unknown as a campaign that does not exist
        assert_problem(client.post("/api/v1/ingest-keys", json={"name": "taobao", "campaign_ids": [hidden]},
                                   headers=maker), 422)
    client.post(f"/api/v1/campaigns/{theirs}/status", json={"status": "published"}, headers=other)
    assert_problem(client.post("/api/v1/ingest-keys", json={"name": "taobao", "campaign_ids": [theirs]},
                               headers=maker), 403)
    key = client.post("/api/v1/ingest-keys", json={"name": "taobao", "campaign_ids": [mine]}, headers=maker).get_json()
    assert key["campaign_ids"] == [mine]
    assert client.get("/api/v1/ingest-keys", headers=other).get_json()["keys"] == []
    for action, body in (("rotate", {"grace_hours": 2}), ("revoke", None)):
        assert_problem(client.post(f"/api/v1/ingest-keys/{key['id']}/{action}", json=body, headers=other), 404)
    with app.app_context():
        assert db.session.get(IngestKey, key["id"]).revoked_at is None
    assert client.post(f"/api/v1/ingest-keys/{key['id']}/rotate", json={}, headers=maker).status_code == 200
    assert client.post(f"/api/v1/ingest-keys/{key['id']}/revoke", headers=admin).status_code == 200
    with app.app_context():
        trail = [(e.action, e.entity_type) for e in db.session.query(AuditEntry).filter_by(entity_type="ingest_keys")
                 .order_by(AuditEntry.id)]
        assert trail == [("create", "ingest_keys"), ("rotate", "ingest_keys"), ("revoke", "ingest_keys")]
        assert key["secret"] not in str([e.after for e in db.session.query(AuditEntry)])


def test_the_campaigns_editors_manage_its_key_and_a_maker_who_left_the_team_does_not(app, client):
    owner, editor = bearer(app, "owner", "commissioner"), bearer(app, "editor", "commissioner")
    mine = _campaign(client, owner)
    with app.app_context():
        editor_id = db.session.query(User).filter_by(username="editor").one().id
    team = f"/api/v1/campaigns/{mine}/members"
    assert client.post(team, json={"user_id": editor_id, "role": "editor"}, headers=owner).status_code == 201
    key = client.post("/api/v1/ingest-keys", json={"name": "pdd", "campaign_ids": [mine]}, headers=editor).get_json()
    listed = client.get("/api/v1/ingest-keys", headers=owner).get_json()["keys"]
    assert [k["id"] for k in listed] == [key["id"]]
    assert client.post(f"/api/v1/ingest-keys/{key['id']}/rotate", json={}, headers=owner).status_code == 200
    assert client.delete(f"{team}/{editor_id}", headers=owner).status_code == 204
    assert_problem(client.post(f"/api/v1/ingest-keys/{key['id']}/rotate", json={}, headers=editor), 403)
    assert client.post(f"/api/v1/ingest-keys/{key['id']}/revoke", headers=owner).status_code == 200
    with app.app_context():
        assert db.session.get(IngestKey, key["id"]).revoked_at is not None


def test_a_key_posts_only_into_its_own_campaigns(app, client, clock):
    """A key minted for one campaign once stored sales in any session; now such a batch is refused whole."""
    with app.app_context():
        shop = open_shop(clock())
    owner_headers = bearer(app, "owner2", "commissioner")
    elsewhere = _campaign(client, owner_headers)
    scoped = client.post("/api/v1/ingest-keys", json={"name": "抖音", "campaign_ids": [elsewhere]},
                         headers=owner_headers).get_json()
    shop.key_id, shop.secret = scoped["key_id"], scoped["secret"]
    refused = post_sales(client, shop, {"events": [event(shop, "o-1")]}, timestamp=int(clock().timestamp()))
    assert refused.status_code == 422 and refused.get_json()["errors"][0]["index"] == 0
    with app.app_context():
        assert db.session.query(SaleEvent).count() == 0


def test_the_keys_page_offers_rotate_and_revoke_only_where_the_user_may(app, client):
    with app.app_context():
        make_user("maker", password="correct horse")
        make_user("other", password="correct horse")
    maker, other = app.test_client(), app.test_client()
    for browser, name in ((maker, "maker"), (other, "other")):
        assert browser.post("/login", data={"username": name, "password": "correct horse"}).status_code == 302
    campaign = maker.post("/campaigns/new", data={"name": "双十一", "starts_at": "2026-11-12T00:00",
                                                  "ends_at": "2026-11-20T00:00", "min_agri_products_per_session": "1",
                                                  "max_products_per_session": "5"})
    campaign_id = int(campaign.headers["Location"].rsplit("/", 1)[1])
    assert maker.post("/ingest-keys", data={"name": "抖音", "campaign_ids": str(campaign_id)}).status_code == 200
    key_id = int(re.search(r"/ingest-keys/(\d+)/rotate", maker.get("/ingest-keys").get_data(as_text=True)).group(1))
    assert "抖音" not in other.get("/ingest-keys").get_data(as_text=True)
    assert other.post(f"/ingest-keys/{key_id}/revoke").status_code == 404
    assert other.post(f"/ingest-keys/{key_id}/rotate").status_code == 404
    refused = other.post("/ingest-keys", data={"name": "x", "campaign_ids": str(campaign_id)},
                         headers={"Accept-Language": "en"})  # another team's draft: as if there were none
    assert refused.status_code == 200 and "you have none open yet" in refused.get_data(as_text=True)
    with app.app_context():
        key = db.session.get(IngestKey, key_id)
        assert key.revoked_at is None and key.previous_secret is None and db.session.query(IngestKey).count() == 1


def test_screen_links_through_the_api(app, client):
    owner = bearer(app, "chief", "commissioner")
    campaign_id = _campaign(client, owner)
    made = client.post(f"/api/v1/campaigns/{campaign_id}/screens", json={"name": "县政府大屏"}, headers=owner).get_json()
    assert made["path"].startswith("/screen/lcc_screen_")
    assert client.get(made["path"]).status_code == 200
    outsider = bearer(app, "other", "commissioner")
    assert_problem(client.post(f"/api/v1/screens/{made['id']}/revoke", headers=outsider), 404)  # a draft's link
    assert client.post(f"/api/v1/screens/{made['id']}/revoke", headers=owner).status_code == 200
    assert client.get(made["path"]).status_code == 404
    assert [s["name"] for s in client.get(f"/api/v1/campaigns/{campaign_id}/screens", headers=owner).get_json()["screens"]] == ["县政府大屏"]
    assert_problem(client.post("/api/v1/campaigns/999/screens", json={"name": "x"}, headers=owner), 404)
    with app.app_context():
        assert [e.action for e in db.session.query(AuditEntry).filter_by(entity_type="screen_tokens")] == [
            "create", "revoke"]


def test_streamers_may_not_manage_keys(app, client):
    with app.app_context():
        make_streamer("host")
    host = bearer(app, "host", "streamer", streamer_handle="host")
    assert_problem(client.get("/api/v1/ingest-keys", headers=host), 403)
    assert_problem(client.post("/api/v1/ingest-keys", json={"name": "x"}, headers=host), 403)
    assert_problem(client.get("/api/v1/ingest-keys"), 401)


def test_key_pages_show_a_secret_once(app, client):
    with app.app_context():
        make_user("chief", "commissioner", is_admin=True)
    client.post("/login", data={"username": "chief", "password": "correct horse"})
    page = client.post("/ingest-keys", data={"name": "抖音", "every_campaign": "y"}).get_data(as_text=True)
    shown = re.search(r'value="(ik_\w+) (\w{64})"', page)
    assert shown
    listing = client.get("/ingest-keys").get_data(as_text=True)
    assert shown.group(1) in listing and shown.group(2) not in listing
