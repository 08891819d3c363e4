"""The /live namespace in the access matrix: who connects, and which scopes each actor may subscribe to."""
from __future__ import annotations

from datetime import datetime, timezone

from sqlalchemy import select

from coordinator.extensions import db, socketio
from coordinator.models import Campaign, LiveSession, User
from tests.access.matrix import page_clients
from tests.access.world import ACTORS, build

# Scopes: the demo campaign; a session of the demo host; a session of the other host; a campaign neither host
# is enrolled in and the screen does not show; a campaign id that does not exist.
SCOPES = ("campaign", "host_session", "other_session", "other_campaign", "missing_campaign")
# None: cannot connect. Otherwise True/False per scope, in the order of SCOPES.
EXPECTED = {
    "anonymous": None,
    "revoked": None,
    "owner": (True, True, True, True, False),
    "outsider": (True, True, True, True, False),
    "host": (True, True, False, False, False),
    "other_host": (True, False, True, False, False),
    "screen": (True, True, True, False, False),
}


def scope_payloads(world) -> dict[str, dict]:
    host_streamer = db.session.scalar(select(User.streamer_id).where(User.username == world.logins["host"][0]))
    other = Campaign(name="另一场活动", starts_at=datetime(2026, 12, 1, tzinfo=timezone.utc),
                     ends_at=datetime(2026, 12, 2, tzinfo=timezone.utc))
    db.session.add(other)
    db.session.commit()
    return {"campaign": {"campaign_id": world.ids["campaign_id"]},
            "host_session": {"session_id": db.session.scalar(select(LiveSession.id).where(
                LiveSession.streamer_id == host_streamer))},
            "other_session": {"session_id": world.ids["session_id"]},
            "other_campaign": {"campaign_id": other.id}, "missing_campaign": {"campaign_id": 987654}}


def test_each_actor_connects_and_subscribes_exactly_as_the_matrix_says(app, clock):
    with app.app_context():
        world = build()
        payloads = scope_payloads(world)
    assert set(EXPECTED) == set(ACTORS)
    wrong = []
    for actor in ACTORS:
        token = world.tokens.get(actor)
        socket = socketio.test_client(app, namespace="/live", auth={"token": token} if token else None)
        if EXPECTED[actor] is None:
            if socket.is_connected("/live"):
                wrong.append(f"{actor} connected")
            continue
        for scope, allowed in zip(SCOPES, EXPECTED[actor]):
            ack = socket.emit("subscribe", payloads[scope], namespace="/live", callback=True)
            if ack["ok"] is not allowed:
                wrong.append(f"{actor} subscribing to {scope}: expected {allowed}, got {ack}")
        socket.disconnect(namespace="/live")
    assert not wrong, "\n".join(wrong)


def test_page_sessions_connect_with_their_cookie_and_get_the_same_answers(app, clock):
    with app.app_context():
        world = build()
        payloads = scope_payloads(world)
    clients = page_clients(app, world)
    for actor in ("owner", "host", "other_host"):
        socket = socketio.test_client(app, namespace="/live", flask_test_client=clients[actor])
        got = tuple(socket.emit("subscribe", payloads[s], namespace="/live", callback=True)["ok"] for s in SCOPES)
        assert got == EXPECTED[actor], actor
