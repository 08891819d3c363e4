"""Loading the demo campaign: idempotent (the catalog in one transaction, then pairings and samples through the
services), secrets issued fresh each run."""
from __future__ import annotations

from dataclasses import dataclass
from datetime import date, datetime, timedelta, tzinfo

from sqlalchemy import select

from coordinator import clock
from coordinator.domain.cells import to_windows
from coordinator.domain.enums import CampaignStatus, Role, SessionStatus
from coordinator.domain.errors import Conflict
from coordinator.domain.settings import Settings
from coordinator.extensions import db
from coordinator.models import (
    AvailabilityWindow, Campaign, CampaignProduct, CampaignStreamer, Channel, CommissionerCounty, County, LineupItem,
    LiveSession, Product, Streamer, User,
)
from coordinator.services import access, accounts, channels, keys, screen_links
from coordinator.services import demo_data as data
from coordinator.services import demo_reconcile, demo_results, demo_samples


@dataclass
class DemoLogins:
    """What the demo prints so a person can try it."""

    campaign_id: int
    counties: int
    commissioner: tuple[str, str]
    partner: tuple[str, str]
    streamer: tuple[str, str]
    ingest_key: str
    ingest_secret: str
    screen_path: str
    api_token: str
    finished_campaign_id: int = 0  # last year's Double 11, closed, with its results


def _season(today: date, start: tuple[int, int] | None, end: tuple[int, int] | None) -> tuple[date | None, date | None]:
    """This year's harvest window around today; a window that wraps the new year ends next year."""
    if start is None or end is None:
        return None, None
    if end < start:
        year = today.year if (today.month, today.day) >= start else today.year - 1
        return date(year, *start), date(year + 1, *end)
    return date(today.year, *start), date(today.year, *end)


def _get_or_add(model, key: dict, **fields):
    row = db.session.scalar(select(model).filter_by(**key))
    if row is None:
        row = model(**key, **fields)
        db.session.add(row)
        db.session.flush()
    return row


def _load_catalog(today: date, manager: User) -> tuple[dict[str, County], list[Product], list[Streamer]]:
    counties = {c["name"]: _get_or_add(County, {"name": c["name"], "province": c["province"]}, story=c["story"])
                for c in data.COUNTIES}
    products = []
    for county, name, sku, category, price, stock, unit, agri, start, end, origin, points in data.PRODUCTS:
        available_from, available_to = _season(today, start, end)
        products.append(_get_or_add(
            Product, {"sku": sku}, county_id=counties[county].id, name=name, category=category, price_fen=price,
            stock=stock, unit=unit, is_agricultural=agri, available_from=available_from, available_to=available_to,
            shipping_origin=origin, selling_points=points))
    streamers = []
    for handle, name, platform, followers, categories, region, evenings in data.STREAMERS:
        streamer = db.session.scalar(select(Streamer).filter_by(handle=handle))
        if streamer is None:
            streamer = Streamer(handle=handle, display_name=name, platform=platform, followers=followers,
                                categories=categories, region=region, manager_id=manager.id)
            streamer.availability = [AvailabilityWindow(weekday=d, start_minute=s, end_minute=e)
                                     for d, s, e in to_windows(evenings)]
            db.session.add(streamer)
        streamer.bio = streamer.bio or data.BIOS.get(handle, "")
        db.session.flush()
        streamers.append(streamer)
    return counties, products, streamers


def _load_campaign(settings: Settings, products: list[Product], streamers: list[Streamer], owner: User) -> Campaign:
    """The campaign runs from today's midnight for two weeks; loaded again on a later day, it is extended."""
    zone = settings.zone
    midnight = datetime.combine(clock.now().astimezone(zone).date(), datetime.min.time(), zone)
    ends_at = midnight + timedelta(days=data.CAMPAIGN_DAYS)
    campaign = db.session.scalar(select(Campaign).filter_by(name=data.CAMPAIGN_NAME))
    if campaign is None:
        campaign = Campaign(name=data.CAMPAIGN_NAME, description=data.CAMPAIGN_DESCRIPTION, starts_at=midnight,
                            ends_at=ends_at, status=CampaignStatus.PUBLISHED.value, created_by_id=owner.id, owner_id=owner.id,
                            **data.CAMPAIGN_RULES)
        db.session.add(campaign)
        db.session.flush()
    elif campaign.status != CampaignStatus.CLOSED.value and campaign.ends_at < ends_at:
        campaign.ends_at = ends_at
    for product in products:
        _get_or_add(CampaignProduct, {"campaign_id": campaign.id, "product_id": product.id})
    for streamer in streamers:
        _get_or_add(CampaignStreamer, {"campaign_id": campaign.id, "streamer_id": streamer.id})
    return campaign


def _session_start(now: datetime, when, zone: tzinfo) -> datetime:
    """Minutes from now, the next time the clock shows HH:MM in the coordinator's zone, or for ("HH:MM", minutes)
    the first such time at least that many minutes away."""
    if isinstance(when, int):
        return (now + timedelta(minutes=when)).replace(second=0, microsecond=0)
    when, ahead = when if isinstance(when, tuple) else (when, 0)
    hour, minute = map(int, when.split(":"))
    start = now.astimezone(zone).replace(hour=hour, minute=minute, second=0, microsecond=0)
    return start if start > now + timedelta(minutes=ahead) else start + timedelta(days=1)


def _pending(campaign: Campaign, streamer_id: int, title: str, now: datetime) -> bool:
    """True when the host already has this session of the demo that has not ended (an earlier load made it)."""
    return db.session.scalar(select(LiveSession.id).where(
        LiveSession.campaign_id == campaign.id, LiveSession.streamer_id == streamer_id, LiveSession.title == title,
        LiveSession.status != SessionStatus.CANCELLED.value, LiveSession.ends_at > now).limit(1)) is not None


def _busy(settings: Settings, streamer_id: int, start: datetime, end: datetime) -> bool:
    """True when the host already has a session (in any campaign) too close to this slot."""
    gap = settings.min_gap
    return db.session.scalar(select(LiveSession.id).where(
        LiveSession.streamer_id == streamer_id, LiveSession.status != SessionStatus.CANCELLED.value,
        LiveSession.starts_at < end + gap, LiveSession.ends_at > start - gap).limit(1)) is not None


def _load_sessions(settings: Settings, campaign: Campaign, streamers: list[Streamer], products: list[Product]) -> None:
    """A session live now, two this evening and one tomorrow evening, skipping hosts already busy then and sessions
    an earlier load made that have not ended (so loading twice adds none)."""
    if campaign.status == CampaignStatus.CLOSED.value:
        return
    zone = settings.zone
    now, by_handle, by_sku = clock.now(), {s.handle: s for s in streamers}, {p.sku: p for p in products}
    for handle, when, minutes, title, skus in [*data.SESSIONS, data.LATE_SESSION]:
        start = max(_session_start(now, when, zone), campaign.starts_at)
        end = min(start + timedelta(minutes=minutes), campaign.ends_at)
        if (end <= start or _busy(settings, by_handle[handle].id, start, end)
                or _pending(campaign, by_handle[handle].id, title, now)):
            continue
        status = SessionStatus.LIVE.value if start <= now < end else SessionStatus.SCHEDULED.value
        session = LiveSession(campaign_id=campaign.id, streamer_id=by_handle[handle].id, starts_at=start, ends_at=end,
                              status=status, title=title)
        session.lineup = [LineupItem(product_id=by_sku[sku].id, position=i) for i, sku in enumerate(skus)]
        db.session.add(session)
        db.session.flush()


def _user(username: str, password: str, role: str, is_admin: bool = False, streamer_id: int | None = None) -> User:
    """A demo login, made on the first load and given the demo's password again on every load."""
    user = db.session.scalar(select(User).filter_by(username=username))
    if user is None:
        holder = streamer_id and db.session.scalar(select(User.username).filter_by(streamer_id=streamer_id))
        if holder:
            raise Conflict(f"The demo streamer already has the user {holder!r}, so {username!r} cannot be bound to it.")
        user = User(username=username, role=role, streamer_id=streamer_id)
        db.session.add(user)
    elif (user.role, user.streamer_id) != (role, streamer_id):
        raise Conflict(f"The username {username!r} is taken by a user the demo did not make; rename that user first.")
    user.is_admin = user.is_admin or is_admin
    user.active = True
    user.password_hash = accounts.hash_password(password)
    db.session.flush()
    return user


def load(settings: Settings) -> DemoLogins:
    """Load (or refresh) the demo and return fresh credentials for it."""
    today = clock.now().astimezone(settings.zone).date()
    name, password = data.COMMISSIONER
    commissioner = _user(name, password, Role.COMMISSIONER.value, is_admin=True)
    counties, products, streamers = _load_catalog(today, commissioner)
    for county in counties.values():
        _get_or_add(CommissionerCounty, {"user_id": commissioner.id, "county_id": county.id})
    partner_name, partner_password, partner_county = data.PARTNER
    partner = _user(partner_name, partner_password, Role.COMMISSIONER.value)
    _get_or_add(CommissionerCounty, {"user_id": partner.id, "county_id": counties[partner_county].id})
    host_name, host_password, handle = data.STREAMER_USER
    host = next(s for s in streamers if s.handle == handle)
    _user(host_name, host_password, Role.STREAMER.value, streamer_id=host.id)
    campaign = _load_campaign(settings, products, streamers, commissioner)
    _load_sessions(settings, campaign, streamers, products)
    db.session.commit()
    demo_samples.load(settings, campaign, commissioner, partner)
    finished = demo_results.load(settings, commissioner)
    demo_reconcile.load(settings, commissioner, finished)
    actor = access.actor_for(commissioner)
    key, secret = keys.create_ingest_key(actor, "Demo sales platform")
    _row, screen = screen_links.create_screen_token(actor, campaign.id, "Demo war-room screen")
    _token_row, token = accounts.issue_api_token(actor, "demo")
    return DemoLogins(campaign.id, len(counties), data.COMMISSIONER, (partner_name, partner_password),
                      (host_name, host_password), key.key_id, secret,
                      f"/screen/{screen}", token, finished.campaign_id)


def add_robot(settings: Settings, url: str) -> Channel:
    """Give the demo campaign a WeCom-style group channel at a local robot (once; later loads re-point it)."""
    campaign = campaign_id()
    if campaign is None:
        raise Conflict("Load the demo before adding its robot.")
    commissioner = access.actor_for(db.session.scalar(select(User).filter_by(username=data.COMMISSIONER[0])))
    existing = db.session.scalar(select(Channel).filter_by(campaign_id=campaign, name=data.ROBOT_NAME))
    if existing is not None:
        return channels.update(commissioner, settings, existing.id, {"url": url, "enabled": True})
    return channels.create(commissioner, settings, {"kind": "wecom", "name": data.ROBOT_NAME, "campaign_id": campaign,
                                                    "url": url})[0]


def campaign_id() -> int | None:
    """The demo campaign's id, if the demo is loaded."""
    return db.session.scalar(select(Campaign.id).where(Campaign.name == data.CAMPAIGN_NAME))
