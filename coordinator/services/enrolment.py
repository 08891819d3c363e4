"""Enrolling products and streamers in campaigns, and taking them out again; each change audited."""
from __future__ import annotations

from sqlalchemy import delete, exists, select

from coordinator.domain import access_filters
from coordinator.domain.access_facts import Actor, CampaignFacts
from coordinator.domain.enums import PairingStatus, SessionStatus
from coordinator.domain.errors import Conflict, FieldError, InvalidInput, NotFound
from coordinator.domain.events import AccessChanged, Outcome
from coordinator.extensions import db
from coordinator.models import CampaignProduct, CampaignStreamer, LineupItem, LiveSession, Pairing, Product, Streamer
from coordinator.services import access, audit, samples
from coordinator.services.campaigns import open_campaign

KEPT_PAIRINGS = (PairingStatus.ACCEPTED.value, PairingStatus.LOCKED.value)


def enrol_product(actor: Actor, campaign_id: int, product_id: int) -> CampaignProduct:
    """Add one of the actor's counties' products to a campaign (the team any time, anyone while it is open)."""
    campaign, _facts = access.campaign_for(actor, "campaign.join", campaign_id)
    open_campaign(campaign)
    product = db.session.get(Product, product_id)
    if product is None or not access.allowed(actor, "product.change", access.product_facts(actor, product)):
        raise InvalidInput("Unknown product.", [FieldError(f"no product {product_id} that you manage", field="product_id")])
    if product.archived_at is not None:
        raise InvalidInput("Archived product.", [FieldError("the product is archived", field="product_id")])
    if db.session.get(CampaignProduct, (campaign.id, product.id)) is not None:
        raise Conflict(f"Product {product_id} is already enrolled in campaign {campaign_id}.")
    row = CampaignProduct(campaign_id=campaign.id, product_id=product.id)
    db.session.add(row)
    audit.record(actor, "enrol", product, None, {"product_id": product.id, "name": product.name},
                 campaign_id=campaign.id)
    db.session.commit()
    return row


def enrol_streamer(actor: Actor, campaign_id: int, streamer_id: int) -> CampaignStreamer:
    """Add a streamer to a campaign."""
    campaign = open_campaign(access.campaign_for(actor, "campaign.change", campaign_id)[0])
    streamer = db.session.get(Streamer, streamer_id)
    if streamer is None:
        raise InvalidInput("Unknown streamer.", [FieldError(f"no streamer {streamer_id}", field="streamer_id")])
    if streamer.archived_at is not None:
        raise InvalidInput("Archived streamer.", [FieldError("the streamer is archived", field="streamer_id")])
    if db.session.get(CampaignStreamer, (campaign.id, streamer.id)) is not None:
        raise Conflict(f"Streamer {streamer_id} is already enrolled in campaign {campaign_id}.")
    row = CampaignStreamer(campaign_id=campaign.id, streamer_id=streamer.id)
    db.session.add(row)
    audit.record(actor, "enrol", streamer, None, {"streamer_id": streamer.id, "handle": streamer.handle},
                 campaign_id=campaign.id)
    db.session.commit()
    return row


def _active_sessions_of(campaign_id: int):
    return select(LiveSession.id).where(
        LiveSession.campaign_id == campaign_id, LiveSession.status != SessionStatus.CANCELLED.value)


def unenrol_product(actor: Actor, campaign_id: int, product_id: int) -> Outcome[None]:
    """Take a product out (the team any product, a county's commissioner their own while the campaign is open),
    unless sessions or settled pairings use it (409)."""
    campaign, facts = access.campaign_for(actor, "campaign.see", campaign_id)
    product = db.session.get(Product, product_id)
    if product is not None and not access.allowed(actor, "campaign.change", facts):
        # Refused before the enrolment is looked up, so that a 404 does not tell outsiders what is enrolled.
        own = access.allowed(actor, "product.change", access.product_facts(actor, product))
        access.require(actor, "campaign.join" if own else "campaign.change", facts, f"campaign {campaign_id}")
    row = db.session.get(CampaignProduct, (campaign.id, product_id))
    if row is None or product is None:
        raise NotFound(f"Product {product_id} is not enrolled in campaign {campaign_id}.")
    open_campaign(campaign)
    if db.session.scalar(select(exists().where(
            LineupItem.product_id == product_id, LineupItem.session_id.in_(_active_sessions_of(campaign.id))))):
        raise Conflict("The product is in a session's lineup; change or cancel those sessions first.")
    cancelled = _drop_open_pairings(actor, campaign.id, Pairing.product_id == product_id)
    db.session.delete(row)
    audit.record(actor, "unenrol", product, {"product_id": product_id, "name": product.name}, None,
                 campaign_id=campaign.id)
    access.bump_epoch()  # its county's commissioners may stop being partners
    db.session.commit()
    return Outcome(None, [AccessChanged(), *cancelled])


def unenrol_streamer(actor: Actor, campaign_id: int, streamer_id: int) -> Outcome[None]:
    """Take a streamer out of a campaign unless sessions or settled pairings use them (409)."""
    campaign = open_campaign(access.campaign_for(actor, "campaign.change", campaign_id)[0])
    row = db.session.get(CampaignStreamer, (campaign.id, streamer_id))
    streamer = db.session.get(Streamer, streamer_id)
    if row is None or streamer is None:
        raise NotFound(f"Streamer {streamer_id} is not enrolled in campaign {campaign_id}.")
    if db.session.scalar(select(exists().where(LiveSession.id.in_(_active_sessions_of(campaign.id)),
                                               LiveSession.streamer_id == streamer_id))):
        raise Conflict("The streamer has sessions in this campaign; cancel them first.")
    cancelled = _drop_open_pairings(actor, campaign.id, Pairing.streamer_id == streamer_id)
    db.session.delete(row)
    audit.record(actor, "unenrol", streamer, {"streamer_id": streamer_id, "handle": streamer.handle}, None,
                 campaign_id=campaign.id)
    access.bump_epoch()  # the host no longer follows this campaign
    db.session.commit()
    return Outcome(None, [AccessChanged(), *cancelled])


def _drop_open_pairings(actor: Actor, campaign_id: int, condition) -> list:
    """Proposed and declined pairings go with the enrolment (their unsent samples are cancelled); accepted or
    locked ones block it."""
    settled = db.session.scalar(select(exists().where(
        Pairing.campaign_id == campaign_id, condition, Pairing.status.in_(KEPT_PAIRINGS))))
    if settled:
        raise Conflict("Accepted or locked pairings use it; remove those pairings first.")
    cancelled = [event for pairing in db.session.scalars(select(Pairing).where(Pairing.campaign_id == campaign_id,
                                                                              condition))
                 for event in samples.cancel_for_pairing(actor, pairing, "pairing removed")]
    db.session.execute(delete(Pairing).where(Pairing.campaign_id == campaign_id, condition))
    return cancelled


def campaign_products(campaign_id: int, county_ids: frozenset[int] | None = None) -> list[Product]:
    """The campaign's products in name order (only those of county_ids when given); callers have checked access."""
    stmt = select(Product).join(CampaignProduct, CampaignProduct.product_id == Product.id).where(
        CampaignProduct.campaign_id == campaign_id)
    if county_ids is not None:
        stmt = stmt.where(Product.county_id.in_(county_ids))
    return list(db.session.scalars(stmt.order_by(Product.name)))


def campaign_streamers(campaign_id: int) -> list[Streamer]:
    """The campaign's streamers in handle order; callers have checked access."""
    return list(db.session.scalars(select(Streamer).join(CampaignStreamer, CampaignStreamer.streamer_id == Streamer.id)
                                   .where(CampaignStreamer.campaign_id == campaign_id).order_by(Streamer.handle)))


def products_seen(actor: Actor, campaign_id: int) -> list[Product]:
    """The enrolled products the actor may read: all for the team, their own counties' for a partner."""
    _campaign, facts = access.campaign_for(actor, "campaign.read_part", campaign_id)
    return campaign_products(campaign_id, _partner_counties(actor, facts))


def _partner_counties(actor: Actor, facts: CampaignFacts) -> frozenset[int] | None:
    rule = access_filters.visible_items(actor, facts)
    return None if rule.everything else rule.county_ids


def streamers_seen(actor: Actor, campaign_id: int) -> list[Streamer]:
    """The enrolled streamers, for the campaign's team."""
    access.campaign_for(actor, "campaign.read", campaign_id)
    return campaign_streamers(campaign_id)
