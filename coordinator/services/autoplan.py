"""Auto-planning: propose sessions from settled pairings and availability, then confirm them all or nothing."""
from __future__ import annotations

from typing import Any

from sqlalchemy import select

from coordinator import clock
from coordinator.domain import autoplan as planner
from coordinator.domain.access_facts import Actor
from coordinator.domain.enums import PairingStatus
from coordinator.domain.errors import DomainError, InvalidInput
from coordinator.domain.events import Outcome
from coordinator.domain.settings import Settings
from coordinator.extensions import db
from coordinator.models import LiveSession, Pairing
from coordinator.services import enrolment, outbox, sessions
from coordinator.services.campaigns import changeable

# A commissioner's lock is as settled as a streamer's acceptance.
SETTLED = (PairingStatus.ACCEPTED.value, PairingStatus.LOCKED.value)


def propose(actor: Actor, settings: Settings, campaign_id: int, slot_minutes: int = 120,
            per_streamer: int = 3) -> list[planner.Proposal]:
    """Evening sessions for each enrolled streamer with settled pairings, clashing with nothing booked."""
    campaign = changeable(actor, campaign_id)
    paired: dict[int, list[int]] = {}
    for streamer_id, product_id in db.session.execute(select(Pairing.streamer_id, Pairing.product_id).where(
            Pairing.campaign_id == campaign.id, Pairing.status.in_(SETTLED)).order_by(Pairing.product_id)):
        paired.setdefault(streamer_id, []).append(product_id)
    facts = {p.id: p for p in sessions.lineup_facts(campaign.id, [pid for ids in paired.values() for pid in ids])}
    plans = []
    for streamer in enrolment.campaign_streamers(campaign.id):
        if streamer.id not in paired:
            continue
        plans.append(planner.StreamerPlan(
            streamer.id, [(w.weekday, w.start_minute, w.end_minute) for w in streamer.availability],
            [facts[pid] for pid in paired[streamer.id] if pid in facts], sessions.busy_slots(streamer.id)))
    rules = planner.PlanRules((campaign.starts_at, campaign.ends_at), campaign.min_agri_products_per_session,
                              campaign.max_products_per_session, settings.min_gap, slot_minutes,
                              per_streamer=per_streamer)
    return planner.propose(plans, rules, clock.now(), settings.zone)


def confirm(actor: Actor, settings: Settings, campaign_id: int,
            proposals: list[dict[str, Any]]) -> Outcome[list[LiveSession]]:
    """Schedule every proposal or none; a broken one is reported with its index."""
    campaign = changeable(actor, campaign_id)
    rows = []
    try:
        for index, proposal in enumerate(proposals):
            try:
                rows.append(sessions.schedule(actor, settings, campaign, {**proposal, "campaign_id": campaign.id}))
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
    for row in rows:
        outbox.stage_session("session.scheduled", row, settings)
    db.session.commit()
    return Outcome(rows, [sessions.times_changed(row) for row in rows])


def product_names(actor: Actor, campaign_id: int) -> dict[int, str]:
    """The names of a campaign's products, for the plan page."""
    changeable(actor, campaign_id)
    return {p.id: p.name for p in enrolment.campaign_products(campaign_id)}


def streamers_by_id(actor: Actor, campaign_id: int) -> dict[int, Any]:
    """The campaign's streamers by id, for the plan page."""
    changeable(actor, campaign_id)
    return {s.id: s for s in enrolment.campaign_streamers(campaign_id)}


def campaign_of(actor: Actor, campaign_id: int):
    """The campaign a plan page is for."""
    return changeable(actor, campaign_id)
