"""Ingest keys for sales platforms, each scoped to campaigns (an admin's may post for all); changes audited."""
from __future__ import annotations

from dataclasses import dataclass
from datetime import timedelta

from sqlalchemy import select

from coordinator import clock
from coordinator.domain import secrets as secret_rules
from coordinator.domain.access_facts import Actor
from coordinator.domain.enums import CampaignStatus
from coordinator.domain.errors import Conflict, FieldError, InvalidInput, NotFound
from coordinator.extensions import db
from coordinator.models import Campaign, IngestKey, IngestKeyCampaign
from coordinator.services import access, audit


@dataclass
class KeyRow:
    """A key as listed: the row, the campaigns it posts for (empty: every campaign), and whether the actor may
    rotate or revoke it."""

    key: IngestKey
    campaign_ids: list[int]
    may_change: bool


def _campaigns_for(actor: Actor, campaign_ids: list[int] | None) -> list[Campaign]:
    if campaign_ids is None:
        access.require(actor, "key.create_for_all")
        return []
    if not campaign_ids:
        raise InvalidInput("Name at least one campaign.", [FieldError("at least 1 campaign", field="campaign_ids")])
    campaigns = []
    for campaign_id in dict.fromkeys(campaign_ids):
        campaign = db.session.get(Campaign, campaign_id)
        facts = access.campaign_facts(actor, campaign) if campaign is not None else None
        if facts is None or not access.allowed(actor, "campaign.see", facts):  # a hidden draft is as good as none
            raise InvalidInput("Unknown campaign.", [FieldError(f"no campaign {campaign_id}", field="campaign_ids")])
        if not access.allowed(actor, "campaign.change", facts):
            access.require(actor, "key.create_for_all")  # the refusal: only admins post for campaigns not theirs
        campaigns.append(campaign)
    return campaigns


def create_ingest_key(actor: Actor, name: str, campaign_ids: list[int] | None = None) -> tuple[IngestKey, str]:
    """Make a key for the named campaigns (None: every campaign, admins only); the secret is shown once."""
    access.require(actor, "key.list")
    if not (name or "").strip():
        raise InvalidInput("An ingest key needs a name.", [FieldError("required", field="name")])
    campaigns = _campaigns_for(actor, campaign_ids)
    secret = secret_rules.new_signing_secret()
    key = IngestKey(key_id=secret_rules.new_key_id(), name=name.strip()[:120], secret=secret,
                    created_by_id=actor.user_id, all_campaigns=not campaigns)
    db.session.add(key)
    db.session.flush()
    db.session.add_all(IngestKeyCampaign(key_id=key.id, campaign_id=c.id) for c in campaigns)
    _audit_key(actor, "create", key, [c.id for c in campaigns])
    db.session.commit()
    return key, secret


def campaign_ids_of(key: IngestKey) -> list[int]:
    """The campaigns a key posts for, in id order (empty for an every-campaign key)."""
    return list(db.session.scalars(select(IngestKeyCampaign.campaign_id).where(IngestKeyCampaign.key_id == key.id)
                                   .order_by(IngestKeyCampaign.campaign_id)))


def list_ingest_keys(actor: Actor) -> list[KeyRow]:
    """The keys the actor may see (made by them, or for a campaign of their team; all for admins), newest first."""
    access.require(actor, "key.list")
    stmt = select(IngestKey).where(access.keys_clause(actor)).order_by(IngestKey.created_at.desc(), IngestKey.id.desc())
    return [KeyRow(key, campaign_ids_of(key), access.allowed(actor, "key.change", access.key_facts(actor, key)))
            for key in db.session.scalars(stmt)]


def _key_to_change(actor: Actor, key_id: int) -> IngestKey:
    key = db.session.get(IngestKey, key_id)
    if key is None:
        raise NotFound(f"There is no ingest key {key_id}.")
    access.require(actor, "key.change", access.key_facts(actor, key), f"ingest key {key_id}")
    return key


def _audit_key(actor: Actor, action: str, key: IngestKey, campaign_ids: list[int] | None = None) -> None:
    # Which key and when, never a secret.
    after = {"key_id": key.key_id, "name": key.name, "previous_valid_until": _iso(key.previous_valid_until),
             "revoked_at": _iso(key.revoked_at), "campaign_ids": campaign_ids if campaign_ids is not None
             else campaign_ids_of(key), "all_campaigns": key.all_campaigns}
    audit.record(actor, action, key, None, after)


def _iso(moment) -> str | None:
    return moment.isoformat() if moment else None


def rotate_ingest_key(actor: Actor, key_id: int, grace_hours: int = 24) -> tuple[IngestKey, str]:
    """A new secret for a key; the old one stays valid for grace_hours so the platform can switch over."""
    key = _key_to_change(actor, key_id)
    if key.revoked_at is not None:
        raise Conflict("A revoked key cannot be rotated; make a new one.")
    secret = secret_rules.new_signing_secret()
    key.previous_secret, key.previous_valid_until = key.secret, clock.now() + timedelta(hours=grace_hours)
    key.secret = secret
    _audit_key(actor, "rotate", key)
    db.session.commit()
    return key, secret


def revoke_ingest_key(actor: Actor, key_id: int) -> IngestKey:
    """Stop accepting sales signed with a key, at once."""
    key = _key_to_change(actor, key_id)
    if key.revoked_at is None:
        key.revoked_at = clock.now()
        _audit_key(actor, "revoke", key)
        db.session.commit()
    return key


def editable_campaigns(actor: Actor) -> list[Campaign]:
    """Campaigns the actor may make keys for (those they own or edit; all for admins), for the keys page."""
    access.require(actor, "key.list")
    campaigns = db.session.scalars(select(Campaign).where(access.campaigns_clause(actor))
                                   .order_by(Campaign.starts_at.desc())).all()
    facts = access.campaign_facts_many(actor, list(campaigns))
    return [c for c in campaigns if access.allowed(actor, "campaign.change", facts[c.id]) and c.status != CampaignStatus.CLOSED.value]
