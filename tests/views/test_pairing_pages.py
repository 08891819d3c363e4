"""The pairing board for commissioners and the answer buttons for streamers."""
from __future__ import annotations

import re

import pytest

from coordinator.extensions import db
from coordinator.models import Pairing, User
from tests import snapshots


@pytest.fixture
def logins(app, clock):
    clock.current = clock.current.replace(day=22)
    with app.app_context():
        return snapshots.demo()


def login(app, username, password):
    client = app.test_client()
    assert client.post("/login", data={"username": username, "password": password}).status_code == 302
    return client


def test_board_runs_and_shows_states(app, logins):
    planner = login(app, *logins.commissioner)
    assert planner.post(f"/campaigns/{logins.campaign_id}/pairings/run").status_code == 302
    page = planner.get(f"/campaigns/{logins.campaign_id}/pairings", headers={"Accept-Language": "en"}).get_data(as_text=True)
    assert page.count('class="pair pair-proposed"') >= 12 and "Run again (keeps decisions)" in page
    with app.app_context():
        first = db.session.query(Pairing).order_by(Pairing.id).first()
        first_id = first.id
    planner.post(f"/pairings/{first_id}/lock", data={"campaign_id": logins.campaign_id})
    with app.app_context():
        assert db.session.get(Pairing, first_id).status == "locked"


def test_streamer_accepts_and_declines_from_their_page(app, logins):
    planner = login(app, *logins.commissioner)
    planner.post(f"/campaigns/{logins.campaign_id}/pairings/run")
    host = login(app, *logins.streamer)
    page = host.get("/").get_data(as_text=True)
    ids = [int(i) for i in re.findall(r"/my/pairings/(\d+)/accept", page)]
    assert len(ids) >= 2
    assert host.post(f"/my/pairings/{ids[0]}/accept").status_code == 302
    refused = host.post(f"/my/pairings/{ids[1]}/decline", data={"reason": "  "}, headers={"Accept-Language": "en"},
                        follow_redirects=True)
    assert "Please say why you decline." in refused.get_data(as_text=True)
    with app.app_context():
        assert db.session.get(Pairing, ids[1]).status == "proposed"  # a decline without a reason changes nothing
    assert host.post(f"/my/pairings/{ids[1]}/decline", data={"reason": "这个品类我不熟"}).status_code == 302
    with app.app_context():
        states = {p.id: (p.status, p.decline_reason) for p in db.session.query(Pairing).filter(Pairing.id.in_(ids[:2]))}
    assert states == {ids[0]: ("accepted", ""), ids[1]: ("declined", "这个品类我不熟")}
    with app.app_context():
        mine = db.session.query(User).filter_by(username=logins.streamer[0]).one().streamer_id
        foreign = db.session.query(Pairing).filter(Pairing.streamer_id != mine).first().id
    assert host.post(f"/my/pairings/{foreign}/accept").status_code == 404  # another host's pairing is not disclosed
    assert planner.post(f"/my/pairings/{ids[0]}/accept").status_code == 403
    assert host.get(f"/campaigns/{logins.campaign_id}/pairings").status_code == 403
