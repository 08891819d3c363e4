"""/live in the access matrix: who connects, which scopes each actor may subscribe to (from the README's table:
`campaign.tally` for C, `item.read` for the host's session), and what a revocation does to open connections."""
from __future__ import annotations

import pytest

from coordinator.extensions import db, socketio
from coordinator.models import ApiToken
from coordinator.realtime import live_guard
from tests.access.matrix import logged_in
from tests.access.policy import mark
from tests.access.world import ACTORS

# What the README's prose adds for screens: a screen link watches its campaign and that campaign's sessions.
SCREEN = {"C": True, "SS_host": True}
# Scopes outside the table, restated from the policy: draft D is its team's alone; E is the admin's campaign,
# where the owner is a partner (their county's product PA4 is enrolled) and the other host is enrolled.
BEYOND = {
    "D": {"admin", "owner", "editor", "viewer"},
    "E": {"admin", "owner", "other_host"},
    "SS_other": {"admin", "owner", "other_host"},
}


def allowed(actor: str, scope: str) -> bool:
    """Whether the actor's subscription to a scope is acknowledged, by the README's rules."""
    if actor == "screen":
        return SCREEN.get(scope, False)
    if scope in BEYOND:
        return actor in BEYOND[scope]
    return mark("campaign.tally" if scope == "C" else "item.read", actor) == "✓"


def payload(world, scope: str) -> dict:
    return {"session_id": world.ids[scope]} if scope.startswith("SS") else {"campaign_id": world.ids[scope]}


def test_each_actor_connects_and_subscribes_as_the_policy_says(app, world):
    wrong = []
    for actor in ACTORS:
        token = world.tokens.get(actor)
        socket = socketio.test_client(app, namespace="/live", auth={"token": token} if token else None)
        if actor in ("anonymous", "revoked"):
            if socket.is_connected("/live"):
                wrong.append(f"{actor} connected")
            continue
        for scope in ("C", "SS_host", "D", "E", "SS_other"):
            ack = socket.emit("subscribe", payload(world, scope), namespace="/live", callback=True)
            if ack["ok"] is not allowed(actor, scope):
                wrong.append(f"{actor} subscribing to {scope}: expected {allowed(actor, scope)}, got {ack}")
        socket.disconnect(namespace="/live")
    assert not wrong, "\n".join(wrong)


@pytest.mark.parametrize("bad", [{"campaign_id": 2**70}, {"session_id": 2**31}, {"campaign_id": 0},
                                 {"campaign_id": True}, {"campaign_id": "1"}, {"campaign_id": 1, "session_id": 1},
                                 {"campaign_id": 987654}, [], None])
def test_a_subscribe_out_of_range_or_malformed_gets_an_error_ack(app, world, bad):
    socket = socketio.test_client(app, namespace="/live", auth={"token": world.tokens["admin"]})
    ack = socket.emit("subscribe", bad, namespace="/live", callback=True)
    assert ack["ok"] is False and ack["error"]
    assert socket.is_connected("/live")


def test_page_sessions_connect_with_their_cookie_and_get_the_same_answers(app, world):
    for actor in ("owner", "partner", "outsider", "host", "other_host"):
        socket = socketio.test_client(app, namespace="/live", flask_test_client=logged_in(app, actor))
        got = [socket.emit("subscribe", payload(world, s), namespace="/live", callback=True)["ok"]
               for s in ("C", "SS_host")]
        assert got == [allowed(actor, "C"), allowed(actor, "SS_host")], actor


def _watching(app, world, scope: str = "C", **auth) -> object:
    """A client subscribed to a scope, after a sweep that has seen the access epoch as it stands (so that only a
    change made afterwards can cut it)."""
    socket = socketio.test_client(app, namespace="/live", **auth)
    assert socket.emit("subscribe", payload(world, scope), namespace="/live", callback=True)["ok"]
    live_guard.sweep(app, force=True)  # (it also lets go of the clients earlier tests left behind)
    assert socket.is_connected("/live")
    return socket


def test_revoking_a_screen_link_cuts_its_open_screen(app, world, client):
    screen = _watching(app, world, auth={"token": world.tokens["screen"]})
    bystander = _watching(app, world, auth={"token": world.tokens["owner"]})
    headers = {"Authorization": f"Bearer {world.tokens['owner']}"}
    assert client.post(f"/api/v1/screens/{world.ids['SC']}/revoke", headers=headers).status_code == 200
    live_guard.sweep(app, force=False)  # what each process's sweeper does within the second
    assert not screen.is_connected("/live") and bystander.is_connected("/live")
    again = socketio.test_client(app, namespace="/live", auth={"token": world.tokens["screen"]})
    assert not again.is_connected("/live")


def test_revoking_an_api_token_cuts_its_socket_and_refuses_its_subscribe(app, world, client):
    socket = _watching(app, world, auth={"token": world.tokens["editor"]})
    with app.app_context():
        token_id = db.session.query(ApiToken).filter_by(name="matrix", user_id=world.ids["user:editor"]).one().id
    headers = {"Authorization": f"Bearer {world.tokens['editor']}"}
    assert client.post(f"/api/v1/me/tokens/{token_id}/revoke", headers=headers).status_code == 200
    ack = socket.emit("subscribe", payload(world, "SS_host"), namespace="/live", callback=True)
    assert ack["ok"] is False  # every subscribe asks again, before any sweep
    live_guard.sweep(app, force=False)
    assert not socket.is_connected("/live")


def test_taking_a_viewer_off_the_team_cuts_their_socket(app, world, client):
    viewer = _watching(app, world, flask_test_client=logged_in(app, "viewer"))
    owner = {"Authorization": f"Bearer {world.tokens['owner']}"}
    left = client.delete(f"/api/v1/campaigns/{world.ids['C']}/members/{world.ids['user:viewer']}", headers=owner)
    assert left.status_code == 204
    live_guard.sweep(app, force=False)
    assert not viewer.is_connected("/live")


def test_signing_out_cuts_the_pages_socket(app, world):
    browser = logged_in(app, "host")
    socket = _watching(app, world, flask_test_client=browser)
    assert browser.post("/logout").status_code == 302
    live_guard.sweep(app, force=False)
    assert not socket.is_connected("/live")


def test_a_sweep_with_nothing_changed_cuts_nobody(app, world):
    sockets = [_watching(app, world, auth={"token": world.tokens[actor]}) for actor in ("owner", "host", "screen")]
    live_guard.sweep(app, force=True)
    assert live_guard.sweep(app, force=False) == []
    assert all(socket.is_connected("/live") for socket in sockets)


def test_a_lineup_without_the_partners_products_cuts_their_session_socket(app, world, client):
    partner = _watching(app, world, "SS_host", auth={"token": world.tokens["partner"]})
    owner = {"Authorization": f"Bearer {world.tokens['owner']}"}
    changed = client.patch(f"/api/v1/sessions/{world.ids['SS_host']}", json={"product_ids": [world.ids["PA1"]]},
                           headers=owner)
    assert changed.status_code == 200
    live_guard.sweep(app, force=False)
    assert not partner.is_connected("/live")


def test_moving_the_partners_products_to_another_county_cuts_their_campaign_socket(app, world, client):
    partner = _watching(app, world, auth={"token": world.tokens["partner"]})
    admin = {"Authorization": f"Bearer {world.tokens['admin']}"}
    for product in ("PB1", "PB2"):
        moved = client.patch(f"/api/v1/products/{world.ids[product]}", json={"county_id": world.ids["Z"]}, headers=admin)
        assert moved.status_code == 200
    live_guard.sweep(app, force=False)
    assert not partner.is_connected("/live")
