"""What a refusal or a trail must not give away: which products another campaign carries, what other campaigns did
with the same products, and that a hidden draft exists."""
from __future__ import annotations

from tests.access.world import bearer


def test_an_outsider_gets_the_same_refusal_for_enrolled_and_other_products(app, client, world):
    c = world.ids["C"]
    answers = {key: client.delete(f"/api/v1/campaigns/{c}/products/{world.ids[key]}", headers=bearer(world, "outsider"))
               for key in ("PB1", "PA3")}  # PB1 is enrolled in C, PA3 is not
    assert {key: answer.status_code for key, answer in answers.items()} == {"PB1": 403, "PA3": 403}
    assert answers["PB1"].get_json()["detail"] == answers["PA3"].get_json()["detail"]


def test_the_campaigns_trail_leaves_out_what_other_campaigns_did_with_its_products(app, client, world):
    admin, c, e = bearer(world, "admin"), world.ids["C"], world.ids["E"]
    assert client.post(f"/api/v1/campaigns/{e}/products", json={"product_id": world.ids["PB1"]},
                       headers=admin).status_code == 201
    assert client.patch(f"/api/v1/products/{world.ids['PB1']}", json={"stock": 4321}, headers=admin).status_code == 200
    trail = client.get(f"/api/v1/campaigns/{c}/audit", headers=bearer(world, "viewer")).get_json()
    about_pb1 = [(entry["action"], entry["entity_type"]) for entry in trail["entries"]
                 if entry["entity_id"] == world.ids["PB1"] and entry["entity_type"] == "products"]
    assert about_pb1 == [("update", "products")]  # the catalog edit, not campaign E's enrolment


def test_a_key_for_another_teams_draft_is_refused_like_one_for_no_campaign(app, client, world):
    answers = [client.post("/api/v1/ingest-keys", json={"name": "x", "campaign_ids": [campaign]},
                           headers=bearer(world, "outsider")) for campaign in (world.ids["D"], 987654)]
    assert [a.status_code for a in answers] == [422, 422]
    assert answers[0].get_json()["errors"][0]["field"] == "campaign_ids"


def test_a_clash_with_another_campaigns_session_names_its_times_not_its_id(app, client, world):
    admin, e = bearer(world, "admin"), world.ids["E"]
    assert client.post(f"/api/v1/campaigns/{e}/streamers", json={"streamer_id": world.ids["S1"]},
                       headers=admin).status_code == 201
    host_session = client.get(f"/api/v1/sessions/{world.ids['SS_host']}", headers=admin).get_json()
    clash = client.post("/api/v1/sessions", headers=admin, json={
        "campaign_id": e, "streamer_id": world.ids["S1"], "starts_at": host_session["starts_at"],
        "ends_at": host_session["ends_at"], "product_ids": [world.ids["PA4"]]})
    assert clash.status_code == 409
    detail = clash.get_json()["detail"]
    assert "already has a session in another campaign from " in detail and f"session {world.ids['SS_host']}" not in detail
