"""A session reminder leaves a real server (`python wsgi.py`, SCHEDULER_MODE=embedded, its delivery worker beside
the scheduler) for the host's email (aiosmtpd on 127.0.0.1) and the campaign's group robot (a WeCom-like receiver):
at the lead time while the service runs, and, for a reminder whose moment passed while the service was killed
(kill -9), caught up once after the restart. SQLite file; REMINDER_LEAD_MINUTES=1, sessions starting a minute and
a few seconds ahead, so the whole test takes seconds.
"""
from __future__ import annotations

import re
from datetime import timedelta

import pytest
import requests

from tests.notify.vendors import WeComReceiver
from tests.notify_processes.helpers import Mailbox, rows, snapshot, utcnow, wait_until
from tests.servers import ServerProcess
from tests.sessions.helpers import build, session_body

pytestmark = pytest.mark.timeout(120)
REMINDER = re.compile(r"(Host \d) goes live in (\d+) minutes")
ON_TIME = 5.0  # CONTRACT section 6: the first attempt follows within 5 s of the commit that staged it


@pytest.fixture
def robot():
    """The campaign's WeCom group robot (tests/notify's: checks the key, the markdown and the rate)."""
    receiver = WeComReceiver().start()
    yield receiver
    receiver.stop()


@pytest.fixture
def smtp():
    """The SMTP server the hosts' email goes through."""
    receiver = Mailbox().start()
    yield receiver
    receiver.stop()


@pytest.fixture
def app_config():
    """The test process only builds the campaign; the server process sends."""
    return {}


def _reminders_delivered(url: str) -> int:
    return rows(url, "SELECT COUNT(*) FROM deliveries WHERE event = 'session.reminder' AND state = 'delivered'")[0][0]


def _iso(moment) -> str:
    return moment.isoformat(timespec="milliseconds")


def _robot_reminders(robot: WeComReceiver) -> list[tuple[float, str]]:
    """(arrival time, host) of each reminder the group robot showed."""
    found = []
    for arrival in snapshot(robot):
        content = arrival.json["markdown"]["content"] if not arrival.verdict else ""
        match = REMINDER.search(content)
        if match:
            # The lead's minutes, the campaign, and a link to the page with more.
            assert match.group(2) == "1" and "Campaign: Double 11" in content and "](http" in content, content
            found.append((arrival.at.timestamp(), match.group(1)))
    return found


def _mail_reminders(smtp: Mailbox) -> list[tuple[float, str, str]]:
    """(arrival time, recipient, host) of each reminder email."""
    found = []
    for at, recipients, message in smtp.snapshot():
        match = REMINDER.search(str(message["Subject"]))
        assert match and match.group(2) == "1", message["Subject"]
        assert "Campaign: Double 11" in message.get_body(("plain",)).get_content()
        found.append((at, ",".join(recipients), match.group(1)))
    return found


@pytest.mark.parametrize("database_url", ["sqlite"], indirect=True)
def test_a_reminder_reaches_the_hosts_email_and_the_group_robot_on_time_and_after_a_restart_once(
        app, client, database_url, robot, smtp):
    now = utcnow()
    world = build(app, client, starts=_iso(now - timedelta(hours=1)), ends=_iso(now + timedelta(days=1)))
    server = ServerProcess(database_url, SCHEDULER_MODE="embedded", REMINDER_LEAD_MINUTES="1",
                           SMTP_HOST="127.0.0.1", SMTP_PORT=str(smtp.port), NOTIFY_CLAIM_SECONDS="2",
                           NOTIFY_ALLOW_PRIVATE=f"127.0.0.1:{robot.port}")
    api = server.url + "/api/v1"
    headers = world.headers
    try:
        server.start()
        made = [requests.post(api + "/channels", headers=headers, timeout=10, json=body) for body in (
            {"kind": "wecom", "name": "运营群", "campaign_id": world.campaign_id, "locale": "en",
             **robot.channel_fields()},
            {"kind": "email", "name": "Host 0 mail", "streamer_id": world.streamers[0],
             "address": "host0@example.com", "locale": "en"},
            {"kind": "email", "name": "Host 1 mail", "streamer_id": world.streamers[1],
             "address": "host1@example.com", "locale": "en"})]
        assert [answer.status_code for answer in made] == [201, 201, 201], [answer.text for answer in made]
        # Host 0's reminder falls due in 3 s, while the service runs; host 1's in 7.5 s, while it is down.
        moments = {"Host 0": utcnow() + timedelta(seconds=3), "Host 1": utcnow() + timedelta(seconds=7.5)}
        for n, host in enumerate(moments):
            begins = moments[host] + timedelta(minutes=1)
            answer = requests.post(api + "/sessions", headers=headers, timeout=10, json=session_body(
                world, _iso(begins), _iso(begins + timedelta(hours=1)), streamer=n))
            assert answer.status_code == 201, answer.text
        moments = {host: moment.timestamp() for host, moment in moments.items()}

        # On time: the host's email and the campaign's robot, within 5 s of the lead time.
        assert wait_until(lambda: len(_robot_reminders(robot)) >= 1 and len(_mail_reminders(smtp)) >= 1, 20), \
            (snapshot(robot), smtp.snapshot(), server.output)
        (robot_at, robot_host), = _robot_reminders(robot)
        (mail_at, recipient, mail_host), = _mail_reminders(smtp)
        assert (robot_host, mail_host, recipient) == ("Host 0", "Host 0", "host0@example.com")
        for at in (robot_at, mail_at):
            assert moments["Host 0"] <= at < moments["Host 0"] + ON_TIME, (at - moments["Host 0"])

        # Down across host 1's lead time, killed once host 0's messages are recorded as delivered (a kill between a
        # send and its record sends that message again: at least once, tested in test_worker_kill.py).
        assert wait_until(lambda: _reminders_delivered(database_url) == 2, 5), _reminders_delivered(database_url)
        assert utcnow().timestamp() < moments["Host 1"] - 0.5, "host 0's reminder came too late to test the outage"
        server.kill()
        assert wait_until(lambda: utcnow().timestamp() > moments["Host 1"] + 0.5, 15, poll=0.1)
        assert len(_robot_reminders(robot)) == 1 and len(_mail_reminders(smtp)) == 1
        restarted = utcnow().timestamp()
        server.start()
        up = utcnow().timestamp()  # answering HTTP (the scheduler catches up while the server starts)
        assert wait_until(lambda: len(_robot_reminders(robot)) >= 2 and len(_mail_reminders(smtp)) >= 2, 15), \
            (snapshot(robot), smtp.snapshot(), server.output)
        caught_up = [at for at, host in _robot_reminders(robot) if host == "Host 1"] + \
            [at for at, _to, host in _mail_reminders(smtp) if host == "Host 1"]
        assert len(caught_up) == 2 and all(restarted < at < up + ON_TIME for at in caught_up), \
            ([at - up for at in caught_up], up - restarted)
        # A few more sweeps and worker rounds: nothing is sent again.
        wait_until(lambda: len(_robot_reminders(robot)) > 2 or len(_mail_reminders(smtp)) > 2, 1.0)
    finally:
        output = server.stop()
    assert sorted(host for _at, host in _robot_reminders(robot)) == ["Host 0", "Host 1"]
    assert sorted((to, host) for _at, to, host in _mail_reminders(smtp)) == [
        ("host0@example.com", "Host 0"), ("host1@example.com", "Host 1")]
    assert {arrival.verdict for arrival in snapshot(robot)} == {""}  # the robot took every message it was sent
    # The service's own record agrees: two reminders, each delivered once to each of its two channels.
    assert rows(database_url, "SELECT state, COUNT(*) FROM deliveries WHERE event = 'session.reminder' "
                              "GROUP BY state") == [("delivered", 4)]
    assert rows(database_url, "SELECT COUNT(*) FROM delivery_attempts a JOIN deliveries d ON d.id = a.delivery_id "
                              "WHERE d.event = 'session.reminder'") == [(4,)]
    assert "Traceback" not in output, output
