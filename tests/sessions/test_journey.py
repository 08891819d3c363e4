"""A new commissioner's way through: auto-plan the demo, move a session on the calendar, read the iCal feed back."""
from __future__ import annotations

import re
from datetime import datetime, timedelta, timezone

from icalendar import Calendar

from coordinator.extensions import db
from coordinator.models import Streamer, User
from coordinator.services import ical
from coordinator.edge import settings
from tests import snapshots


def _demo(app, client, clock):
    clock.current = clock.current.replace(day=22)
    with app.app_context():
        logins = snapshots.demo()
    admin = {"Authorization": f"Bearer {logins.api_token}"}
    pairings = client.post(f"/api/v1/campaigns/{logins.campaign_id}/pairings/auto", headers=admin).get_json()
    for pairing in pairings["pairings"]:
        if pairing["status"] == "declined":  # the demo's hosts declined some: those stay declined
            continue
        assert client.post(f"/api/v1/pairings/{pairing['id']}/lock", headers=admin).status_code == 200
    client.post("/login", data={"username": logins.commissioner[0], "password": logins.commissioner[1]})
    return logins, admin


def _feed(app, client, streamer_id):
    with app.test_request_context():
        token = ical.feed_token(settings(), db.session.get(Streamer, streamer_id))
    response = client.get(f"/calendar/{token}.ics")
    assert response.status_code == 200 and response.mimetype == "text/calendar"
    return {str(e["uid"]): e for e in Calendar.from_ical(response.data).walk("VEVENT")}


def test_auto_plan_the_demo_move_a_session_and_read_the_feed(app, client, clock):
    logins, admin = _demo(app, client, clock)
    page = client.get(f"/campaigns/{logins.campaign_id}/plan")
    assert page.status_code == 200
    picks = re.findall(r'name="pick" value="(\d+)"', page.get_data(as_text=True))
    assert len(picks) >= 6
    form = {"pick": picks}
    for key, value in re.findall(r'name="p-(\d+)" value="([^"]+)"', page.get_data(as_text=True)):
        form[f"p-{key}"] = value
    done = client.post(f"/campaigns/{logins.campaign_id}/plan", data=form)
    assert done.status_code == 302 and "/calendar" in done.headers["Location"]
    planned = client.get(f"/api/v1/sessions?campaign_id={logins.campaign_id}&per_page=200", headers=admin).get_json()
    assert planned["total"] >= len(picks)
    # Every planned session starts in the evening, Shanghai time, and none clash (the API refused nothing).
    for session in planned["items"][3:]:
        local = datetime.fromisoformat(session["starts_at"]).astimezone(timezone(timedelta(hours=8)))
        assert 18 <= local.hour < 23
    calendar = client.get(done.headers["Location"])
    assert calendar.status_code == 200 and b"cal-session" in calendar.data
    target = next(s for s in planned["items"] if s["status"] == "scheduled" and s["title"] == "")
    start = datetime.fromisoformat(target["starts_at"])
    shanghai = timezone(timedelta(hours=8))
    busy = {datetime.fromisoformat(s["starts_at"]).astimezone(shanghai).date()
            for s in planned["items"] if s["streamer_id"] == target["streamer_id"]}
    shift = next(n for n in range(1, 5) if (start.astimezone(shanghai) + timedelta(days=n)).date() not in busy)
    local_day = (start.astimezone(shanghai) + timedelta(days=shift)).date()
    moved = client.post(f"/sessions/{target['id']}/move", data={"day": local_day.isoformat()})
    assert moved.status_code == 200, moved.get_json()
    event = _feed(app, client, target["streamer_id"])[f"session-{target['id']}@livestream-coordinator"]
    assert event.decoded("dtstart") == start + timedelta(days=shift)
    assert event.decoded("dtend") - event.decoded("dtstart") == timedelta(hours=2)
    client.post(f"/api/v1/sessions/{target['id']}/cancel", headers=admin)
    events = _feed(app, client, target["streamer_id"])
    assert str(events[f"session-{target['id']}@livestream-coordinator"]["status"]) == "CANCELLED"


def test_edit_form_moves_a_session_and_the_calendar_flags_clashes(app, client, clock):
    logins, admin = _demo(app, client, clock)
    sessions = client.get(f"/api/v1/sessions?campaign_id={logins.campaign_id}", headers=admin).get_json()["items"]
    scheduled = next(s for s in sessions if s["status"] == "scheduled")
    local = datetime.fromisoformat(scheduled["starts_at"]).astimezone(timezone(timedelta(hours=8)))
    new_start = (local + timedelta(days=2)).replace(hour=19, minute=0)
    response = client.post(f"/sessions/{scheduled['id']}/edit", data={
        "starts_at": new_start.strftime("%Y-%m-%dT%H:%M"), "ends_at": (new_start + timedelta(hours=2)).strftime("%Y-%m-%dT%H:%M"),
        "title": "moved", "product_ids": [str(p) for p in scheduled["product_ids"]]})
    assert response.status_code == 302, response.get_data(as_text=True)
    after = client.get(f"/api/v1/sessions/{scheduled['id']}", headers=admin).get_json()
    assert datetime.fromisoformat(after["starts_at"]) == new_start
    # A clash that slipped in (e.g. a shorter minimum gap later) is highlighted on the calendar.
    with app.app_context():
        from coordinator.models import LiveSession

        row = db.session.get(LiveSession, scheduled["id"])
        twin = LiveSession(campaign_id=row.campaign_id, streamer_id=row.streamer_id, starts_at=row.starts_at,
                           ends_at=row.ends_at, status="scheduled", title="twin")
        db.session.add(twin)
        db.session.commit()
    page = client.get(f"/campaigns/{logins.campaign_id}/calendar?day={new_start.date().isoformat()}&view=day")
    assert page.data.count(b"cal-session status-scheduled clash") == 2


def test_forged_feed_tokens_are_404_and_hosts_see_their_link(app, client, clock):
    logins, _admin = _demo(app, client, clock)
    assert client.get("/calendar/forged.ics").status_code == 404
    client.post("/logout")
    client.post("/login", data={"username": logins.streamer[0], "password": logins.streamer[1]})
    home = client.get("/").get_data(as_text=True)
    assert 'id="ical-link"' in home and "portal.js" in home
    with app.app_context():
        host = db.session.query(User).filter_by(username=logins.streamer[0]).one()
        assert ical.feed_token(settings(), db.session.get(Streamer, host.streamer_id)) in home


def test_a_tampered_plan_row_without_an_offset_schedules_nothing(app, client, clock):
    logins, admin = _demo(app, client, clock)
    page = client.get(f"/campaigns/{logins.campaign_id}/plan").get_data(as_text=True)
    key, value = re.findall(r'name="p-(\d+)" value="([^"]+)"', page)[0]
    streamer_id, start, end, products = value.split("|")
    naive = "|".join([streamer_id, start[:19], end[:19], products])  # the offset cut off
    before = client.get(f"/api/v1/sessions?campaign_id={logins.campaign_id}", headers=admin).get_json()["total"]
    answer = client.post(f"/campaigns/{logins.campaign_id}/plan", data={"pick": key, f"p-{key}": naive},
                         headers={"Accept-Language": "en"}, follow_redirects=True)
    assert answer.status_code == 200 and "Nothing to schedule." in answer.get_data(as_text=True)
    assert client.get(f"/api/v1/sessions?campaign_id={logins.campaign_id}", headers=admin).get_json()["total"] == before
