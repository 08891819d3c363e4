"""What each role sees first: a read-only summary of the data they work with."""
from __future__ import annotations

from dataclasses import dataclass, field

from sqlalchemy import func, select

from coordinator import clock
from coordinator.domain.access import standing
from coordinator.domain.access_facts import Actor, CampaignFacts
from coordinator.domain.enums import SessionStatus
from coordinator.extensions import db
from coordinator.models import (
    Campaign, CampaignProduct, CampaignStreamer, County, LiveSession, Product, Streamer, TallyCounter,
)
from coordinator.services import access


@dataclass
class CommissionerSummary:
    """Counts and campaigns for a commissioner's start page."""

    counties: list[County]
    product_count: int
    streamer_count: int
    campaigns: list[dict] = field(default_factory=list)


@dataclass
class StreamerSummary:
    """A streamer's profile, campaigns and next sessions."""

    streamer: Streamer | None
    campaigns: list[Campaign]
    upcoming: list[LiveSession]


def commissioner_summary(actor: Actor) -> CommissionerSummary:
    """The actor's counties, product and streamer counts, and the campaigns they may see with their enrolments."""
    access.require(actor, "campaign.create")
    county_query = select(County).where(access.counties_clause(actor)).order_by(County.province, County.name)
    product_query = select(func.count(Product.id)).where(Product.archived_at.is_(None), access.products_clause(actor))
    products = select(CampaignProduct.campaign_id, func.count().label("n")).group_by(CampaignProduct.campaign_id).subquery()
    streamers = select(CampaignStreamer.campaign_id, func.count().label("n")).group_by(CampaignStreamer.campaign_id).subquery()
    rows = db.session.execute(
        select(Campaign, func.coalesce(products.c.n, 0), func.coalesce(streamers.c.n, 0))
        .outerjoin(products, products.c.campaign_id == Campaign.id)
        .outerjoin(streamers, streamers.c.campaign_id == Campaign.id)
        .where(access.campaigns_clause(actor)).order_by(Campaign.starts_at.desc())
    ).all()
    facts = access.campaign_facts_many(actor, [c for c, _p, _s in rows])
    readable = [c.id for c, _p, _s in rows if access.allowed(actor, "campaign.tally", facts[c.id])]
    # How many products and hosts a campaign has is for those who read it; others see its name and window.
    counted = {c.id for c, _p, _s in rows if access.allowed(actor, "campaign.read", facts[c.id])}
    sales = dict(db.session.execute(
        select(TallyCounter.scope_id, TallyCounter.gross_fen - TallyCounter.refunded_fen).where(
            TallyCounter.scope == "campaign", TallyCounter.dimension == "total",
            TallyCounter.scope_id.in_(readable))).all()) if readable else {}
    return CommissionerSummary(
        counties=list(db.session.scalars(county_query)),
        product_count=db.session.scalar(product_query) or 0,
        streamer_count=db.session.scalar(select(func.count(Streamer.id)).where(Streamer.archived_at.is_(None))) or 0,
        campaigns=[{"campaign": c, "products": p if c.id in counted else None,
                    "streamers": s if c.id in counted else None, "net_fen": sales.get(c.id),
                    "standing": _standing(actor, facts[c.id])} for c, p, s in rows],
    )


def _standing(actor: Actor, facts: CampaignFacts) -> str:
    """The actor's place in a campaign as its start page names it: owner, editor, viewer, partner, public …"""
    return facts.team_role.value if facts.team_role else standing(actor, facts).value


def streamer_summary(actor: Actor) -> StreamerSummary:
    """The host's own profile, the campaigns they are enrolled in and their next sessions."""
    access.require(actor, "host.portal")
    streamer = db.session.get(Streamer, actor.streamer_id)
    if streamer is None:
        return StreamerSummary(None, [], [])
    campaigns = db.session.scalars(
        select(Campaign).join(CampaignStreamer, CampaignStreamer.campaign_id == Campaign.id)
        .where(CampaignStreamer.streamer_id == streamer.id).order_by(Campaign.starts_at)
    ).all()
    upcoming = db.session.scalars(
        select(LiveSession).where(
            LiveSession.streamer_id == streamer.id,
            LiveSession.status.in_([SessionStatus.SCHEDULED.value, SessionStatus.LIVE.value]),
            LiveSession.ends_at > clock.now(),
        ).order_by(LiveSession.starts_at).limit(10)
    ).all()
    return StreamerSummary(streamer, list(campaigns), list(upcoming))
