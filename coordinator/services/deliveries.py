"""The delivery log a channel's people read, and replays of what did not arrive."""
from __future__ import annotations

from dataclasses import dataclass
from datetime import datetime

from sqlalchemy import select, update

from coordinator import clock
from coordinator.domain.access_facts import Actor
from coordinator.domain.enums import DeliveryState
from coordinator.domain.errors import FieldError, InvalidInput, NotFound
from coordinator.extensions import db
from coordinator.models import Channel, Delivery, DeliveryAttempt
from coordinator.services import access, channels
from coordinator.services.listing import Page, paginate

SORTS = {"created_at": Delivery.created_at, "id": Delivery.id}


@dataclass
class LogRow:
    """A delivery with its attempts, oldest attempt first."""

    delivery: Delivery
    attempts: list[DeliveryAttempt]


def _filtered(actor: Actor, channel_id: int | None, state: str | None, event: str | None):
    if state is not None and state not in set(DeliveryState):
        raise InvalidInput("Unknown state.", [FieldError("pending, delivered or failed", field="state")])
    if channel_id is not None:
        channels.channel_for(actor, channel_id)  # 403/404 for a channel not the actor's
    stmt = select(Delivery).join(Channel, Channel.id == Delivery.channel_id).where(access.channels_clause(actor))
    if channel_id is not None:
        stmt = stmt.where(Delivery.channel_id == channel_id)
    if state is not None:
        stmt = stmt.where(Delivery.state == state)
    if event is not None:
        stmt = stmt.where(Delivery.event == event)
    return stmt


def log(actor: Actor, page: int, per_page: int, channel_id: int | None = None, state: str | None = None,
        event: str | None = None) -> Page:
    """Deliveries of the channels the actor sees, newest first, each with every attempt."""
    result = paginate(_filtered(actor, channel_id, state, event), page, per_page, "-created_at", SORTS,
                      Delivery.id.desc())
    ids = [row.id for row in result.items]
    attempts: dict[int, list[DeliveryAttempt]] = {i: [] for i in ids}
    if ids:
        for attempt in db.session.scalars(select(DeliveryAttempt).where(DeliveryAttempt.delivery_id.in_(ids))
                                          .order_by(DeliveryAttempt.at, DeliveryAttempt.id)):
            attempts[attempt.delivery_id].append(attempt)
    result.items = [LogRow(row, attempts[row.id]) for row in result.items]
    return result


def _requeue(ids: list[int]) -> int:
    """Make deliveries pending and due now, keeping their webhook-id so receivers can still drop repeats."""
    if not ids:
        return 0
    db.session.execute(update(Delivery).where(Delivery.id.in_(ids)).values(
        state=DeliveryState.PENDING.value, attempt_count=0, next_attempt_at=clock.now(), claimed_until=None,
        claimed_by="", delivered_at=None).execution_options(synchronize_session=False))
    return len(ids)


def replay(actor: Actor, delivery_id: int) -> Delivery:
    """Send one delivery again from the start of the retry schedule."""
    row = db.session.get(Delivery, delivery_id)
    if row is None:
        raise NotFound(f"There is no delivery {delivery_id}.")
    channels.channel_for(actor, row.channel_id, "channel.change")
    _requeue([row.id])
    db.session.commit()
    db.session.refresh(row)
    return row


def replay_failed(actor: Actor, since: datetime, channel_id: int | None = None) -> int:
    """Send again every failed delivery made since a time, of one channel or of all the actor may change."""
    if channel_id is not None:
        channels.channel_for(actor, channel_id, "channel.change")
    stmt = _filtered(actor, channel_id, DeliveryState.FAILED.value, None).where(Delivery.created_at >= since)
    rows = db.session.scalars(stmt).all()
    facts: dict[int, bool] = {}
    for row in rows:
        if row.channel_id not in facts:
            channel = db.session.get(Channel, row.channel_id)
            facts[row.channel_id] = access.allowed(actor, "channel.change", access.channel_facts(actor, channel))
    count = _requeue([row.id for row in rows if facts[row.channel_id]])
    db.session.commit()
    return count
