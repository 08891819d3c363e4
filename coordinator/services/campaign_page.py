"""Everything the campaign page shows one actor: the team sees all of it, a county partner their share, any other
commissioner of an open campaign its summary and how to join with their own products."""
from __future__ import annotations

from dataclasses import dataclass, field

from sqlalchemy import select

from coordinator.domain.access import standing
from coordinator.domain.access_facts import Actor, CampaignFacts
from coordinator.domain.coverage import CountyCoverage, SessionCheck
from coordinator.extensions import db
from coordinator.models import Campaign, County, LiveSession, Product, Streamer
from coordinator.services import access, coverage, enrolment, teams
from coordinator.services.campaigns import AuditRow, campaign_audit


@dataclass
class CampaignPage:
    """One campaign as the actor may see it, and what the actor may do there."""

    campaign: Campaign
    facts: CampaignFacts
    standing: str
    may_change: bool
    may_manage_team: bool
    may_join: bool
    full: bool  # the team's view (everything), not a partner's or a visitor's
    products: list[Product] = field(default_factory=list)
    streamers: list[Streamer] = field(default_factory=list)
    counties: list[CountyCoverage] = field(default_factory=list)
    sessions: list[SessionCheck] = field(default_factory=list)
    own_sessions: list[LiveSession] = field(default_factory=list)
    entries: list[AuditRow] = field(default_factory=list)
    members: list[teams.Member] = field(default_factory=list)
    product_choices: list[Product] = field(default_factory=list)
    streamer_choices: list[Streamer] = field(default_factory=list)
    county_names: dict[int, str] = field(default_factory=dict)


def campaign_page(actor: Actor, campaign_id: int) -> CampaignPage:
    """The campaign page's data for this actor."""
    campaign, facts = access.campaign_for(actor, "campaign.see", campaign_id)
    access.require(actor, "campaign.create")  # the planning pages are the commissioners' (a host sees C elsewhere)
    full = access.allowed(actor, "campaign.read", facts)
    page = CampaignPage(campaign, facts, facts.team_role.value if facts.team_role else standing(actor, facts).value,
                        access.allowed(actor, "campaign.change", facts),
                        access.allowed(actor, "campaign.manage_team", facts),
                        access.allowed(actor, "campaign.join", facts), full)
    if full:
        page.products = enrolment.campaign_products(campaign.id)
        page.streamers = enrolment.campaign_streamers(campaign.id)
        page.counties = coverage.counties(actor, campaign.id)
        page.sessions = coverage.sessions(actor, campaign.id)
        page.entries = campaign_audit(actor, campaign.id, limit=100)
        page.members = teams.members(actor, campaign.id)
    elif access.allowed(actor, "campaign.read_part", facts):
        page.products = enrolment.products_seen(actor, campaign.id)
        page.own_sessions = list(db.session.scalars(select(LiveSession).where(
            LiveSession.campaign_id == campaign.id, access.sessions_clause(actor, facts)).order_by(LiveSession.starts_at)))
    if page.may_join:
        enrolled = {p.id for p in enrolment.campaign_products(campaign.id)}
        page.product_choices = [p for p in db.session.scalars(select(Product).where(
            Product.archived_at.is_(None), access.products_clause(actor)).order_by(Product.name)) if p.id not in enrolled]
    if page.may_change:
        taken = {s.id for s in page.streamers}
        page.streamer_choices = [s for s in db.session.scalars(select(Streamer).where(Streamer.archived_at.is_(None))
                                                               .order_by(Streamer.display_name)) if s.id not in taken]
    page.county_names = dict(db.session.execute(select(County.id, County.name).where(
        County.id.in_({p.county_id for p in page.products}))).all())
    return page
