"""The durable outbox: deliveries written inside the transaction of the change they report, never sent here."""
from __future__ import annotations

import secrets
from dataclasses import asdict
from datetime import timedelta
from typing import Any

from sqlalchemy import or_, select

from coordinator import clock
from coordinator.domain import notices as rules
from coordinator.domain.notices import Notice
from coordinator.domain.settings import Settings
from coordinator.extensions import db
from coordinator.domain.carriers import BY_CODE, tracking_url
from coordinator.models import Campaign, Channel, Delivery, LiveSession, Pairing, Product, Sample, Streamer
from coordinator.services.notify_messages import render


def new_message_id() -> str:
    """A webhook-id: the same on every attempt of one message, unique across messages."""
    return "msg_" + secrets.token_urlsafe(18)


def delivery_for(channel: Channel, notice: Notice, settings: Settings) -> Delivery:
    """One channel's delivery of a notice, due after the schedule's first delay."""
    now = clock.now()
    payload = {"type": notice.event, "timestamp": now.isoformat(), "data": notice.data}
    message = asdict(render(notice, channel.locale, settings, for_host=channel.streamer_id is not None))
    return Delivery(channel_id=channel.id, event=notice.event, message_id=new_message_id(), payload=payload,
                    message=message, next_attempt_at=now + timedelta(seconds=settings.retry_schedule[0]), created_at=now)


def stage(notices: list[Notice], settings: Settings) -> int:
    """Add a delivery for each enabled channel that wants each notice, in the caller's transaction; how many.
    The channels of all the notices are read in one query (a bulk shipment stages a thousand)."""
    if not notices:
        return 0
    hosts = {notice.streamer_id for notice in notices if notice.streamer_id is not None}
    owners = [Channel.campaign_id.in_({notice.campaign_id for notice in notices})]
    if hosts:
        owners.append(Channel.streamer_id.in_(hosts))
    channels = db.session.scalars(select(Channel).where(Channel.enabled.is_(True), or_(*owners))
                                  .order_by(Channel.id)).all()
    staged = 0
    for notice in notices:
        for channel in channels:
            hears = channel.campaign_id == notice.campaign_id or (
                notice.streamer_id is not None and channel.streamer_id == notice.streamer_id)
            if hears and rules.wants(channel.events, notice.event):
                db.session.add(delivery_for(channel, notice, settings))
                staged += 1
    return staged


def session_names(session: LiveSession) -> dict[str, Any]:
    """What a session's messages name: the campaign, the host, the title and the lineup."""
    campaign = db.session.get(Campaign, session.campaign_id)
    host = db.session.get(Streamer, session.streamer_id)
    products = db.session.scalars(select(Product.name).where(
        Product.id.in_([item.product_id for item in session.lineup]))).all()
    return {"campaign": campaign.name if campaign else "", "host": host.display_name if host else "",
            "title": session.title or "", "products": list(products)}


def stage_session(event: str, session: LiveSession, settings: Settings, minutes_before: int | None = None,
                  minutes_left: int | None = None) -> int:
    """Stage a session event for the campaign's channels (and the host's, for a reminder: the lead it was due at,
    and the minutes really left when a late start-up catches up)."""
    names = {**session_names(session), **({"minutes_left": minutes_left} if minutes_left is not None else {})}
    return stage([rules.session_notice(event, session, names, settings.zone, minutes_before)], settings)


def stage_pairing(event: str, pairing: Pairing, settings: Settings) -> int:
    """Stage a pairing proposed by hand, accepted or declined, for the campaign's channels."""
    campaign = db.session.get(Campaign, pairing.campaign_id)
    host = db.session.get(Streamer, pairing.streamer_id)
    product = db.session.get(Product, pairing.product_id)
    names = {"campaign": campaign.name, "host": host.display_name, "product": product.name}
    return stage([rules.pairing_notice(event, pairing, names)], settings)


def stage_proposals(campaign: Campaign, count: int, settings: Settings) -> int:
    """Stage one message for an engine run's proposals."""
    return stage([rules.proposals_notice(campaign.id, count, {"campaign": campaign.name})], settings)


def stage_campaign_status(campaign: Campaign, before: str, settings: Settings) -> int:
    """Stage a campaign's move along its lifecycle."""
    return stage([rules.campaign_notice(campaign.id, campaign.status, before, {"campaign": campaign.name})], settings)


def stage_sample(event: str, sample: Sample, settings: Settings, session: LiveSession | None = None) -> int:
    """Stage a sample shipped, received or late (for a session) for the campaign's channels and the host's."""
    return stage([_sample_notice(event, sample, session)], settings)


def stage_samples(event: str, samples: list[Sample], settings: Settings) -> int:
    """Stage the same event for many samples (a bulk shipment): their names and channels read once, not per sample."""
    named = [*db.session.scalars(select(Product).where(Product.id.in_({s.product_id for s in samples}))),
             *db.session.scalars(select(Streamer).where(Streamer.id.in_({s.streamer_id for s in samples}))),
             *db.session.scalars(select(Campaign).where(Campaign.id.in_({s.campaign_id for s in samples})))]
    # Held in `named` while the notices are made, the rows stay in the session's identity map for their gets.
    staged = stage([_sample_notice(event, sample) for sample in samples], settings)
    named.clear()
    return staged


def _sample_notice(event: str, sample: Sample, session: LiveSession | None = None) -> Notice:
    campaign = db.session.get(Campaign, sample.campaign_id)
    host = db.session.get(Streamer, sample.streamer_id)
    product = db.session.get(Product, sample.product_id)
    carrier = BY_CODE.get(sample.carrier or "")
    names = {"campaign": campaign.name, "host": host.display_name, "product": product.name,
             "carrier": carrier.name_zh if carrier else "", "carrier_en": carrier.name_en if carrier else ""}
    if session is not None:
        names["session_title"] = session.title or ""
    return rules.sample_notice(event, sample, names, tracking_url(sample.carrier, sample.tracking_number), session)
