"""Pairings, sessions, plans, the calendar and the clock, used by services alone with injected settings."""
from __future__ import annotations

from datetime import date, timedelta

import pytest

from coordinator import clock
from coordinator.domain.errors import Conflict, NotFound, PermissionDenied
from coordinator.domain.events import PairingChanged, PairingsRerun, SessionStatusChanged, SessionTimesChanged
from coordinator.extensions import db
from coordinator.models import Campaign, LiveSession, Pairing
from coordinator.services import autoplan, briefs, calendar, live, pairing_board, pairings, session_clock, sessions, tallies
from tests.services.conftest import actor


def _slot(days: int, hour: int):
    start = (clock.now() + timedelta(days=days)).replace(hour=hour, minute=0, second=0, microsecond=0)
    return start, start + timedelta(hours=2)


def test_pairings_run_by_the_team_and_answered_by_the_host(env, settings):
    owner, host, partner = actor(env, "owner"), actor(env, "host"), actor(env, "partner")
    added = pairings.add_manual(owner, settings, env.ids["C"], env.ids["S4"], env.ids["PB2"])
    assert isinstance(added.events[0], PairingChanged) and added.events[0].pairing["county_id"] == env.ids["B"]
    with pytest.raises(Conflict):
        pairings.add_manual(owner, settings, env.ids["C"], env.ids["S4"], env.ids["PB2"])
    run = pairings.run(owner, settings, env.ids["C"])
    assert run.events == [PairingsRerun(env.ids["C"], len(run.value.pairings))]
    assert added.value.id in {p.id for p in run.value.pairings}  # made by hand, kept by the engine
    assert pairings.set_locked(owner, added.value.id, True).value.status == "locked"
    assert pairings.respond(host, settings, env.ids["P_host"], True).value.status == "accepted"
    with pytest.raises(PermissionDenied):
        pairings.respond(owner, settings, env.ids["P_host"], True)
    assert {p.product_id for p in pairings.campaign_pairings(partner, env.ids["C"])} <= {env.ids["PB1"], env.ids["PB2"]}
    assert [row[0].id for row in pairings.streamer_pairings(host)][:1] != []
    board = pairing_board.board(partner, env.ids["C"])
    assert not board.everything and {p.id for p in board.products} == {env.ids["PB1"], env.ids["PB2"]}
    opened = pairing_board.cell(owner, env.ids["C"], env.ids["P_host"])
    assert (opened.streamer.id, opened.product.id) == (env.ids["S1"], env.ids["PA1"])
    with pytest.raises(NotFound):  # another county's product: the partner cannot open its cell, even by id
        pairing_board.cell(partner, env.ids["C"], env.ids["P_host"])
    pairings.remove(owner, added.value.id)
    assert db.session.get(Pairing, added.value.id) is None


def test_sessions_keep_the_injected_gap_and_zone(env, settings):
    owner, host = actor(env, "owner"), actor(env, "host")
    start, end = _slot(2, 15)  # two hours after the host's session at 11:00 UTC ends: clear of 10 min, not of 3 h
    body = {"campaign_id": env.ids["C"], "streamer_id": env.ids["S1"], "starts_at": start, "ends_at": end,
            "product_ids": [env.ids["PA1"]]}
    with pytest.raises(Conflict, match="3:00:00"):
        sessions.create(owner, settings, body)
    start, end = _slot(3, 15)
    made = sessions.create(owner, settings, {**body, "starts_at": start, "ends_at": end})
    assert made.events == [SessionTimesChanged(made.value.id, start, end, "scheduled")]
    assert sessions.session_for(host, made.value.id).id == made.value.id
    day = (start + timedelta(days=1)).astimezone(settings.zone).date()
    moved = sessions.move_to_day(owner, settings, made.value.id, day)
    assert moved.value.starts_at.astimezone(settings.zone).date() == day
    assert sessions.reschedule(owner, settings, made.value.id, {"title": "夜场"}).value.title == "夜场"
    listed = sessions.list_sessions(owner, settings, 1, 50, day=day)
    assert [s.id for s in listed.items] == [made.value.id]  # the day in New York
    assert {s.id for s in sessions.own_sessions(host, settings, 1, 50).items} == {env.ids["SS_host"], made.value.id}
    assert sessions.cancel(owner, settings, made.value.id).events == [SessionStatusChanged(made.value.id, env.ids["C"],
                                                                                 "cancelled")]
    assert sessions.snapshot(db.session.get(LiveSession, made.value.id))["status"] == "cancelled"
    assert [slot.id for slot in sessions.busy_slots(env.ids["S1"])] == [env.ids["SS_host"]]
    assert sessions.times_changed(db.session.get(LiveSession, env.ids["SS_host"])).status == "scheduled"
    facts = sessions.lineup_facts(env.ids["C"], [env.ids["PA1"], env.ids["PZ"]])
    assert {f.id: f.enrolled for f in facts} == {env.ids["PA1"]: True, env.ids["PZ"]: False}
    later = _slot(6, 15)
    scheduled = sessions.schedule(owner, settings, db.session.get(Campaign, env.ids["C"]),
                                  {**body, "starts_at": later[0], "ends_at": later[1]})
    assert scheduled.id and scheduled.status == "scheduled"  # checked and flushed, not committed
    db.session.rollback()
    assert db.session.get(LiveSession, scheduled.id) is None


def test_auto_planning_from_settled_pairings(env, settings):
    owner, host = actor(env, "owner"), actor(env, "host")
    pairings.respond(host, settings, env.ids["P_host"], True)
    db.session.get(LiveSession, env.ids["SS_host"]).status = "cancelled"  # free the host's evenings
    db.session.commit()
    assert autoplan.campaign_of(owner, env.ids["C"]).id == env.ids["C"]
    assert set(autoplan.streamers_by_id(owner, env.ids["C"])) == {env.ids["S1"], env.ids["S4"]}
    assert autoplan.product_names(owner, env.ids["C"])[env.ids["PA1"]] == "宜君县PA1"
    start, end = _slot(4, 12)
    confirmed = autoplan.confirm(owner, settings, env.ids["C"], [
        {"streamer_id": env.ids["S1"], "starts_at": start, "ends_at": end, "product_ids": [env.ids["PA1"]]}])
    assert len(confirmed.value) == 1 and isinstance(confirmed.events[0], SessionTimesChanged)
    assert autoplan.propose(owner, settings, env.ids["C"]) == []  # S1 has no weekly availability


def test_the_calendar_and_the_clock_follow_the_injected_settings(env, settings):
    owner, partner = actor(env, "owner"), actor(env, "partner")
    assert calendar.days_of("week", date(2026, 11, 12))[0] == date(2026, 11, 9)
    view = calendar.calendar(owner, settings, env.ids["C"], "week", None, None)
    assert view.may_change and any(env.ids["SS_host"] in {s.id for s in rows} for rows in view.cells.values())
    assert calendar.calendar(partner, settings, env.ids["C"], "day", date(2026, 11, 13), None).streamers
    assert calendar.session_edit(owner, env.ids["SS_host"]).streamer.id == env.ids["S1"]
    starts = db.session.get(LiveSession, env.ids["SS_host"]).starts_at
    plan = session_clock.wake_plan(settings)
    assert starts - timedelta(minutes=45) in plan and starts - timedelta(minutes=30) not in plan  # leads (45, 15)
    tick = session_clock.advance(settings, starts - timedelta(minutes=44))
    mine = [r for r in tick.reminders if r["session_id"] == env.ids["SS_host"]]
    assert [(r["lead_minutes"], r["message"].startswith("Your session")) for r in mine] == [(45, True)]
    moved = session_clock.advance(settings, starts + timedelta(minutes=1)).transitions
    assert (env.ids["SS_host"], env.ids["C"], "live") in moved and len(moved) == 2  # and the other host's


def test_what_a_host_reads_and_watches(env):
    host = actor(env, "host")
    brief = briefs.product_brief(host, env.ids["PA1"])
    assert brief.product.id == env.ids["PA1"] and brief.left == 5000 and brief.pairing.id == env.ids["P_host"]
    assert briefs.units_sold([env.ids["PA1"]]) == {}
    assert [p.id for p in briefs.lineups([db.session.get(LiveSession, env.ids["SS_host"])])[env.ids["SS_host"]]] == [
        env.ids["PA1"], env.ids["PB1"]]
    view = live.host_view(host, env.ids["SS_host"])
    assert [row.left for row in view.lineup] == [5000, 5000] and view.snapshot["scope"] == "session"
    assert tallies.campaign_tally(host, env.ids["C"])["totals"]["orders"] == 0
    assert tallies.session_tally(host, env.ids["SS_host"])["id"] == env.ids["SS_host"]
    assert tallies.read_snapshot("campaign", env.ids["C"])["scope"] == "campaign"
