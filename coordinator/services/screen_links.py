"""Screen links: secret URLs that show one campaign's tally on a display; made and revoked by its team, audited."""
from __future__ import annotations

from dataclasses import dataclass

from sqlalchemy import select

from coordinator import clock
from coordinator.domain import secrets as secret_rules
from coordinator.domain.access_facts import Actor, ScreenFacts
from coordinator.domain.errors import NotAuthenticated, NotFound
from coordinator.domain.events import AccessChanged, Outcome
from coordinator.extensions import db
from coordinator.models import Campaign, ScreenToken
from coordinator.services import access, audit
from coordinator.services.campaigns import campaign_for


def create_screen_token(actor: Actor, campaign_id: int, name: str = "") -> tuple[ScreenToken, str]:
    """Make a screen link for one campaign; returns the row and the token itself (shown once)."""
    campaign = campaign_for(actor, "campaign.change", campaign_id)
    token = secret_rules.new_token("screen")
    row = ScreenToken(campaign_id=campaign.id, name=(name or f"Screen for {campaign.name}")[:120],
                      prefix=secret_rules.token_prefix(token), token_hash=secret_rules.token_digest(token))
    db.session.add(row)
    db.session.flush()
    audit.record(actor, "create", row, None, {"name": row.name, "prefix": row.prefix}, campaign_id=campaign.id)
    db.session.commit()
    return row, token


def screen_for_token(token: str) -> ScreenToken:
    """The live screen link behind a URL token, or NotAuthenticated."""
    row = db.session.scalar(select(ScreenToken).where(ScreenToken.token_hash == secret_rules.token_digest(token)))
    if row is None or row.revoked_at is not None:
        raise NotAuthenticated("The screen link is unknown or revoked.")
    return row


def list_screen_tokens(actor: Actor, campaign_id: int) -> list[ScreenToken]:
    """A campaign's screen links, newest first (only their prefixes are known), for its team."""
    campaign_for(actor, "campaign.read", campaign_id)
    return list(db.session.scalars(select(ScreenToken).where(ScreenToken.campaign_id == campaign_id)
                                   .order_by(ScreenToken.created_at.desc(), ScreenToken.id.desc())))


def revoke_screen_token(actor: Actor, screen_id: int) -> Outcome[ScreenToken]:
    """Turn a screen link off; a display showing it is cut off within seconds."""
    row = db.session.get(ScreenToken, screen_id)
    if row is None:
        raise NotFound(f"There is no screen link {screen_id}.")
    campaign = db.session.get(Campaign, row.campaign_id)
    access.require(actor, "screen.revoke", ScreenFacts(access.campaign_facts(actor, campaign)),
                   f"screen link {screen_id}")
    if row.revoked_at is not None:
        return Outcome(row)
    row.revoked_at = clock.now()
    audit.record(actor, "revoke", row, None, {"name": row.name, "prefix": row.prefix}, campaign_id=row.campaign_id)
    access.bump_epoch()
    db.session.commit()
    return Outcome(row, [AccessChanged()])


@dataclass
class ScreensPage:
    """The campaign a screens page is for, and whether the actor may make and revoke links."""

    campaign: Campaign
    may_change: bool


def campaign_of_screens(actor: Actor, campaign_id: int) -> ScreensPage:
    """The campaign of a screens page, for its team."""
    campaign, facts = access.campaign_for(actor, "campaign.read", campaign_id)
    return ScreensPage(campaign, access.allowed(actor, "campaign.change", facts))
