"""Storing signed sales exactly once and updating the tally counters in the same transaction."""
from __future__ import annotations

from dataclasses import dataclass
from functools import lru_cache

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


@lru_cache(maxsize=4)
def _statements(dialect: str) -> tuple:
    """The three write statements, built once per dialect so their compiled forms are reused.

    They are Core statements on the tables, executed with a list of rows: SQLAlchemy's "insertmanyvalues" then
    batches the rows into multi-row INSERTs (a .values([...]) statement would be compiled anew for every post).
    """
    insert = postgresql.insert if dialect == "postgresql" else sqlite.insert
    sales = insert(SaleEvent.__table__).on_conflict_do_nothing(index_elements=["ingest_key_id", "order_id"]).returning(
        SaleEvent.__table__.c.order_id)
    counters = insert(TallyCounter.__table__)
    added, table = counters.excluded, TallyCounter.__table__.c
    counters = counters.on_conflict_do_update(
        index_elements=["scope", "scope_id", "dimension", "dimension_id"],
        set_={"orders": table.orders + added.orders, "units": table.units + added.units,
              "gross_fen": table.gross_fen + added.gross_fen, "refunded_fen": table.refunded_fen + added.refunded_fen,
              "seq": table.seq + added.seq, "updated_at": added.updated_at})
    minutes = insert(TallyMinute.__table__)
    added, table = minutes.excluded, TallyMinute.__table__.c
    minutes = minutes.on_conflict_do_update(
        index_elements=["scope", "scope_id", "minute"],
        set_={"orders": table.orders + added.orders, "units": table.units + added.units,
              "gross_fen": table.gross_fen + added.gross_fen, "refunded_fen": table.refunded_fen + added.refunded_fen})
    return sales, counters, minutes


def _facts(events: list[SaleEventIn], batch: bool) -> list[SaleFacts]:
    """Check every event against the sessions and lineups; any problem rejects the whole body."""
    # One query for everything the events refer to: their sessions, campaigns' status and lineups with counties.
    rows = db.session.execute(
        select(LiveSession.id, LiveSession.campaign_id, LiveSession.streamer_id, LiveSession.status, Campaign.status,
               LineupItem.product_id, Product.county_id)
        .join(Campaign, Campaign.id == LiveSession.campaign_id)
        .outerjoin(LineupItem, LineupItem.session_id == LiveSession.id)
        .outerjoin(Product, Product.id == LineupItem.product_id)
        .where(LiveSession.id.in_({e.session_id for e in events}))).all()
    sessions = {row[0]: row[1:5] for row in rows}
    lineup = {(row[0], row[5]): row[6] for row in rows if row[5] is not None}
    errors, closed, facts = [], set(), []
    for index, event in enumerate(events):
        where = {"index": index} if batch else {}
        session = sessions.get(event.session_id)
        if session is None:
            errors.append(FieldError(f"no session {event.session_id}", field="session_id", **where))
            continue
        campaign_id, streamer_id, status, campaign_status = session
        if status == SessionStatus.CANCELLED.value:
            errors.append(FieldError(f"session {event.session_id} is cancelled", field="session_id", **where))
        elif (event.session_id, event.product_id) not in lineup:
            errors.append(FieldError(f"product {event.product_id} is not in session {event.session_id}'s lineup",
                                     field="product_id", **where))
        elif campaign_status == CampaignStatus.CLOSED.value:
            closed.add(campaign_id)
        else:
            facts.append(SaleFacts(event.kind, event.quantity, event.amount_fen, event.occurred_at, campaign_id,
                                   event.session_id, lineup[(event.session_id, event.product_id)], streamer_id,
                                   event.product_id))
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
    # In order-id order, so two overlapping batches take their unique-index locks in the same order and
    # cannot deadlock each other on PostgreSQL.
    rows.sort(key=lambda row: row["order_id"])
    connection = db.session.connection()
    inserted = set(connection.execute(_statements(connection.dialect.name)[0], rows).scalars())
    new_facts = [fact for order_id, (_event, fact) in first.items() if order_id in inserted]
    scopes = _add_to_counters(connection, new_facts, now)
    db.session.commit()
    return IngestResult(len(inserted), len(events) - len(inserted), scopes)


def _add_to_counters(connection, facts: list[SaleFacts], now) -> set[tuple[str, int]]:
    if not facts:
        return set()
    totals, minutes = counter_deltas(facts)
    # Rows in key order, so concurrent transactions lock them in the same order and cannot deadlock.
    counter_rows = [{"scope": s, "scope_id": i, "dimension": d, "dimension_id": di, "orders": c[0], "units": c[1],
                     "gross_fen": c[2], "refunded_fen": c[3], "seq": 1 if d == "total" else 0, "updated_at": now}
                    for (s, i, d, di), c in sorted(totals.items())]
    minute_rows = [{"scope": s, "scope_id": i, "minute": m, "orders": c[0], "units": c[1], "gross_fen": c[2],
                    "refunded_fen": c[3]} for (s, i, m), c in sorted(minutes.items())]
    _sales, counters, minutes_upsert = _statements(connection.dialect.name)
    connection.execute(counters, counter_rows)
    connection.execute(minutes_upsert, minute_rows)
    return {(s, i) for s, i, _d, _di in totals}
