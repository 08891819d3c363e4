"""The people and objects of the access matrix, each actor standing in one relation to campaign C.

admin · owner (of C and draft D, assigned to county A) · editor and viewer (on both teams, no county) ·
partner (county B, whose products are enrolled in C) · outsider (county Z, nothing in C) · manager (registered
the hosts, nothing in C) · host (S1, enrolled in C, paired and scheduled there) · other_host (S2, in campaign E
only) · screen (C's screen link) · revoked (a revoked API token) · anonymous.
"""
from __future__ import annotations

from dataclasses import dataclass, field
from datetime import timedelta

from coordinator import clock
from coordinator.extensions import db
from coordinator.models import (
    Campaign, CampaignMember, CampaignProduct, CampaignStreamer, Channel, CommissionerCounty, County, Delivery,
    IngestKey, IngestKeyCampaign, LineupItem, LiveSession, LoginLink, Pairing, Product, Reconciliation,
    ReconciliationRow, Sample, ScreenToken, ShippingAddress, Streamer,
)
from coordinator.edge import settings
from coordinator.services import access, accounts, ical, keys, login_links, screen_links

PASSWORD = "correct horse battery"
USERS = ("admin", "owner", "editor", "viewer", "partner", "outsider", "manager", "host", "other_host")
ACTORS = ("anonymous", *USERS, "screen", "revoked")


@dataclass
class World:
    """Ids to put in URLs and bodies, and credentials for each actor."""

    ids: dict[str, int]
    tokens: dict[str, str]
    screen_token: str
    ical_token: str
    own_products: dict[str, int] = field(default_factory=dict)
    key_id: str = ""  # the KEY_ID of K, C's ingest key

    def own_product(self, actor: str) -> int:
        """The product an actor would enrol: one of their own counties', else the owner's."""
        return self.own_products.get(actor, self.ids["PA2"])


def _product(key: str, county: County, category: str = "fruit", agricultural: bool = True) -> Product:
    row = Product(county_id=county.id, name=f"{county.name}{key}", sku=f"SKU-{key}", category=category,
                  price_fen=2990, stock=5000, is_agricultural=agricultural)
    db.session.add(row)
    return row


def _streamer(handle: str, manager_id: int) -> Streamer:
    row = Streamer(handle=handle, display_name=handle, platform="douyin", followers=50_000, categories=["fruit"],
                   manager_id=manager_id)
    db.session.add(row)
    return row


def build() -> World:
    """Make the world in the database and return its ids and credentials (built once a run for each clock and
    configuration, then put back from a snapshot into each test's fresh database: tests/snapshots.py)."""
    from tests import snapshots

    return snapshots.cached("access world", _build)


def _build() -> World:
    now = clock.now()
    users = {name: accounts.create_user(name, "commissioner", PASSWORD, is_admin=name == "admin", commit=False)
             for name in USERS if "host" not in name}
    counties = {k: County(name=n, province=p) for k, n, p in (
        ("A", "宜君县", "陕西省"), ("B", "普安县", "贵州省"), ("Z", "寻乌县", "江西省"), ("E0", "礼县", "甘肃省"))}
    db.session.add_all(counties.values())
    db.session.flush()
    for name, key in (("owner", "A"), ("owner", "E0"), ("partner", "B"), ("outsider", "Z")):
        db.session.add(CommissionerCounty(user_id=users[name].id, county_id=counties[key].id))
    products = {k: _product(k, counties[k[1]]) for k in ("PA1", "PA2", "PA3", "PA4", "PB1", "PB2", "PB3", "PZ")}
    streamers = {k: _streamer(k.lower(), users["manager" if k != "S2" and k != "S5" else "admin"].id)
                 for k in ("S1", "S2", "S3", "S4", "S5")}
    db.session.flush()
    users["host"] = accounts.create_user("host", "streamer", PASSWORD, streamer_handle="s1", commit=False)
    users["other_host"] = accounts.create_user("other_host", "streamer", PASSWORD, streamer_handle="s2", commit=False)
    window = {"starts_at": now - timedelta(days=1), "ends_at": now + timedelta(days=13)}
    campaigns = {"C": Campaign(name="多一件农产品", status="published", owner_id=users["owner"].id, **window),
                 "D": Campaign(name="草稿活动", status="draft", owner_id=users["owner"].id, **window),
                 "E": Campaign(name="另一场活动", status="published", owner_id=users["admin"].id, **window)}
    db.session.add_all(campaigns.values())
    db.session.flush()
    for key in ("C", "D"):
        db.session.add_all([CampaignMember(campaign_id=campaigns[key].id, user_id=users["editor"].id, role="editor"),
                            CampaignMember(campaign_id=campaigns[key].id, user_id=users["viewer"].id, role="viewer")])
    for campaign, product in (("C", "PA1"), ("C", "PB1"), ("C", "PB2"), ("E", "PA4")):
        db.session.add(CampaignProduct(campaign_id=campaigns[campaign].id, product_id=products[product].id))
    for campaign, streamer in (("C", "S1"), ("C", "S4"), ("E", "S2")):
        db.session.add(CampaignStreamer(campaign_id=campaigns[campaign].id, streamer_id=streamers[streamer].id))
    pairings = {"P_host": Pairing(campaign_id=campaigns["C"].id, streamer_id=streamers["S1"].id,
                                  product_id=products["PA1"].id, status="proposed", source="engine", reasons=[]),
                # The host's pairings with the partner's products: B1 has no sample yet, B2 one in each open state.
                "P_hostB1": Pairing(campaign_id=campaigns["C"].id, streamer_id=streamers["S1"].id,
                                    product_id=products["PB1"].id, status="accepted", source="engine", reasons=[]),
                "P_hostB2": Pairing(campaign_id=campaigns["C"].id, streamer_id=streamers["S1"].id,
                                    product_id=products["PB2"].id, status="proposed", source="engine", reasons=[]),
                "P_other": Pairing(campaign_id=campaigns["E"].id, streamer_id=streamers["S2"].id,
                                   product_id=products["PA4"].id, status="proposed", source="engine", reasons=[])}
    db.session.add_all(pairings.values())
    start = (now + timedelta(days=2)).replace(hour=11, minute=0, second=0, microsecond=0)
    sessions = {"SS_host": LiveSession(campaign_id=campaigns["C"].id, streamer_id=streamers["S1"].id, starts_at=start,
                                       ends_at=start + timedelta(hours=2), status="scheduled", title="夜场"),
                "SS_other": LiveSession(campaign_id=campaigns["E"].id, streamer_id=streamers["S2"].id,
                                        starts_at=start, ends_at=start + timedelta(hours=2), status="scheduled")}
    sessions["SS_host"].lineup = [LineupItem(product_id=products["PA1"].id, position=0),
                                  LineupItem(product_id=products["PB1"].id, position=1)]
    sessions["SS_other"].lineup = [LineupItem(product_id=products["PA4"].id, position=0)]
    db.session.add_all(sessions.values())
    db.session.flush()
    channels = _channels(campaigns["C"], streamers["S1"], users["owner"], now)
    channels.update(_samples(pairings["P_hostB2"], streamers["S1"], now))
    db.session.commit()
    return _credentials(users, counties, products, streamers, campaigns, pairings, sessions, channels)


def _samples(pairing: Pairing, host: Streamer, now) -> dict:
    """Samples of the partner's product to the host, one per open state (SM_req, SM_app, SM_ship), and the
    host's address (rows made directly: the rules allow one sample on the way per pairing)."""
    common = {"campaign_id": pairing.campaign_id, "pairing_id": pairing.id, "streamer_id": host.id,
              "product_id": pairing.product_id, "quantity": 2, "requested_at": now - timedelta(days=1)}
    rows = {"SM_req": Sample(**common, status="requested"),
            "SM_app": Sample(**common, status="approved", approved_at=now),
            "SM_ship": Sample(**common, status="shipped", approved_at=now, shipped_at=now, carrier="sf",
                              tracking_number="SF1234567890123")}
    db.session.add_all(rows.values())
    db.session.add(ShippingAddress(streamer_id=host.id, recipient="王小明", phone="13800000000",
                                   address="陕西省铜川市宜君县城关镇1号"))
    db.session.flush()
    return rows


def _channels(campaign: Campaign, host: Streamer, owner, now) -> dict:
    """C's group webhook (CH) and the host's own email (HCH), each with a failed delivery to replay (DL, HDL)."""
    channels = {"CH": Channel(kind="webhook", name="县域群", campaign_id=campaign.id, url="https://hooks.example.com/c",
                              secret="whsec_" + "A" * 32, created_by_id=owner.id),
                "HCH": Channel(kind="email", name="我的邮箱", streamer_id=host.id, address="host@example.com")}
    db.session.add_all(channels.values())
    db.session.flush()
    for key, channel in (("DL", "CH"), ("HDL", "HCH")):
        channels[key] = Delivery(channel_id=channels[channel].id, event="session.updated", message_id=f"msg_{key}",
                                 payload={"type": "session.updated", "timestamp": now.isoformat(), "data": {}},
                                 message={"title": "t"}, state="failed", attempt_count=8, next_attempt_at=now,
                                 created_at=now - timedelta(hours=1))
    db.session.add_all([channels["DL"], channels["HDL"]])
    return channels


def _credentials(users, counties, products, streamers, campaigns, pairings, sessions, channels) -> World:
    actors = {name: access.actor_for(user) for name, user in users.items()}
    key, _secret = keys.create_ingest_key(actors["owner"], "淘宝直播", [campaigns["C"].id])
    reconciliation = _reconciliation(campaigns["C"], key, sessions["SS_host"], products["PA1"], users["owner"])
    keys.create_ingest_key(actors["admin"], "every campaign")
    screen, screen_token = screen_links.create_screen_token(actors["owner"], campaigns["C"].id, "war room")
    login_links.create_link(actors["manager"], settings(), streamers["S1"].id)
    tokens = {name: accounts.issue_api_token(actors[name], "matrix")[1] for name in USERS}
    spare, _token = accounts.issue_api_token(actors["owner"], "spare")
    revoked, revoked_token = accounts.issue_api_token(actors["owner"], "revoked")
    accounts.revoke_api_token(actors["owner"], revoked.id)
    tokens.update(screen=screen_token, revoked=revoked_token)
    ids = {**{k: v.id for k, v in counties.items()}, **{k: v.id for k, v in products.items()},
           **{k: v.id for k, v in streamers.items()}, **{k: v.id for k, v in campaigns.items()},
           **{k: v.id for k, v in pairings.items()}, **{k: v.id for k, v in sessions.items()},
           **{k: v.id for k, v in channels.items()},
           **{f"user:{k}": v.id for k, v in users.items()},
           "K": key.id, "RC": reconciliation.id, "SC": screen.id, "T": spare.id,
           "LL": db.session.query(LoginLink.id).scalar()}
    own = {"admin": products["PA2"].id, "owner": products["PA2"].id, "partner": products["PB3"].id,
           "outsider": products["PZ"].id}
    assert db.session.query(IngestKeyCampaign).count() == 1 and db.session.query(IngestKey).count() == 2
    assert db.session.query(ScreenToken).count() == 1
    return World(ids, tokens, screen_token, ical.feed_token(settings(), db.session.get(Streamer, streamers["S1"].id)),
                 own, key.key_id)


def _reconciliation(campaign: Campaign, key, session: LiveSession, product: Product, owner) -> Reconciliation:
    """RC: an export of K's orders for C with one order the webhook never stored (rc-1), not applied yet."""
    rec = Reconciliation(campaign_id=campaign.id, ingest_key_id=key.id, created_by_id=owner.id, filename="淘宝.csv",
                         mapping={}, rows=1, missing_here=1)
    db.session.add(rec)
    db.session.flush()
    db.session.add(ReconciliationRow(reconciliation_id=rec.id, kind="missing_here", line=2, order_id="rc-1",
                                     sale_kind="order", session_id=session.id, product_id=product.id, quantity=1,
                                     amount_fen=3990, occurred_at=clock.now()))
    db.session.commit()
    return rec


def bearer(world: World, actor: str) -> dict:
    """API headers carrying an actor's token."""
    return {"Authorization": f"Bearer {world.tokens[actor]}"}
