"""The channels pages and the delivery log through the test client: who sees which buttons, a webhook's secret
shown once, a form refused beside its field, the log's filters and replays."""
from __future__ import annotations

import pytest

from coordinator.extensions import db
from coordinator.models import Channel, Delivery
from tests.access.world import PASSWORD, build

SQLITE = pytest.mark.parametrize("database_url", ["sqlite"], indirect=True)
EN = {"Accept-Language": "en"}


@pytest.fixture
def world(app, clock):
    """The access matrix's world: campaign C with its channel CH, host S1 with HCH, a failed delivery on each."""
    with app.app_context():
        return build()


def browser(app, name: str):
    client = app.test_client()
    assert client.post("/login", data={"username": name, "password": PASSWORD}).status_code == 302
    return client


@SQLITE
def test_the_team_reads_a_campaigns_channels_and_its_editors_change_them(app, world):
    path = f"/campaigns/{world.ids['C']}/channels"
    viewer = browser(app, "viewer").get(path, headers=EN).get_data(as_text=True)
    owner = browser(app, "owner").get(path, headers=EN).get_data(as_text=True)
    assert "县域群" in viewer and "https://hooks.example.com/c" in viewer  # short enough to show whole
    assert "Send a test message" not in viewer and 'id="new-channel"' not in viewer
    assert "Send a test message" in owner and 'id="new-channel"' in owner
    assert "whsec_" not in owner


@SQLITE
def test_a_webhook_made_on_the_page_shows_its_secret_once(app, world):
    owner, path = browser(app, "owner"), f"/campaigns/{world.ids['C']}/channels"
    made = owner.post(path, headers=EN, data={"kind": "webhook", "name": "数据平台", "url": "https://8.8.8.8/hook",
                                              "locale": "en", "events": ["session.reminder", "campaign.status"]})
    assert made.status_code == 200 and 'id="new-secret"' in made.get_data(as_text=True)
    with app.app_context():
        row = db.session.query(Channel).filter_by(name="数据平台").one()
        assert row.events == ["session.reminder", "campaign.status"] and row.locale == "en"
        assert row.secret in made.get_data(as_text=True)
        secret = row.secret
    assert secret not in owner.get(path).get_data(as_text=True)


@SQLITE
def test_a_channel_without_events_or_address_is_refused_beside_its_fields(app, world):
    owner, path = browser(app, "owner"), f"/campaigns/{world.ids['C']}/channels"
    refused = owner.post(path, headers=EN, data={"kind": "email", "name": "团队邮箱", "address": "nobody", "locale": "en"})
    page = refused.get_data(as_text=True)
    assert refused.status_code == 200 and "Pick at least one event." in page
    everything = owner.post(path, headers=EN, data={"kind": "email", "name": "团队邮箱", "address": "nobody",
                                                    "locale": "en", "events": ["campaign.status"]})
    assert "An email channel needs an address such as host@example.com." in everything.get_data(as_text=True)
    with app.app_context():
        assert db.session.query(Channel).filter_by(name="团队邮箱").count() == 0


@SQLITE
def test_the_log_shows_each_reader_their_own_channels_and_replays(app, world):
    owner, host = browser(app, "owner"), browser(app, "host")
    mine = host.get("/deliveries?state=failed&event=bogus&channel_id=x", headers=EN).get_data(as_text=True)
    assert f'data-delivery="{world.ids["HDL"]}"' in mine and f'data-delivery="{world.ids["DL"]}"' not in mine
    theirs = owner.get(f"/deliveries?channel_id={world.ids['CH']}", headers=EN).get_data(as_text=True)
    assert f'data-delivery="{world.ids["DL"]}"' in theirs and "Replay" in theirs
    assert owner.get(f"/deliveries?channel_id={world.ids['HCH']}").status_code == 403
    back = owner.post("/deliveries/replay", headers=EN, follow_redirects=True,
                      data={"since": "2000-01-01T00:00", "channel_id": str(world.ids["CH"]), "next": "/deliveries"})
    assert "1 failed message is queued again." in back.get_data(as_text=True)
    with app.app_context():
        assert db.session.get(Delivery, world.ids["DL"]).state == "pending"
        assert db.session.get(Delivery, world.ids["HDL"]).state == "failed"
