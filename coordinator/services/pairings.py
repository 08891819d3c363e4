"""Pairing streamers with products: engine runs, manual changes, and streamers' answers."""
from __future__ import annotations

from dataclasses import dataclass, replace
from zoneinfo import ZoneInfo

from flask import current_app
from sqlalchemy import delete, select

from coordinator import clock
from coordinator.domain import pairing as engine
from coordinator.domain.enums import PairingSource, PairingStatus
from coordinator.domain.errors import Conflict, FieldError, InvalidInput, NotFound, PermissionDenied
from coordinator.extensions import db
from coordinator.models import Campaign, CampaignProduct, CampaignStreamer, County, Pairing, Product, Streamer, User
from coordinator.realtime.publish import publish_pairing, publish_pairings_rerun
from coordinator.services import audit, enrolment
from coordinator.services.campaigns import get_campaign, open_campaign

DECIDED = (PairingStatus.ACCEPTED.value, PairingStatus.LOCKED.value)


@dataclass
class RunOutcome:
    """What one engine run stored and what it could not cover."""

    pairings: list[Pairing]
    uncovered: list[engine.UncoveredCounty]
    stats: dict


def _problem(campaign: Campaign, kept: list[Pairing], declined: list[Pairing]) -> engine.PairingProblem:
    zone = ZoneInfo(current_app.config["COORDINATOR_TIMEZONE"])
    hosts = [s for s in enrolment.enrolled_streamers(campaign.id) if s.archived_at is None]
    products = [p for p in enrolment.enrolled_products(campaign.id) if p.archived_at is None]
    counties = {c.id: c.name for c in db.session.scalars(select(County).where(
        County.id.in_({p.county_id for p in products})))}
    settings = current_app.config
    weights = replace(engine.PairingWeights(), **settings.get("PAIRING_WEIGHTS", {}))
    rules = engine.PairingRules(
        starts_on=campaign.starts_at.astimezone(zone).date(), ends_on=campaign.ends_at.astimezone(zone).date(),
        min_agri=campaign.min_agri_products_per_session, max_products=campaign.max_products_per_session,
        expected_units_per_session=settings.get("PAIRING_EXPECTED_UNITS_PER_SESSION", 50))
    host_ids, product_ids = {s.id for s in hosts}, {p.id for p in products}
    return engine.PairingProblem(
        streamers=[engine.StreamerIn(s.id, s.followers, tuple(s.categories), s.platform, s.region) for s in hosts],
        products=[engine.ProductIn(p.id, p.county_id, counties[p.county_id], p.category, p.is_agricultural, p.stock,
                                   p.available_from, p.available_to) for p in products],
        rules=rules, weights=weights,
        fixed=[(p.streamer_id, p.product_id) for p in kept if p.streamer_id in host_ids and p.product_id in product_ids],
        declined=[(p.streamer_id, p.product_id) for p in declined
                  if p.streamer_id in host_ids and p.product_id in product_ids],
    )


def campaign_pairings(campaign_id: int) -> list[Pairing]:
    """A campaign's pairings, by streamer then product."""
    return list(db.session.scalars(select(Pairing).where(Pairing.campaign_id == campaign_id)
                                   .order_by(Pairing.streamer_id, Pairing.product_id)))


def _kept(pairing: Pairing) -> bool:
    """Decisions people made stay: accepted, locked, and pairings a commissioner added by hand."""
    return pairing.status in DECIDED or (pairing.source == PairingSource.MANUAL.value
                                         and pairing.status != PairingStatus.DECLINED.value)


def run(user: User, campaign_id: int) -> RunOutcome:
    """Run the engine; proposals replace earlier proposals, decisions stay, declined pairs never return."""
    campaign = open_campaign(campaign_id)
    existing = campaign_pairings(campaign.id)
    kept = [p for p in existing if _kept(p)]
    declined = [p for p in existing if p.status == PairingStatus.DECLINED.value]
    result = engine.solve(_problem(campaign, kept, declined))
    by_pair = {(p.streamer_id, p.product_id): p for p in existing}
    chosen = {(p.streamer_id, p.product_id) for p in result.pairings}
    for row in existing:
        if not _kept(row) and row.status == PairingStatus.PROPOSED.value and (row.streamer_id, row.product_id) not in chosen:
            db.session.delete(row)
    for proposal in result.pairings:
        row = by_pair.get((proposal.streamer_id, proposal.product_id))
        if row is None:
            row = Pairing(campaign_id=campaign.id, streamer_id=proposal.streamer_id, product_id=proposal.product_id,
                          status=PairingStatus.PROPOSED.value, source=PairingSource.ENGINE.value)
            db.session.add(row)
        row.score, row.reasons = proposal.score, list(proposal.reasons)
    audit.record(user, "pairing-run", campaign, None, {"pairings": len(result.pairings),
                                                       "uncovered": [c.county_name for c in result.uncovered_counties]},
                 campaign_id=campaign.id)
    db.session.commit()
    stored = campaign_pairings(campaign.id)
    publish_pairings_rerun(campaign.id, len(stored))
    return RunOutcome(stored, result.uncovered_counties, result.stats)


def _announce(row: Pairing, removed: bool = False) -> None:
    """Planners watching the campaign see the change at once."""
    publish_pairing({"id": row.id, "campaign_id": row.campaign_id, "streamer_id": row.streamer_id,
                     "product_id": row.product_id, "status": row.status, "score": row.score, "reasons": row.reasons,
                     "decline_reason": row.decline_reason, "removed": removed})


def _pairing(pairing_id: int) -> Pairing:
    row = db.session.get(Pairing, pairing_id)
    if row is None:
        raise NotFound(f"There is no pairing {pairing_id}.")
    return row


def add_manual(user: User, campaign_id: int, streamer_id: int, product_id: int) -> Pairing:
    """Pair a streamer with a product by hand; the engine keeps it on later runs."""
    campaign = open_campaign(campaign_id)
    if db.session.get(CampaignStreamer, (campaign.id, streamer_id)) is None:
        raise InvalidInput("Unknown streamer.", [FieldError("not enrolled in this campaign", field="streamer_id")])
    if db.session.get(CampaignProduct, (campaign.id, product_id)) is None:
        raise InvalidInput("Unknown product.", [FieldError("not enrolled in this campaign", field="product_id")])
    if db.session.scalar(select(Pairing.id).where(Pairing.campaign_id == campaign.id, Pairing.streamer_id == streamer_id,
                                                  Pairing.product_id == product_id)):
        raise Conflict("This streamer is already paired with this product.")
    problem = _problem(campaign, [], [])
    # Archived streamers and products stay enrolled but are left out of plans, so they have no score.
    scored = any(s.id == streamer_id for s in problem.streamers) and any(p.id == product_id for p in problem.products)
    score, reasons = engine.score_pair(problem, streamer_id, product_id) if scored else (0.0, [])
    row = Pairing(campaign_id=campaign.id, streamer_id=streamer_id, product_id=product_id, score=score,
                  reasons=["added by hand", *reasons], status=PairingStatus.PROPOSED.value, source=PairingSource.MANUAL.value)
    db.session.add(row)
    db.session.flush()
    audit.record(user, "pair", row, None, audit.snapshot(row), campaign_id=campaign.id)
    db.session.commit()
    _announce(row)
    return row


def set_locked(user: User, pairing_id: int, locked: bool) -> Pairing:
    """Lock a pairing so no run removes it, or unlock it back to a proposal."""
    row = _pairing(pairing_id)
    open_campaign(row.campaign_id)
    if row.status == PairingStatus.DECLINED.value:
        raise Conflict("The streamer declined this pairing; it cannot be locked.")
    before = audit.snapshot(row)
    row.status = PairingStatus.LOCKED.value if locked else PairingStatus.PROPOSED.value
    audit.record(user, "lock" if locked else "unlock", row, before, audit.snapshot(row), campaign_id=row.campaign_id)
    db.session.commit()
    _announce(row)
    return row


def remove(user: User, pairing_id: int) -> None:
    """Delete a pairing (a declined one too, which lets the engine propose it again)."""
    row = _pairing(pairing_id)
    open_campaign(row.campaign_id)
    audit.record(user, "unpair", row, audit.snapshot(row), None, campaign_id=row.campaign_id)
    db.session.delete(row)
    db.session.commit()
    _announce(row, removed=True)


def respond(user: User, pairing_id: int, accept: bool, reason: str = "") -> Pairing:
    """A streamer accepts or declines one of their own pairings; a decline needs a reason."""
    row = _pairing(pairing_id)
    if user.streamer_id != row.streamer_id:
        raise PermissionDenied("Only the paired streamer may answer this pairing.")
    open_campaign(row.campaign_id)
    if not accept and not reason.strip():
        raise InvalidInput("Say why you decline.", [FieldError("required", field="reason")])
    before = audit.snapshot(row)
    row.status = PairingStatus.ACCEPTED.value if accept else PairingStatus.DECLINED.value
    row.decline_reason = "" if accept else reason.strip()[:500]
    row.updated_at = clock.now()
    audit.record(user, "accept" if accept else "decline", row, before, audit.snapshot(row), campaign_id=row.campaign_id)
    db.session.commit()
    _announce(row)
    return row


def streamer_pairings(user: User) -> list[tuple[Pairing, Product, Campaign]]:
    """A streamer's own pairings with their products and campaigns, newest campaign first."""
    rows = db.session.execute(
        select(Pairing, Product, Campaign).join(Product, Product.id == Pairing.product_id)
        .join(Campaign, Campaign.id == Pairing.campaign_id).where(Pairing.streamer_id == user.streamer_id)
        .order_by(Campaign.starts_at.desc(), Pairing.status, Product.name)).all()
    return [tuple(row) for row in rows]


def board(campaign_id: int) -> tuple[Campaign, list[Streamer], list[Product], dict[tuple[int, int], Pairing]]:
    """Everything the pairing board shows: streamers by products, and the pairing in each cell."""
    campaign = get_campaign(campaign_id)
    cells = {(p.streamer_id, p.product_id): p for p in campaign_pairings(campaign.id)}
    return campaign, enrolment.enrolled_streamers(campaign.id), enrolment.enrolled_products(campaign.id), cells
