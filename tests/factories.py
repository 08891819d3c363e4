"""Small builders of rows for tests, using the real services where there are some."""
from __future__ import annotations

from coordinator.extensions import db
from coordinator.models import County, Streamer
from coordinator.services import access, accounts


def make_streamer(handle: str = "yijun_apple_girl", **fields) -> Streamer:
    """A streamer row with sensible defaults."""
    streamer = Streamer(
        handle=handle, display_name=fields.pop("display_name", handle), platform=fields.pop("platform", "taobao"),
        followers=fields.pop("followers", 12000), categories=fields.pop("categories", ["fruit"]), **fields,
    )
    db.session.add(streamer)
    db.session.commit()
    return streamer


def make_county(name: str = "Yijun", province: str = "Shaanxi") -> County:
    """A county row."""
    county = County(name=name, province=province)
    db.session.add(county)
    db.session.commit()
    return county


def make_user(username: str = "commissioner", role: str = "commissioner", password: str = "correct horse",
              streamer_handle: str | None = None, is_admin: bool = False):
    """A user through the accounts service."""
    return accounts.create_user(username, role, password=password, streamer_handle=streamer_handle, is_admin=is_admin)


def bearer(app, username: str = "commissioner", role: str = "commissioner", **kwargs) -> dict:
    """Headers carrying a fresh API token for a new user."""
    with app.app_context():
        user = make_user(username, role, **kwargs)
        token = api_token(user)
    return {"Authorization": f"Bearer {token}"}


def api_token(user) -> str:
    """A fresh API token for a user."""
    return accounts.issue_api_token(access.actor_for(user), "test")[1]


def assign(user, county) -> None:
    """Assign a commissioner to a county, as an admin would."""
    from coordinator.models import CommissionerCounty

    db.session.add(CommissionerCounty(user_id=user.id, county_id=county.id))
    db.session.commit()
