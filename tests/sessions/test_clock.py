"""Transitions and reminders by the injected clock: conditional, pushed once, fresh after a move."""
from __future__ import annotations

import pytest

from coordinator import edge
from coordinator.edge import settings
from coordinator.realtime import publish
from coordinator.services import session_clock
from tests.sessions.helpers import build, post, session_body

EVENING = ("2026-11-12T20:00:00+08:00", "2026-11-12T22:00:00+08:00")  # 12:00-14:00 UTC


@pytest.fixture
def pushes(monkeypatch):
    """Every status and reminder push, from the scheduler and the API alike, recorded instead of sent."""
    sent = {"status": [], "reminder": []}
    monkeypatch.setattr(publish, "publish_status", lambda *args: sent["status"].append(args))
    monkeypatch.setattr(publish, "publish_reminder", lambda sid, payload: sent["reminder"].append(payload))
    return sent


def tick(app):
    """One pass of the clock, as the scheduler's job makes it: advance, then publish what it returned."""
    with app.app_context():
        done = session_clock.advance(settings())
        edge.publish(done.events, app)
        return done


def status(client, world, session_id):
    return client.get(f"/api/v1/sessions/{session_id}", headers=world.headers).get_json()["status"]


def test_scheduled_live_ended_each_pushed_once(app, client, clock, pushes):
    world = build(app, client)
    session = post(client, world.headers, "/sessions", session_body(world, *EVENING))
    clock.current = clock.current.replace(day=12, hour=11, minute=59)
    tick(app)
    assert status(client, world, session["id"]) == "scheduled"
    clock.advance(minutes=1)
    tick(app)
    tick(app)
    assert status(client, world, session["id"]) == "live"
    clock.advance(hours=2)
    tick(app)
    assert status(client, world, session["id"]) == "ended"
    assert [s[2] for s in pushes["status"]] == ["live", "ended"]
    assert pushes["status"][0][:2] == (session["id"], world.campaign_id)


def test_a_session_missed_entirely_goes_straight_to_ended(app, client, clock, pushes):
    world = build(app, client)
    session = post(client, world.headers, "/sessions", session_body(world, *EVENING))
    clock.current = clock.current.replace(day=13)
    tick(app)
    assert status(client, world, session["id"]) == "ended"
    assert [s[2] for s in pushes["status"]] == ["ended"]


def test_reminders_once_each_fresh_after_reschedule_none_after_cancel(app, client, clock, pushes):
    world = build(app, client)
    session = post(client, world.headers, "/sessions", session_body(world, *EVENING))
    clock.current = clock.current.replace(day=12, hour=11, minute=29)
    tick(app)
    assert pushes["reminder"] == []
    clock.advance(minutes=1)
    tick(app)
    tick(app)
    assert [(r["session_id"], r["lead_minutes"]) for r in pushes["reminder"]] == [(session["id"], 30)]
    assert pushes["reminder"][0]["streamer_id"] == world.streamers[0]
    clock.advance(minutes=25)
    tick(app)
    tick(app)
    assert [r["lead_minutes"] for r in pushes["reminder"]] == [30, 5]
    moved = client.patch(f"/api/v1/sessions/{session['id']}", json={"starts_at": "2026-11-12T20:20:00+08:00"},
                         headers=world.headers)
    assert moved.status_code == 200
    tick(app)  # 11:55 UTC, the new start is 12:20: the new 30-minute reminder is due
    assert [r["lead_minutes"] for r in pushes["reminder"]] == [30, 5, 30]
    post(client, world.headers, f"/sessions/{session['id']}/cancel", None, 200)
    clock.advance(minutes=20)
    tick(app)
    assert [r["lead_minutes"] for r in pushes["reminder"]] == [30, 5, 30]
    assert pushes["status"] == [(session["id"], world.campaign_id, "cancelled")]


def test_a_late_start_sends_one_reminder_for_all_due_leads(app, client, clock, pushes):
    world = build(app, client)
    post(client, world.headers, "/sessions", session_body(world, *EVENING))
    clock.current = clock.current.replace(day=12, hour=11, minute=57)
    tick(app)
    tick(app)
    assert [(r["lead_minutes"], r["minutes_left"]) for r in pushes["reminder"]] == [(5, 3)]


def test_wake_plan_lists_reminders_start_and_end(app, client, clock):
    world = build(app, client)
    post(client, world.headers, "/sessions", session_body(world, *EVENING))
    with app.app_context():
        moments = [m.strftime("%d %H:%M") for m in session_clock.wake_plan(settings())]
    assert moments == ["12 11:30", "12 11:55", "12 12:00", "12 14:00"]
