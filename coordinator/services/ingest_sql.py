"""The ingest hot path's SQL, per dialect: the facts a post is checked against, and the write of the new events.

Plain SQL on the driver's cursor (see coordinator/services/ingest.py for why). On SQLite the caller owns the
transaction and runs the read and the write as separate statements; on PostgreSQL one statement does both.
"""
from __future__ import annotations

import json
from dataclasses import dataclass
from datetime import datetime, timezone
from functools import lru_cache

from coordinator.domain.enums import CampaignStatus, SessionStatus
from coordinator.domain.ingest import counter_deltas

# Everything a post needs to read: the key still valid with the secret that signed (no row at all otherwise), and
# the events' sessions, their campaigns' status and lineups with counties (NULLs when no session matches, and for
# a session of a campaign the key may not post for: to the key that is no session at all).
# Columns: session id, campaign id, streamer id, session status, campaign status, product id, county id.
_FACTS = """
SELECT s.id, s.campaign_id, s.streamer_id, s.status, c.status, l.product_id, p.county_id
FROM ingest_keys k
LEFT JOIN live_sessions s ON s.id {sessions} AND (k.all_campaigns OR EXISTS (
    SELECT 1 FROM ingest_key_campaigns kc WHERE kc.key_id = k.id AND kc.campaign_id = s.campaign_id))
LEFT JOIN campaigns c ON c.id = s.campaign_id
LEFT JOIN lineup_items l ON l.session_id = s.id
LEFT JOIN products p ON p.id = l.product_id
WHERE k.id = {key} AND k.revoked_at IS NULL
  AND (k.secret = {secret} OR (k.previous_secret = {secret} AND k.previous_valid_until > {now}))
"""
_SQLITE_FACTS = _FACTS.format(sessions="IN ({sessions})", key="?", secret="?", now="?")


# --- SQLite: a multi-row INSERT … ON CONFLICT DO NOTHING RETURNING tells which ids are new; the counter and
# per-minute upserts then run as executemany, in key order.

_SALE_COLUMNS = ("ingest_key_id, order_id, kind, campaign_id, session_id, product_id, county_id, streamer_id, "
                 "quantity, amount_fen, occurred_at, received_at")
_SQLITE_ROWS_PER_INSERT = 500  # 12 parameters a row, well under SQLite's 32,766
_SQLITE_COUNTERS = (
    "INSERT INTO tally_counters (scope, scope_id, dimension, dimension_id, orders, units, gross_fen, refunded_fen, "
    "seq, updated_at) VALUES (?, ?, ?, ?, ?, ?, ?, ?, ?, ?) ON CONFLICT (scope, scope_id, dimension, dimension_id) "
    "DO UPDATE SET orders = tally_counters.orders + excluded.orders, units = tally_counters.units + excluded.units, "
    "gross_fen = tally_counters.gross_fen + excluded.gross_fen, "
    "refunded_fen = tally_counters.refunded_fen + excluded.refunded_fen, seq = tally_counters.seq + excluded.seq, "
    "updated_at = excluded.updated_at")
_SQLITE_MINUTES = (
    "INSERT INTO tally_minutes (scope, scope_id, minute, orders, units, gross_fen, refunded_fen) "
    "VALUES (?, ?, ?, ?, ?, ?, ?) ON CONFLICT (scope, scope_id, minute) DO UPDATE SET "
    "orders = tally_minutes.orders + excluded.orders, units = tally_minutes.units + excluded.units, "
    "gross_fen = tally_minutes.gross_fen + excluded.gross_fen, "
    "refunded_fen = tally_minutes.refunded_fen + excluded.refunded_fen")


def sqlite_time(moment: datetime) -> str:
    """What UTCDateTime stores on SQLite (naive UTC text, SQLAlchemy's format), without its per-value overhead."""
    return moment.astimezone(timezone.utc).replace(tzinfo=None).isoformat(" ", "microseconds")


@lru_cache(maxsize=8)
def _sqlite_insert(rows: int) -> str:
    values = ",".join(["(?,?,?,?,?,?,?,?,?,?,?,?)"] * rows)
    return (f"INSERT INTO sale_events ({_SALE_COLUMNS}) VALUES {values} "
            "ON CONFLICT (ingest_key_id, order_id) DO NOTHING RETURNING order_id")


def read_facts_sqlite(cursor, key_row_id: int, secret: str, session_ids: list[int], now: datetime) -> list[tuple]:
    """The fact rows (see _FACTS) for these sessions, none at all when the key or its secret no longer holds."""
    cursor.execute(_SQLITE_FACTS.format(sessions=",".join("?" * len(session_ids))),
                   (*session_ids, key_row_id, secret, secret, sqlite_time(now)))
    return cursor.fetchall()


def store_sqlite(cursor, key_row_id: int, ordered: list, now: datetime) -> list[str]:
    """Insert the new events of a key (order-id order), add them to the counters; the order ids inserted."""
    received = sqlite_time(now)
    inserted: list[str] = []
    for start in range(0, len(ordered), _SQLITE_ROWS_PER_INSERT):
        chunk = ordered[start:start + _SQLITE_ROWS_PER_INSERT]
        params = []
        for order_id, (event, fact) in chunk:
            params += (key_row_id, order_id, event.kind, fact.campaign_id, fact.session_id, fact.product_id,
                       fact.county_id, fact.streamer_id, event.quantity, event.amount_fen,
                       sqlite_time(event.occurred_at), received)
        cursor.execute(_sqlite_insert(len(chunk)), params)
        inserted += [row[0] for row in cursor.fetchall()]
    if not inserted:
        return inserted
    new = set(inserted)
    totals, minutes = counter_deltas([fact for order_id, (_event, fact) in ordered if order_id in new])
    # Rows in key order, so concurrent transactions lock them in the same order.
    cursor.executemany(_SQLITE_COUNTERS, [(s, i, d, di, c[0], c[1], c[2], c[3], 1 if d == "total" else 0, received)
                                          for (s, i, d, di), c in sorted(totals.items())])
    cursor.executemany(_SQLITE_MINUTES, [(s, i, sqlite_time(m), c[0], c[1], c[2], c[3])
                                         for (s, i, m), c in sorted(minutes.items())])
    return inserted


# --- PostgreSQL: one statement, one round trip, its own transaction (the connection in autocommit). It reads the
# same facts as SQLite does, and inserts only when every event passes the checks that domain.ingest.facts_for_events
# makes in Python from those facts (session found and not cancelled, product in its lineup, campaign not closed): a
# body with any problem stores nothing, and the caller then reports the problem from the facts returned. The
# events travel as one JSON array of arrays (psycopg adapts a long Python list slowly, a string at once); the
# insert's RETURNING feeds the counter and per-minute upserts (the arithmetic of domain.ingest.counter_deltas,
# minute in UTC), every row in key order. An order id twice in one body is inserted once, its first occurrence.

_PG_STORE = """
WITH input AS (
    SELECT e.idx, (e.v->>0) COLLATE "C" AS order_id, e.v->>1 AS kind, (e.v->>2)::integer AS session_id,
           (e.v->>3)::integer AS product_id, (e.v->>4)::integer AS quantity, (e.v->>5)::bigint AS amount_fen,
           (e.v->>6)::timestamptz AS occurred_at
    FROM jsonb_array_elements(CAST(%(events)s AS jsonb)) WITH ORDINALITY AS e(v, idx)
), facts (session_id, campaign_id, streamer_id, status, campaign_status, product_id, county_id) AS (""" + \
    _FACTS.format(sessions="IN (SELECT session_id FROM input)", key="%(key)s", secret="%(secret)s", now="%(now)s") + \
    """), checked AS (
    SELECT input.*, f.campaign_id, f.streamer_id, f.county_id,
           COALESCE(f.status <> %(cancelled)s AND f.campaign_status <> %(closed)s, false) AS valid
    FROM input LEFT JOIN facts AS f ON f.session_id = input.session_id AND f.product_id = input.product_id
), verdict AS (
    SELECT COALESCE(bool_and(valid), false) AS ok FROM checked
), ins AS (
    INSERT INTO sale_events (ingest_key_id, order_id, kind, campaign_id, session_id, product_id, county_id,
                             streamer_id, quantity, amount_fen, occurred_at, received_at)
    SELECT DISTINCT ON (order_id) %(key)s, order_id, kind, campaign_id, session_id, product_id, county_id,
           streamer_id, quantity, amount_fen, occurred_at, %(now)s
    FROM checked WHERE (SELECT ok FROM verdict)
    ORDER BY order_id, idx
    ON CONFLICT (ingest_key_id, order_id) DO NOTHING
    RETURNING order_id, kind, campaign_id, session_id, product_id, county_id, streamer_id, quantity, amount_fen,
              occurred_at
), new AS (
    SELECT ins.*, date_trunc('minute', occurred_at AT TIME ZONE 'UTC') AT TIME ZONE 'UTC' AS minute,
           CASE WHEN kind = 'order' THEN 1 ELSE 0 END AS d_orders,
           CASE WHEN kind = 'order' THEN quantity ELSE -quantity END AS d_units,
           CASE WHEN kind = 'order' THEN amount_fen ELSE 0 END AS d_gross,
           CASE WHEN kind = 'order' THEN 0 ELSE amount_fen END AS d_refunded
    FROM ins
), counters AS (
    INSERT INTO tally_counters (scope, scope_id, dimension, dimension_id, orders, units, gross_fen, refunded_fen,
                                seq, updated_at)
    SELECT k.scope, k.scope_id, k.dimension, k.dimension_id, sum(d_orders), sum(d_units), sum(d_gross),
           sum(d_refunded), max(CASE WHEN k.dimension = 'total' THEN 1 ELSE 0 END), %(now)s
    FROM new CROSS JOIN LATERAL (VALUES
        ('campaign', new.campaign_id, 'total', 0), ('campaign', new.campaign_id, 'county', new.county_id),
        ('campaign', new.campaign_id, 'streamer', new.streamer_id), ('campaign', new.campaign_id, 'product', new.product_id),
        ('session', new.session_id, 'total', 0), ('session', new.session_id, 'county', new.county_id),
        ('session', new.session_id, 'streamer', new.streamer_id), ('session', new.session_id, 'product', new.product_id)
    ) AS k(scope, scope_id, dimension, dimension_id)
    GROUP BY k.scope, k.scope_id, k.dimension, k.dimension_id
    ORDER BY k.scope COLLATE "C", k.scope_id, k.dimension COLLATE "C", k.dimension_id
    ON CONFLICT (scope, scope_id, dimension, dimension_id) DO UPDATE SET
        orders = tally_counters.orders + excluded.orders, units = tally_counters.units + excluded.units,
        gross_fen = tally_counters.gross_fen + excluded.gross_fen,
        refunded_fen = tally_counters.refunded_fen + excluded.refunded_fen, seq = tally_counters.seq + excluded.seq,
        updated_at = excluded.updated_at
), minutes AS (
    INSERT INTO tally_minutes (scope, scope_id, minute, orders, units, gross_fen, refunded_fen)
    SELECT k.scope, k.scope_id, new.minute, sum(d_orders), sum(d_units), sum(d_gross), sum(d_refunded)
    FROM new CROSS JOIN LATERAL (VALUES ('campaign', new.campaign_id), ('session', new.session_id)) AS k(scope, scope_id)
    GROUP BY k.scope, k.scope_id, new.minute
    ORDER BY k.scope COLLATE "C", k.scope_id, new.minute
    ON CONFLICT (scope, scope_id, minute) DO UPDATE SET
        orders = tally_minutes.orders + excluded.orders, units = tally_minutes.units + excluded.units,
        gross_fen = tally_minutes.gross_fen + excluded.gross_fen,
        refunded_fen = tally_minutes.refunded_fen + excluded.refunded_fen
)
SELECT NULL AS order_id, f.*, (SELECT ok FROM verdict) FROM facts AS f
UNION ALL
SELECT order_id, NULL, NULL, NULL, NULL, NULL, NULL, NULL, NULL FROM ins
"""


@dataclass(frozen=True)
class PostgresOutcome:
    """What the one PostgreSQL statement read and did."""

    facts: list[tuple]  # the fact rows, as read_facts_sqlite returns them
    inserted: list[str]  # the order ids stored
    stored: bool  # whether every event passed the statement's checks (then the new ones were stored)


def store_postgresql(cursor, key_row_id: int, secret: str, events: list, now: datetime) -> PostgresOutcome:
    """Check the key and every event and, only if all pass, store the new ones, in one statement (autocommit)."""
    payload = json.dumps([(event.id, event.kind, event.session_id, event.product_id, event.quantity,
                           event.amount_fen, event.occurred_at.isoformat()) for event in events])
    cursor.execute(_PG_STORE, {"key": key_row_id, "secret": secret, "now": now, "events": payload,
                               "cancelled": SessionStatus.CANCELLED.value, "closed": CampaignStatus.CLOSED.value})
    rows = cursor.fetchall()
    fact_rows = [row for row in rows if row[0] is None]
    return PostgresOutcome([row[1:8] for row in fact_rows], [row[0] for row in rows if row[0] is not None],
                           bool(fact_rows) and bool(fact_rows[0][8]))
