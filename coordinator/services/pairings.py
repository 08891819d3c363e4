"""Pairing streamers with products: engine runs, manual changes, and streamers' answers."""
from __future__ import annotations

from dataclasses import dataclass

from sqlalchemy import select

from coordinator import clock
from coordinator.domain import pairing as engine
from coordinator.domain.access_facts import Actor
from coordinator.domain.enums import PairingSource, PairingStatus
from coordinator.domain.errors import Conflict, FieldError, InvalidInput, NotFound
from coordinator.domain.events import Outcome, PairingChanged, PairingsRerun
from coordinator.domain.settings import Settings
from coordinator.extensions import db
from coordinator.models import Campaign, CampaignProduct, CampaignStreamer, County, Pairing, Product
from coordinator.services import access, audit, enrolment, outbox, samples
from coordinator.services.campaigns import changeable, open_campaign

DECIDED = (PairingStatus.ACCEPTED.value, PairingStatus.LOCKED.value)


@dataclass
class RunOutcome:
    """What one engine run stored and what it could not cover."""

    pairings: list[Pairing]
    uncovered: list[engine.UncoveredCounty]
    stats: dict


def _engine_problem(settings: Settings, campaign: Campaign, kept: list[Pairing],
                    declined: list[Pairing]) -> engine.PairingProblem:
    streamers = [s for s in enrolment.campaign_streamers(campaign.id) if s.archived_at is None]
    products = [p for p in enrolment.campaign_products(campaign.id) if p.archived_at is None]
    counties = {c.id: c.name for c in db.session.scalars(select(County).where(
        County.id.in_({p.county_id for p in products})))}
    rules = engine.PairingRules(
        starts_on=campaign.starts_at.astimezone(settings.zone).date(),
        ends_on=campaign.ends_at.astimezone(settings.zone).date(),
        min_agri=campaign.min_agri_products_per_session, max_products=campaign.max_products_per_session,
        expected_units_per_session=settings.expected_units_per_session)
    streamer_ids, product_ids = {s.id for s in streamers}, {p.id for p in products}
    return engine.PairingProblem(
        streamers=[engine.StreamerIn(s.id, s.followers, tuple(s.categories), s.platform, s.region) for s in streamers],
        products=[engine.ProductIn(p.id, p.county_id, counties[p.county_id], p.category, p.is_agricultural, p.stock,
                                   p.available_from, p.available_to) for p in products],
        rules=rules, weights=settings.pairing_weights,
        fixed=[(p.streamer_id, p.product_id) for p in kept if p.streamer_id in streamer_ids and p.product_id in product_ids],
        declined=[(p.streamer_id, p.product_id) for p in declined
                  if p.streamer_id in streamer_ids and p.product_id in product_ids],
    )


def _stored(campaign_id: int) -> list[Pairing]:
    return list(db.session.scalars(select(Pairing).where(Pairing.campaign_id == campaign_id)
                                   .order_by(Pairing.streamer_id, Pairing.product_id)))


def campaign_pairings(actor: Actor, campaign_id: int) -> list[Pairing]:
    """The pairings of a campaign the actor sees (the team all, a partner their products', a host their own)."""
    _campaign, facts = access.campaign_for(actor, "campaign.items", campaign_id)
    return list(db.session.scalars(select(Pairing).where(Pairing.campaign_id == campaign_id,
                                                         access.pairings_clause(actor, facts))
                                   .order_by(Pairing.streamer_id, Pairing.product_id)))


def _kept(pairing: Pairing, sampled: frozenset[int] = frozenset()) -> bool:
    """Decisions people made stay: accepted, locked, pairings a commissioner added by hand, and those a sample
    was sent for (asking for one is a decision too)."""
    if pairing.status == PairingStatus.DECLINED.value:  # a decline is a decision too: never kept as a pairing
        return False
    return pairing.status in DECIDED or pairing.id in sampled or pairing.source == PairingSource.MANUAL.value


def run(actor: Actor, settings: Settings, campaign_id: int) -> Outcome[RunOutcome]:
    """Run the engine; proposals replace earlier proposals, decisions stay, declined pairs never return."""
    campaign = changeable(actor, campaign_id)
    existing = _stored(campaign.id)
    sampled = frozenset(samples.pairings_with_samples(campaign.id))
    kept = [p for p in existing if _kept(p, sampled)]
    declined = [p for p in existing if p.status == PairingStatus.DECLINED.value]
    result = engine.solve(_engine_problem(settings, campaign, kept, declined))
    by_pair = {(p.streamer_id, p.product_id): p for p in existing}
    chosen = {(p.streamer_id, p.product_id) for p in result.pairings}
    for row in existing:
        if not _kept(row, sampled) and row.status == PairingStatus.PROPOSED.value and (row.streamer_id, row.product_id) not in chosen:
            db.session.delete(row)
    for proposal in result.pairings:
        row = by_pair.get((proposal.streamer_id, proposal.product_id))
        if row is None:
            row = Pairing(campaign_id=campaign.id, streamer_id=proposal.streamer_id, product_id=proposal.product_id,
                          status=PairingStatus.PROPOSED.value, source=PairingSource.ENGINE.value)
            db.session.add(row)
        row.score, row.reasons = proposal.score, list(proposal.reasons)
    audit.record(actor, "pairing-run", campaign, None, {"pairings": len(result.pairings),
                                                        "uncovered": [c.county_name for c in result.uncovered_counties]},
                 campaign_id=campaign.id)
    if result.pairings:
        outbox.stage_proposals(campaign, len(result.pairings), settings)
    db.session.commit()
    stored = _stored(campaign.id)
    return Outcome(RunOutcome(stored, result.uncovered_counties, result.stats),
                   [PairingsRerun(campaign.id, len(stored))])


def _changed(row: Pairing, removed: bool = False) -> PairingChanged:
    """What planners watching the campaign are told (the product's county reaches its partner too)."""
    county = db.session.scalar(select(Product.county_id).where(Product.id == row.product_id))
    return PairingChanged({"id": row.id, "campaign_id": row.campaign_id, "streamer_id": row.streamer_id,
                           "product_id": row.product_id, "county_id": county, "status": row.status,
                           "score": row.score, "reasons": row.reasons, "decline_reason": row.decline_reason,
                           "removed": removed})


def _pairing(actor: Actor, pairing_id: int, action: str) -> Pairing:
    row = db.session.get(Pairing, pairing_id)
    if row is None:
        raise NotFound(f"There is no pairing {pairing_id}.")
    access.require(actor, action, access.pairing_facts(actor, row), f"pairing {pairing_id}")
    return row


def add_manual(actor: Actor, settings: Settings, campaign_id: int, streamer_id: int,
               product_id: int) -> Outcome[Pairing]:
    """Pair a streamer with a product by hand; the engine keeps it on later runs."""
    campaign = changeable(actor, campaign_id)
    if db.session.get(CampaignStreamer, (campaign.id, streamer_id)) is None:
        raise InvalidInput("Unknown streamer.", [FieldError("not enrolled in this campaign", field="streamer_id")])
    if db.session.get(CampaignProduct, (campaign.id, product_id)) is None:
        raise InvalidInput("Unknown product.", [FieldError("not enrolled in this campaign", field="product_id")])
    if db.session.scalar(select(Pairing.id).where(Pairing.campaign_id == campaign.id, Pairing.streamer_id == streamer_id,
                                                  Pairing.product_id == product_id)):
        raise Conflict("This streamer is already paired with this product.")
    problem = _engine_problem(settings, campaign, [], [])
    # Archived streamers and products stay enrolled but are left out of plans, so they have no score.
    scored = any(s.id == streamer_id for s in problem.streamers) and any(p.id == product_id for p in problem.products)
    score, reasons = engine.score_pair(problem, streamer_id, product_id) if scored else (0.0, [])
    row = Pairing(campaign_id=campaign.id, streamer_id=streamer_id, product_id=product_id, score=score,
                  reasons=["added by hand", *reasons], status=PairingStatus.PROPOSED.value, source=PairingSource.MANUAL.value)
    db.session.add(row)
    db.session.flush()
    audit.record(actor, "pair", row, None, audit.snapshot(row), campaign_id=campaign.id)
    outbox.stage_pairing("pairing.proposed", row, settings)
    db.session.commit()
    return Outcome(row, [_changed(row)])


def set_locked(actor: Actor, pairing_id: int, locked: bool) -> Outcome[Pairing]:
    """Lock a pairing so no run removes it, or unlock it back to a proposal."""
    row = _pairing(actor, pairing_id, "item.change")
    open_campaign(db.session.get(Campaign, row.campaign_id))
    if row.status == PairingStatus.DECLINED.value:
        raise Conflict("The streamer declined this pairing; it cannot be locked.")
    before = audit.snapshot(row)
    row.status = PairingStatus.LOCKED.value if locked else PairingStatus.PROPOSED.value
    audit.record(actor, "lock" if locked else "unlock", row, before, audit.snapshot(row), campaign_id=row.campaign_id)
    db.session.commit()
    return Outcome(row, [_changed(row)])


def remove(actor: Actor, pairing_id: int) -> Outcome[None]:
    """Delete a pairing (a declined one too, which lets the engine propose it again)."""
    row = _pairing(actor, pairing_id, "item.change")
    open_campaign(db.session.get(Campaign, row.campaign_id))
    audit.record(actor, "unpair", row, audit.snapshot(row), None, campaign_id=row.campaign_id)
    events = [_changed(row, removed=True), *samples.cancel_for_pairing(actor, row, "pairing removed")]
    db.session.delete(row)
    db.session.commit()
    return Outcome(None, events)


def respond(actor: Actor, settings: Settings, pairing_id: int, accept: bool, reason: str = "") -> Outcome[Pairing]:
    """A streamer accepts or declines one of their own pairings; a decline needs a reason."""
    row = _pairing(actor, pairing_id, "item.answer")
    open_campaign(db.session.get(Campaign, row.campaign_id))
    if not accept and not reason.strip():
        raise InvalidInput("Say why you decline.", [FieldError("required", field="reason")])
    before = audit.snapshot(row)
    row.status = PairingStatus.ACCEPTED.value if accept else PairingStatus.DECLINED.value
    row.decline_reason = "" if accept else reason.strip()[:500]
    row.updated_at = clock.now()
    audit.record(actor, "accept" if accept else "decline", row, before, audit.snapshot(row), campaign_id=row.campaign_id)
    outbox.stage_pairing("pairing.accepted" if accept else "pairing.declined", row, settings)
    cancelled = [] if accept else samples.cancel_for_pairing(actor, row, "pairing declined")
    db.session.commit()
    return Outcome(row, [_changed(row), *cancelled])


def streamer_pairings(actor: Actor) -> list[tuple[Pairing, Product, Campaign]]:
    """A streamer's own pairings with their products and campaigns, newest campaign first."""
    access.require(actor, "host.portal")
    rows = db.session.execute(
        select(Pairing, Product, Campaign).join(Product, Product.id == Pairing.product_id)
        .join(Campaign, Campaign.id == Pairing.campaign_id).where(Pairing.streamer_id == actor.streamer_id)
        .order_by(Campaign.starts_at.desc(), Pairing.status, Product.name)).all()
    return [tuple(row) for row in rows]
