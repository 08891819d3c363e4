"""Channels, the outbox and the delivery log, used by services alone with injected settings."""
from __future__ import annotations

from dataclasses import replace
from datetime import timedelta

import pytest
from sqlalchemy import select

from coordinator import clock
from coordinator.domain.delivery_rules import Answer
from coordinator.domain.destinations import AllowList, parse_url
from coordinator.domain.errors import InvalidInput, PermissionDenied
from coordinator.extensions import db
from coordinator.models import Campaign, Channel, Delivery, LiveSession, Pairing
from coordinator.services import (
    access, campaigns, channels, deliveries, delivery_work, destinations, notify_messages, outbox, pairings,
)
from coordinator.services.delivery_work import Tried
from tests.services.conftest import actor

PUBLIC = "http://8.8.8.8/hook"  # never sent to: these tests claim and record by hand


def test_a_campaign_channel_is_its_teams_and_hears_every_kind_of_change(env, settings):
    owner, viewer, host = actor(env, "owner"), actor(env, "viewer"), actor(env, "host")
    row, secret = channels.create(owner, settings, {"kind": "webhook", "name": "群", "campaign_id": env.ids["C"],
                                                    "url": PUBLIC, "locale": "en"})
    assert secret.startswith("whsec_") and channels.masked(row).startswith("http://8.8.8.8")
    with pytest.raises(PermissionDenied):
        channels.update(viewer, settings, row.id, {"name": "x"})
    assert channels.channel_for(viewer, row.id).id == row.id
    assert {c.id for c in channels.list_channels(viewer, campaign_id=env.ids["C"])} >= {row.id}
    assert row.id not in {c.id for c in channels.list_channels(host)}
    assert set(db.session.scalars(select(Channel.id).where(access.channels_clause(host)))) == {env.ids["HCH"]}
    assert access.channel_facts(viewer, row).campaign.id == env.ids["C"]
    campaigns.transition(owner, settings, env.ids["C"], "live")
    pairings.respond(host, settings, env.ids["P_host"], False, "档期冲突")
    pairings.add_manual(owner, settings, env.ids["C"], env.ids["S4"], env.ids["PB2"])
    events = [d.event for d in db.session.query(Delivery).filter_by(channel_id=row.id).order_by(Delivery.id)]
    assert events == ["campaign.status", "pairing.declined", "pairing.proposed"]
    declined = db.session.query(Delivery).filter_by(channel_id=row.id, event="pairing.declined").one()
    assert " declined " in declined.message["title"] and declined.message["lines"][-1] == "Reason: 档期冲突"
    assert declined.message["link"].startswith(settings.public_url)


def test_stage_reaches_the_hosts_own_channels_only_for_reminders(env, settings):
    manager = actor(env, "manager")
    mine, _ = channels.create(manager, settings, {"kind": "email", "name": "邮箱", "streamer_id": env.ids["S1"],
                                                  "address": "host@example.com"})
    session = db.session.get(LiveSession, env.ids["SS_host"])
    assert outbox.stage_session("session.updated", session, settings) == 1  # the world's campaign webhook only
    assert outbox.stage_session("session.reminder", session, settings, 30, 29) == 3  # and both of the host's
    db.session.commit()
    reminder = db.session.query(Delivery).filter_by(channel_id=mine.id).one()
    assert reminder.payload["data"]["minutes_before"] == 30 and "29" in reminder.message["title"]
    team = db.session.query(Delivery).filter_by(channel_id=env.ids["CH"], event="session.reminder").one()
    # Each reader is sent to the page that shows them more: the host their start page, the team the calendar.
    assert reminder.message["link"] == settings.public_url + "/"
    # The calendar on the session's week: its day in the injected zone (New York), at the session.
    day = session.starts_at.astimezone(settings.zone).date()
    assert team.message["link"] == settings.public_url + (
        f"/campaigns/{env.ids['C']}/calendar?day={day.isoformat()}#session-{session.id}")
    assert outbox.session_names(session)["host"] and outbox.new_message_id() != outbox.new_message_id()
    campaign = db.session.get(Campaign, env.ids["C"])
    assert outbox.stage_proposals(campaign, 3, settings) == 1
    assert outbox.stage_campaign_status(campaign, "draft", settings) == 1
    assert outbox.stage_pairing("pairing.accepted", db.session.get(Pairing, env.ids["P_host"]), settings) == 1
    notice = outbox.rules.test_notice(mine.id, None, {"channel": "邮箱"})
    assert outbox.stage([notice], settings) == 0  # a test message goes to its one channel, by send_test
    assert outbox.delivery_for(mine, notice, settings).event == "channel.test"
    assert notify_messages.render(notice, "en", settings).title == "Test message from the campaign coordinator"
    db.session.rollback()


def test_claims_respect_the_robots_limit_and_records_move_deliveries_on(env, settings):
    owner = actor(env, "owner")
    robot, _ = channels.create(owner, settings, {"kind": "dingtalk", "name": "钉钉", "campaign_id": env.ids["C"],
                                                 "url": PUBLIC + "?access_token=t", "secret": "SECabc"})
    for _ in range(25):
        db.session.add(outbox.delivery_for(robot, outbox.rules.test_notice(robot.id, None, {}), settings))
    db.session.commit()
    now = clock.now() + timedelta(seconds=1)
    assert delivery_work.any_due(now) and not delivery_work.any_due(clock.now() - timedelta(days=2))
    jobs = delivery_work.claim("w1", timedelta(seconds=60), 100, now)
    ours = [j for j in jobs if j.channel_id == robot.id]
    assert len(ours) == 20  # DingTalk takes 20 a minute
    assert not [j for j in delivery_work.claim("w2", timedelta(seconds=60), 100, now) if j.channel_id == robot.id]
    fast = replace(settings, retry_schedule=(0, 5))
    assert delivery_work.record(Tried(ours[0], now, Answer(True, 200), 5), fast, now) == "delivered"
    assert delivery_work.record(Tried(ours[1], now, Answer(False, 500, "HTTP 500"), 5), fast, now) == "pending"
    together = [Tried(ours[2], now, Answer(True, 200), 4), Tried(ours[3], now, Answer(False, None, "timeout"), 9)]
    assert delivery_work.record_all(together, fast, now) == ["delivered", "pending"]
    delivery_work.release("w1")
    assert db.session.get(Channel, robot.id).failing_since == now  # the last attempt failed
    log = deliveries.log(owner, 1, 50, channel_id=robot.id, state="delivered")
    assert [len(r.attempts) for r in log.items] == [1, 1]
    failed = db.session.get(Delivery, ours[1].delivery_id)
    failed.state = "failed"
    db.session.commit()
    assert deliveries.replay(owner, failed.id).state == "pending"
    assert deliveries.replay_failed(owner, now - timedelta(days=1), robot.id) == 0


def test_destinations_are_checked_with_dns_and_channels_deleted_by_their_changers(env, settings):
    owner = actor(env, "owner")
    with pytest.raises(InvalidInput):
        destinations.check_destination("http://127.0.0.1:9/x", AllowList())
    assert destinations.check_destination("http://127.0.0.1:9/x", AllowList.parse("127.0.0.1:9"))
    assert destinations.refused(parse_url("http://localhost:9/"), AllowList()) is not None
    assert [str(a) for a in destinations.resolve(parse_url("http://10.1.2.3/"))] == ["10.1.2.3"]
    row, _ = channels.create(owner, settings, {"kind": "wecom", "name": "企微", "campaign_id": env.ids["C"],
                                               "url": PUBLIC})
    row.enabled, row.disabled_reason = False, "every delivery failed for 5 days"
    db.session.commit()
    assert [c.id for c in channels.disabled_for(owner)] == [row.id]
    assert channels.disabled_for(actor(env, "viewer")) == []
    assert channels.send_test(owner, settings, env.ids["CH"]).event == "channel.test"
    channels.delete(owner, row.id)
    assert db.session.get(Channel, row.id) is None
