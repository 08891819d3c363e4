"""Storing signed sales exactly once and updating the tally counters in the same transaction.

Per post the work is: check the signature against the key's secrets (cached in the process for a couple of
seconds), then one transaction that (1) reads the sessions and lineups the events refer to and re-checks the key
against the database, (2) inserts the new events and (3) adds them to the counters, then commits. On SQLite that
is a transaction of several statements; on PostgreSQL a single statement in autocommit, which is its own
transaction and one round trip. The key is re-checked inside it, so a revoked key or an expired previous secret
stores nothing from the moment its change is committed, whatever the cache holds.

The statements are plain SQL built once per dialect: SQLAlchemy cannot cache the compiled form of the dialects'
INSERT … ON CONFLICT constructs, and compiling them anew cost about 1 ms per post.
"""
from __future__ import annotations

import threading
import time
from dataclasses import dataclass
from datetime import datetime

from sqlalchemy import select

from coordinator import clock
from coordinator.domain.enums import CampaignStatus, SessionStatus
from coordinator.domain.errors import Conflict, FieldError, InvalidInput, NotAuthenticated
from coordinator.domain.ingest import SaleFacts, signature_matches, timestamp_problem
from coordinator.extensions import db
from coordinator.models import IngestKey
from coordinator.schemas.sales import SaleEventIn
from coordinator.services.ingest_sql import read_facts_sqlite, store_postgresql, store_sqlite

# How long a process trusts its copy of a key's secrets before reading them again. The copy only decides
# whether a body is worth parsing: the transaction that stores the events re-checks the key in the database.
KEY_CACHE_S = 2.0


@dataclass
class IngestResult:
    """What a post stored, and which tally scopes changed."""

    accepted: int
    duplicates: int
    scopes: set[tuple[str, int]]


@dataclass(frozen=True)
class SignedBy:
    """The ingest key (row id) and the secret whose HMAC matched the body."""

    key_row_id: int
    secret: str


@dataclass(frozen=True)
class _Key:
    row_id: int
    secret: str
    previous_secret: str | None
    previous_valid_until: datetime | None
    revoked: bool
    loaded_at: float

    def secrets(self, now: datetime) -> list[str]:
        if self.revoked:
            return []
        valid = [self.secret]
        if self.previous_secret and self.previous_valid_until and self.previous_valid_until > now:
            valid.append(self.previous_secret)
        return valid


_keys: dict[str, _Key] = {}
_keys_lock = threading.Lock()


def forget_keys() -> None:
    """Drop the process's copies of ingest keys (the next post of each key reads it again)."""
    with _keys_lock:
        _keys.clear()


def _load_key(key_id: str) -> _Key | None:
    table = IngestKey.__table__.c
    try:
        row = db.session.execute(select(table.id, table.secret, table.previous_secret, table.previous_valid_until,
                                        table.revoked_at).where(table.key_id == key_id)).one_or_none()
    finally:
        # End this read at once: on SQLite a POST's transaction holds the write lock (BEGIN IMMEDIATE).
        db.session.rollback()
    if row is None:
        with _keys_lock:
            _keys.pop(key_id, None)
        return None
    key = _Key(row.id, row.secret, row.previous_secret, row.previous_valid_until, row.revoked_at is not None,
               time.monotonic())
    with _keys_lock:
        _keys[key_id] = key
    return key


def authenticate(key_id: str | None, timestamp: str | None, signature: str | None, body: bytes) -> SignedBy:
    """Which key and secret signed the body, when the headers prove it came from the key's holder; else 401."""
    if not key_id:
        raise NotAuthenticated("X-Coordinator-Key is missing.")
    now = clock.now()
    problem = timestamp_problem(timestamp, now)
    if problem:
        raise NotAuthenticated(problem + ".")
    stamp = timestamp.strip()
    key = _keys.get(key_id)
    cached = key is not None and time.monotonic() - key.loaded_at < KEY_CACHE_S
    if not cached:
        key = _load_key(key_id)
    for attempt in range(2):
        if key is None or key.revoked:
            raise NotAuthenticated("The ingest key is unknown or revoked.")
        for secret in key.secrets(now):
            if signature_matches(signature, [secret], stamp, body):
                return SignedBy(key.row_id, secret)
        if not cached or attempt:
            break
        key = _load_key(key_id)  # the copy may predate a rotation: read the key once more before refusing
    raise NotAuthenticated("X-Coordinator-Signature does not match the body.")


def store(signed: SignedBy, events: list[SaleEventIn], batch: bool) -> IngestResult:
    """Insert the new events once each, add them to the counters, commit; duplicates change nothing."""
    now = clock.now()
    engine = db.engine
    # The driver's connection itself, from the engine's pool: this is the hot path of the webhook, and
    # SQLAlchemy's statement machinery cost more than the database work for a single event.
    connection = engine.raw_connection()
    try:
        if engine.dialect.name == "sqlite":
            facts, inserted = _store_sqlite(connection, signed, events, batch, now)
        else:
            facts, inserted = _store_postgresql(connection, signed, events, batch, now)
    finally:
        connection.close()  # back to the pool
    first = {}
    for event, fact in zip(events, facts):
        first.setdefault(event.id, fact)  # an id twice in one batch counts once, as its first occurrence
    scopes = set()
    for order_id in inserted:
        scopes.add(("campaign", first[order_id].campaign_id))
        scopes.add(("session", first[order_id].session_id))
    return IngestResult(len(inserted), len(events) - len(inserted), scopes)


def _store_sqlite(connection, signed: SignedBy, events: list[SaleEventIn], batch: bool,
                  now: datetime) -> tuple[list[SaleFacts], list[str]]:
    """Read, check and write in one transaction that holds the write lock from its start."""
    try:
        cursor = connection.cursor()
        cursor.execute("BEGIN IMMEDIATE")  # the write lock up front, as coordinator.database does for writes
        rows = read_facts_sqlite(cursor, signed.key_row_id, signed.secret, sorted({e.session_id for e in events}), now)
        facts = check_events(rows, events, batch)
        first: dict[str, tuple[SaleEventIn, SaleFacts]] = {}
        for event, fact in zip(events, facts):
            first.setdefault(event.id, (event, fact))
        # In order-id order, so two overlapping batches take their locks in the same order.
        inserted = store_sqlite(cursor, signed.key_row_id, sorted(first.items()), now)
        cursor.close()
        connection.commit()
    except BaseException:
        connection.rollback()
        raise
    return facts, inserted


def _store_postgresql(connection, signed: SignedBy, events: list[SaleEventIn], batch: bool,
                      now: datetime) -> tuple[list[SaleFacts], list[str]]:
    """One statement in autocommit: no BEGIN and COMMIT round trips, and the statement is its own transaction."""
    driver = connection.driver_connection
    driver.rollback()  # no round trip when idle, as a pooled connection is; ends a configured pre-ping's transaction
    driver.autocommit = True
    try:
        with driver.cursor() as cursor:
            outcome = store_postgresql(cursor, signed.key_row_id, signed.secret, events, now)
    finally:
        try:
            driver.autocommit = False
        except Exception:  # noqa: BLE001 - a connection lost mid-statement cannot be switched back; drop it
            connection.invalidate()
    facts = check_events(outcome.facts, events, batch)  # raises on any problem; the statement stored nothing then
    if not outcome.stored:
        # The statement's checks and check_events disagree: a bug. Never acknowledge events that were not stored.
        raise RuntimeError("the ingest statement stored nothing for a body that passes every check")
    return facts, outcome.inserted


def check_events(rows: list[tuple], events: list[SaleEventIn], batch: bool) -> list[SaleFacts]:
    """Each event's facts from the fact rows read with the key; any problem rejects the whole body."""
    if not rows:
        forget_keys()  # revoked or rotated meanwhile: no process-local copy may outlive that
        raise NotAuthenticated("The ingest key is unknown or revoked, or its secret was replaced.")
    sessions = {row[0]: row[1:5] for row in rows if row[0] is not None}
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
