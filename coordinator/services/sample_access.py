"""The access policy's facts and list filters for samples and the shipping addresses they travel to."""
from __future__ import annotations

from sqlalchemy import ColumnElement, select, true

from coordinator.domain import access_filters
from coordinator.domain.access_facts import Actor, AddressFacts, CampaignFacts, ItemFacts
from coordinator.domain.errors import NotFound
from coordinator.domain.samples import ON_THE_WAY
from coordinator.extensions import db
from coordinator.models import Campaign, Product, Sample, Streamer
from coordinator.services import access


def sample_facts(actor: Actor, sample: Sample) -> ItemFacts:
    """A sample's facts: its campaign's as they concern the actor, its host and its product's county."""
    campaign = db.session.get(Campaign, sample.campaign_id)
    county = db.session.scalar(select(Product.county_id).where(Product.id == sample.product_id))
    return ItemFacts(access.campaign_facts(actor, campaign), sample.streamer_id, frozenset({county}))


def sample_for(actor: Actor, action: str, sample_id: int) -> Sample:
    """A sample the actor may do the action to; NotFound or PermissionDenied otherwise."""
    sample = db.session.get(Sample, sample_id)
    if sample is None:
        raise NotFound(f"There is no sample {sample_id}.")
    access.require(actor, action, sample_facts(actor, sample), f"sample {sample_id}")
    return sample


def samples_clause(actor: Actor, facts: CampaignFacts) -> ColumnElement[bool]:
    """SQL for "the actor sees this sample" within one campaign: the filter form of sample.read."""
    rule = access_filters.visible_items(actor, facts)
    if rule.everything:
        return true()
    if rule.county_ids:
        return Sample.product_id.in_(select(Product.id).where(Product.county_id.in_(rule.county_ids)))
    return Sample.streamer_id == rule.streamer_id


def address_facts(actor: Actor, streamer: Streamer) -> AddressFacts:
    """A host's address facts: whether the actor may read a sample on its way to them (any campaign)."""
    ships_to = False
    if actor.is_commissioner:
        on_the_way = db.session.scalars(select(Sample).where(Sample.streamer_id == streamer.id,
                                                             Sample.status.in_(ON_THE_WAY)))
        ships_to = any(access.allowed(actor, "sample.read", sample_facts(actor, s)) for s in on_the_way)
    return AddressFacts(access.streamer_facts(streamer), ships_to)
