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


def test_a_cell_opens_without_a_script_and_its_actions_come_back_to_the_same_view(app, logins):
    planner = login(app, *logins.commissioner)
    planner.post(f"/campaigns/{logins.campaign_id}/pairings/run")
    board = f"/campaigns/{logins.campaign_id}/pairings"
    page = planner.get(board + "?category=fruit", headers={"Accept-Language": "en"}).get_data(as_text=True)
    assert 'form="board-open" name="open"' in page and '<template id="cell-proposed">' in page
    opened = int(re.search(r'name="open" value="(\d+)" class="pair pair-(?:proposed|accepted)"', page).group(1))
    page = planner.get(f"{board}?category=fruit&open={opened}",
                       headers={"Accept-Language": "en"}).get_data(as_text=True)
    assert 'id="pairing-detail"' in page and f"/pairings/{opened}/lock" in page
    assert '<input type="hidden" name="category" value="fruit">' in page  # the panel's forms keep the view
    part = planner.get(f"{board}?category=fruit&open={opened}&part=detail").get_data(as_text=True)
    assert "<html" not in part and 'id="pairing-detail"' in part
    answer = planner.post(f"/pairings/{opened}/lock", data={"campaign_id": logins.campaign_id, "category": "fruit"})
    assert answer.location == f"{board}?category=fruit#at-{opened}"
    with app.app_context():
        pairing = db.session.get(Pairing, opened)
        cell = f"at-{pairing.streamer_id}-{pairing.product_id}"
    answer = planner.post(f"/pairings/{opened}/remove", data={"campaign_id": logins.campaign_id, "cell": cell})
    assert answer.location == f"{board}#{cell}"
    with app.app_context():
        assert db.session.get(Pairing, opened) is None


def test_a_county_partner_opens_only_their_own_products_cells(app, logins):
    planner = login(app, *logins.commissioner)
    planner.post(f"/campaigns/{logins.campaign_id}/pairings/run")
    partner = login(app, *logins.partner)
    page = partner.get(f"/campaigns/{logins.campaign_id}/pairings").get_data(as_text=True)
    own = set(re.findall(r'name="open" value="(\d+)"', page))
    with app.app_context():
        others = [p.id for p in db.session.query(Pairing).filter_by(campaign_id=logins.campaign_id)
                  if str(p.id) not in own]
    assert own and others
    assert partner.get(f"/campaigns/{logins.campaign_id}/pairings?open={others[0]}&part=detail").status_code == 404
    assert partner.get(f"/campaigns/{logins.campaign_id}/pairings?open={min(own)}&part=detail").status_code == 200
