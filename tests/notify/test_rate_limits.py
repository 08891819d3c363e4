"""A burst of messages for one robot arrives within its vendor's rate limits, none lost: DingTalk's 20 a minute,
Feishu's 5 a second and 100 a minute (the receivers refuse anything faster, as the vendors do)."""
from __future__ import annotations

from datetime import timedelta

import pytest

from coordinator.domain import notices
from coordinator.edge import settings
from coordinator.extensions import db
from coordinator.models import Channel, LiveSession
from coordinator.services import outbox
from tests.notify.helpers import log, make_channel


def most_in_any_window(arrivals, seconds: float) -> int:
    """The most arrivals within any `seconds` long window (ending at an arrival) of the receivers' clock."""
    times = sorted(a.at for a in arrivals)
    span = timedelta(seconds=seconds)
    return max(sum(1 for other in times if moment - span < other <= moment) for moment in times)


def test_a_hundred_reminders_within_a_minute_reach_a_dingtalk_robot_at_twenty_a_minute(app, client, clock, world,
                                                                                       robots, worker):
    robot = robots.dingtalk
    channel = make_channel(client, world, "dingtalk", robot, events=["session.reminder"])
    with app.app_context():
        session = db.session.get(LiveSession, world.ids["SS_host"])
        for _ in range(10):  # ten at a time every 5 s for 50 s, the worker polling meanwhile
            for _ in range(10):
                outbox.stage_session("session.reminder", session, settings(app), 30)
            db.session.commit()
            worker.run_once()
            clock.advance(seconds=5)
    started = clock()
    while len(robot.accepted) < 100 and clock() - started < timedelta(minutes=10):
        clock.advance(seconds=5)
        worker.run_once()

    assert len(robot.accepted) == 100 and all(a.verdict == "" for a in robot.arrivals)  # none refused as too fast
    assert most_in_any_window(robot.accepted, 60) == 20
    assert timedelta(minutes=4) <= max(a.at for a in robot.accepted) - min(a.at for a in robot.accepted) \
        < timedelta(minutes=5)
    items = log(client, world, channel_id=channel["id"])
    assert len(items) == 100 and {d["state"] for d in items} == {"delivered"}
    assert {len(d["attempts"]) for d in items} == {1} and {d["event"] for d in items} == {"session.reminder"}


@pytest.mark.parametrize("database_url", ["sqlite"], indirect=True)
def test_a_feishu_robot_gets_at_most_five_a_second_and_a_hundred_a_minute(app, client, clock, world, robots,
                                                                           worker):
    robot = robots.feishu
    channel = make_channel(client, world, "feishu", robot)
    with app.app_context():
        row = db.session.get(Channel, channel["id"])
        for _ in range(120):
            db.session.add(outbox.delivery_for(row, notices.test_notice(row.id, row.campaign_id, {"channel": "x"}),
                                               settings(app)))
        db.session.commit()
    assert worker.run_once() == 5
    started = clock()
    while len(robot.accepted) < 120 and clock() - started < timedelta(minutes=3):
        clock.advance(seconds=0.5)
        worker.run_once()

    assert len(robot.accepted) == 120 and all(a.verdict == "" for a in robot.arrivals)
    assert most_in_any_window(robot.accepted, 1) == 5 and most_in_any_window(robot.accepted, 60) == 100
    offsets = sorted((a.at - started).total_seconds() for a in robot.accepted)
    assert offsets[99] < 20 and offsets[100] >= 60 and offsets[-1] < 64  # as fast as both limits allow
    assert {d["state"] for d in log(client, world, channel_id=channel["id"])} == {"delivered"}
