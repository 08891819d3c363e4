"""Login, logout, throttling, CSRF, language and the token page, as a person meets them."""
from __future__ import annotations

import re

import pytest

from coordinator.extensions import db
from coordinator.models import ApiToken
from tests.factories import make_streamer, make_user


@pytest.fixture
def wang(app):
    with app.app_context():
        make_user("wang", "commissioner", password="correct horse")


def login(client, password="correct horse", **extra):
    return client.post("/login", data={"username": "wang", "password": password}, **extra)


def test_login_then_home_then_logout(wang, client):
    response = login(client)
    assert response.status_code == 302 and response.headers["Location"] == "/"
    assert "工作台" in client.get("/").get_data(as_text=True)
    assert client.post("/logout").status_code == 302
    assert client.get("/").status_code == 302  # back to the login page


def test_home_needs_a_login(client):
    response = client.get("/")
    assert response.status_code == 302 and "/login" in response.headers["Location"]


def test_wrong_password_is_refused_with_a_message(wang, client):
    response = login(client, "wrong password", headers={"Accept-Language": "en"})
    assert response.status_code == 401 and "Wrong username or password." in response.get_data(as_text=True)


def test_repeated_failures_are_slowed_down_then_allowed_again(app, wang, client, clock):
    free = app.config["LOGIN_FREE_FAILURES"]
    for _ in range(free):
        assert login(client, "guess").status_code == 401
    refused = login(client, headers={"Accept-Language": "en"})
    assert refused.status_code == 429 and "Too many failed attempts" in refused.get_data(as_text=True)
    clock.advance(seconds=3)
    assert login(client).status_code == 302


def test_the_wait_doubles_with_each_further_failure(app, wang, client, clock):
    for _ in range(app.config["LOGIN_FREE_FAILURES"]):
        login(client, "guess")
    clock.advance(seconds=3)
    assert login(client, "guess again").status_code == 401
    clock.advance(seconds=3)
    assert login(client).status_code == 429  # now the wait is 4 s
    clock.advance(seconds=2)
    assert login(client).status_code == 302


def test_unknown_usernames_are_throttled_too(app, client):
    for _ in range(app.config["LOGIN_FREE_FAILURES"]):
        client.post("/login", data={"username": "nobody", "password": "x"})
    assert client.post("/login", data={"username": "nobody", "password": "x"}).status_code == 429


@pytest.mark.parametrize("app_config", [{"WTF_CSRF_ENABLED": True}])
def test_forms_without_the_csrf_token_are_refused(wang, client, app_config):
    response = login(client)
    assert response.status_code == 400
    assert client.get("/").status_code == 302  # nobody logged in
    page = client.get("/login").get_data(as_text=True)
    token = re.search(r'name="csrf_token" type="hidden" value="([^"]+)"', page).group(1)
    assert client.post("/login", data={"username": "wang", "password": "correct horse", "csrf_token": token}).status_code == 302
    assert client.post("/logout").status_code == 400
    assert client.get("/").status_code == 200


def test_logout_is_not_a_get(wang, client):
    login(client)
    assert client.get("/logout").status_code == 405
    assert client.get("/").status_code == 200


@pytest.mark.parametrize("target, expected", [("/account/tokens", "/account/tokens"), ("//evil.example/x", "/"),
                                              ("https://evil.example/", "/")])
def test_login_follows_only_local_next(wang, client, target, expected):
    response = client.post(f"/login?next={target}", data={"username": "wang", "password": "correct horse"})
    assert response.headers["Location"] == expected


def test_session_cookie_flags(wang, client):
    cookie = login(client).headers["Set-Cookie"]
    assert "HttpOnly" in cookie and "SameSite=Lax" in cookie


def test_language_follows_accept_language_and_the_switch(wang, client):
    assert "Log in" in client.get("/login", headers={"Accept-Language": "en-US,en;q=0.9"}).get_data(as_text=True)
    assert "登录" in client.get("/login").get_data(as_text=True)
    assert "登录" in client.get("/login", headers={"Accept-Language": "zh-CN"}).get_data(as_text=True)
    client.post("/language", data={"lang": "en", "next": "/login"})
    assert "Log in" in client.get("/login", headers={"Accept-Language": "zh-CN"}).get_data(as_text=True)
    login(client)
    client.post("/language", data={"lang": "zh_Hans", "next": "/"})
    assert "工作台" in client.get("/", headers={"Accept-Language": "en"}).get_data(as_text=True)


def test_streamer_lands_on_their_own_page(app, client):
    with app.app_context():
        make_streamer("yijun_xiaomei", display_name="宜君小美", followers=52000)
        make_user("xiaomei", "streamer", streamer_handle="yijun_xiaomei")
    client.post("/login", data={"username": "xiaomei", "password": "correct horse"})
    page = client.get("/").get_data(as_text=True)
    assert "宜君小美" in page and "52,000" in page and "我的活动" in page


def test_token_page_shows_a_new_token_once_and_revokes(app, wang, client):
    login(client)
    page = client.post("/account/tokens", data={"name": "spreadsheet robot"}).get_data(as_text=True)
    token = re.search(r'value="(lcc_api_[^"]+)"', page).group(1)
    assert client.get("/api/v1/me", headers={"Authorization": f"Bearer {token}"}).status_code == 200
    assert token not in client.get("/account/tokens").get_data(as_text=True)
    with app.app_context():
        token_id = db.session.query(ApiToken).one().id
    assert client.post(f"/account/tokens/{token_id}/revoke").status_code == 302
    assert client.get("/api/v1/me", headers={"Authorization": f"Bearer {token}"}).status_code == 401


def test_missing_pages_are_friendly_html_and_api_stays_json(client):
    page = client.get("/no/such/page", headers={"Accept-Language": "en"})
    assert page.status_code == 404 and page.mimetype == "text/html"
    assert "Page not found" in page.get_data(as_text=True) and "Traceback" not in page.get_data(as_text=True)
    assert client.get("/api/v1/nothing").mimetype == "application/problem+json"
