"""The sessions API keeps the contract's rules; time comes from the injected clock."""
from __future__ import annotations

import pytest

from tests.sessions.helpers import build, post, session_body

EVENING = ("2026-11-12T20:00:00+08:00", "2026-11-12T22:00:00+08:00")


def test_create_read_list_and_cancel(app, client):
    world = build(app, client)
    created = post(client, world.headers, "/sessions", session_body(world, *EVENING))
    assert created["status"] == "scheduled"
    assert created["product_ids"] == [world.products["apple"], world.products["mug"]]
    assert created["starts_at"].startswith("2026-11-12T12:00:00")
    got = client.get(f"/api/v1/sessions/{created['id']}", headers=world.headers).get_json()
    assert got["id"] == created["id"]
    by_day = client.get("/api/v1/sessions?day=2026-11-12", headers=world.headers).get_json()
    assert [s["id"] for s in by_day["items"]] == [created["id"]]
    assert client.get("/api/v1/sessions?day=2026-11-13", headers=world.headers).get_json()["total"] == 0
    by_streamer = client.get(f"/api/v1/sessions?streamer_id={world.streamers[1]}", headers=world.headers)
    assert by_streamer.get_json()["total"] == 0
    assert client.get(f"/api/v1/sessions?campaign_id={world.campaign_id}", headers=world.headers).get_json()["total"] == 1
    cancelled = post(client, world.headers, f"/sessions/{created['id']}/cancel", None, 200)
    assert cancelled["status"] == "cancelled"


def test_overlap_is_409_naming_the_session_and_respects_the_gap(app, client):
    world = build(app, client)
    first = post(client, world.headers, "/sessions", session_body(world, *EVENING))
    clash = post(client, world.headers, "/sessions",
                 session_body(world, "2026-11-12T21:00:00+08:00", "2026-11-12T23:00:00+08:00"), 409)
    assert f"session {first['id']}" in clash["detail"]
    # Default gap is 10 minutes: ending at 20:00 sharp is too close, 19:50 is fine.
    post(client, world.headers, "/sessions", session_body(world, "2026-11-12T18:00:00+08:00",
                                                          "2026-11-12T20:00:00+08:00"), 409)
    post(client, world.headers, "/sessions", session_body(world, "2026-11-12T18:00:00+08:00",
                                                          "2026-11-12T19:50:00+08:00"))
    # Another streamer may use the same slot; a cancelled session frees it.
    post(client, world.headers, "/sessions", session_body(world, *EVENING, streamer=1))
    post(client, world.headers, f"/sessions/{first['id']}/cancel", None, 200)
    post(client, world.headers, "/sessions", session_body(world, *EVENING))


def test_window_past_and_lineup_rules_are_422_naming_the_rule(app, client, clock):
    world = build(app, client)
    outside = post(client, world.headers, "/sessions", session_body(
        world, "2026-11-26T20:00:00+08:00", "2026-11-26T22:00:00+08:00"), 422)
    assert any("campaign window" in e["message"] for e in outside["errors"])
    past = post(client, world.headers, "/sessions", session_body(
        world, "2026-11-11T08:00:00+08:00", "2026-11-11T09:00:00+08:00"), 422)
    assert any("past" in e["message"] for e in past["errors"])
    cases = {
        ("mug",): "agricultural",
        ("apple", "grits", "mug", "empty"): "at most 3",
        ("spring",): "out of season",
        ("empty",): "out of stock",
    }
    for products, words in cases.items():
        problem = post(client, world.headers, "/sessions", session_body(world, *EVENING, products=products), 422)
        assert any(words in e["message"] for e in problem["errors"]), (products, problem)
    naive = session_body(world, "2026-11-12T20:00:00", "2026-11-12T22:00:00")
    assert client.post("/api/v1/sessions", json=naive, headers=world.headers).status_code == 422


def test_enrolment_and_closed_campaign(app, client):
    world = build(app, client)
    other = post(client, world.headers, "/streamers", {"handle": "outsider", "display_name": "O", "platform": "kuaishou",
                                                        "followers": 1, "categories": []})["id"]
    body = session_body(world, *EVENING)
    problem = post(client, world.headers, "/sessions", {**body, "streamer_id": other}, 422)
    assert problem["errors"][0]["field"] == "streamer_id"
    post(client, world.headers, f"/campaigns/{world.campaign_id}/status", {"status": "closed"}, 200)
    post(client, world.headers, "/sessions", body, 409)


def test_reschedule_checks_the_rules_and_keeps_the_length(app, client):
    world = build(app, client)
    a = post(client, world.headers, "/sessions", session_body(world, *EVENING))
    b = post(client, world.headers, "/sessions", session_body(world, "2026-11-13T20:00:00+08:00",
                                                              "2026-11-13T22:00:00+08:00"))
    moved = client.patch(f"/api/v1/sessions/{b['id']}", json={"starts_at": "2026-11-14T19:00:00+08:00"},
                         headers=world.headers)
    assert moved.status_code == 200
    assert moved.get_json()["ends_at"].startswith("2026-11-14T13:00:00")
    clash = client.patch(f"/api/v1/sessions/{b['id']}", json={"starts_at": "2026-11-12T21:00:00+08:00"},
                         headers=world.headers)
    assert clash.status_code == 409 and f"session {a['id']}" in clash.get_json()["detail"]
    lineup = client.patch(f"/api/v1/sessions/{b['id']}", json={"product_ids": [world.products["grits"]]},
                          headers=world.headers)
    assert lineup.status_code == 200 and lineup.get_json()["product_ids"] == [world.products["grits"]]
    post(client, world.headers, f"/sessions/{b['id']}/cancel", None, 200)
    again = client.patch(f"/api/v1/sessions/{b['id']}", json={"title": "x"}, headers=world.headers)
    assert again.status_code == 409


def test_streamers_read_only_their_own_sessions(app, client):
    from coordinator.extensions import db
    from coordinator.models import Streamer
    from tests.factories import bearer

    world = build(app, client)
    mine = post(client, world.headers, "/sessions", session_body(world, *EVENING))
    theirs = post(client, world.headers, "/sessions", session_body(world, *EVENING, streamer=1))
    with app.app_context():
        handle = db.session.get(Streamer, world.streamers[0]).handle
    host = bearer(app, "host", "streamer", streamer_handle=handle)
    assert client.get(f"/api/v1/sessions/{mine['id']}", headers=host).status_code == 200
    assert client.get(f"/api/v1/sessions/{theirs['id']}", headers=host).status_code == 404
    listed = client.get("/api/v1/me/sessions", headers=host).get_json()
    assert [s["id"] for s in listed["items"]] == [mine["id"]]
    assert client.post("/api/v1/sessions", json=session_body(world, *EVENING), headers=host).status_code == 403


@pytest.mark.parametrize("app_config", [{"COORDINATOR_TIMEZONE": "America/New_York"}])
def test_days_are_local_across_the_dst_change(app, client, clock, app_config):
    clock.current = clock.current.replace(month=10, day=30)
    world = build(app, client, starts="2026-10-30T00:00:00-04:00", ends="2026-11-05T00:00:00-05:00")
    created = post(client, world.headers, "/sessions", session_body(
        world, "2026-11-01T20:00:00-05:00", "2026-11-01T22:00:00-05:00"))
    assert created["starts_at"].startswith("2026-11-02T01:00:00")
    on = client.get("/api/v1/sessions?day=2026-11-01", headers=world.headers).get_json()
    off = client.get("/api/v1/sessions?day=2026-11-02", headers=world.headers).get_json()
    assert [s["id"] for s in on["items"]] == [created["id"]] and off["total"] == 0
