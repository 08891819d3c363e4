"""Last year's Double 11 in the demo: a finished campaign with its hosts' evening sessions and a few thousand orders
and refunds posted through the real ingest path, so that its results page shows a whole report. The campaign, its
enrolments, pairings and moves go through the services; its sessions, in the past, are written as the scheduler
would have left them. Loading again adds nothing: a closed campaign is left alone, and a load cut short posts the
same order ids again, which the ingest counts as duplicates."""
from __future__ import annotations

import random
from dataclasses import dataclass
from datetime import date, datetime, timedelta, tzinfo

from sqlalchemy import select

from coordinator import clock
from coordinator.domain.access_facts import Actor
from coordinator.domain.cells import to_windows
from coordinator.domain.enums import CampaignStatus, Role, SessionStatus
from coordinator.domain.settings import Settings
from coordinator.extensions import db
from coordinator.models import (
    Campaign, CampaignProduct, CampaignStreamer, IngestKey, IngestKeyCampaign, LineupItem, LiveSession, Pairing,
    Product, Streamer, User,
)
from coordinator.schemas.sales import MAX_EVENTS, SaleEventIn
from coordinator.services import access, campaigns, enrolment, ingest, keys, pairings
from coordinator.services import demo_data as data

NAME = "One More Agriproduct · Double 11 {year} / 多一件农产品 · {year}双十一助农"
DESCRIPTION = "{year}年双十一：每个直播间至少推介一款欠发达县的农产品。活动已结束，这里是它的成绩单。"
KEY_NAME = "Double 11 {year} sales platform"
TARGET_NET_FEN = 30_000_000  # RMB 300,000
DAYS = 11  # 1 to 11 November
PEAK = (2.0, 3.5)  # the last two nights, every host on air: how many times a usual evening's orders they take
SEED = 20251111
REFUND_RATE = 0.04
COUPON = (20_000, 2_000)  # Double 11's 满200减20: orders of RMB 200 or more pay RMB 20 less
# What each host carried (their lineup, in running order), paired by hand and accepted by the host; the pairs the
# commissioner then locked are marked. 宜君小美, the demo's host login, was not in it: her pages show this year's.
CARRIED = {
    "xunwu_laozhong": ["XW-NAVEL-10J", "XW-PASSION-3J"],
    "puan_chanong": ["PA-STIRTEA", "PA-BLACKTEA-250G"],
    "county_li": ["YJ-APPLE-5J", "YJ-GRITS-500G", "LX-APPLE-8J", "PA-BLACKTEA-250G"],
    "nongjia_dajie": ["YJ-GRITS-500G", "WX-POTATO-GIFT"],
    "tea_master_wang": ["PA-BLACKTEA-250G", "PA-STIRTEA", "JL-HONEYSUCKLE"],
    "fruit_hunter": ["JS-MELON-2", "XW-NAVEL-10J", "LX-APPLE-8J"],
    "gansu_apple": ["LX-APPLE-8J", "XW-PASSION-3J"],
    "health_tea_lin": ["JL-HONEYSUCKLE", "PA-STIRTEA", "WX-POTATO-GIFT"],
    "xinjiang_guazi": ["JS-MELON-2", "WX-POTATO-GIFT"],
    "chongqing_mala": ["WX-POTATO-GIFT", "YJ-GRITS-500G"],
    "super_anchor": ["XW-NAVEL-10J", "YJ-APPLE-5J", "PA-BLACKTEA-250G", "JS-MELON-2", "JL-HONEYSUCKLE"],
}
LOCKED = {("nongjia_dajie", "YJ-GRITS-500G"), ("county_li", "YJ-APPLE-5J"), ("super_anchor", "XW-NAVEL-10J")}
BULK = {"YJ-GRITS-500G": (2, 6)}  # grits sell by the several bags; everything else one or two at a time


@dataclass(frozen=True)
class FinishedCampaign:
    """The finished campaign and the ingest key its sales came in with (what a reconciliation of it starts from)."""

    campaign_id: int
    key_row_id: int
    key_id: str
    accepted: int  # sales this load stored (0 once the campaign is closed)


@dataclass(frozen=True)
class _Planned:
    handle: str
    starts_at: datetime
    ends_at: datetime
    title: str
    skus: list[str]
    boost: float  # how many times a usual evening's orders it takes


def load(settings: Settings, commissioner: User) -> FinishedCampaign:
    """Make last year's Double 11 campaign of the commissioner, sell in it and close it; once."""
    owner = access.actor_for(commissioner)
    year = clock.now().astimezone(settings.zone).year - 1
    campaign = db.session.scalar(select(Campaign).filter_by(name=NAME.format(year=year)))
    if campaign is None:
        campaign = _create(owner, settings.zone, year)
    if campaign.status == CampaignStatus.CLOSED.value:
        key = _key(campaign, year)
        return FinishedCampaign(campaign.id, key.id if key else 0, key.key_id if key else "", 0)
    streamers = {s.handle: s for s in db.session.scalars(select(Streamer).where(Streamer.handle.in_(CARRIED)))}
    products = {p.sku: p for p in db.session.scalars(select(Product).where(
        Product.sku.in_({sku for skus in CARRIED.values() for sku in skus})))}
    _enrol(owner, campaign, streamers, products)
    _pair(owner, settings, campaign, streamers, products)
    _advance(owner, settings, campaign, CampaignStatus.LIVE)
    plan = _plan(settings.zone, year)
    session_ids = _sessions(settings, campaign, plan, streamers, products)
    key = _key(campaign, year) or keys.create_ingest_key(owner, KEY_NAME.format(year=year), [campaign.id])[0]
    accepted = _post(key, _sales(plan, session_ids, products, year))
    _advance(owner, settings, campaign, CampaignStatus.CLOSED)
    return FinishedCampaign(campaign.id, key.id, key.key_id, accepted)


def _create(owner: Actor, zone: tzinfo, year: int) -> Campaign:
    first = datetime(year, 11, 1, tzinfo=zone)
    return campaigns.create_campaign(owner, {
        "name": NAME.format(year=year), "description": DESCRIPTION.format(year=year), "starts_at": first,
        "ends_at": first + timedelta(days=DAYS), **data.CAMPAIGN_RULES, "target_net_fen": TARGET_NET_FEN})


def _enrol(owner: Actor, campaign: Campaign, streamers: dict[str, Streamer], products: dict[str, Product]) -> None:
    """Enrol the demo's products and hosts that are not enrolled yet."""
    have = set(db.session.scalars(select(CampaignProduct.product_id).filter_by(campaign_id=campaign.id)))
    for product in products.values():
        if product.id not in have:
            enrolment.enrol_product(owner, campaign.id, product.id)
    have = set(db.session.scalars(select(CampaignStreamer.streamer_id).filter_by(campaign_id=campaign.id)))
    for streamer in streamers.values():
        if streamer.id not in have:
            enrolment.enrol_streamer(owner, campaign.id, streamer.id)


def _pair(owner: Actor, settings: Settings, campaign: Campaign, streamers: dict[str, Streamer],
          products: dict[str, Product]) -> None:
    """Pair each host with what they carried, the host accepting, the commissioner locking a few."""
    paired = set(db.session.execute(select(Pairing.streamer_id, Pairing.product_id)
                                    .where(Pairing.campaign_id == campaign.id)).all())
    for handle, skus in CARRIED.items():
        streamer = streamers[handle]
        user = db.session.scalar(select(User).filter_by(streamer_id=streamer.id))
        host = access.actor_for(user) if user else Actor(role=Role.STREAMER.value, streamer_id=streamer.id)
        for sku in skus:
            if (streamer.id, products[sku].id) in paired:
                continue
            pairing = pairings.add_manual(owner, settings, campaign.id, streamer.id, products[sku].id).value
            pairings.respond(host, settings, pairing.id, True)
            if (handle, sku) in LOCKED:
                pairings.set_locked(owner, pairing.id, True)


def _advance(owner: Actor, settings: Settings, campaign: Campaign, target: CampaignStatus) -> None:
    """Move the campaign along draft, published, live and closed until it reaches the target."""
    steps = list(CampaignStatus)
    while steps.index(CampaignStatus(campaign.status)) < steps.index(target):
        following = steps[steps.index(CampaignStatus(campaign.status)) + 1]
        campaign = campaigns.transition(owner, settings, campaign.id, following.value).value


def _plan(zone: tzinfo, year: int) -> list[_Planned]:
    """Most of each host's weekly evening windows of 1 to 9 November, then every host on air on the last two
    nights, the peak, at the hours of their first window."""
    rng, plan = random.Random(SEED), []
    windows = {handle: to_windows(evenings) for handle, *_, evenings in data.STREAMERS}
    names = {handle: name for handle, name, *_ in data.STREAMERS}
    for offset in range(DAYS):
        day = date(year, 11, 1) + timedelta(days=offset)
        peak = offset >= DAYS - len(PEAK)
        for handle, skus in CARRIED.items():
            evenings = [windows[handle][0][1:]] if peak else [
                (start, end) for weekday, start, end in windows[handle] if weekday == day.weekday()]
            for start, end in evenings:
                if not peak and rng.random() < 0.4:
                    continue
                begin = start + rng.choice((0, 30, 60)) if end - start >= 150 else start
                starts_at = datetime(day.year, day.month, day.day, tzinfo=zone) + timedelta(minutes=begin)
                minutes = min(end - begin, rng.choice((90, 120, 150)))
                title = f"{'双十一狂欢夜' if peak else '双十一预热'} · {names[handle]}"
                plan.append(_Planned(handle, starts_at, starts_at + timedelta(minutes=minutes), title, skus,
                                     PEAK[offset - DAYS] if peak else 1.0))
    return plan


def _sessions(settings: Settings, campaign: Campaign, plan: list[_Planned], streamers: dict[str, Streamer],
              products: dict[str, Product]) -> dict[int, int]:
    """The planned sessions as ended rows (the scheduler would have ended them), made once; a slot too close to
    another session of its host is skipped. Their ids by place in the plan."""
    gap, ids, made = settings.min_gap, {}, {}
    ours = {(row.streamer_id, row.starts_at): row.id for row in db.session.execute(
        select(LiveSession.streamer_id, LiveSession.starts_at, LiveSession.id).filter_by(campaign_id=campaign.id))}
    others = db.session.execute(select(LiveSession.streamer_id, LiveSession.starts_at, LiveSession.ends_at).where(
        LiveSession.campaign_id != campaign.id, LiveSession.status != SessionStatus.CANCELLED.value,
        LiveSession.starts_at < campaign.ends_at + gap, LiveSession.ends_at > campaign.starts_at - gap)).all()
    for index, planned in enumerate(plan):
        streamer_id = streamers[planned.handle].id
        if (streamer_id, planned.starts_at) in ours:
            ids[index] = ours[(streamer_id, planned.starts_at)]
            continue
        if any(s == streamer_id and start < planned.ends_at + gap and planned.starts_at < end + gap
               for s, start, end in others):
            continue
        session = LiveSession(campaign_id=campaign.id, streamer_id=streamer_id, starts_at=planned.starts_at,
                              ends_at=planned.ends_at, status=SessionStatus.ENDED.value, title=planned.title)
        session.lineup = [LineupItem(product_id=products[sku].id, position=i) for i, sku in enumerate(planned.skus)]
        made[index] = session
    db.session.add_all(made.values())
    db.session.flush()
    ids |= {index: session.id for index, session in made.items()}
    db.session.commit()  # the ingest reads the sessions on a connection of its own
    return ids


def _sales(plan: list[_Planned], session_ids: dict[int, int], products: dict[str, Product],
           year: int) -> list[SaleEventIn]:
    """The planned sessions' orders and refunds, the same ones on every load (the ids number the whole plan)."""
    rng, events, number = random.Random(SEED + 1), [], 0
    followers = {handle: count for handle, _name, _platform, count, *_ in data.STREAMERS}
    for index, planned in enumerate(plan):
        orders = round(followers[planned.handle] ** 0.3 * planned.boost * rng.uniform(0.8, 1.2))
        seconds = int((planned.ends_at - planned.starts_at).total_seconds())
        weights = [len(planned.skus) - i + 1 for i in range(len(planned.skus))]  # the first shown sells most
        for _ in range(orders):
            number += 1
            product = products[rng.choices(planned.skus, weights)[0]]
            low, high = BULK.get(product.sku, (1, 2))
            quantity = rng.randint(low, high) if rng.random() < 0.3 or low > 1 else 1
            amount = product.price_fen * quantity
            amount -= COUPON[1] if amount >= COUPON[0] else 0
            at = rng.randrange(seconds - 60)
            refunded = rng.randrange(at + 30, seconds) if rng.random() < REFUND_RATE else None  # before the end
            if index not in session_ids:
                continue
            order = dict(id=f"D11-{year}-{number:06d}", kind="order", session_id=session_ids[index],
                         product_id=product.id, quantity=quantity, amount_fen=amount,
                         occurred_at=planned.starts_at + timedelta(seconds=at))
            events.append(SaleEventIn(**order))
            if refunded is not None:
                events.append(SaleEventIn(**{**order, "id": order["id"] + "-R", "kind": "refund",
                                             "occurred_at": planned.starts_at + timedelta(seconds=refunded)}))
    return events


def _key(campaign: Campaign, year: int) -> IngestKey | None:
    """The ingest key made for the campaign's sales, if an earlier load made it."""
    return db.session.scalar(select(IngestKey).join(IngestKeyCampaign, IngestKeyCampaign.key_id == IngestKey.id).where(
        IngestKeyCampaign.campaign_id == campaign.id, IngestKey.name == KEY_NAME.format(year=year),
        IngestKey.revoked_at.is_(None)).order_by(IngestKey.id).limit(1))


def _post(key: IngestKey, events: list[SaleEventIn]) -> int:
    """Post the sales as the platform would, in batches of the webhook's size, signed with the key; how many new."""
    signed = ingest.SignedBy(key.id, key.secret)
    db.session.commit()  # on SQLite the ingest takes the write lock on a connection of its own
    return sum(ingest.store(signed, events[start:start + MAX_EVENTS], batch=True).accepted
               for start in range(0, len(events), MAX_EVENTS))
