"""Enrolling products and streamers in campaigns, and taking them out again."""
from __future__ import annotations

from sqlalchemy import delete, exists, select

from coordinator.domain.enums import PairingStatus, SessionStatus
from coordinator.domain.errors import Conflict, FieldError, InvalidInput, NotFound
from coordinator.extensions import db
from coordinator.models import (
    CampaignProduct, CampaignStreamer, LineupItem, LiveSession, Pairing, Product, Streamer, User,
)
from coordinator.services import audit, scope
from coordinator.services.campaigns import open_campaign

KEPT_PAIRINGS = (PairingStatus.ACCEPTED.value, PairingStatus.LOCKED.value)


def enrol_product(user: User, campaign_id: int, product_id: int) -> CampaignProduct:
    """Add one of the user's products to a campaign."""
    campaign = open_campaign(campaign_id)
    product = db.session.get(Product, product_id)
    if product is None or not scope.can_see_county(user, product.county_id):
        raise InvalidInput("Unknown product.", [FieldError(f"no product {product_id} that you manage", field="product_id")])
    if product.archived_at is not None:
        raise InvalidInput("Archived product.", [FieldError("the product is archived", field="product_id")])
    if db.session.get(CampaignProduct, (campaign.id, product.id)) is not None:
        raise Conflict(f"Product {product_id} is already enrolled in campaign {campaign_id}.")
    row = CampaignProduct(campaign_id=campaign.id, product_id=product.id)
    db.session.add(row)
    audit.record(user, "enrol", product, None, {"product_id": product.id, "name": product.name},
                 campaign_id=campaign.id)
    db.session.commit()
    return row


def enrol_streamer(user: User, campaign_id: int, streamer_id: int) -> CampaignStreamer:
    """Add a streamer to a campaign."""
    campaign = open_campaign(campaign_id)
    streamer = db.session.get(Streamer, streamer_id)
    if streamer is None:
        raise InvalidInput("Unknown streamer.", [FieldError(f"no streamer {streamer_id}", field="streamer_id")])
    if streamer.archived_at is not None:
        raise InvalidInput("Archived streamer.", [FieldError("the streamer is archived", field="streamer_id")])
    if db.session.get(CampaignStreamer, (campaign.id, streamer.id)) is not None:
        raise Conflict(f"Streamer {streamer_id} is already enrolled in campaign {campaign_id}.")
    row = CampaignStreamer(campaign_id=campaign.id, streamer_id=streamer.id)
    db.session.add(row)
    audit.record(user, "enrol", streamer, None, {"streamer_id": streamer.id, "handle": streamer.handle},
                 campaign_id=campaign.id)
    db.session.commit()
    return row


def _live_sessions_of(campaign_id: int):
    return select(LiveSession.id).where(
        LiveSession.campaign_id == campaign_id, LiveSession.status != SessionStatus.CANCELLED.value)


def unenrol_product(user: User, campaign_id: int, product_id: int) -> None:
    """Take a product out of a campaign unless sessions or settled pairings use it (409)."""
    campaign = open_campaign(campaign_id)
    row = db.session.get(CampaignProduct, (campaign.id, product_id))
    product = db.session.get(Product, product_id)
    if row is None or product is None or not scope.can_see_county(user, product.county_id):
        raise NotFound(f"Product {product_id} is not enrolled in campaign {campaign_id}.")
    if db.session.scalar(select(exists().where(
            LineupItem.product_id == product_id, LineupItem.session_id.in_(_live_sessions_of(campaign.id))))):
        raise Conflict("The product is in a session's lineup; change or cancel those sessions first.")
    _drop_open_pairings(campaign.id, Pairing.product_id == product_id)
    db.session.delete(row)
    audit.record(user, "unenrol", product, {"product_id": product_id, "name": product.name}, None,
                 campaign_id=campaign.id)
    db.session.commit()


def unenrol_streamer(user: User, campaign_id: int, streamer_id: int) -> None:
    """Take a streamer out of a campaign unless sessions or settled pairings use them (409)."""
    campaign = open_campaign(campaign_id)
    row = db.session.get(CampaignStreamer, (campaign.id, streamer_id))
    streamer = db.session.get(Streamer, streamer_id)
    if row is None or streamer is None:
        raise NotFound(f"Streamer {streamer_id} is not enrolled in campaign {campaign_id}.")
    if db.session.scalar(select(exists().where(LiveSession.id.in_(_live_sessions_of(campaign.id)),
                                               LiveSession.streamer_id == streamer_id))):
        raise Conflict("The streamer has sessions in this campaign; cancel them first.")
    _drop_open_pairings(campaign.id, Pairing.streamer_id == streamer_id)
    db.session.delete(row)
    audit.record(user, "unenrol", streamer, {"streamer_id": streamer_id, "handle": streamer.handle}, None,
                 campaign_id=campaign.id)
    db.session.commit()


def _drop_open_pairings(campaign_id: int, condition) -> None:
    """Proposed and declined pairings go with the enrolment; accepted or locked ones block it."""
    settled = db.session.scalar(select(exists().where(
        Pairing.campaign_id == campaign_id, condition, Pairing.status.in_(KEPT_PAIRINGS))))
    if settled:
        raise Conflict("Accepted or locked pairings use it; remove those pairings first.")
    db.session.execute(delete(Pairing).where(Pairing.campaign_id == campaign_id, condition))


def enrolled_products(campaign_id: int) -> list[Product]:
    """The campaign's products in name order."""
    return list(db.session.scalars(select(Product).join(CampaignProduct, CampaignProduct.product_id == Product.id)
                                   .where(CampaignProduct.campaign_id == campaign_id).order_by(Product.name)))


def enrolled_streamers(campaign_id: int) -> list[Streamer]:
    """The campaign's streamers in handle order."""
    return list(db.session.scalars(select(Streamer).join(CampaignStreamer, CampaignStreamer.streamer_id == Streamer.id)
                                   .where(CampaignStreamer.campaign_id == campaign_id).order_by(Streamer.handle)))
