"""One-time login links: made by a streamer's manager (or an admin), shown once, stored hashed, used once,
expiring; refused links log nobody in."""
from __future__ import annotations

import re
from datetime import timedelta

import pytest

from coordinator.domain.secrets import token_digest
from coordinator.extensions import db
from coordinator.models import (
    AuditEntry, CampaignStreamer, CommissionerCounty, LoginLink, LoginSession, Streamer, User,
)
from tests.factories import make_streamer, make_user
from tests.ingest.helpers import open_shop

EN = {"Accept-Language": "en"}


@pytest.fixture
def office(app, clock):
    """Wang manages Xiaomei and Newbie (no account yet), both enrolled in a Yijun campaign; Li works on Yijun too
    but manages nobody; Stranger is nobody's."""
    with app.app_context():
        shop = open_shop(clock())
        make_user("xiaomei", "streamer", streamer_handle="xiaomei")
        wang = make_user("wang", "commissioner")
        li = make_user("li", "commissioner")
        for user in (wang, li):
            db.session.add(CommissionerCounty(user_id=user.id, county_id=shop.county_id))
        newbie = make_streamer("newbie", display_name="新主播", manager_id=wang.id)
        stranger = make_streamer("stranger", display_name="路人")
        db.session.get(Streamer, shop.streamer_id).manager_id = wang.id
        db.session.add(CampaignStreamer(campaign_id=shop.campaign_id, streamer_id=newbie.id))
        db.session.commit()
        make_user("boss", "commissioner", is_admin=True)
        return {"xiaomei": shop.streamer_id, "newbie": newbie.id, "stranger": stranger.id}


def login(app, username):
    client = app.test_client()
    assert client.post("/login", data={"username": username, "password": "correct horse"}).status_code == 302
    return client


def make_link(app, username, streamer_id):
    response = login(app, username).post(f"/streamers/{streamer_id}/login-link", headers=EN)
    page = response.get_data(as_text=True)
    found = re.search(r'id="login-link"[^>]*value="(http://localhost/login/link/(lcc_link_[^"]+))"', page)
    return response, page, found.group(2) if found else None


def test_a_link_is_shown_once_and_only_its_hash_is_kept(app, office):
    response, page, token = make_link(app, "wang", office["xiaomei"])
    assert response.status_code == 200 and token and "shown only this once" in page
    with app.app_context():
        row = db.session.query(LoginLink).one()
        assert row.token_hash == token_digest(token) and token not in (row.prefix + row.token_hash)
        assert row.expires_at - row.created_at == timedelta(hours=24)
        entry = db.session.query(AuditEntry).filter_by(action="login-link").one()
        assert (entry.entity_type, entry.entity_id, entry.after["user"]) == ("streamers", office["xiaomei"], "xiaomei")
        assert token not in str(entry.after)
    assert token not in login(app, "wang").get("/streamers").get_data(as_text=True)


def test_visiting_asks_then_logs_the_streamer_in_once(app, office):
    _r, _p, token = make_link(app, "wang", office["xiaomei"])
    phone = app.test_client()
    confirm = phone.get(f"/login/link/{token}", headers=EN)
    assert confirm.status_code == 200 and "Log in as 宜君小美" in confirm.get_data(as_text=True)
    assert phone.get("/", headers=EN).status_code == 302  # a preview of the link logs nobody in
    used = phone.post(f"/login/link/{token}", headers=EN)
    assert used.status_code == 302 and used.headers["Location"] == "/"
    assert "宜君小美" in phone.get("/", headers=EN).get_data(as_text=True)
    again = app.test_client()
    for response in (again.get(f"/login/link/{token}", headers=EN), again.post(f"/login/link/{token}", headers=EN)):
        assert response.status_code == 410 and "already used" in response.get_data(as_text=True)
    assert again.get("/").status_code == 302


def test_an_expired_or_unknown_link_logs_nobody_in(app, office, clock):
    _r, _p, token = make_link(app, "wang", office["xiaomei"])
    clock.advance(hours=24)
    phone = app.test_client()
    response = phone.post(f"/login/link/{token}", headers=EN)
    assert response.status_code == 410 and "This link has expired" in response.get_data(as_text=True)
    unknown = phone.get("/login/link/lcc_link_nope", headers=EN)
    assert unknown.status_code == 404 and "This link does not work" in unknown.get_data(as_text=True)
    assert phone.get("/").status_code == 302


@pytest.mark.parametrize("app_config", [{"LOGIN_LINK_HOURS": 2}])
def test_the_lifetime_is_configurable(app, office, clock, app_config):
    _r, _p, early = make_link(app, "wang", office["xiaomei"])
    _r, _p, late = make_link(app, "wang", office["xiaomei"])
    clock.advance(hours=1, minutes=59)
    assert app.test_client().post(f"/login/link/{early}").status_code == 302
    clock.advance(minutes=2)  # two hours and a minute: long expired here, still valid under the 24-hour default
    assert app.test_client().post(f"/login/link/{late}").status_code == 410


def test_a_streamer_without_an_account_gets_one_that_only_the_link_opens(app, office):
    response, page, token = make_link(app, "wang", office["newbie"])
    assert response.status_code == 200 and "had no account yet" in page and "username newbie" in page
    with app.app_context():
        user = db.session.query(User).filter_by(streamer_id=office["newbie"]).one()
        assert (user.username, user.role, user.password_hash) == ("newbie", "streamer", "")
        assert db.session.query(AuditEntry).filter_by(action="create", entity_type="users").count() == 1
    phone = app.test_client()
    assert phone.post(f"/login/link/{token}").status_code == 302
    assert "新主播" in phone.get("/").get_data(as_text=True)
    # No password was set, so the password form cannot open the account.
    assert app.test_client().post("/login", data={"username": "newbie", "password": "correct horse"}).status_code == 401


def test_links_only_from_the_streamers_manager_or_an_admin(app, office):
    # Li works on the same county and campaign as Xiaomei, which once was enough to log in as her.
    assert make_link(app, "li", office["xiaomei"])[0].status_code == 403
    assert make_link(app, "wang", office["stranger"])[0].status_code == 403
    assert make_link(app, "wang", 999_999)[0].status_code == 404
    assert make_link(app, "boss", office["stranger"])[0].status_code == 200  # admins manage everyone
    with app.app_context():
        assert db.session.query(LoginLink).count() == 1
    streamers_page = login(app, "wang").get("/streamers").get_data(as_text=True)
    assert f'/streamers/{office["xiaomei"]}/login-link' in streamers_page
    assert f'/streamers/{office["stranger"]}/login-link' not in streamers_page
    assert f'/streamers/{office["xiaomei"]}/login-link' not in login(app, "li").get("/streamers").get_data(as_text=True)
    assert login(app, "xiaomei").post(f"/streamers/{office['xiaomei']}/login-link").status_code == 403


def test_a_link_replaces_whoever_was_logged_in_on_the_phone(app, office):
    _r, _p, token = make_link(app, "wang", office["newbie"])
    phone = login(app, "xiaomei")
    assert phone.post(f"/login/link/{token}").status_code == 302
    assert "新主播" in phone.get("/").get_data(as_text=True)


def test_a_disabled_account_cannot_use_its_link(app, office):
    _r, _p, token = make_link(app, "wang", office["xiaomei"])
    with app.app_context():
        db.session.query(User).filter_by(username="xiaomei").one().active = False
        db.session.commit()
    assert app.test_client().post(f"/login/link/{token}").status_code == 404


def test_a_link_sent_to_the_wrong_chat_is_revoked_and_logs_nobody_in(app, office):
    _r, _p, wrong = make_link(app, "wang", office["xiaomei"])
    _r, _p, right = make_link(app, "wang", office["xiaomei"])
    wang = login(app, "wang")
    page = wang.get(f"/streamers/{office['xiaomei']}/login-links", headers=EN).get_data(as_text=True)
    assert page.count('data-state="valid"') == 2 and wrong not in page and right not in page  # prefixes only
    assert "<title>Login links · " in page and page.count('id="calendar-link"') == 1
    with app.app_context():
        wrong_id = db.session.query(LoginLink).filter_by(token_hash=token_digest(wrong)).one().id
    revoked = wang.post(f"/streamers/{office['xiaomei']}/login-links/{wrong_id}/revoke", headers=EN,
                        follow_redirects=True)
    text = revoked.get_data(as_text=True)
    assert revoked.status_code == 200 and "no longer logs anyone in" in text
    assert text.count('data-state="revoked"') == 1 and text.count('data-state="valid"') == 1
    phone = app.test_client()
    for response in (phone.get(f"/login/link/{wrong}", headers=EN), phone.post(f"/login/link/{wrong}", headers=EN)):
        assert response.status_code == 410 and "This link was turned off" in response.get_data(as_text=True)
    assert phone.get("/").status_code == 302
    assert phone.post(f"/login/link/{right}").status_code == 302  # the other link still works
    with app.app_context():
        entry = db.session.query(AuditEntry).filter_by(action="revoke-login-link").one()
        assert (entry.entity_id, entry.user_id) == (office["xiaomei"], db.session.query(User).filter_by(
            username="wang").one().id)
        assert wrong not in str(entry.after)
    # Revoking again, or revoking the used one, changes nothing.
    wang.post(f"/streamers/{office['xiaomei']}/login-links/{wrong_id}/revoke")
    with app.app_context():
        assert db.session.query(AuditEntry).filter_by(action="revoke-login-link").count() == 1
        right_row = db.session.query(LoginLink).filter_by(token_hash=token_digest(right)).one()
        assert right_row.revoked_at is None and right_row.used_at is not None
    wang.post(f"/streamers/{office['xiaomei']}/login-links/{right_row.id}/revoke")
    with app.app_context():
        assert db.session.get(LoginLink, right_row.id).revoked_at is None


def test_only_the_manager_sees_or_revokes_a_streamers_links(app, office):
    _r, _p, token = make_link(app, "wang", office["newbie"])
    with app.app_context():
        link_id = db.session.query(LoginLink).one().id
    xiaomei = login(app, "xiaomei")  # another host: not even told the streamer exists
    assert xiaomei.get(f"/streamers/{office['newbie']}/login-links").status_code == 404
    assert xiaomei.post(f"/streamers/{office['newbie']}/login-links/{link_id}/revoke").status_code == 404
    li = login(app, "li")
    assert li.get(f"/streamers/{office['newbie']}/login-links").status_code == 403
    assert li.post(f"/streamers/{office['newbie']}/login-links/{link_id}/revoke").status_code == 403
    wang = login(app, "wang")
    assert wang.get(f"/streamers/{office['stranger']}/login-links").status_code == 403
    # A link of another streamer is not found under this one.
    assert wang.post(f"/streamers/{office['xiaomei']}/login-links/{link_id}/revoke").status_code == 404
    with app.app_context():
        assert db.session.get(LoginLink, link_id).revoked_at is None
    assert app.test_client().post(f"/login/link/{token}").status_code == 302


def test_revoking_too_late_says_so_and_changes_nothing(app, office, clock):
    _r, _p, used = make_link(app, "wang", office["xiaomei"])
    _r, _p, stale = make_link(app, "wang", office["xiaomei"])
    assert app.test_client().post(f"/login/link/{used}").status_code == 302
    with app.app_context():
        ids = {token: db.session.query(LoginLink).filter_by(token_hash=token_digest(token)).one().id
               for token in (used, stale)}
    wang = login(app, "wang")
    answer = wang.post(f"/streamers/{office['xiaomei']}/login-links/{ids[used]}/revoke", headers=EN,
                       follow_redirects=True).get_data(as_text=True)
    assert "already used" in answer and "cannot log that phone out" in answer
    clock.advance(hours=25)
    answer = wang.post(f"/streamers/{office['xiaomei']}/login-links/{ids[stale]}/revoke", headers=EN,
                       follow_redirects=True).get_data(as_text=True)
    assert "already expired" in answer and 'data-state="expired"' in answer
    with app.app_context():
        assert all(db.session.get(LoginLink, i).revoked_at is None for i in ids.values())
        assert db.session.query(AuditEntry).filter_by(action="revoke-login-link").count() == 0


def test_a_tap_racing_the_revocation_is_refused(app, office, monkeypatch):
    """The revocation commits between the tap's check and its claim: the claim must not log anyone in."""
    from coordinator.services import login_links

    _r, _p, token = make_link(app, "wang", office["xiaomei"])
    checked = login_links.peek

    def check_then_revoke(value):
        found = checked(value)
        db.session.query(LoginLink).filter_by(id=found[0].id).update({"revoked_at": found[0].created_at})
        db.session.commit()  # as the commissioner's request would, while this one is between its two steps
        return found

    monkeypatch.setattr(login_links, "peek", check_then_revoke)
    phone = app.test_client()
    response = phone.post(f"/login/link/{token}", headers=EN)
    assert response.status_code == 410 and "This link was turned off" in response.get_data(as_text=True)
    assert phone.get("/").status_code == 302


def test_signing_a_streamer_out_everywhere_ends_the_phone_that_used_a_link(app, office):
    _r, _p, token = make_link(app, "wang", office["xiaomei"])
    stranger_phone = app.test_client()  # the link reached the wrong chat, and someone tapped it
    assert stranger_phone.post(f"/login/link/{token}").status_code == 302
    laptop = login(app, "xiaomei")  # the streamer herself, with her password
    assert "宜君小美" in stranger_phone.get("/").get_data(as_text=True) and laptop.get("/").status_code == 200
    wang = login(app, "wang")
    page = wang.get(f"/streamers/{office['xiaomei']}/login-links", headers=EN).get_data(as_text=True)
    assert "Sign 宜君小美 out everywhere" in page
    done = wang.post(f"/streamers/{office['xiaomei']}/sign-out-everywhere", headers=EN, follow_redirects=True)
    assert done.status_code == 200 and "宜君小美 was signed out of every browser and phone" in done.get_data(as_text=True)
    for client in (stranger_phone, laptop):
        gone = client.get("/")
        assert gone.status_code == 302 and gone.headers["Location"].startswith("/login")
    assert login(app, "xiaomei").get("/").status_code == 200  # her password logs her in again
    _r, _p, fresh = make_link(app, "wang", office["xiaomei"])
    phone = app.test_client()
    assert phone.post(f"/login/link/{fresh}").status_code == 302 and phone.get("/").status_code == 200
    with app.app_context():
        entry = db.session.query(AuditEntry).filter_by(action="sign-out-everywhere").one()
        assert (entry.entity_id, entry.after) == (office["xiaomei"], {"user": "xiaomei"})
    nobody = wang.post(f"/streamers/{office['newbie']}/sign-out-everywhere", headers=EN, follow_redirects=True)
    assert "新主播 has no account yet" in nobody.get_data(as_text=True)
    assert wang.post(f"/streamers/{office['stranger']}/sign-out-everywhere").status_code == 403
    assert login(app, "li").post(f"/streamers/{office['xiaomei']}/sign-out-everywhere").status_code == 403


def test_signing_out_every_other_device_keeps_this_one(app, office):
    here, there = login(app, "xiaomei"), login(app, "xiaomei")
    page = here.get("/account/tokens", headers=EN).get_data(as_text=True)
    assert "Sign out everywhere else" in page
    done = here.post("/account/sign-out-others", headers=EN, follow_redirects=True)
    assert done.status_code == 200 and "Every other browser and phone was signed out" in done.get_data(as_text=True)
    assert here.get("/").status_code == 200
    assert there.get("/").status_code == 302


def test_signing_out_ends_the_session_so_a_copied_cookie_opens_nothing(app, office):
    browser = login(app, "xiaomei")
    copy = app.test_client()
    copy.set_cookie("session", browser.get_cookie("session").value)
    assert copy.get("/").status_code == 200  # a copy works while the session is open, as a cookie does
    assert browser.post("/logout").status_code == 302
    for client in (browser, copy):
        assert client.get("/").status_code == 302
    with app.app_context():
        assert db.session.query(LoginSession).filter(LoginSession.ended_at.is_(None)).count() == 0


def test_logging_in_starts_a_fresh_session_and_ends_the_one_before(app, office):
    browser = app.test_client()
    assert browser.post("/login", data={"username": "xiaomei", "password": "correct horse"}).status_code == 302
    before = browser.get_cookie("session").value
    _r, _p, token = make_link(app, "wang", office["newbie"])
    assert browser.post(f"/login/link/{token}").status_code == 302  # the phone is handed to Newbie
    stale = app.test_client()
    stale.set_cookie("session", before)
    assert stale.get("/").status_code == 302  # Xiaomei's session on this phone is over
    assert "新主播" in browser.get("/").get_data(as_text=True)
    with app.app_context():
        xiaomei = db.session.query(User).filter_by(username="xiaomei").one()
        assert db.session.query(LoginSession).filter_by(user_id=xiaomei.id, ended_at=None).count() == 0
