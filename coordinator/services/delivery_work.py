"""The workers' side of the outbox: claim due deliveries within each robot's rate limit, record each attempt.

A claim is a lease (claimed_until): a worker killed mid-send leaves its claims to lapse and another worker, or
its own restart, sends them again under the same webhook-id. On PostgreSQL the claim locks channel rows with
SKIP LOCKED, so two workers never spend one robot's budget twice; SQLite's BEGIN IMMEDIATE serialises claims.
"""
from __future__ import annotations

from dataclasses import dataclass
from datetime import datetime, timedelta
from typing import Any

from sqlalchemy import and_, func, or_, select, update
from sqlalchemy.exc import IntegrityError

from coordinator.domain import delivery_rules as rules
from coordinator.domain.enums import DeliveryState
from coordinator.domain.settings import Settings
from coordinator.extensions import db
from coordinator.models import Channel, Delivery, DeliveryAttempt

PENDING = DeliveryState.PENDING.value


@dataclass(frozen=True)
class Job:
    """One claimed delivery with everything a sender needs, read before the claim's transaction ended."""

    delivery_id: int
    channel_id: int
    kind: str
    url: str
    address: str
    secret: str
    message_id: str
    payload: dict[str, Any]
    message: dict[str, Any]


@dataclass(frozen=True)
class Tried:
    """What one attempt came to."""

    job: Job
    at: datetime
    answer: rules.Answer
    latency_ms: int


def _due(now: datetime):
    return and_(Delivery.state == PENDING, Delivery.next_attempt_at <= now,
                or_(Delivery.claimed_until.is_(None), Delivery.claimed_until < now))


def _budget(channel: Channel, now: datetime) -> int:
    if channel.kind not in rules.RATE_LIMITS:
        return 10**6
    window = max(seconds for seconds, _limit in rules.RATE_LIMITS[channel.kind])
    recent = db.session.scalars(select(DeliveryAttempt.at).where(
        DeliveryAttempt.channel_id == channel.id, DeliveryAttempt.at > now - timedelta(seconds=window))).all()
    in_flight = db.session.scalar(select(func.count()).where(
        Delivery.channel_id == channel.id, Delivery.state == PENDING, Delivery.claimed_until >= now)) or 0
    return rules.send_budget(channel.kind, list(recent), in_flight, now)


def any_due(now: datetime) -> bool:
    """True when some delivery of an enabled channel is due (a read: an idle worker's poll takes no write lock)."""
    return db.session.scalar(select(Delivery.id).join(Channel, Channel.id == Delivery.channel_id)
                             .where(_due(now), Channel.enabled.is_(True)).limit(1)) is not None


def claim(worker: str, settings_lease: timedelta, limit: int, now: datetime) -> list[Job]:
    """Claim up to `limit` due deliveries of enabled channels, no robot beyond its vendor's limit; committed."""
    postgres = db.engine.dialect.name == "postgresql"
    # Enabled channels only: what waits behind channels switched off by hand must not crowd out everyone else's.
    channel_ids = db.session.scalars(select(Delivery.channel_id).join(Channel, Channel.id == Delivery.channel_id)
                                     .where(_due(now), Channel.enabled.is_(True)).group_by(Delivery.channel_id)
                                     .order_by(func.min(Delivery.next_attempt_at)).limit(200)).all()
    jobs: list[Job] = []
    if channel_ids:
        stmt = select(Channel).where(Channel.id.in_(channel_ids), Channel.enabled.is_(True)).order_by(Channel.id)
        # Another worker holding a channel is claiming for it: leave that channel to it this round.
        for channel in db.session.scalars(stmt.with_for_update(skip_locked=True) if postgres else stmt).all():
            room = min(_budget(channel, now), limit - len(jobs))
            if room <= 0:
                continue
            rows = select(Delivery).where(_due(now), Delivery.channel_id == channel.id).order_by(
                Delivery.next_attempt_at, Delivery.id).limit(room)
            for row in db.session.scalars(rows.with_for_update(skip_locked=True) if postgres else rows).all():
                row.claimed_by, row.claimed_until = worker, now + settings_lease
                jobs.append(Job(row.id, channel.id, channel.kind, channel.url, channel.address, channel.secret,
                                row.message_id, row.payload, row.message))
            if len(jobs) >= limit:
                break
    db.session.commit()
    return jobs


def record(outcome: Tried, settings: Settings, now: datetime) -> str:
    """Store one attempt and move its delivery on: delivered, due again later, or failed; the new state."""
    return record_all([outcome], settings, now)[0]


def record_all(outcomes: list[Tried], settings: Settings, now: datetime) -> list[str]:
    """Store the attempts that finished together in one transaction (two reads, a few writes, one commit, whatever
    their number) and move each delivery on; each one's new state ("gone" when its channel was deleted meanwhile).

    Should a channel go away between the read and the commit, the others are stored one by one instead."""
    try:
        return _record_all(outcomes, settings, now)
    except IntegrityError:
        db.session.rollback()
        if len(outcomes) == 1:
            return ["gone"]
        return [state for outcome in outcomes for state in record_all([outcome], settings, now)]


def _record_all(outcomes: list[Tried], settings: Settings, now: datetime) -> list[str]:
    rows = {row.id: row for row in db.session.scalars(select(Delivery).where(
        Delivery.id.in_({outcome.job.delivery_id for outcome in outcomes})))}
    channels = {row.id: row for row in db.session.scalars(select(Channel).where(
        Channel.id.in_({outcome.job.channel_id for outcome in outcomes})))}
    # In the order they were tried, so a channel's failing record reads as if each had been stored alone.
    states = [""] * len(outcomes)
    for n in sorted(range(len(outcomes)), key=lambda k: outcomes[k].at):
        row, channel = rows.get(outcomes[n].job.delivery_id), channels.get(outcomes[n].job.channel_id)
        states[n] = _move_on(outcomes[n], row, channel, settings, now) if row and channel else "gone"
    db.session.commit()
    return states


def _move_on(outcome: Tried, row: Delivery, channel: Channel, settings: Settings, now: datetime) -> str:
    job, answer = outcome.job, outcome.answer
    db.session.add(DeliveryAttempt(delivery_id=job.delivery_id, channel_id=job.channel_id, at=outcome.at,
                                   status_code=answer.status_code, latency_ms=outcome.latency_ms,
                                   error=answer.error[:2000], ok=answer.ok))
    row.attempt_count += 1
    row.claimed_by, row.claimed_until = "", None
    if answer.ok:
        row.state, row.delivered_at = DeliveryState.DELIVERED.value, outcome.at
        # One robot may take a hundred messages a second: its row is written only when its health changes, or
        # once a minute, not on every success.
        if channel.failing_since is not None or channel.last_success_at is None or \
                outcome.at - channel.last_success_at > timedelta(minutes=1):
            channel.failing_since, channel.last_success_at = None, outcome.at
    else:
        later = rules.next_attempt(row.attempt_count, settings.retry_schedule, now, answer.retry_after)
        if later is None:
            row.state = DeliveryState.FAILED.value
        else:
            row.next_attempt_at = later
        channel.failing_since = channel.failing_since or outcome.at
        if channel.enabled and rules.should_disable(channel.failing_since, now):
            channel.enabled, channel.disabled_at = False, now
            channel.disabled_reason = "every delivery failed for 5 days"
            # What waits for it fails too, visibly: replaying "failed since" resends it once the channel is fixed.
            db.session.execute(update(Delivery).where(Delivery.channel_id == channel.id, Delivery.state == PENDING,
                                                      Delivery.id != row.id)
                               .values(state=DeliveryState.FAILED.value, claimed_by="", claimed_until=None)
                               .execution_options(synchronize_session=False))
            row.state = DeliveryState.FAILED.value
    return row.state


def release(worker: str) -> None:
    """Hand back a stopping worker's claims at once (a killed worker's lapse by themselves)."""
    db.session.execute(update(Delivery).where(Delivery.claimed_by == worker, Delivery.state == PENDING)
                       .values(claimed_by="", claimed_until=None).execution_options(synchronize_session=False))
    db.session.commit()
