"""Applying a reconciliation: the orders missing here are stored through the webhook's own exactly-once path.

They are posted as the reconciled key, in batches of at most 1000, so the key's uniqueness on order id makes a
second apply (or a webhook delivery before or after) count them as duplicates. A row the webhook would refuse by
now (its session cancelled since, its product taken off the lineup) is left out and reported; a closed campaign
takes no sales from anyone, and a revoked key posts none.
"""
from __future__ import annotations

from dataclasses import dataclass, field

from coordinator import clock
from coordinator.domain.access_facts import Actor
from coordinator.domain.errors import Conflict, InvalidInput
from coordinator.domain.events import Outcome, TalliesChanged
from coordinator.domain.reconcile import RowKind
from coordinator.extensions import db
from coordinator.domain.enums import CampaignStatus
from coordinator.models import Campaign, IngestKey, ReconciliationRow
from coordinator.schemas.sales import MAX_EVENTS, SaleEventIn
from coordinator.services import audit, ingest
from coordinator.services.reconcile import reconciliation_for, rows_of


@dataclass
class Applied:
    """What applying stored: new orders, those already stored, and rows the webhook would refuse by now."""

    accepted: int = 0
    duplicates: int = 0
    refused: list[dict] = field(default_factory=list)


def _event(row: ReconciliationRow) -> SaleEventIn:
    return SaleEventIn(id=row.order_id, kind=row.sale_kind, session_id=row.session_id, product_id=row.product_id,
                       quantity=row.quantity, amount_fen=row.amount_fen, occurred_at=row.occurred_at)


def apply(actor: Actor, reconciliation_id: int) -> Outcome[Applied]:
    """Store the reconciliation's missing-here orders as its key would have posted them, exactly once each."""
    rec = reconciliation_for(actor, reconciliation_id, "campaign.change")
    campaign = db.session.get(Campaign, rec.campaign_id)
    if campaign.status == CampaignStatus.CLOSED.value:
        raise Conflict(f"Campaign {campaign.id} is closed; it takes no more sales. Nothing was stored.")
    key = db.session.get(IngestKey, rec.ingest_key_id)
    if key.revoked_at is not None:
        raise Conflict(f"Ingest key {key.key_id} is revoked; it posts no more sales. Nothing was stored.")
    signed = ingest.SignedBy(key.id, key.secret)
    events = [_event(row) for row in rows_of(rec, RowKind.MISSING_HERE)]
    db.session.rollback()  # end the read: on SQLite the store takes the write lock itself
    result, scopes = Applied(), set()
    for start in range(0, len(events), MAX_EVENTS):
        batch = events[start:start + MAX_EVENTS]
        while batch:
            try:
                stored = ingest.store(signed, batch, batch=True)
            except InvalidInput as error:
                refused = {e.index for e in error.errors if e.index is not None}
                if not refused:
                    raise
                result.refused += [{"order_id": batch[i].id, "message": e.message}
                                   for e in error.errors if e.index is not None for i in [e.index]]
                batch = [event for i, event in enumerate(batch) if i not in refused]
                continue
            result.accepted += stored.accepted
            result.duplicates += stored.duplicates
            scopes |= stored.scopes
            break
    rec = reconciliation_for(actor, reconciliation_id, "campaign.change")
    # accepted: all this reconciliation ever stored; duplicates: as the latest apply found them.
    rec.applied_at, rec.applied_by_id = clock.now(), actor.user_id
    rec.accepted = (rec.accepted or 0) + result.accepted
    rec.duplicates = result.duplicates
    audit.record(actor, "reconciliation.apply", rec, None, {"accepted": result.accepted,
                 "duplicates": result.duplicates, "refused": len(result.refused)}, campaign_id=rec.campaign_id)
    db.session.commit()
    return Outcome(result, [TalliesChanged(frozenset(scopes))] if scopes else [])
