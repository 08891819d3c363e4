"""The portal's pure rules: login link lifetimes, usernames for new accounts, pictures, stock warnings."""
from __future__ import annotations

from datetime import datetime, timedelta, timezone

import pytest

from coordinator.domain.portal import (
    LinkState, link_expiry, link_state, picture_path, running_low, stock_left, username_for,
)

NOW = datetime(2026, 11, 11, 12, tzinfo=timezone.utc)


def test_a_link_lives_the_configured_hours_and_at_least_one():
    assert link_expiry(NOW, 24) == NOW + timedelta(hours=24)
    assert link_expiry(NOW, 0) == NOW + timedelta(hours=1)


@pytest.mark.parametrize("expires, used, state", [
    (NOW + timedelta(seconds=1), None, LinkState.VALID),
    (NOW, None, LinkState.EXPIRED),
    (NOW + timedelta(hours=1), NOW - timedelta(minutes=1), LinkState.USED),
    (NOW - timedelta(hours=1), NOW - timedelta(hours=2), LinkState.USED),  # used says more than expired
])
def test_link_state(expires, used, state):
    assert link_state(expires, used, NOW) is state


def test_a_revoked_link_says_so_unless_it_had_been_used_before():
    assert link_state(NOW + timedelta(hours=1), None, NOW, revoked_at=NOW) is LinkState.REVOKED
    assert link_state(NOW - timedelta(hours=1), None, NOW, revoked_at=NOW - timedelta(hours=2)) is LinkState.REVOKED
    assert link_state(NOW + timedelta(hours=1), NOW, NOW, revoked_at=NOW) is LinkState.USED


def test_usernames_for_new_accounts_avoid_taken_ones():
    assert username_for("yijun_xiaomei", set()) == "yijun_xiaomei"
    assert username_for("yijun_xiaomei", {"Yijun_Xiaomei"}) == "yijun_xiaomei-2"
    assert username_for("yijun_xiaomei", {"yijun_xiaomei", "yijun_xiaomei-2"}) == "yijun_xiaomei-3"
    assert username_for("小美", set()) == "host"
    assert username_for("x", set()) == "host-x"


@pytest.mark.parametrize("category, url, path", [
    ("fruit", "", "/static/img/products/fruit.svg"),
    ("tea", "https://cdn.example/tea.jpg", "/static/img/products/tea.svg"),  # other sites are refused by the CSP
    ("gift", "", "/static/img/products/other.svg"),
    ("fruit", "/static/uploads/apple.jpg", "/static/uploads/apple.jpg"),
    ("fruit", "//evil.example/a.png", "/static/img/products/fruit.svg"),
])
def test_picture_is_the_products_own_when_local_else_its_categorys_drawing(category, url, path):
    assert picture_path(category, url) == path


def test_every_drawing_named_exists():
    from coordinator import ROOT
    from coordinator.domain.portal import DRAWN_CATEGORIES

    for name in DRAWN_CATEGORIES | {"other"}:
        assert (ROOT / "static" / "img" / "products" / f"{name}.svg").stat().st_size < 2000


def test_stock_left_and_running_low():
    assert stock_left(100, 130) == 0 and stock_left(100, 30) == 70
    assert running_low(10, 100) and not running_low(11, 100) and running_low(0, 0)
