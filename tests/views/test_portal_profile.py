"""A streamer keeps their own profile up to date: validated like the commissioner's form, audited, theirs only."""
from __future__ import annotations

import pytest

from coordinator.extensions import db
from coordinator.models import AuditEntry, Streamer
from tests.factories import make_streamer, make_user

EN = {"Accept-Language": "en"}
GOOD = {"display_name": "宜君小美", "platform": "douyin", "categories": "fruit, 茶叶", "region": "陕西铜川",
        "availability": "周五 19:00-24:00; Sat 20:00-23:00", "bio": "返乡青年"}


@pytest.fixture
def hosts(app):
    with app.app_context():
        make_streamer("xiaomei", display_name="小美", followers=52000)
        make_user("xiaomei", "streamer", streamer_handle="xiaomei")
        make_streamer("laowang", display_name="老王", categories=["tea"])
        make_user("laowang", "streamer", streamer_handle="laowang")


def login(app, username):
    client = app.test_client()
    assert client.post("/login", data={"username": username, "password": "correct horse"}).status_code == 302
    return client


def streamer(handle: str) -> Streamer:
    return db.session.query(Streamer).filter_by(handle=handle).one()


def test_profile_form_shows_the_streamers_own_values(app, hosts):
    page = login(app, "xiaomei").get("/my/profile", headers=EN).get_data(as_text=True)
    assert 'value="小美"' in page and 'value="fruit"' in page
    assert 'name="handle"' not in page and 'name="followers"' not in page  # those stay with the commissioner
    assert "csrf_token" in page


def test_saving_changes_platform_categories_region_and_availability_and_audits_it(app, hosts):
    host = login(app, "xiaomei")
    response = host.post("/my/profile", data=GOOD)
    assert response.status_code == 302 and response.headers["Location"] == "/my/profile"
    with app.app_context():
        mine = streamer("xiaomei")
        assert (mine.platform, mine.categories, mine.region, mine.bio) == ("douyin", ["fruit", "茶叶"], "陕西铜川", "返乡青年")
        assert [(w.weekday, w.start_minute, w.end_minute) for w in mine.availability] == [(4, 1140, 1440), (5, 1200, 1380)]
        assert (mine.handle, mine.followers) == ("xiaomei", 52000)
        entry = db.session.query(AuditEntry).filter_by(entity_type="streamers", entity_id=mine.id).one()
        assert entry.action == "update" and entry.after["platform"] == "douyin" and entry.user_id is not None
        assert streamer("laowang").categories == ["tea"]  # nobody else changed


@pytest.mark.parametrize("change, field, message", [
    ({"availability": "周五 22:00-19:00"}, "availability", "end must be after start"),
    ({"availability": "someday 19:00-20:00"}, "availability", ""),
    ({"availability": "周五 19:00-22:00; 周五 21:00-23:00"}, "availability", "overlaps another window on the same day"),
    ({"categories": ""}, "categories", "This field is required."),
    ({"platform": "myspace"}, "platform", "Not a valid choice."),
    ({"display_name": ""}, "display_name", "This field is required."),
])
def test_bad_values_are_refused_beside_their_field(app, hosts, change, field, message):
    response = login(app, "xiaomei").post("/my/profile", data={**GOOD, **change}, headers=EN)
    page = response.get_data(as_text=True)
    assert response.status_code == 422
    block = page.split(f'name="{field}"', 1)[1].split('<div class="field', 1)[0]
    assert 'class="field-error"' in block and message in block
    with app.app_context():
        assert streamer("xiaomei").platform == "taobao"  # nothing saved
        assert db.session.query(AuditEntry).count() == 0


def test_the_form_cannot_reach_another_streamer_or_their_handle(app, hosts):
    """There is no id in the URL; extra fields are ignored, so only the host's own row changes."""
    login(app, "laowang").post("/my/profile", data={**GOOD, "handle": "xiaomei", "followers": "9", "id": "1"})
    with app.app_context():
        assert streamer("xiaomei").platform == "taobao" and streamer("xiaomei").followers == 52000
        assert streamer("laowang").platform == "douyin" and streamer("laowang").handle == "laowang"


@pytest.mark.parametrize("app_config", [{"WTF_CSRF_ENABLED": True}])
def test_a_post_without_the_csrf_token_changes_nothing(app, hosts, app_config):
    client = app.test_client()
    login_page = client.get("/login").get_data(as_text=True)
    token = login_page.split('name="csrf_token" type="hidden" value="', 1)[1].split('"', 1)[0]
    client.post("/login", data={"username": "xiaomei", "password": "correct horse", "csrf_token": token})
    assert client.post("/my/profile", data=GOOD).status_code in (400, 422)
    with app.app_context():
        assert streamer("xiaomei").platform == "taobao"
