"""Campaigns: create, change, move through their lifecycle, delete; each change audited."""
from __future__ import annotations

from typing import Any

from sqlalchemy import exists, select

from coordinator.domain import lifecycle
from coordinator.domain.campaigns import campaign_errors, outside_window
from coordinator.domain.enums import SessionStatus
from coordinator.domain.errors import Conflict, InvalidInput, NotFound
from coordinator.extensions import db
from coordinator.models import Campaign, CampaignStreamer, LiveSession, SaleEvent, User
from coordinator.realtime.publish import publish_campaign_status
from coordinator.services import audit
from coordinator.services.listing import Page, paginate

CAMPAIGN_SORTS = {"starts_at": Campaign.starts_at, "name": Campaign.name, "status": Campaign.status, "id": Campaign.id}


def get_campaign(campaign_id: int) -> Campaign:
    """A campaign, or NotFound."""
    campaign = db.session.get(Campaign, campaign_id)
    if campaign is None:
        raise NotFound(f"There is no campaign {campaign_id}.")
    return campaign


def open_campaign(campaign_id: int) -> Campaign:
    """A campaign that still takes changes: closed ones answer 409."""
    campaign = get_campaign(campaign_id)
    if not lifecycle.accepts_changes(campaign.status):
        raise Conflict(f"Campaign {campaign_id} is closed; it takes no more changes.")
    return campaign


def _check(campaign: Campaign) -> None:
    errors = campaign_errors(campaign.starts_at, campaign.ends_at, campaign.min_agri_products_per_session,
                             campaign.max_products_per_session)
    if errors:
        raise InvalidInput("The campaign's window or rules are inconsistent.", errors)


def create_campaign(user: User, data: dict[str, Any]) -> Campaign:
    """Create a campaign in draft; it is usable at once."""
    campaign = Campaign(**data, created_by_id=user.id)
    _check(campaign)
    db.session.add(campaign)
    db.session.flush()
    audit.record(user, "create", campaign, None, audit.snapshot(campaign), campaign_id=campaign.id)
    db.session.commit()
    return campaign


def update_campaign(user: User, campaign_id: int, changes: dict[str, Any]) -> Campaign:
    """Change a campaign's name, window, rules or target; sessions must still fit the window."""
    campaign = open_campaign(campaign_id)
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
    audit.record(user, "update", campaign, before, audit.changed_fields(before, audit.snapshot(campaign)),
                 campaign_id=campaign.id)
    db.session.commit()
    return campaign


def transition(user: User, campaign_id: int, target: str) -> Campaign:
    """Move a campaign to another status, if that step makes sense."""
    campaign = get_campaign(campaign_id)
    lifecycle.check_transition(campaign.status, target)
    before = audit.snapshot(campaign)
    campaign.status = target
    audit.record(user, "status", campaign, {"status": before["status"]}, {"status": target}, campaign_id=campaign.id)
    db.session.commit()
    publish_campaign_status(campaign.id, target)
    return campaign


def delete_campaign(user: User, campaign_id: int) -> None:
    """Delete a campaign with no sessions or sales; otherwise close it (409)."""
    campaign = get_campaign(campaign_id)
    used = db.session.scalar(select(exists().where(LiveSession.campaign_id == campaign.id))) or db.session.scalar(
        select(exists().where(SaleEvent.campaign_id == campaign.id)))
    if used:
        raise Conflict("The campaign has sessions or sales; close it instead of deleting it.")
    audit.record(user, "delete", campaign, audit.snapshot(campaign), None)
    db.session.delete(campaign)
    db.session.commit()


def list_campaigns(page: int, per_page: int, sort: str | None, q: str | None, status: str | None,
                   streamer_id: int | None = None) -> Page:
    """Campaigns, newest window first unless sorted otherwise; for a streamer only their own."""
    stmt = select(Campaign)
    if streamer_id is not None:
        stmt = stmt.join(CampaignStreamer, CampaignStreamer.campaign_id == Campaign.id).where(
            CampaignStreamer.streamer_id == streamer_id)
    if status:
        stmt = stmt.where(Campaign.status == status)
    if q:
        stmt = stmt.where(Campaign.name.contains(q, autoescape=True))
    return paginate(stmt, page, per_page, sort or "-starts_at", CAMPAIGN_SORTS, Campaign.id)
