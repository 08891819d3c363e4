"""A clock jump with the injected clock: hours forward past many starts, ends and reminders, then back (an NTP
correction) and forward again. Sessions end in the right state, each moved and each host reminded once."""
from __future__ import annotations

from collections import Counter
from datetime import datetime, timedelta, timezone

from sqlalchemy import select

from coordinator import edge
from coordinator.edge import settings
from coordinator.extensions import db
from coordinator.models import LiveSession, SessionReminder
from coordinator.services import session_clock
from tests.sessions.helpers import build, post, session_body
from tests.sessions.test_clock import pushes  # noqa: F401 - the fixture recording every push

DAY = datetime(2026, 11, 12, tzinfo=timezone.utc)


def at(hours: float) -> datetime:
    return DAY + timedelta(hours=hours)


def test_forward_and_backward_jumps_move_each_session_once_and_repeat_no_reminder(app, client, clock, pushes):
    world = build(app, client, streamers=6)
    # Twelve one-hour sessions starting every half hour from 12:00 UTC; each host has two, three hours apart.
    ids = [post(client, world.headers, "/sessions", session_body(
        world, at(12 + k / 2).isoformat(), at(13 + k / 2).isoformat(), streamer=k % 6))["id"] for k in range(12)]

    def tick(moment: datetime) -> None:
        clock.current = moment
        with app.app_context():
            edge.publish(session_clock.advance(settings()).events, app)

    def state() -> list[str]:
        with app.app_context():
            found = dict(db.session.execute(select(LiveSession.id, LiveSession.status)).all())
            db.session.remove()
        return [found[i] for i in ids]

    def moved() -> Counter:
        return Counter((ids.index(sid), status) for sid, _campaign, status in pushes["status"])

    def reminded() -> Counter:
        return Counter((ids.index(r["session_id"]), r["lead_minutes"]) for r in pushes["reminder"])

    tick(at(11 + 40 / 60))  # 11:40: the first session's 30-minute reminder
    assert reminded() == {(0, 30): 1} and moved() == {}

    tick(at(15 + 10 / 60))  # forward 3.5 h: five sessions started and ended unseen, two are on air
    assert state() == ["ended"] * 5 + ["live"] * 2 + ["scheduled"] * 5
    assert moved() == {**{(k, "ended"): 1 for k in range(5)}, (5, "live"): 1, (6, "live"): 1}
    # Nobody is reminded of a session already under way; the 15:30 one gets its 30-minute reminder.
    assert reminded() == {(0, 30): 1, (7, 30): 1}

    for hours in (13 + 10 / 60, 11, 15 + 10 / 60):  # back 2 h (an NTP correction), back again, forward to the same
        tick(at(hours))
        assert state() == ["ended"] * 5 + ["live"] * 2 + ["scheduled"] * 5  # nothing goes back to scheduled
        assert len(pushes["status"]) == 7 and len(pushes["reminder"]) == 2  # nothing pushed again
        with app.app_context():
            plan = session_clock.wake_plan(settings())
            db.session.remove()
        assert plan and min(plan) > clock.current
        assert at(13) not in plan  # an ended session's end is not waited for, whatever the clock says

    minute = at(15 + 10 / 60)
    while minute <= at(19):  # and on, a minute at a time, until every session is over
        tick(minute)
        minute += timedelta(minutes=1)
    assert state() == ["ended"] * 12
    assert moved() == {**{(k, "ended"): 1 for k in range(12)}, **{(k, "live"): 1 for k in range(5, 12)}}
    assert reminded() == {(0, 30): 1, (7, 30): 1, (7, 5): 1,
                          **{(k, lead): 1 for k in range(8, 12) for lead in (30, 5)}}

    tick(at(11))  # one more jump back before everything, then forward past it all: nothing happens twice
    tick(at(20))
    assert len(pushes["status"]) == 19 and len(pushes["reminder"]) == 11
    with app.app_context():
        rows = Counter((ids.index(sid), lead) for sid, lead in db.session.execute(
            select(SessionReminder.session_id, SessionReminder.lead_minutes)).all())
        db.session.remove()
    assert rows == reminded()
