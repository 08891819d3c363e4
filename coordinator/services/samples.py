"""Product samples: requests, the moves of CONTRACT section 7 (alone or many at once), and what a pairing's end
does to them. Lists and lateness live in sample_board.py."""
from __future__ import annotations

from sqlalchemy import func, select

from coordinator import clock
from coordinator.domain import samples as rules
from coordinator.domain.access import HIDE, may
from coordinator.domain.access_facts import Actor, ItemFacts
from coordinator.domain.carriers import tracking_url
from coordinator.domain.enums import SampleStatus
from coordinator.domain.errors import FieldError, InvalidInput, NotFound
from coordinator.domain.events import Outcome, SampleChanged
from coordinator.domain.samples import Shipment
from coordinator.domain.settings import Settings
from coordinator.extensions import db
from coordinator.models import Campaign, Pairing, Product, Sample
from coordinator.services import access, audit, outbox
from coordinator.services.campaigns import open_campaign
from coordinator.services.sample_access import sample_for

ACTIONS = {"approve": "sample.handle", "reject": "sample.handle", "ship": "sample.handle",
           "receive": "sample.receive", "cancel": "sample.cancel"}
# Moves people are told of outside the browser (sample.late comes from the scheduler, sample_late.py).
NOTIFIED = {"ship": "sample.shipped", "receive": "sample.received"}


def as_dict(sample: Sample, county_id: int | None = None) -> dict:
    """A sample as the API and /live show it (CONTRACT section 7, plus its tracking link and times)."""
    return {"id": sample.id, "pairing_id": sample.pairing_id, "campaign_id": sample.campaign_id,
            "streamer_id": sample.streamer_id, "product_id": sample.product_id, "quantity": sample.quantity,
            "status": sample.status, "carrier": sample.carrier, "tracking_number": sample.tracking_number,
            "tracking_url": tracking_url(sample.carrier, sample.tracking_number), "reason": sample.reason,
            "requested_at": sample.requested_at, "approved_at": sample.approved_at, "shipped_at": sample.shipped_at,
            "received_at": sample.received_at, "updated_at": sample.updated_at,
            **({"county_id": county_id} if county_id is not None else {})}


def changed(sample: Sample, county_id: int | None = None) -> SampleChanged:
    """What the board, the partner of the product's county and the host's open pages are told (the product's
    county read unless given)."""
    county = county_id if county_id is not None else db.session.scalar(
        select(Product.county_id).where(Product.id == sample.product_id))
    payload = as_dict(sample, county)
    for key in ("requested_at", "approved_at", "shipped_at", "received_at", "updated_at"):
        payload[key] = payload[key].isoformat() if payload[key] else None
    return SampleChanged(payload)


def get(actor: Actor, sample_id: int) -> Sample:
    """One sample the actor may read."""
    return sample_for(actor, "sample.read", sample_id)


def request(actor: Actor, settings: Settings, pairing_id: int, quantity: int = 1) -> Outcome[Sample]:
    """Ask for a sample of a pairing's product for its host: the host, the team's changers or the product's county."""
    pairing = db.session.get(Pairing, pairing_id)
    if pairing is None:
        raise InvalidInput("Unknown pairing.", [FieldError("no such pairing", field="pairing_id")])
    facts = access.pairing_facts(actor, pairing)
    if may(actor, "sample.request", facts) is HIDE:  # a pairing the caller may not know is an unknown one
        raise InvalidInput("Unknown pairing.", [FieldError("no such pairing", field="pairing_id")])
    access.require(actor, "sample.request", facts, f"pairing {pairing_id}")
    open_campaign(db.session.get(Campaign, pairing.campaign_id))
    on_the_way = db.session.scalar(select(func.count()).select_from(Sample).where(
        Sample.pairing_id == pairing.id, Sample.status.in_(rules.ON_THE_WAY)))
    rules.check_request(pairing.status, quantity, on_the_way)
    sample = Sample(campaign_id=pairing.campaign_id, pairing_id=pairing.id, streamer_id=pairing.streamer_id,
                    product_id=pairing.product_id, quantity=quantity, status=SampleStatus.REQUESTED.value,
                    requested_by_id=actor.user_id, requested_at=clock.now(), updated_at=clock.now())
    db.session.add(sample)
    db.session.flush()
    audit.record(actor, "sample-request", sample, None, audit.snapshot(sample), campaign_id=sample.campaign_id)
    db.session.commit()
    return Outcome(sample, [changed(sample)])


def _apply(actor: Actor, settings: Settings, sample: Sample, move: str, shipment: Shipment | None = None,
           reason: str = "", notify: bool = True) -> None:
    """One move on a loaded sample the actor may make it: the rules' next state, its time, audit and notice (unless
    the caller stages the notices of many at once)."""
    target = rules.next_status(sample.status, move)
    before = audit.snapshot(sample)
    now = clock.now()
    sample.status = target.value
    if move == "approve":
        sample.approved_at = now
    elif move == "ship":
        assert shipment is not None
        sample.carrier, sample.tracking_number, sample.shipped_at = shipment.carrier, shipment.tracking_number, now
    elif move == "receive":
        sample.received_at = now
    else:
        sample.closed_at, sample.reason = now, reason.strip()[:500]
    sample.updated_at = now
    audit.record(actor, f"sample-{move}", sample, before, audit.snapshot(sample), campaign_id=sample.campaign_id)
    if move in NOTIFIED and notify:
        outbox.stage_sample(NOTIFIED[move], sample, settings)


def move(actor: Actor, settings: Settings, sample_id: int, move_name: str, carrier: str = "",
         tracking_number: str = "", reason: str = "") -> Outcome[Sample]:
    """Approve, reject, ship (carrier and tracking number), receive or cancel a sample; 409 for any other move."""
    sample = sample_for(actor, ACTIONS[move_name], sample_id)
    rules.next_status(sample.status, move_name)  # a move the state forbids is 409 before the body is judged
    shipment = rules.shipment(carrier, tracking_number) if move_name == "ship" else None
    _apply(actor, settings, sample, move_name, shipment, reason)
    db.session.commit()
    return Outcome(sample, [changed(sample)])


def _handleable(actor: Actor, campaign_id: int, sample_ids: list[int]) -> dict[int, Sample]:
    """The campaign's samples among the ids that the actor may handle (approve, reject, ship), in two queries."""
    campaign, facts = access.campaign_for(actor, "campaign.samples", campaign_id)
    rows = db.session.execute(select(Sample, Product.county_id).join(Product, Product.id == Sample.product_id).where(
        Sample.campaign_id == campaign.id, Sample.id.in_(set(sample_ids)))).all()
    return {sample.id: sample for sample, county in rows if access.allowed(
        actor, "sample.handle", ItemFacts(facts, sample.streamer_id, frozenset({county})))}


def approve_many(actor: Actor, settings: Settings, campaign_id: int, sample_ids: list[int]) -> Outcome[list[Sample]]:
    """Approve requested samples of a campaign at once; already approved ones are left as they are. Any id that is
    unknown, not the actor's to handle, or past approval makes the whole batch 422 and changes nothing."""
    found = _handleable(actor, campaign_id, sample_ids)
    errors = []
    for index, sample_id in enumerate(sample_ids):
        sample = found.get(sample_id)
        if sample is None:
            errors.append(FieldError(f"there is no sample {sample_id} of yours in this campaign", index=index))
        elif sample.status not in (SampleStatus.REQUESTED.value, SampleStatus.APPROVED.value):
            errors.append(FieldError(f"sample {sample_id} is {sample.status}", index=index))
    if errors:
        raise InvalidInput("Nothing was approved: some samples cannot be.", errors)
    approved = []
    for sample_id in dict.fromkeys(sample_ids):
        if found[sample_id].status == SampleStatus.REQUESTED.value:
            _apply(actor, settings, found[sample_id], "approve")
            approved.append(found[sample_id])
    db.session.commit()
    return Outcome(approved, [changed(s) for s in approved])


def ship_many(actor: Actor, settings: Settings, campaign_id: int,
              shipments: list[tuple[int, Shipment]]) -> Outcome[list[Sample]]:
    """Ship approved samples, each with its carrier and number, in one transaction (checked beforehand by the
    shipping import); a sample the actor may not handle or not approved is NotFound or 409 and nothing changes."""
    found = _handleable(actor, campaign_id, [sample_id for sample_id, _ in shipments])
    shipped = []
    for sample_id, shipment in shipments:
        if sample_id not in found:
            raise NotFound(f"There is no sample {sample_id} of yours in this campaign.")
        _apply(actor, settings, found[sample_id], "ship", shipment, notify=False)
        shipped.append(found[sample_id])
    # A file of a thousand rows: the notices, counties and events in a few queries, not a few per sample.
    outbox.stage_samples(NOTIFIED["ship"], shipped, settings)
    counties = dict(db.session.execute(select(Product.id, Product.county_id).where(
        Product.id.in_({s.product_id for s in shipped}))).all())
    events = [changed(s, counties[s.product_id]) for s in shipped]
    db.session.commit()
    return Outcome(shipped, events)


def cancel_for_pairing(actor: Actor, pairing: Pairing, reason: str) -> list[SampleChanged]:
    """Cancel a pairing's samples not yet sent, in the caller's transaction (a decline or a removal ends it)."""
    events = []
    for sample in db.session.scalars(select(Sample).where(Sample.pairing_id == pairing.id,
                                                          Sample.status.in_(rules.CANCELLABLE))):
        before = audit.snapshot(sample)
        sample.status, sample.reason, sample.closed_at = SampleStatus.CANCELLED.value, reason, clock.now()
        sample.updated_at = clock.now()
        audit.record(actor, "sample-cancel", sample, before, audit.snapshot(sample), campaign_id=sample.campaign_id)
        events.append(changed(sample))
    return events


def pairings_with_samples(campaign_id: int) -> set[int]:
    """The pairings of a campaign whose samples are on the way or received: engine runs keep them."""
    return set(db.session.scalars(select(Sample.pairing_id).where(
        Sample.campaign_id == campaign_id, Sample.pairing_id.is_not(None),
        Sample.status.in_((*rules.ON_THE_WAY, SampleStatus.RECEIVED.value)))))
