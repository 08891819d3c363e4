"""The coverage view of a campaign: counties carried, sessions keeping the rules."""
from __future__ import annotations

from collections import defaultdict

from sqlalchemy import select

from coordinator.domain.access_facts import Actor
from coordinator.domain.coverage import CountyCoverage, SessionCheck, county_coverage, lineup_problems
from coordinator.domain.enums import PairingStatus, SessionStatus
from coordinator.extensions import db
from coordinator.models import CampaignProduct, County, LineupItem, LiveSession, Pairing, Product
from coordinator.services.campaigns import campaign_for


def counties(actor: Actor, campaign_id: int) -> list[CountyCoverage]:
    """Each county with enrolled products, uncovered ones first, for the campaign's team."""
    campaign_for(actor, "campaign.read", campaign_id)
    enrolled = db.session.execute(
        select(Product.id, Product.county_id, County.name).join(County, County.id == Product.county_id)
        .join(CampaignProduct, CampaignProduct.product_id == Product.id).where(CampaignProduct.campaign_id == campaign_id)
    ).all()
    carried = db.session.execute(select(Pairing.streamer_id, Pairing.product_id).where(
        Pairing.campaign_id == campaign_id, Pairing.status != PairingStatus.DECLINED.value)).all()
    scheduled = db.session.execute(
        select(LineupItem.session_id, LineupItem.product_id).join(LiveSession, LiveSession.id == LineupItem.session_id)
        .where(LiveSession.campaign_id == campaign_id, LiveSession.status != SessionStatus.CANCELLED.value)).all()
    return county_coverage({row.county_id: row.name for row in enrolled}, {row.id: row.county_id for row in enrolled},
                           [tuple(r) for r in carried], [tuple(r) for r in scheduled])


def sessions(actor: Actor, campaign_id: int) -> list[SessionCheck]:
    """Every session that is not cancelled, checked against the campaign's lineup rules, for its team."""
    campaign = campaign_for(actor, "campaign.read", campaign_id)
    rows = db.session.execute(
        select(LiveSession.id, Product.is_agricultural).select_from(LiveSession)
        .outerjoin(LineupItem, LineupItem.session_id == LiveSession.id).outerjoin(Product, Product.id == LineupItem.product_id)
        .where(LiveSession.campaign_id == campaign_id, LiveSession.status != SessionStatus.CANCELLED.value)
        .order_by(LiveSession.starts_at)).all()
    counts: dict[int, list[int]] = defaultdict(lambda: [0, 0])
    for session_id, agricultural in rows:
        tally = counts[session_id]  # a session with an empty lineup still gets its row
        if agricultural is not None:
            tally[1] += 1
            tally[0] += int(agricultural)
    return [SessionCheck(sid, agri, total, lineup_problems(agri, total, campaign.min_agri_products_per_session,
                                                           campaign.max_products_per_session))
            for sid, (agri, total) in counts.items()]
