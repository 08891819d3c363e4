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

import logging
import threading
import time
from dataclasses import dataclass
from datetime import datetime

import psycopg
from sqlalchemy import select

from coordinator import clock
from coordinator.domain.errors import Conflict, InvalidInput, NotAuthenticated
from coordinator.domain.events import TalliesChanged
from coordinator.domain.ingest import SaleFacts, facts_for_events, signature_matches, timestamp_problem
from coordinator.errors import first_line
from coordinator.extensions import db
from coordinator.models import IngestKey
from coordinator.schemas.sales import SaleEventIn
from coordinator.services.ingest_sql import PostgresOutcome, read_facts_sqlite, store_postgresql, store_sqlite

# How long a process trusts its copy of a key's secrets before reading them again. The copy only decides
# whether a body is worth parsing: the transaction that stores the events re-checks the key in the database.
KEY_CACHE_S = 2.0

log = logging.getLogger(__name__)


@dataclass
class IngestResult:
    """What a post stored, and which tally scopes changed."""

    accepted: int
    duplicates: int
    scopes: set[tuple[str, int]]

    @property
    def events(self) -> list[TalliesChanged]:
        """The pushes the stored sales owe their screens."""
        return [TalliesChanged(frozenset(self.scopes))] if self.scopes else []


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
    # The driver's connection itself, from the engine's pool: this is the hot path of the webhook, and
    # SQLAlchemy's statement machinery cost more than the database work for a single event.
    if db.engine.dialect.name == "sqlite":
        facts, inserted, repeated = *_store_sqlite(signed, events, batch, now), False
    else:
        facts, inserted, repeated = _store_postgresql(signed, events, batch, now)
    first = {}
    for event, fact in zip(events, facts):
        first.setdefault(event.id, fact)  # an id twice in one batch counts once, as its first occurrence
    # After a repeat the first attempt may have stored the events and lost only its answer: push them all.
    changed = first.values() if repeated else [first[order_id] for order_id in inserted]
    scopes = {scope for fact in changed for scope in (("campaign", fact.campaign_id), ("session", fact.session_id))}
    return IngestResult(len(inserted), len(events) - len(inserted), scopes)


def _checked(rows: list[tuple], events: list[SaleEventIn], batch: bool) -> list[SaleFacts]:
    if not rows:
        forget_keys()  # revoked or rotated meanwhile: no process-local copy may outlive that
        raise NotAuthenticated("The ingest key is unknown or revoked, or its secret was replaced.")
    return facts_for_events(rows, events, batch)


def _store_sqlite(signed: SignedBy, events: list[SaleEventIn], batch: bool,
                  now: datetime) -> tuple[list[SaleFacts], list[str]]:
    """Read, check and write in one transaction that holds the write lock from its start."""
    connection = db.engine.raw_connection()
    try:
        cursor = connection.cursor()
        cursor.execute("BEGIN IMMEDIATE")  # the write lock up front, as coordinator.database does for writes
        rows = read_facts_sqlite(cursor, signed.key_row_id, signed.secret, sorted({e.session_id for e in events}), now)
        facts = _checked(rows, events, batch)
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
    finally:
        connection.close()  # back to the pool
    return facts, inserted


def _store_postgresql(signed: SignedBy, events: list[SaleEventIn], batch: bool,
                      now: datetime) -> tuple[list[SaleFacts], list[str], bool]:
    """The one statement, and once more on a new connection if the pooled one turned out to be gone."""
    for attempt in (1, 2):
        connection = db.engine.raw_connection()
        driver = connection.driver_connection
        try:
            outcome = _run_statement(connection, signed, events, now)
            break
        except psycopg.OperationalError as error:
            # Broken: the connection was lost, not refused by the server. A peer that vanished without a word (a
            # NAT's or a proxy's idle timeout) leaves nothing for the checkout's poll to see. Repeating is safe:
            # the statement is its own transaction, and ON CONFLICT counts nothing twice.
            if attempt == 2 or not driver.broken:
                raise
            log.warning("ingest connection lost, trying once more on a new one: %s", first_line(error))
            db.engine.dispose()  # its pooled neighbours went through the same NAT or proxy: replace them all
        finally:
            connection.close()  # back to the pool, or discarded if invalidated
    try:
        facts = _checked(outcome.facts, events, batch)
    except (InvalidInput, Conflict, NotAuthenticated):
        if outcome.stored:  # the statement's checks let through what facts_for_events refuses: a bug, never a 4xx
            log.error("the ingest statement stored events that the checks refuse: %s", outcome.inserted[:10])
            raise RuntimeError("ingest checks disagree: events were stored that the checks refuse") from None
        raise
    if not outcome.stored:  # the other way round: never acknowledge events that were not stored
        raise RuntimeError("ingest checks disagree: nothing was stored for a body that passes every check")
    return facts, outcome.inserted, attempt == 2


def _run_statement(connection, signed: SignedBy, events: list[SaleEventIn], now: datetime) -> PostgresOutcome:
    """The statement in autocommit: no BEGIN and COMMIT round trips, and it is its own transaction."""
    driver = connection.driver_connection
    driver.rollback()  # no round trip when idle, as a pooled connection is; ends a configured pre-ping's transaction
    driver.autocommit = True
    try:
        with driver.cursor() as cursor:
            return store_postgresql(cursor, signed.key_row_id, signed.secret, events, now)
    finally:
        try:
            driver.autocommit = False
        except Exception:  # noqa: BLE001 - a connection lost mid-statement cannot be switched back; drop it
            connection.invalidate()
