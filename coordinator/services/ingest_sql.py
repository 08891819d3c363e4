"""The ingest hot path's write statements, per dialect: new events inserted once each and added to the counters.

Plain SQL on the driver's cursor (see coordinator/services/ingest.py for why); the caller owns the transaction.
"""
from __future__ import annotations

import json
from datetime import datetime, timezone
from functools import lru_cache

from coordinator.domain.ingest import counter_deltas


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


# --- PostgreSQL: one statement, one round trip. The new events travel as one JSON array of arrays (psycopg
# adapts a long Python list slowly, a string at once); the insert's RETURNING feeds the counter and per-minute
# upserts (the arithmetic of domain.ingest.counter_deltas, minute in UTC), every row in key order.

_PG_STORE = """
WITH input AS (
    SELECT e->>0 AS order_id, e->>1 AS kind, (e->>2)::integer AS campaign_id, (e->>3)::integer AS session_id,
           (e->>4)::integer AS product_id, (e->>5)::integer AS county_id, (e->>6)::integer AS streamer_id,
           (e->>7)::integer AS quantity, (e->>8)::bigint AS amount_fen, (e->>9)::timestamptz AS occurred_at
    FROM jsonb_array_elements(CAST(%(events)s AS jsonb)) AS e
), ins AS (
    INSERT INTO sale_events (ingest_key_id, order_id, kind, campaign_id, session_id, product_id, county_id,
                             streamer_id, quantity, amount_fen, occurred_at, received_at)
    SELECT %(key)s, order_id, kind, campaign_id, session_id, product_id, county_id, streamer_id, quantity, amount_fen,
           occurred_at, %(now)s
    FROM input ORDER BY order_id COLLATE "C"
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
SELECT order_id FROM ins
"""


def store_postgresql(cursor, key_row_id: int, ordered: list, now: datetime) -> list[str]:
    """The same as store_sqlite in one PostgreSQL statement; the order ids inserted."""
    events = json.dumps([(order_id, event.kind, fact.campaign_id, fact.session_id, fact.product_id, fact.county_id,
                          fact.streamer_id, event.quantity, event.amount_fen, event.occurred_at.isoformat())
                         for order_id, (event, fact) in ordered])
    cursor.execute(_PG_STORE, {"key": key_row_id, "now": now, "events": events})
    return [row[0] for row in cursor.fetchall()]
