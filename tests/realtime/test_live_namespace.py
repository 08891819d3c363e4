"""/live: who may connect, what each may subscribe to, and pairing changes pushed to planners."""
from __future__ import annotations

import pytest

from coordinator.extensions import db, socketio
from coordinator.models import User
from coordinator.services import screen_links
from tests import snapshots
from tests.factories import api_token


@pytest.fixture
def demo_logins(app, clock):
    clock.current = clock.current.replace(day=22)
    with app.app_context():
        logins = snapshots.demo()
        host = db.session.query(User).filter_by(username=logins.streamer[0]).one()
        return logins, api_token(host), host.streamer_id


def live(app, token=None, client=None):
    return socketio.test_client(app, namespace="/live", auth={"token": token} if token else None, flask_test_client=client)


def test_anonymous_and_bad_tokens_are_refused(app, demo_logins):
    assert not live(app).is_connected("/live")
    assert not live(app, "lcc_api_nope").is_connected("/live")
    assert not live(app, "lcc_screen_nope").is_connected("/live")


def test_commissioner_token_subscribes_and_gets_a_full_snapshot(app, demo_logins):
    logins, _host, _sid = demo_logins
    socket = live(app, logins.api_token)
    ack = socket.emit("subscribe", {"campaign_id": logins.campaign_id}, namespace="/live", callback=True)
    assert ack["ok"] is True
    snapshot = ack["snapshot"]
    assert (snapshot["scope"], snapshot["id"], snapshot["seq"]) == ("campaign", logins.campaign_id, 0)
    assert snapshot["totals"] == {"orders": 0, "units": 0, "gross_fen": 0, "refunded_fen": 0, "net_fen": 0}
    assert {"by_county", "by_streamer", "by_product", "at"} <= snapshot.keys()


@pytest.mark.parametrize("payload", [{}, {"campaign_id": "1"}, {"campaign_id": 1, "session_id": 1}, [1], None,
                                     {"campaign_id": True}])
def test_malformed_subscriptions_are_refused_in_the_ack(app, demo_logins, payload):
    socket = live(app, demo_logins[0].api_token)
    ack = socket.emit("subscribe", payload, namespace="/live", callback=True)
    assert ack["ok"] is False and ack["error"]


def test_screen_token_reaches_only_its_own_campaign(app, demo_logins):
    logins, _host, _sid = demo_logins
    from datetime import datetime, timezone

    from coordinator.models import Campaign

    with app.app_context():
        other = Campaign(name="其他活动", starts_at=datetime(2026, 12, 1, tzinfo=timezone.utc),
                         ends_at=datetime(2026, 12, 2, tzinfo=timezone.utc))
        db.session.add(other)
        db.session.commit()
        other_id = other.id
    screen = live(app, logins.screen_path.removeprefix("/screen/"))
    assert screen.emit("subscribe", {"campaign_id": logins.campaign_id}, namespace="/live", callback=True)["ok"]
    assert not screen.emit("subscribe", {"campaign_id": other_id}, namespace="/live", callback=True)["ok"]
    assert not screen.emit("subscribe", {"campaign_id": 999}, namespace="/live", callback=True)["ok"]


def test_revoked_screen_token_cannot_connect(app, demo_logins):
    from coordinator.models import ScreenToken

    path = demo_logins[0].screen_path
    with app.app_context():
        row = screen_links.screen_for_token(path.removeprefix("/screen/"))
        db.session.get(ScreenToken, row.id).revoked_at = row.created_at
        db.session.commit()
    assert not live(app, path.removeprefix("/screen/")).is_connected("/live")


def test_streamer_reaches_its_campaign_but_gets_no_pairing_news(app, client, demo_logins):
    logins, host_token, streamer_id = demo_logins
    planner = live(app, logins.api_token)
    planner.emit("subscribe", {"campaign_id": logins.campaign_id}, namespace="/live", callback=True)
    host = live(app, host_token)
    assert host.emit("subscribe", {"campaign_id": logins.campaign_id}, namespace="/live", callback=True)["ok"]
    admin = {"Authorization": f"Bearer {logins.api_token}"}
    client.post(f"/api/v1/campaigns/{logins.campaign_id}/pairings/auto", headers=admin)
    assert [m["name"] for m in planner.get_received("/live")] == ["pairings_rerun"]
    mine = client.get("/api/v1/me/pairings", headers={"Authorization": f"Bearer {host_token}"}).get_json()["pairings"][0]
    client.post(f"/api/v1/pairings/{mine['id']}/decline", json={"reason": "档期冲突"},
                headers={"Authorization": f"Bearer {host_token}"})
    news = planner.get_received("/live")
    assert [(m["name"], m["args"][0]["status"], m["args"][0]["decline_reason"]) for m in news] == [
        ("pairing", "declined", "档期冲突")]
    assert host.get_received("/live") == []  # other streamers' pairings are not a streamer's business


def test_a_logged_in_page_connects_with_its_cookie(app, demo_logins):
    logins = demo_logins[0]
    browser = app.test_client()
    browser.post("/login", data={"username": logins.commissioner[0], "password": logins.commissioner[1]})
    socket = live(app, client=browser)
    assert socket.is_connected("/live")
    assert socket.emit("subscribe", {"campaign_id": logins.campaign_id}, namespace="/live", callback=True)["ok"]
