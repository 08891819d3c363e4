"""Storing signed sales exactly once and updating the tally counters in the same transaction."""
from __future__ import annotations

from dataclasses import dataclass

from sqlalchemy import select
from sqlalchemy.dialects import postgresql, sqlite

from coordinator import clock
from coordinator.domain.enums import CampaignStatus, SessionStatus
from coordinator.domain.errors import Conflict, FieldError, InvalidInput, NotAuthenticated
from coordinator.domain.ingest import SaleFacts, counter_deltas, signature_matches, timestamp_problem
from coordinator.extensions import db
from coordinator.models import Campaign, IngestKey, LineupItem, LiveSession, Product, SaleEvent, TallyCounter, TallyMinute
from coordinator.schemas.sales import SaleEventIn


@dataclass
class IngestResult:
    """What a post stored, and which tally scopes changed."""

    accepted: int
    duplicates: int
    scopes: set[tuple[str, int]]


def authenticate(key_id: str | None, timestamp: str | None, signature: str | None, body: bytes) -> int:
    """The ingest key's row id when the headers prove the body came from its holder; else 401."""
    if not key_id:
        raise NotAuthenticated("X-Coordinator-Key is missing.")
    now = clock.now()
    problem = timestamp_problem(timestamp, now)
    if problem:
        raise NotAuthenticated(problem + ".")
    key = db.session.scalar(select(IngestKey).where(IngestKey.key_id == key_id))
    if key is None or key.revoked_at is not None:
        raise NotAuthenticated("The ingest key is unknown or revoked.")
    secrets = [key.secret]
    if key.previous_secret and key.previous_valid_until and key.previous_valid_until > now:
        secrets.append(key.previous_secret)
    if not signature_matches(signature, secrets, timestamp.strip(), body):
        raise NotAuthenticated("X-Coordinator-Signature does not match the body.")
    return key.id


def _insert(model):
    return (postgresql.insert if db.engine.dialect.name == "postgresql" else sqlite.insert)(model)


def _facts(events: list[SaleEventIn], batch: bool) -> list[SaleFacts]:
    """Check every event against the sessions and lineups; any problem rejects the whole body."""
    sessions = {s.id: s for s in db.session.scalars(select(LiveSession).where(
        LiveSession.id.in_({e.session_id for e in events})))}
    campaigns = dict(db.session.execute(select(Campaign.id, Campaign.status).where(
        Campaign.id.in_({s.campaign_id for s in sessions.values()}))).all())
    lineups = set(db.session.execute(select(LineupItem.session_id, LineupItem.product_id).where(
        LineupItem.session_id.in_(sessions))).all())
    counties = dict(db.session.execute(select(Product.id, Product.county_id).where(
        Product.id.in_({e.product_id for e in events}))).all())
    errors, closed, facts = [], set(), []
    for index, event in enumerate(events):
        where = {"index": index} if batch else {}
        session = sessions.get(event.session_id)
        if session is None:
            errors.append(FieldError(f"no session {event.session_id}", field="session_id", **where))
        elif session.status == SessionStatus.CANCELLED.value:
            errors.append(FieldError(f"session {event.session_id} is cancelled", field="session_id", **where))
        elif (event.session_id, event.product_id) not in lineups:
            errors.append(FieldError(f"product {event.product_id} is not in session {event.session_id}'s lineup",
                                     field="product_id", **where))
        elif campaigns[session.campaign_id] == CampaignStatus.CLOSED.value:
            closed.add(session.campaign_id)
        else:
            facts.append(SaleFacts(event.kind, event.quantity, event.amount_fen, event.occurred_at, session.campaign_id,
                                   session.id, counties[event.product_id], session.streamer_id, event.product_id))
    if errors:
        raise InvalidInput("Some events are invalid; nothing was stored.", errors)
    if closed:
        raise Conflict(f"Campaign {', '.join(map(str, sorted(closed)))} is closed; it takes no more sales.")
    return facts


def store(key_row_id: int, events: list[SaleEventIn], batch: bool) -> IngestResult:
    """Insert the new events once each, add them to the counters, commit; duplicates change nothing."""
    facts = _facts(events, batch)
    first = {}
    for event, fact in zip(events, facts):
        first.setdefault(event.id, (event, fact))  # an id twice in one batch counts once
    now = clock.now()
    rows = [{"ingest_key_id": key_row_id, "order_id": event.id, "kind": event.kind, "campaign_id": fact.campaign_id,
             "session_id": fact.session_id, "product_id": fact.product_id, "county_id": fact.county_id,
             "streamer_id": fact.streamer_id, "quantity": event.quantity, "amount_fen": event.amount_fen,
             "occurred_at": event.occurred_at, "received_at": now} for event, fact in first.values()]
    statement = _insert(SaleEvent).values(rows).on_conflict_do_nothing(
        index_elements=["ingest_key_id", "order_id"]).returning(SaleEvent.order_id)
    inserted = set(db.session.scalars(statement))
    new_facts = [fact for order_id, (_event, fact) in first.items() if order_id in inserted]
    scopes = _add_to_counters(new_facts, now)
    db.session.commit()
    return IngestResult(len(inserted), len(events) - len(inserted), scopes)


def _add_to_counters(facts: list[SaleFacts], now) -> set[tuple[str, int]]:
    if not facts:
        return set()
    totals, minutes = counter_deltas(facts)
    # Rows in key order, so concurrent transactions lock them in the same order and cannot deadlock.
    counter_rows = [{"scope": s, "scope_id": i, "dimension": d, "dimension_id": di, "orders": c[0], "units": c[1],
                     "gross_fen": c[2], "refunded_fen": c[3], "seq": 1 if d == "total" else 0, "updated_at": now}
                    for (s, i, d, di), c in sorted(totals.items())]
    statement = _insert(TallyCounter).values(counter_rows)
    added = statement.excluded
    db.session.execute(statement.on_conflict_do_update(
        index_elements=["scope", "scope_id", "dimension", "dimension_id"],
        set_={"orders": TallyCounter.orders + added.orders, "units": TallyCounter.units + added.units,
              "gross_fen": TallyCounter.gross_fen + added.gross_fen,
              "refunded_fen": TallyCounter.refunded_fen + added.refunded_fen, "seq": TallyCounter.seq + added.seq,
              "updated_at": added.updated_at}))
    minute_rows = [{"scope": s, "scope_id": i, "minute": m, "orders": c[0], "units": c[1], "gross_fen": c[2],
                    "refunded_fen": c[3]} for (s, i, m), c in sorted(minutes.items())]
    statement = _insert(TallyMinute).values(minute_rows)
    added = statement.excluded
    db.session.execute(statement.on_conflict_do_update(
        index_elements=["scope", "scope_id", "minute"],
        set_={"orders": TallyMinute.orders + added.orders, "units": TallyMinute.units + added.units,
              "gross_fen": TallyMinute.gross_fen + added.gross_fen,
              "refunded_fen": TallyMinute.refunded_fen + added.refunded_fen}))
    return {(s, i) for s, i, _d, _di in totals}
