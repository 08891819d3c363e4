"""Campaigns: create, read, change, move through their lifecycle, delete; each change audited."""
from __future__ import annotations

from dataclasses import dataclass
from typing import Any

from sqlalchemy import exists, select

from coordinator.domain import lifecycle
from coordinator.domain.access_facts import Actor, CampaignFacts
from coordinator.domain.campaigns import campaign_errors, outside_window
from coordinator.domain.enums import SessionStatus
from coordinator.domain.errors import Conflict, InvalidInput
from coordinator.domain.events import CampaignStatusChanged, Outcome
from coordinator.domain.settings import Settings
from coordinator.extensions import db
from coordinator.models import AuditEntry, Campaign, LiveSession, SaleEvent, User
from coordinator.services import access, audit, outbox
from coordinator.services.listing import Page, paginate

CAMPAIGN_SORTS = {"starts_at": Campaign.starts_at, "name": Campaign.name, "status": Campaign.status, "id": Campaign.id}


def campaign_for(actor: Actor, action: str, campaign_id: int) -> Campaign:
    """A campaign the actor may do the action to (NotFound or PermissionDenied otherwise)."""
    return access.campaign_for(actor, action, campaign_id)[0]


def read_campaign(actor: Actor, campaign_id: int) -> tuple[Campaign, CampaignFacts]:
    """A campaign's summary (name, window, rules) with the actor's standing, for anyone who may see it."""
    return access.campaign_for(actor, "campaign.see", campaign_id)


def open_campaign(campaign: Campaign) -> Campaign:
    """The campaign, if it still takes changes: closed ones answer 409."""
    if not lifecycle.accepts_changes(campaign.status):
        raise Conflict(f"Campaign {campaign.id} is closed; it takes no more changes.")
    return campaign


def changeable(actor: Actor, campaign_id: int, action: str = "campaign.change") -> Campaign:
    """A campaign the actor may change and that still takes changes."""
    return open_campaign(campaign_for(actor, action, campaign_id))


def _check(campaign: Campaign) -> None:
    errors = campaign_errors(campaign.starts_at, campaign.ends_at, campaign.min_agri_products_per_session,
                             campaign.max_products_per_session)
    if errors:
        raise InvalidInput("The campaign's window or rules are inconsistent.", errors)


def create_campaign(actor: Actor, data: dict[str, Any]) -> Campaign:
    """Create a campaign in draft, owned by its creator; it is usable at once."""
    access.require(actor, "campaign.create")
    campaign = Campaign(**data, created_by_id=actor.user_id, owner_id=actor.user_id)
    _check(campaign)
    db.session.add(campaign)
    db.session.flush()
    audit.record(actor, "create", campaign, None, audit.snapshot(campaign), campaign_id=campaign.id)
    db.session.commit()
    return campaign


def update_campaign(actor: Actor, campaign_id: int, changes: dict[str, Any]) -> Campaign:
    """Change a campaign's name, window, rules or target; sessions must still fit the window."""
    campaign = changeable(actor, campaign_id)
    before = audit.snapshot(campaign)
    for key, value in changes.items():
        setattr(campaign, key, value)
    _check(campaign)
    if {"starts_at", "ends_at"} & changes.keys():
        slots = db.session.execute(select(LiveSession.id, LiveSession.starts_at, LiveSession.ends_at).where(
            LiveSession.campaign_id == campaign.id, LiveSession.status != SessionStatus.CANCELLED.value)).all()
        stranded = outside_window(campaign.starts_at, campaign.ends_at, [tuple(row) for row in slots])
        if stranded:
            db.session.rollback()
            raise Conflict(f"Sessions {', '.join(map(str, stranded))} would fall outside the new window.")
    audit.record(actor, "update", campaign, before, audit.changed_fields(before, audit.snapshot(campaign)),
                 campaign_id=campaign.id)
    db.session.commit()
    return campaign


def transition(actor: Actor, settings: Settings, campaign_id: int, target: str) -> Outcome[Campaign]:
    """Move a campaign to another status, if that step makes sense; who may see it changes with it."""
    campaign = campaign_for(actor, "campaign.change", campaign_id)
    lifecycle.check_transition(campaign.status, target)
    before = campaign.status
    campaign.status = target
    audit.record(actor, "status", campaign, {"status": before}, {"status": target}, campaign_id=campaign.id)
    access.bump_epoch()
    outbox.stage_campaign_status(campaign, before, settings)
    db.session.commit()
    return Outcome(campaign, [CampaignStatusChanged(campaign.id, target)])


def delete_campaign(actor: Actor, campaign_id: int) -> None:
    """Delete a campaign with no sessions or sales; otherwise close it (409)."""
    campaign = campaign_for(actor, "campaign.change", campaign_id)
    used = db.session.scalar(select(exists().where(LiveSession.campaign_id == campaign.id))) or db.session.scalar(
        select(exists().where(SaleEvent.campaign_id == campaign.id)))
    if used:
        raise Conflict("The campaign has sessions or sales; close it instead of deleting it.")
    audit.record(actor, "delete", campaign, audit.snapshot(campaign), None)
    db.session.delete(campaign)
    access.bump_epoch()  # whoever followed it over /live is let go
    db.session.commit()


def list_campaigns(actor: Actor, page: int, per_page: int, sort: str | None, q: str | None,
                   status: str | None) -> Page:
    """The campaigns the actor may see, newest window first unless sorted otherwise."""
    access.require(actor, "campaign.list")
    stmt = select(Campaign).where(access.campaigns_clause(actor))
    if status:
        stmt = stmt.where(Campaign.status == status)
    if q:
        stmt = stmt.where(Campaign.name.contains(q, autoescape=True))
    return paginate(stmt, page, per_page, sort or "-starts_at", CAMPAIGN_SORTS, Campaign.id)


@dataclass
class AuditRow:
    """One entry of a campaign's trail, with who made it."""

    entry: AuditEntry
    username: str


def campaign_audit(actor: Actor, campaign_id: int, limit: int = 200) -> list[AuditRow]:
    """Every change to the campaign and to what is enrolled in it, newest first, for its team."""
    campaign_for(actor, "campaign.read", campaign_id)
    entries = audit.entries_for_campaign(campaign_id, limit)
    names = dict(db.session.execute(select(User.id, User.username).where(
        User.id.in_({e.user_id for e in entries if e.user_id}))).all())
    return [AuditRow(entry, names.get(entry.user_id, "")) for entry in entries]


def may_create(actor: Actor) -> None:
    """Refuse the new-campaign form to anyone who may not plan campaigns."""
    access.require(actor, "campaign.create")
