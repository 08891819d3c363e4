"""Every route of the URL map against every actor: the request each cell sends, and the status it got."""
from __future__ import annotations

import re

from flask import Flask

from tests.access.world import ACTORS, World, fill

MUTATING = {"POST", "PATCH", "PUT", "DELETE"}
# Tested on their own elsewhere: logging in and out changes the very sessions the matrix uses.
LEFT_OUT = {"/login", "/logout"}
BOGUS = "not-a-real-token-0123456789"
CSRF_FIELD = re.compile(r'name="csrf_token"[^>]*value="([^"]+)"')


def routes(app: Flask) -> list[tuple[str, str]]:
    """(method, rule) of every route but static files and login/logout, sorted."""
    found = []
    for rule in app.url_map.iter_rules():
        if rule.endpoint == "static" or rule.rule in LEFT_OUT:
            continue
        found += [(method, rule.rule) for method in rule.methods - {"HEAD", "OPTIONS"}]
    return sorted(found, key=lambda pair: (pair[1], pair[0]))


def url_for_cell(rule: str, world: World) -> str:
    """The concrete URL: ids of the demo's (or the other host's) objects, capability tokens that open the page."""
    url = fill(rule, world.ids)
    if rule.startswith("/screen/"):
        return url.replace("<token>", world.screen_token)
    if rule.startswith("/calendar/"):
        return url.replace("<token>", world.ical_token)
    return url.replace("<token>", BOGUS)


def csrf_token(page: str) -> str:
    """The hidden CSRF token of the first form on a page."""
    match = CSRF_FIELD.search(page)
    assert match, "the page has no CSRF field"
    return match.group(1)


def logged_in(app: Flask, username: str, password: str):
    """A browser session that logged in through the login form, CSRF token and all."""
    client = app.test_client()
    token = csrf_token(client.get("/login").get_data(as_text=True))
    response = client.post("/login", data={"username": username, "password": password, "csrf_token": token})
    assert response.status_code == 302, response.status_code
    return client


def page_clients(app: Flask, world: World) -> dict:
    """A browser session per actor; those with a login are logged in."""
    return {actor: logged_in(app, *world.logins[actor]) if actor in world.logins else app.test_client()
            for actor in ACTORS}


def send(app: Flask, clients: dict, world: World, actor: str, method: str, rule: str) -> int:
    """One cell: the API with the actor's bearer token (none when anonymous), pages with the actor's session."""
    url = url_for_cell(rule, world)
    if url.startswith("/api/"):
        token = world.tokens.get(actor)
        headers = {"Authorization": f"Bearer {token}"} if token else {}
        return app.test_client().open(url, method=method, json={}, headers=headers).status_code
    return clients[actor].open(url, method=method, data={}).status_code


def key(method: str, rule: str) -> str:
    """The table's name for a route."""
    return f"{method} {rule}"
