"""A channel whose every delivery has failed for five days is switched off, its waiting messages failed visibly,
and its owners told; switched back on, a replay of what failed gets everything through."""
from __future__ import annotations

import pytest

from coordinator.domain import notices
from coordinator.edge import settings
from coordinator.extensions import db
from coordinator.models import Channel, User
from coordinator.services import access, channels, outbox
from tests.access.world import PASSWORD
from tests.notify.helpers import iso, log, make_channel, owner, send_tests

SQLITE = pytest.mark.parametrize("database_url", ["sqlite"], indirect=True)
SIX_HOURS = "0,21600,21600,21600"  # four attempts over 18 hours
REASON = "every delivery failed for 5 days"


def fail_for_five_days(client, clock, world, robots, worker) -> dict:
    """A WeCom channel whose robot fails every request, sent a test message a day: the channel once switched off."""
    robots.wecom.fail_next(None, status=502)
    channel = make_channel(client, world, "wecom", robots.wecom, name="失联的群")
    for hour in range(0, 5 * 24, 6):
        if hour % 24 == 0:
            send_tests(client, world, channel["id"], 1)
        assert worker.run_once() == 1
        state = client.get(f"/api/v1/channels/{channel['id']}", headers=owner(world)).get_json()
        assert state["enabled"] and state["failing_since"], hour  # not one day too early
        clock.advance(hours=6)
    send_tests(client, world, channel["id"], 1)
    assert worker.run_once() == 1
    return channel


def told(app, world, name: str) -> list[str]:
    """The switched-off channels the start page would name to one of the world's people."""
    with app.app_context():
        return [row.name for row in channels.disabled_for(access.actor_for(db.session.get(User,
                                                                                       world.ids[f"user:{name}"])))]


@SQLITE
@pytest.mark.notify_config(NOTIFY_RETRY_SCHEDULE=SIX_HOURS)
def test_a_channel_failing_everything_for_five_days_is_switched_off_until_fixed(app, client, clock, world, robots,
                                                                                worker):
    started = clock()
    channel = fail_for_five_days(client, clock, world, robots, worker)
    state = client.get(f"/api/v1/channels/{channel['id']}", headers=owner(world)).get_json()
    assert (state["enabled"], state["disabled_reason"]) == (False, REASON)
    assert told(app, world, "owner") == told(app, world, "editor") == ["失联的群"]
    assert told(app, world, "viewer") == []  # who may not fix it is not told
    assert client.post(f"/api/v1/channels/{channel['id']}/test", headers=owner(world)).status_code == 409
    assert log(client, world, state="pending") == []  # nothing waits silently behind a switched-off channel
    heard = len(robots.wecom.arrivals)
    clock.advance(days=1)
    assert worker.run_once() == 0 and len(robots.wecom.arrivals) == heard

    robots.wecom.heal()
    fixed = client.patch(f"/api/v1/channels/{channel['id']}", headers=owner(world), json={"enabled": True})
    assert fixed.status_code == 200 and fixed.get_json()["enabled"] and fixed.get_json()["failing_since"] is None
    replayed = client.post("/api/v1/deliveries/replay", headers=owner(world), json={"since": iso(started)})
    assert replayed.get_json() == {"count": 6}
    assert worker.run_once() == 6 and len(robots.wecom.accepted) == 6
    assert {d["state"] for d in log(client, world)} == {"delivered"}


@SQLITE
@pytest.mark.notify_config(NOTIFY_RETRY_SCHEDULE=SIX_HOURS)
def test_a_channel_that_succeeds_once_in_a_while_stays_on(client, clock, world, robots, worker):
    channel = make_channel(client, world, "wecom", robots.wecom)
    for day in range(9):  # four days failing, one message through, four more days failing
        if day == 4:
            robots.wecom.heal()
        else:
            robots.wecom.fail_next(None, status=502)
        send_tests(client, world, channel["id"], 1)
        for _ in range(4):
            worker.run_once()
            clock.advance(hours=6)
    state = client.get(f"/api/v1/channels/{channel['id']}", headers=owner(world)).get_json()
    assert state["enabled"] and state["disabled_reason"] == "" and state["last_success_at"]
    assert [d["state"] for d in log(client, world)].count("delivered") == 1


@SQLITE
def test_messages_left_behind_channels_switched_off_by_hand_hold_up_nobody_elses(app, client, clock, world, robots,
                                                                                worker):
    with app.app_context():  # more switched-off channels with a message waiting than a worker looks at in a round
        for n in range(201):
            row = Channel(kind="wecom", name=f"旧群{n}", campaign_id=world.ids["C"], url="http://8.8.8.8/send",
                          enabled=False, disabled_reason="switched off by hand")
            db.session.add(row)
            db.session.flush()
            db.session.add(outbox.delivery_for(row, notices.test_notice(row.id, row.campaign_id, {}), settings(app)))
        db.session.commit()
    clock.advance(seconds=1)
    channel = make_channel(client, world, "wecom", robots.wecom)
    send_tests(client, world, channel["id"], 1)
    assert worker.run_once() == 1 and len(robots.wecom.accepted) == 1
    assert log(client, world, channel_id=channel["id"])[0]["state"] == "delivered"


# The start page's part (views/main.py and templates/channels/_switched_off.html) is being built beside these tests;
# it calls coordinator.services.channels.disabled_for(actor).
@SQLITE
@pytest.mark.notify_config(NOTIFY_RETRY_SCHEDULE=SIX_HOURS)
def test_the_owners_start_page_names_a_channel_switched_off_for_failing(app, client, clock, world, robots, worker):
    fail_for_five_days(client, clock, world, robots, worker)
    pages = {}
    for name in ("owner", "viewer"):
        browser = app.test_client()
        assert browser.post("/login", data={"username": name, "password": PASSWORD}).status_code == 302
        pages[name] = browser.get("/")
        assert pages[name].status_code == 200
    assert "失联的群" in pages["owner"].get_data(as_text=True)
    assert "失联的群" not in pages["viewer"].get_data(as_text=True)
