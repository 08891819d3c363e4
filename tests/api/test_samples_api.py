"""Samples over the API as CONTRACT section 7 words them: a pairing made by hand, accepted, its sample requested,
approved, shipped and received; 409 for any other move; the late listing; and the pushes the board follows."""
from __future__ import annotations


import pytest

from coordinator.extensions import db, socketio
from coordinator.models import AuditEntry, Sample
from tests.access.world import bearer, build
from tests.api.test_foundation_api import assert_problem

SHAPE = {"id", "pairing_id", "campaign_id", "streamer_id", "product_id", "quantity", "status", "carrier",
         "tracking_number"}


@pytest.fixture
def world(app, clock):
    with app.app_context():
        return build()


def test_the_whole_way_of_a_sample_as_the_contract_words_it(client, world):
    owner, host, partner = bearer(world, "owner"), bearer(world, "host"), bearer(world, "partner")
    made = client.post(f"/api/v1/campaigns/{world.ids['C']}/pairings", headers=owner,
                       json={"streamer_id": world.ids["S4"], "product_id": world.ids["PB1"]})
    assert made.status_code == 201
    pairing_id = made.get_json()["id"]
    asked = client.post("/api/v1/samples", headers=owner, json={"pairing_id": pairing_id})
    assert asked.status_code == 201
    body = asked.get_json()
    assert SHAPE <= set(body) and body["status"] == "requested" and body["quantity"] == 1
    assert (body["pairing_id"], body["campaign_id"], body["streamer_id"], body["product_id"]) == (
        pairing_id, world.ids["C"], world.ids["S4"], world.ids["PB1"])
    assert (body["carrier"], body["tracking_number"], body["tracking_url"]) == (None, None, None)
    sample = f"/api/v1/samples/{body['id']}"
    assert client.post(f"{sample}/approve", headers=partner).get_json()["status"] == "approved"
    shipped = client.post(f"{sample}/ship", headers=partner, json={"carrier": "yto", "tracking_number": "YT1234567890123"})
    assert shipped.status_code == 200
    assert shipped.get_json()["tracking_url"] == "https://www.kuaidi100.com/chaxun?com=yuantong&nu=YT1234567890123"
    assert client.get(sample, headers=owner).get_json()["status"] == "shipped"
    assert client.post(f"{sample}/receive", headers=owner).status_code == 403  # the host alone confirms
    assert client.post(f"{sample}/receive", headers=host).status_code == 404  # S4 is not the world's host


@pytest.mark.parametrize("key, move", [("SM_req", "ship"), ("SM_req", "receive"), ("SM_app", "approve"),
                                       ("SM_app", "receive"), ("SM_ship", "approve"), ("SM_ship", "cancel"),
                                       ("SM_ship", "reject"), ("SM_ship", "ship")])
def test_any_other_move_is_409_and_changes_nothing(app, client, world, key, move):
    who = bearer(world, "host" if move == "receive" else "owner")
    body = {"carrier": "sf", "tracking_number": "SF1234567890123"} if move == "ship" else None
    before = _row(app, world.ids[key])
    response = client.post(f"/api/v1/samples/{world.ids[key]}/{move}", headers=who, json=body)
    assert_problem(response, 409)
    assert _row(app, world.ids[key]) == before


def _row(app, sample_id: int) -> dict:
    with app.app_context():
        row = db.session.get(Sample, sample_id)
        audits = db.session.query(AuditEntry).count()
        return {"status": row.status, "carrier": row.carrier, "tracking": row.tracking_number, "audits": audits}


def test_a_declined_pairing_is_409_and_bad_bodies_are_422(client, world):
    host, owner = bearer(world, "host"), bearer(world, "owner")
    assert client.post(f"/api/v1/pairings/{world.ids['P_hostB1']}/decline", headers=host,
                       json={"reason": "不卖茶"}).status_code == 200
    assert_problem(client.post("/api/v1/samples", headers=host, json={"pairing_id": world.ids["P_hostB1"]}), 409)
    for body in ({"pairing_id": "1"}, {}, {"pairing_id": world.ids["P_host"], "quantity": 0},
                 {"pairing_id": world.ids["P_host"], "quantity": 99}, {"pairing_id": 987654}):
        assert_problem(client.post("/api/v1/samples", headers=owner, json=body), 422)
    shipping = f"/api/v1/samples/{world.ids['SM_app']}/ship"
    for body in ({"carrier": "fedex", "tracking_number": "SF1234567890123"}, {"carrier": "sf"},
                 {"carrier": "sf", "tracking_number": "SF12"}, {"carrier": "sf", "tracking_number": 1234567890123}):
        assert_problem(client.post(shipping, headers=owner, json=body), 422)
    assert_problem(client.post(f"/api/v1/samples/{world.ids['SM_req']}/reject", headers=owner,
                               json={"reason": 5}), 422)
    assert client.get(f"/api/v1/samples/{world.ids['SM_app']}", headers=owner).get_json()["status"] == "approved"


def test_the_late_listing_keeps_samples_not_received_before_a_session_with_their_product(app, client, world):
    owner, host = bearer(world, "owner"), bearer(world, "host")
    listing = f"/api/v1/campaigns/{world.ids['C']}/samples"
    assert client.get(f"{listing}?late=true", headers=owner).get_json()["samples"] == []
    late = client.post("/api/v1/samples", headers=host, json={"pairing_id": world.ids["P_hostB1"]}).get_json()
    # PB1 is in the host's session two days ahead, within SAMPLE_LEAD_DAYS (2).
    answer = client.get(f"{listing}?late=true", headers=owner).get_json()["samples"]
    assert [(s["id"], s["late"], s["late_session_ids"]) for s in answer] == [(late["id"], True, [world.ids["SS_host"]])]
    everything = client.get(listing, headers=owner).get_json()["samples"]
    assert len(everything) == 4 and sum(s["late"] for s in everything) == 1
    assert [s["id"] for s in client.get(f"{listing}?status=shipped", headers=owner).get_json()["samples"]] == [
        world.ids["SM_ship"]]
    assert_problem(client.get(f"{listing}?status=lost", headers=owner), 422)
    assert everything[0]["ship_to"]["recipient"] == "王小明"
    assert len(client.get(listing, headers=host).get_json()["samples"]) == 4  # the host's own, all of these


def test_bulk_approval_and_the_address_over_the_api(client, world):
    partner, host, outsider = bearer(world, "partner"), bearer(world, "host"), bearer(world, "outsider")
    url = f"/api/v1/campaigns/{world.ids['C']}/samples/approve"
    assert_problem(client.post(url, headers=partner, json={"sample_ids": [world.ids["SM_req"], 424242]}), 422)
    assert client.post(url, headers=partner, json={"sample_ids": [world.ids["SM_req"]]}).get_json() == {
        "approved": [world.ids["SM_req"]]}
    assert_problem(client.post(url, headers=partner, json={"sample_ids": []}), 422)
    address = f"/api/v1/streamers/{world.ids['S1']}/address"
    assert client.get(address, headers=partner).get_json()["recipient"] == "王小明"
    assert_problem(client.get(address, headers=outsider), 403)
    put = client.put(address, headers=host, json={"recipient": "王小明", "phone": "13800000001", "address": "新地址"})
    assert put.status_code == 200 and put.get_json()["address"] == "新地址"
    assert_problem(client.put(address, headers=host, json={"recipient": "", "phone": "1", "address": "x"}), 422)


def test_every_samples_route_is_in_the_openapi_document(client):
    paths = client.get("/api/v1/openapi.json").get_json()["paths"]
    for path in ("/api/v1/samples", "/api/v1/samples/{sample_id}", "/api/v1/samples/{sample_id}/ship",
                 "/api/v1/campaigns/{campaign_id}/samples", "/api/v1/campaigns/{campaign_id}/samples/approve",
                 "/api/v1/streamers/{streamer_id}/address"):
        assert path in paths, path


def test_the_board_and_the_host_hear_each_move_and_outsiders_do_not(app, client, world):
    def live(actor):
        return socketio.test_client(app, namespace="/live", auth={"token": world.tokens[actor]})

    owner, partner, host, other = live("owner"), live("partner"), live("host"), live("other_host")
    for socket in (owner, partner):
        assert socket.emit("subscribe", {"campaign_id": world.ids["C"]}, namespace="/live", callback=True)["ok"]
    for socket in (owner, partner, host, other):
        socket.get_received("/live")
    client.post(f"/api/v1/samples/{world.ids['SM_app']}/ship", headers=bearer(world, "partner"),
                json={"carrier": "sf", "tracking_number": "SF1234567890123"})
    for socket in (owner, partner, host):
        pushed = [m for m in socket.get_received("/live") if m["name"] == "sample"]
        assert [(m["args"][0]["id"], m["args"][0]["status"]) for m in pushed] == [(world.ids["SM_app"], "shipped")]
    assert other.get_received("/live") == []
