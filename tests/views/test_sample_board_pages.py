"""The commissioners' samples board: who sees which county, filters, each move through the page (a refused one
changes nothing), approving many, late badges placed by the clock, units sent on the product list, and the late
warnings on the calendar and the pairing board.

The world is the access matrix's (tests/access/world.py): the host S1 has samples of the partner's product PB2 in
each open state; here the host also asks for PB1 (partner's county B) and the owner for PA1 (county A), both on
the lineup of the host's session SS_host ("夜场", two days ahead, 19:00 in Shanghai)."""
from __future__ import annotations

import re
from datetime import timedelta

import pytest

from coordinator.edge import settings
from coordinator.extensions import db
from coordinator.models import Sample, User
from coordinator.services import access, samples
from tests.access.matrix import logged_in
from tests.access.world import build

EN = {"Accept-Language": "en"}


@pytest.fixture
def world(app, clock):
    """The matrix's world plus two requested samples on the host's session: PB1 (county B) and PA1 (county A)."""
    with app.app_context():
        w = build()
        host = access.actor_for(db.session.query(User).filter_by(username="host").one())
        owner = access.actor_for(db.session.query(User).filter_by(username="owner").one())
        w.ids["SM_b1"] = samples.request(host, settings(), w.ids["P_hostB1"]).value.id
        w.ids["SM_a1"] = samples.request(owner, settings(), w.ids["P_host"], 3).value.id
    return w


def page(client, path: str) -> str:
    response = client.get(path, headers=EN)
    assert response.status_code == 200, (path, response.status_code)
    return response.get_data(as_text=True)


def rows(html: str) -> set[int]:
    """The sample ids a board page shows."""
    return {int(i) for i in re.findall(r'<tr id="sample-(\d+)"', html)}


def row_html(html: str, sample_id: int) -> str:
    match = re.search(rf'<tr id="sample-{sample_id}".*?</tr>', html, re.S)
    assert match, f"no row for sample {sample_id}"
    return match.group(0)


def status(app, sample_id: int) -> str:
    with app.app_context():
        return db.session.get(Sample, sample_id).status


def test_the_team_sees_every_county_and_a_partner_only_theirs(app, world):
    board = f"/campaigns/{world.ids['C']}/samples"
    team = page(logged_in(app, "owner"), board)
    every = {world.ids[k] for k in ("SM_req", "SM_app", "SM_ship", "SM_b1", "SM_a1")}
    assert rows(team) == every
    assert "宜君县" in team and "普安县" in team and "宜君县PA1" in team
    partner = page(logged_in(app, "partner"), board)
    assert rows(partner) == every - {world.ids["SM_a1"]}
    assert "宜君县PA1" not in partner and ">普安县 <small" in partner and ">宜君县 <small" not in partner
    for refused, code in (("outsider", 403), ("host", 403), ("manager", 403), ("other_host", 404)):
        assert logged_in(app, refused).get(board).status_code == code


def test_rows_show_state_tracking_times_and_the_address_on_the_way(app, world):
    html = page(logged_in(app, "owner"), f"/campaigns/{world.ids['C']}/samples")
    shipped = row_html(html, world.ids["SM_ship"])
    assert 'badge-shipped">Shipped' in shipped
    link = re.search(r'<a href="([^"]+)" target="_blank" rel="noopener" class="tracking-number">SF1234567890123</a>',
                     shipped)
    assert link and "kuaidi100.com" in link.group(1) and "nu=SF1234567890123" in link.group(1)
    assert "陕西省铜川市宜君县城关镇1号" in shipped and "王小明" in shipped
    requested = row_html(html, world.ids["SM_req"])
    assert 'badge-requested">Requested' in requested and "requested</span> 11-10 20:00" in requested
    assert 'name="sample_ids"' in requested and "/approve" in requested


def test_a_host_without_an_address_is_said_so(app, world):
    from coordinator.models import ShippingAddress

    with app.app_context():
        db.session.query(ShippingAddress).delete()
        db.session.commit()
    html = page(logged_in(app, "owner"), f"/campaigns/{world.ids['C']}/samples")
    assert "no address yet" in row_html(html, world.ids["SM_app"])


def test_filters_by_state_and_lateness(app, world):
    client = logged_in(app, "owner")
    board = f"/campaigns/{world.ids['C']}/samples"
    assert rows(page(client, board + "?status=approved")) == {world.ids["SM_app"]}
    assert rows(page(client, board + "?late=1")) == {world.ids["SM_b1"], world.ids["SM_a1"]}
    assert rows(page(client, board + "?late=1&status=shipped")) == set()
    unknown = page(client, board + "?status=lost")
    assert "There is no such sample state" in unknown and len(rows(unknown)) == 5


def test_the_late_badge_appears_once_the_session_is_within_the_lead_days(app, world, clock):
    client = logged_in(app, "owner")
    board = f"/campaigns/{world.ids['C']}/samples"
    clock.advance(days=-3)  # the host's session is five days away: nothing is late yet
    html = page(client, board)
    assert "badge-late" not in row_html(html, world.ids["SM_b1"]) and 'id="late-banner" hidden' in html
    clock.advance(days=3)  # two days away, SAMPLE_LEAD_DAYS: both samples on its lineup are late
    html = page(client, board)
    late = row_html(html, world.ids["SM_b1"])
    assert 'class="badge badge-late">Late' in late and "for 夜场 11-13 19:00" in late
    assert "badge-late" not in row_html(html, world.ids["SM_req"])  # PB2 is not on that session
    assert "2 samples are late" in html
    assert 'class="badge badge-late">Late 1</span>' in html  # each county's heading counts its own


def test_each_move_through_the_page(app, world):
    client = logged_in(app, "owner")
    board = f"/campaigns/{world.ids['C']}/samples"
    answer = client.post(f"/samples/{world.ids['SM_req']}/approve", data={"next": board}, headers=EN,
                         follow_redirects=True)
    assert "The sample of 普安县PB2 for s1 is approved." in answer.get_data(as_text=True)
    assert answer.request.path == board and status(app, world.ids["SM_req"]) == "approved"
    answer = client.post(f"/samples/{world.ids['SM_app']}/ship", headers=EN, follow_redirects=True,
                         data={"next": board, "carrier": "jd", "tracking_number": "jd 0012 3456 7890 1"})
    assert "is on its way: JD Logistics JD0012345678901." in answer.get_data(as_text=True)
    with app.app_context():
        shipped = db.session.get(Sample, world.ids["SM_app"])
        assert (shipped.status, shipped.carrier, shipped.tracking_number) == ("shipped", "jd", "JD0012345678901")
    answer = client.post(f"/samples/{world.ids['SM_b1']}/reject", data={"next": board, "reason": "库存不足"},
                         headers=EN, follow_redirects=True)
    assert "is rejected." in answer.get_data(as_text=True)
    with app.app_context():
        assert (db.session.get(Sample, world.ids["SM_b1"]).reason) == "库存不足"
    assert client.post(f"/samples/{world.ids['SM_a1']}/cancel", data={"next": board}).status_code == 302
    assert status(app, world.ids["SM_a1"]) == "cancelled"
    host = logged_in(app, "host")  # a host cancels their own and goes home, not to the board
    assert host.post(f"/samples/{world.ids['SM_req']}/cancel").headers["Location"] == "/"
    assert status(app, world.ids["SM_req"]) == "cancelled"


def test_a_move_the_state_or_the_input_refuses_changes_nothing(app, world):
    client = logged_in(app, "owner")
    board = f"/campaigns/{world.ids['C']}/samples"
    with app.app_context():
        before = db.session.get(Sample, world.ids["SM_ship"]).updated_at
    answer = client.post(f"/samples/{world.ids['SM_ship']}/approve", data={"next": board}, headers=EN,
                         follow_redirects=True)
    text = answer.get_data(as_text=True)
    assert "is shipped now, so it cannot be approved. Nothing changed." in text and answer.request.path == board
    with app.app_context():
        assert db.session.get(Sample, world.ids["SM_ship"]).updated_at == before
    answer = client.post(f"/samples/{world.ids['SM_app']}/ship", headers=EN, follow_redirects=True,
                         data={"next": board, "carrier": "sf", "tracking_number": "12345"})
    text = answer.get_data(as_text=True)
    assert "does not fit the carrier" in text and "Nothing changed." in text
    assert status(app, world.ids["SM_app"]) == "approved"
    # Refusals of access are the error page, as the API's: a viewer may read the board but not approve.
    assert logged_in(app, "viewer").post(f"/samples/{world.ids['SM_req']}/approve").status_code == 403
    assert status(app, world.ids["SM_req"]) == "requested"


def test_actions_show_for_those_who_may_make_them(app, world):
    board = f"/campaigns/{world.ids['C']}/samples"
    viewer = page(logged_in(app, "viewer"), board)
    assert "/approve" not in viewer and 'name="sample_ids"' not in viewer and "Ship…" not in viewer
    partner = page(logged_in(app, "partner"), board)
    assert f'/samples/{world.ids["SM_req"]}/approve' in partner and "Ship…" in row_html(partner, world.ids["SM_app"])
    assert 'id="bulk-approve"' in partner


def test_approve_selected(app, world):
    client = logged_in(app, "owner")
    board = f"/campaigns/{world.ids['C']}/samples"
    refused = client.post(f"{board}/approve", headers=EN, follow_redirects=True,
                          data={"next": board, "sample_ids": [str(world.ids["SM_req"]), str(world.ids["SM_ship"])]})
    assert "Nothing was approved" in refused.get_data(as_text=True)
    assert status(app, world.ids["SM_req"]) == "requested"  # one that cannot be approved approves none
    answer = client.post(f"{board}/approve", headers=EN, follow_redirects=True,
                         data={"next": board, "sample_ids": [str(world.ids["SM_req"]), str(world.ids["SM_b1"])]})
    assert "2 samples approved." in answer.get_data(as_text=True)
    assert {status(app, world.ids[k]) for k in ("SM_req", "SM_b1")} == {"approved"}
    nothing = client.post(f"{board}/approve", headers=EN, follow_redirects=True, data={"next": board})
    assert "Tick the samples to approve first." in nothing.get_data(as_text=True)


def test_a_row_fragment_for_live_updates(app, world):
    client = logged_in(app, "owner")
    client.post(f"/samples/{world.ids['SM_req']}/approve")
    fragment = page(client, f"/samples/{world.ids['SM_req']}/row?next=/campaigns/{world.ids['C']}/samples?late=1")
    assert fragment.lstrip().startswith(f'<tr id="sample-{world.ids["SM_req"]}"')
    assert 'data-status="approved"' in fragment and "Ship…" in fragment
    assert f'value="/campaigns/{world.ids["C"]}/samples?late=1"' in fragment
    assert logged_in(app, "outsider").get(f"/samples/{world.ids['SM_req']}/row").status_code == 403


def test_units_sent_as_samples_beside_stock(app, world):
    partner = logged_in(app, "partner")
    partner.post(f"/samples/{world.ids['SM_app']}/ship", data={"carrier": "sf", "tracking_number": "SF1234567890999"})
    html = page(partner, "/products")
    pb2 = re.search(r"<strong>普安县PB2</strong>.*?</tr>", html, re.S).group(0)
    assert "5000" in pb2 and "sent as samples: 4" in pb2  # two parcels of two; stock stays
    pb1 = re.search(r"<strong>普安县PB1</strong>.*?</tr>", html, re.S).group(0)
    assert "sent as samples" not in pb1  # a requested sample is not sent yet


def test_the_calendar_marks_sessions_with_late_samples(app, world, clock):
    day = (clock() + timedelta(days=2)).date().isoformat()
    path = f"/campaigns/{world.ids['C']}/calendar?day={day}"
    session = re.compile(rf'<div class="cal-session[^"]*" id="session-{world.ids["SS_host"]}".*?</div>', re.S)
    team = session.search(page(logged_in(app, "owner"), path)).group(0)
    assert "sample-late" in team and "宜君县PA1" in team and "普安县PB1" in team
    assert 'class="visually-hidden">Samples not yet with the host:' in team
    partner = session.search(page(logged_in(app, "partner"), path)).group(0)
    assert "普安县PB1" in partner and "宜君县PA1" not in partner  # a partner hears of their county's samples
    clock.advance(days=-3)
    assert "sample-late" not in session.search(page(logged_in(app, "owner"), path)).group(0)


def test_the_pairing_board_names_late_samples(app, world):
    path = f"/campaigns/{world.ids['C']}/pairings"
    team = page(logged_in(app, "owner"), path)
    banner = re.search(r'<p class="flash flash-error" id="late-samples".*?</p>', team, re.S).group(0)
    assert "2 samples are late" in banner and f"/campaigns/{world.ids['C']}/samples?late=1" in banner
    assert "1 sample is late" in page(logged_in(app, "partner"), path)
    client = logged_in(app, "owner")
    for key in ("SM_b1", "SM_a1"):
        client.post(f"/samples/{world.ids[key]}/reject")
    assert 'id="late-samples" role="status" hidden' in page(client, path)
