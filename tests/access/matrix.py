"""Sending one cell of the matrix: a route as one actor, with the body the route gives, over the API with the
actor's bearer token or over pages with the actor's logged-in browser."""
from __future__ import annotations

import re

from flask import Flask

from tests.access.policy import WITHOUT_LOGIN, mark
from tests.access.routes import DEFAULT_IDS, Route
from tests.access.world import ACTORS, PASSWORD, World

MUTATING = {"POST", "PATCH", "PUT", "DELETE"}
# Tested on their own elsewhere: logging in and out changes the very sessions the matrix uses.
LEFT_OUT = {"/login", "/logout"}
BOGUS = "not-a-real-token-0123456789"
CSRF_FIELD = re.compile(r'name="csrf_token"[^>]*value="([^"]+)"')


def route_keys(app: Flask) -> set[str]:
    """'METHOD /rule' of every route but static files and login/logout."""
    found = set()
    for rule in app.url_map.iter_rules():
        if rule.endpoint == "static" or rule.rule in LEFT_OUT:
            continue
        found |= {f"{method} {rule.rule}" for method in rule.methods - {"HEAD", "OPTIONS"}}
    return found


def url(route: Route, world: World) -> str:
    """The concrete URL of a route: the world's objects, the route's choices, capability tokens that open."""
    path = route.rule_path
    ids = {**DEFAULT_IDS, **route.ids}
    path = re.sub(r"<int:(\w+)>", lambda m: str(world.ids[ids[m.group(1)]]), path)
    path = re.sub(r"<any\([\w, ]+\):(\w+)>", lambda m: route.choice[m.group(1)], path)
    token = world.screen_token if path.startswith("/screen/") else world.ical_token \
        if path.startswith("/calendar/") else BOGUS
    path = path.replace("<token>", token)
    return path + (f"?{route.query}" if route.query else "")


def csrf_token(page: str) -> str:
    """The hidden CSRF token of the first form on a page."""
    found = CSRF_FIELD.search(page)
    assert found, "the page has no CSRF field"
    return found.group(1)


def logged_in(app: Flask, username: str, password: str = PASSWORD):
    """A browser that logged in through the login form."""
    client = app.test_client()
    found = CSRF_FIELD.search(client.get("/login").get_data(as_text=True))
    response = client.post("/login", data={"username": username, "password": password,
                                           "csrf_token": found.group(1) if found else ""})
    assert response.status_code == 302, (username, response.status_code)
    return client


def page_clients(app: Flask) -> dict:
    """A browser per actor; those with a login are logged in."""
    return {actor: app.test_client() if actor in WITHOUT_LOGIN else logged_in(app, actor) for actor in ACTORS}


def expected(route: Route, actor: str, api: bool) -> tuple[str, int]:
    """The README's mark for the cell and the status it means on this edge."""
    sign = mark(route.rule, actor)
    if api:
        return sign, route.ok if sign in ("✓", "∅") else int(sign)
    ok = route.page_ok or (200 if route.method == "GET" else 302)
    return sign, {"✓": ok, "∅": ok, "401": 302, "422": route.page_invalid}.get(sign) or int(sign)


def send(app: Flask, clients: dict, world: World, route: Route, actor: str) -> int:
    """One cell: its status."""
    target = url(route, world)
    body = {}
    if route.files:
        body["data"] = route.files(world, actor)
    elif route.form:
        body["data"] = route.form(world, actor)
    if target.startswith("/api/"):
        token = world.tokens.get(actor)
        headers = {"Authorization": f"Bearer {token}"} if token else {}
        if route.json:
            body["json"] = route.json(world, actor)
        return app.test_client().open(target, method=route.method, headers=headers, **body).status_code
    return clients[actor].open(target, method=route.method, **body).status_code
