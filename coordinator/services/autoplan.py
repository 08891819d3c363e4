"""Auto-planning: propose sessions from settled pairings and availability, then confirm them all or nothing."""
from __future__ import annotations

from typing import Any

from sqlalchemy import select

from coordinator import clock
from coordinator.domain import autoplan as planner
from coordinator.domain.enums import PairingStatus
from coordinator.domain.errors import DomainError, InvalidInput
from coordinator.domain.scheduling import Slot
from coordinator.extensions import db
from coordinator.models import LiveSession, Pairing, User
from coordinator.services import enrolment, sessions
from coordinator.services.campaigns import open_campaign

# A commissioner's lock is as settled as a streamer's acceptance.
SETTLED = (PairingStatus.ACCEPTED.value, PairingStatus.LOCKED.value)


def propose(campaign_id: int, slot_minutes: int = 120, per_streamer: int = 3) -> list[planner.Proposal]:
    """Evening sessions for each enrolled streamer with settled pairings, clashing with nothing booked."""
    campaign = open_campaign(campaign_id)
    paired: dict[int, list[int]] = {}
    for streamer_id, product_id in db.session.execute(select(Pairing.streamer_id, Pairing.product_id).where(
            Pairing.campaign_id == campaign.id, Pairing.status.in_(SETTLED)).order_by(Pairing.product_id)):
        paired.setdefault(streamer_id, []).append(product_id)
    facts = {p.id: p for p in sessions.lineup_facts(campaign.id, [pid for ids in paired.values() for pid in ids])}
    plans = []
    for streamer in enrolment.enrolled_streamers(campaign.id):
        if streamer.id not in paired:
            continue
        busy = [Slot(*row) for row in db.session.execute(
            select(LiveSession.id, LiveSession.starts_at, LiveSession.ends_at).where(
                LiveSession.streamer_id == streamer.id, LiveSession.status.in_(sessions.ACTIVE)))]
        plans.append(planner.StreamerPlan(
            streamer.id, [(w.weekday, w.start_minute, w.end_minute) for w in streamer.availability],
            [facts[pid] for pid in paired[streamer.id] if pid in facts], busy))
    rules = planner.PlanRules((campaign.starts_at, campaign.ends_at), campaign.min_agri_products_per_session,
                              campaign.max_products_per_session, sessions.min_gap(), slot_minutes,
                              per_streamer=per_streamer)
    return planner.propose(plans, rules, clock.now(), sessions.zone())


def confirm(user: User, campaign_id: int, proposals: list[dict[str, Any]]) -> list[LiveSession]:
    """Schedule every proposal or none; a broken one is reported with its index."""
    open_campaign(campaign_id)
    rows = []
    try:
        for index, proposal in enumerate(proposals):
            try:
                rows.append(sessions.create(user, {**proposal, "campaign_id": campaign_id}, commit=False))
            except DomainError as error:
                error.detail = f"Proposal {index}: {error.detail}"
                for item in error.errors:
                    item.index = index
                raise
            db.session.flush()
    except DomainError:
        db.session.rollback()
        raise
    if not rows:
        raise InvalidInput("Nothing to schedule.")
    db.session.commit()
    for row in rows:
        sessions.announce(row)
    return rows
