"""The people and objects of the access matrix: the demo, plus an outsider commissioner and a second host."""
from __future__ import annotations

import re
from dataclasses import dataclass, field

from sqlalchemy import func, select

from coordinator.extensions import db
from coordinator.models import (
    ApiToken, AuditEntry, Campaign, CommissionerCounty, County, IngestKey, LiveSession, LoginLink, Pairing, Product,
    SaleEvent, ScreenToken, Streamer, User,
)
from coordinator.services import accounts, demo, ical, login_links

PASSWORD = "correct horse battery"
ACTORS = ("anonymous", "owner", "outsider", "host", "other_host", "screen", "revoked")


@dataclass
class World:
    """Ids to put in URLs, and credentials for each actor."""

    ids: dict[str, int]
    tokens: dict[str, str]
    logins: dict[str, tuple[str, str]]
    screen_token: str
    ical_token: str = ""
    extra: dict = field(default_factory=dict)


def build() -> World:
    """Load the demo, add an outsider commissioner with their own county and a second host, pair both hosts."""
    logins = demo.load()
    campaign = db.session.get(Campaign, logins.campaign_id)
    owner = db.session.scalar(select(User).where(User.username == logins.commissioner[0]))
    host = db.session.scalar(select(User).where(User.username == logins.streamer[0]))
    other_streamer = db.session.scalar(select(Streamer).where(Streamer.id != host.streamer_id).order_by(Streamer.id))
    other_host = accounts.create_user("other_host", "streamer", PASSWORD, streamer_handle=other_streamer.handle)
    far_county = County(name="远方县", province="远方省")
    db.session.add(far_county)
    db.session.flush()
    outsider = accounts.create_user("outsider", "commissioner", PASSWORD)
    db.session.add(CommissionerCounty(user_id=outsider.id, county_id=far_county.id))
    product = db.session.scalar(select(Product).order_by(Product.id))
    pairings = {}
    for name, streamer_id in (("host", host.streamer_id), ("other_host", other_streamer.id)):
        row = db.session.scalar(select(Pairing).where(Pairing.campaign_id == campaign.id,
                                                      Pairing.streamer_id == streamer_id))
        if row is None:
            row = Pairing(campaign_id=campaign.id, streamer_id=streamer_id, product_id=product.id, score=1.0,
                          reasons=[], status="proposed", source="engine")
            db.session.add(row)
            db.session.flush()
        pairings[name] = row.id
    db.session.commit()
    other_session = db.session.scalar(select(LiveSession.id).where(LiveSession.streamer_id == other_streamer.id))
    login_links.create_link(owner, other_streamer.id)
    revoked = accounts.issue_api_token(owner, "revoked")
    accounts.revoke_api_token(owner, db.session.scalar(select(func.max(ApiToken.id))))
    tokens = {"owner": logins.api_token, "outsider": accounts.issue_api_token(outsider, "matrix"),
              "host": accounts.issue_api_token(host, "matrix"), "other_host": accounts.issue_api_token(other_host, "matrix"),
              "revoked": revoked, "screen": logins.screen_path.rsplit("/", 1)[1]}
    ids = {"campaign_id": campaign.id, "county_id": product.county_id, "product_id": product.id,
           "streamer_id": other_streamer.id, "pairing_id": pairings["other_host"],
           "session_id": other_session, "key_id": db.session.scalar(select(func.min(IngestKey.id))),
           "token_id": db.session.scalar(select(func.min(ApiToken.id)).where(ApiToken.user_id == owner.id)),
           "screen_id": db.session.scalar(select(func.min(ScreenToken.id))), "item_id": product.id,
           "link_id": db.session.scalar(select(func.min(LoginLink.id)))}
    return World(ids, tokens, {"owner": logins.commissioner, "outsider": ("outsider", PASSWORD),
                               "host": logins.streamer, "other_host": ("other_host", PASSWORD)},
                 tokens["screen"], ical.feed_token(host.streamer_id), {"pairings": pairings})


def fingerprint() -> tuple[int, ...]:
    """Counts and the newest change of everything a forbidden request might touch."""
    models = (County, Product, Streamer, Campaign, Pairing, LiveSession, SaleEvent, AuditEntry, IngestKey,
              ScreenToken, ApiToken, LoginLink, User)
    counts = tuple(db.session.scalar(select(func.count()).select_from(m)) for m in models)
    states = tuple(db.session.execute(select(Pairing.id, Pairing.status, Pairing.decline_reason).order_by(Pairing.id)).all())
    sessions = tuple(db.session.execute(select(LiveSession.id, LiveSession.status, LiveSession.starts_at)
                                        .order_by(LiveSession.id)).all())
    keys_state = tuple(db.session.execute(select(IngestKey.id, IngestKey.revoked_at, IngestKey.secret)).all())
    tokens = tuple(db.session.execute(select(ApiToken.id, ApiToken.revoked_at)).all())
    screens = tuple(db.session.execute(select(ScreenToken.id, ScreenToken.revoked_at)).all())
    screens += tuple(db.session.execute(select(LoginLink.id, LoginLink.revoked_at, LoginLink.used_at)).all())
    rows = tuple(tuple(db.session.execute(select(m.id, m.archived_at)).all()) for m in (Product, Streamer))
    logins = tuple(db.session.execute(select(User.id, User.login_generation).order_by(User.id)).all())
    return counts + (hash(states), hash(sessions), hash(keys_state), hash(tokens), hash(screens), hash(rows),
                     hash(logins))


def fill(rule: str, ids: dict[str, int]) -> str:
    """A URL for a rule: each <int:x> from ids, each <any(a, b):x> as its first choice."""
    url = re.sub(r"<int:(\w+)>", lambda m: str(ids[m.group(1)]), rule)
    url = re.sub(r"<any\(([\w, ]+)\):\w+>", lambda m: m.group(1).split(",")[0].strip(), url)
    return url
