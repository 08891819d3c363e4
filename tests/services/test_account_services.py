"""Accounts, logins, login links, calendar links, keys, screens and /live's checks, used by services alone."""
from __future__ import annotations

from datetime import timedelta

import pytest

from coordinator import clock
from coordinator.domain.errors import NotAuthenticated, NotFound, PermissionDenied, TooManyRequests
from coordinator.domain.events import AccessChanged
from coordinator.extensions import db
from coordinator.models import ApiToken, LoginSession, Streamer, User
from coordinator.services import (
    accounts, ical, keys, live_access, login_links, logins, screen_links, screens,
)
from tests.services.conftest import actor


def test_users_passwords_throttles_and_tokens(env, settings):
    made = accounts.create_user("lixian", "commissioner", "a long password")
    assert made.password_hash.startswith("pbkdf2") and accounts.hash_password("x") != accounts.hash_password("x")
    for _ in range(settings.login_free_failures + 1):  # the injected settings: one free failure
        with pytest.raises((NotAuthenticated, TooManyRequests)):
            accounts.authenticate(settings, "lixian", "wrong", "10.0.0.1")
    with pytest.raises(TooManyRequests):
        accounts.authenticate(settings, "lixian", "a long password", "10.0.0.1")
    assert accounts.authenticate(settings, "lixian", "a long password", "10.0.0.2").id == made.id
    me = actor(env, "editor")
    row, token = accounts.issue_api_token(me, "脚本")
    assert accounts.token_for(token) == (db.session.get(User, me.user_id), row)
    assert row.id in {t.id for t in accounts.list_api_tokens(me)}
    assert accounts.revoke_api_token(me, row.id).events == [AccessChanged()]
    with pytest.raises(NotAuthenticated):
        accounts.token_for(token)
    with pytest.raises(NotFound):
        accounts.revoke_api_token(actor(env, "viewer"), row.id)
    accounts.set_locale(me, "en")
    assert accounts.own_account(me).locale == "en"
    accounts.revoke_all_tokens(me.user_id)
    db.session.commit()
    assert all(t.revoked_at for t in db.session.query(ApiToken).filter_by(user_id=me.user_id))


def test_login_sessions_start_resolve_and_end(env):
    user = db.session.get(User, env.ids["user:viewer"])
    first, second = logins.start(user, "phone", "10.0.0.1"), logins.start(user, "laptop", "10.0.0.2")
    assert logins.resolve(user.id, first)[0].id == user.id and logins.resolve(user.id + 1, first) is None
    assert logins.session_id_for(second) is not None
    assert logins.sign_out_other_devices(actor(env, "viewer"), second).events == [AccessChanged()]
    assert logins.resolve(user.id, first) is None and logins.resolve(user.id, second) is not None
    assert logins.end(second).events == [AccessChanged()] and logins.resolve(user.id, second) is None
    assert logins.end(second).events == []  # ended already
    third = logins.start(user)
    logins.end_all(user.id)
    db.session.commit()
    assert logins.resolve(user.id, third) is None


def test_login_links_from_the_manager_with_the_injected_lifetime(env, settings):
    manager = actor(env, "manager")
    issued = login_links.create_link(manager, settings, env.ids["S1"])
    assert issued.expires_at - clock.now() == timedelta(hours=3)  # the injected lifetime, not the config's 24
    with pytest.raises(PermissionDenied):
        login_links.create_link(actor(env, "owner"), settings, env.ids["S1"])
    link, user, streamer = login_links.peek(issued.token)
    assert (user.username, streamer.id) == ("host", env.ids["S1"])
    assert login_links.state_of(link).value == "valid" and login_links.row_of(link).made_by == "manager"
    assert len(login_links.links_for(manager, env.ids["S1"])[1]) == 2
    assert [r.state.value for r in login_links.link_rows(manager, env.ids["S1"])[1]] == ["valid", "valid"]
    assert login_links.redeem(issued.token).id == user.id
    assert login_links.revoke_link(manager, env.ids["S1"], env.ids["LL"]).revoked_at is not None
    outcome = login_links.sign_out_everywhere(manager, env.ids["S1"])
    assert outcome.value == (db.session.get(Streamer, env.ids["S1"]), True) and outcome.events == [AccessChanged()]
    assert db.session.query(LoginSession).filter_by(user_id=user.id, ended_at=None).count() == 0


def test_calendar_links_are_signed_with_the_injected_key_and_renewed(env, settings):
    host = actor(env, "host")
    token = ical.own_feed_token(host, settings)
    streamer = db.session.get(Streamer, env.ids["S1"])
    assert ical.feed_token(settings, streamer) == token and ical.streamer_for_token(settings, token).id == streamer.id
    assert token != env.ical_token  # the world's link was signed with the app's key, not the injected one
    assert b"BEGIN:VEVENT" in ical.feed(streamer)
    renewed = ical.renew_own(host, settings)
    with pytest.raises(NotFound):
        ical.streamer_for_token(settings, token)
    assert ical.renew(actor(env, "manager"), settings, env.ids["S1"]) != renewed


def test_keys_screens_and_what_a_screen_shows(env):
    owner = actor(env, "owner")
    key, _secret = keys.create_ingest_key(owner, "快手", [env.ids["C"]])
    assert keys.campaign_ids_of(key) == [env.ids["C"]]
    assert [row.key.name for row in keys.list_ingest_keys(owner)] == ["快手", "淘宝直播"]
    assert keys.rotate_ingest_key(owner, key.id, 1)[0].previous_secret
    assert keys.revoke_ingest_key(owner, key.id).revoked_at
    assert {c.id for c in keys.editable_campaigns(owner)} == {env.ids["C"], env.ids["D"]}
    row, token = screen_links.create_screen_token(owner, env.ids["C"], "大屏")
    assert screen_links.screen_for_token(token).id == row.id
    assert [s.name for s in screen_links.list_screen_tokens(owner, env.ids["C"])][0] == "大屏"
    assert screen_links.campaign_of_screens(owner, env.ids["C"]).may_change
    assert screens.screen_campaign(token).id == env.ids["C"]
    assert [s["scope"] for s in screens.scopes_for(token)] == ["campaign"]
    assert len(screens.series_for(token, "session", env.ids["SS_host"])) == 60
    with pytest.raises(NotFound):
        screens.series_for(token, "session", env.ids["SS_other"])
    assert len(screens.series("campaign", env.ids["C"])) == 60
    campaign, snapshot, series = screens.opening(token)
    assert (campaign.id, snapshot["scope"], snapshot["id"], len(series)) == (env.ids["C"], "campaign", env.ids["C"], 60)
    assert screen_links.revoke_screen_token(owner, row.id).events == [AccessChanged()]
    with pytest.raises(NotFound):
        screens.screen_campaign(token)


def test_live_viewers_are_checked_again_against_the_database(env):
    viewer = live_access.identify(env.tokens["editor"], None)
    assert viewer.kind == "api" and live_access.actor_of(viewer).user_id == env.ids["user:editor"]
    grant = live_access.authorize(viewer, "campaign", env.ids["C"])
    assert grant.planner and live_access.snapshot_for(grant)["snapshot"]["scope"] == "campaign"
    screen = live_access.identify(env.tokens["screen"], None)
    assert live_access.authorize(screen, "session", env.ids["SS_other"]) is None
    assert live_access.still_allowed(viewer, {("campaign", env.ids["C"])})
    session = logins.start(db.session.get(User, env.ids["user:partner"]))
    partner = live_access.identify(None, session)
    assert live_access.authorize(partner, "campaign", env.ids["C"]).partner_county_ids == {env.ids["B"]}
    before = live_access.current_epoch()
    logins.end(session)
    assert live_access.current_epoch() == before + 1 and live_access.actor_of(partner) is None
    assert live_access.identify("lcc_api_forged", None) is None and live_access.identify(None, None) is None
