"""Every channel kind carries a real event to a receiver that checks it as its vendor would; messages are in the
channel's language and link to a page its reader can open."""
from __future__ import annotations

from datetime import datetime
from zoneinfo import ZoneInfo

import pytest

from coordinator.edge import settings
from coordinator.extensions import db
from coordinator.models import LiveSession
from coordinator.services import outbox
from tests.access.world import PASSWORD, bearer
from tests.notify.conftest import PUBLIC_URL
from tests.notify.helpers import log, make_channel, one, schedule_session
from tests.notify.mailbox import parts

ROBOTS = ("webhook", "wecom", "dingtalk", "feishu")
SESSION_DATA = {"session_id", "campaign_id", "streamer_id", "status", "starts_at", "ends_at"}


def logged_in(app, username: str):
    """A browser logged in as one of the world's people."""
    browser = app.test_client()
    assert browser.post("/login", data={"username": username, "password": PASSWORD}).status_code == 302
    return browser


def test_every_kind_delivers_a_scheduled_session_signed_as_its_vendor_checks(client, clock, world, robots, mailbox,
                                                                             worker):
    made = {kind: make_channel(client, world, kind, getattr(robots, kind)) for kind in ROBOTS}
    made["email"] = make_channel(client, world, "email", address="team@example.org")
    session = schedule_session(client, world, clock, title="夜场特卖")

    assert worker.run_once() == 5
    for kind in ROBOTS:
        receiver = getattr(robots, kind)
        assert [a.verdict for a in receiver.arrivals] == [""], kind  # its signature and body check passed
        assert "s1" in receiver.texts()[0] or kind == "webhook"
    body = robots.webhook.accepted[0].json
    assert set(body) == {"type", "timestamp", "data"} and body["type"] == "session.scheduled"
    assert set(body["data"]) == SESSION_DATA
    assert {k: body["data"][k] for k in ("session_id", "campaign_id", "streamer_id", "status")} == {
        "session_id": session["id"], "campaign_id": world.ids["C"], "streamer_id": world.ids["S1"],
        "status": "scheduled"}
    for key in ("starts_at", "ends_at"):
        assert datetime.fromisoformat(body["data"][key]) == datetime.fromisoformat(session[key])
    assert datetime.fromisoformat(body["timestamp"]) == clock()

    for kind, channel in made.items():
        delivery = one(client, world, channel["id"])
        assert (delivery["event"], delivery["state"], len(delivery["attempts"])) == (
            "session.scheduled", "delivered", 1), kind
        assert delivery["attempts"][0]["status_code"] == (250 if kind == "email" else 200)
    assert robots.webhook.ids() == [one(client, world, made["webhook"]["id"])["message_id"]]

    [email] = mailbox.messages
    assert (email["To"], email["From"], mailbox.recipients) == ("team@example.org", "coordinator@example.org",
                                                               [["team@example.org"]])
    assert email.get_content_type() == "multipart/alternative" and "s1" in email["Subject"]
    bodies = parts(email)
    assert set(bodies) == {"text/plain", "text/html"}
    assert "夜场特卖" in bodies["text/plain"] and "夜场特卖" in bodies["text/html"] and "<a href=" in bodies["text/html"]
    assert email["Message-ID"].startswith("<" + one(client, world, made["email"]["id"])["message_id"])
    assert worker.run_once() == 0 and sum(len(getattr(robots, k).arrivals) for k in ROBOTS) == 4


@pytest.mark.parametrize("database_url", ["sqlite"], indirect=True)
def test_an_english_channel_reads_english_and_links_to_the_campaigns_calendar(app, client, clock, world, robots,
                                                                              mailbox, worker):
    make_channel(client, world, "wecom", robots.wecom, name="Export desk", locale="en")
    made = schedule_session(client, world, clock, title="夜场特卖")
    worker.run_once()
    [text] = robots.wecom.texts()
    # The calendar on the session's own week (its day where the coordinator is), at the session.
    day = datetime.fromisoformat(made["starts_at"]).astimezone(ZoneInfo("Asia/Shanghai")).date()
    link = f"{PUBLIC_URL}/campaigns/{world.ids['C']}/calendar?day={day.isoformat()}"
    assert "New session: s1" in text and "Campaign: 多一件农产品" in text
    assert f"[Open in the coordinator]({link}#session-{made['id']})" in text
    page = logged_in(app, "owner").get(link.removeprefix(PUBLIC_URL))
    assert page.status_code == 200 and "夜场特卖" in page.get_data(as_text=True)
    assert logged_in(app, "viewer").get(link.removeprefix(PUBLIC_URL)).status_code == 200  # every team member


@pytest.mark.parametrize("database_url", ["sqlite"], indirect=True)
def test_a_hosts_own_reminder_links_to_their_start_page(app, client, clock, world, mailbox, worker):
    mine = client.post("/api/v1/channels", headers=bearer(world, "host"), json={
        "kind": "email", "name": "my inbox", "streamer_id": world.ids["S1"], "address": "s1@example.org",
        "locale": "en"})
    assert mine.status_code == 201, mine.get_json()
    with app.app_context():
        outbox.stage_session("session.reminder", db.session.get(LiveSession, world.ids["SS_host"]), settings(app), 30)
        db.session.commit()
    worker.run_once()
    [email] = mailbox.messages
    text = parts(email)["text/plain"]
    assert email["Subject"] == "s1 goes live in 30 minutes" and text.rstrip().endswith(PUBLIC_URL + "/")
    page = logged_in(app, "host").get("/")
    assert page.status_code == 200 and "夜场" in page.get_data(as_text=True)  # the session reminded of


# The zh_Hans catalog's entries for these messages are being written beside these tests (coordinator/translations).
@pytest.mark.parametrize("database_url", ["sqlite"], indirect=True)
def test_a_default_channel_reads_chinese(client, clock, world, robots, worker):
    channel = make_channel(client, world, "wecom", robots.wecom, name="县域群")
    assert channel["locale"] == "zh-CN"
    schedule_session(client, world, clock)
    worker.run_once()
    [text] = robots.wecom.texts()
    assert "新场次：s1" in text and "活动：多一件农产品" in text and "在协调平台中查看" in text
    assert "New session" not in text and "Open in the coordinator" not in text
    assert log(client, world, channel_id=channel["id"])[0]["state"] == "delivered"
