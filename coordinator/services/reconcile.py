"""Reconciliations: upload a platform's order export for a campaign and an ingest key, compare, keep the result.

Comparing reads the key's stored sales of the campaign once (order id, kind, session, product, quantity,
amount), the campaign's sessions with their lineups, and the stored sales of other campaigns only for order ids
the file names that this campaign lacks. The result is stored row by row, so the page and the diff read it back
without comparing again.
"""
from __future__ import annotations

import json
from collections.abc import Iterator

from sqlalchemy import select

from coordinator import clock
from coordinator.domain.access_facts import Actor
from coordinator.domain.errors import FieldError, InvalidInput, NotFound
from coordinator.domain.reconcile import Outcome, RowKind, SessionFacts, StoredSale, compare
from coordinator.domain.reconcile_columns import FIELDS, checked, row_reader, suggested
from coordinator.domain.settings import Settings
from coordinator.extensions import db
from coordinator.models import (
    Campaign, IngestKey, IngestKeyCampaign, LineupItem, LiveSession, ReconcileMapping, Reconciliation,
    ReconciliationRow, SaleEvent,
)
from coordinator.services import access, audit
from coordinator.services.ingest_sql import sqlite_time
from coordinator.services.reconcile_files import read_export

LOOKUP_CHUNK = 900  # order ids per IN (...), under SQLite's 999 parameters of old builds
SALE_COLUMNS = (SaleEvent.id, SaleEvent.order_id, SaleEvent.kind, SaleEvent.session_id, SaleEvent.product_id,
                SaleEvent.quantity, SaleEvent.amount_fen, SaleEvent.occurred_at, SaleEvent.campaign_id)


def key_for_campaign(key_id: str, campaign_id: int) -> IngestKey:
    """The ingest key (by its KEY_ID) if it may post sales for the campaign; a 422 on ingest_key_id otherwise."""
    key = db.session.scalar(select(IngestKey).where(IngestKey.key_id == (key_id or "").strip()))
    posts_here = key is not None and (key.all_campaigns or db.session.get(IngestKeyCampaign, (key.id, campaign_id)))
    if not posts_here:
        raise InvalidInput("No ingest key with that KEY_ID posts sales for this campaign.",
                           [FieldError("an ingest key of this campaign", field="ingest_key_id")])
    return key


def key_id_of(rec: Reconciliation) -> str:
    """The KEY_ID of the ingest key whose orders a reconciliation compared."""
    return db.session.get(IngestKey, rec.ingest_key_id).key_id


def remembered_mapping(key: IngestKey) -> dict[str, str]:
    """The column mapping last used with the key's exports ({} before the first)."""
    row = db.session.get(ReconcileMapping, key.id)
    return dict(row.mapping) if row else {}


def upload(actor: Actor, settings: Settings, campaign_id: int, key_id: str, filename: str, data: bytes,
           mapping: dict[str, str] | None = None) -> Reconciliation:
    """Compare an export with what the key stored for the campaign; keep the result and remember the mapping."""
    campaign, _facts = access.campaign_for(actor, "campaign.change", campaign_id)
    key = key_for_campaign(key_id, campaign_id)
    chosen: dict[str, str] = {}

    def rows_as(header: list[str]):
        chosen.update({f: t for f, t in (mapping or {}).items() if t} or suggested(header, remembered_mapping(key)))
        return row_reader(checked(chosen, header), settings.zone)

    # Each row is read into its fields as the file is read, so the cells themselves are never all kept.
    sheet = read_export(filename, data, rows_as)
    if not chosen:  # no header: read_export has refused the file already, unless rows_as was never asked
        rows_as(sheet.header)
    parsed = [(line, values, problem) for line, (values, problem) in sheet.rows]
    del sheet
    stored = _stored(key.id, campaign_id, [values.get("order_id") for _l, values, _p in parsed])
    outcome = compare(parsed, stored, campaign_id, _sessions(campaign_id))
    del parsed, stored
    rec = _keep(actor, campaign, key, filename, chosen, outcome)
    audit.record(actor, "reconciliation.create", rec, None, {"filename": rec.filename, **outcome.summary()},
                 campaign_id=campaign_id)
    db.session.commit()
    return rec


def _stored(key_row_id: int, campaign_id: int, order_ids: list[str | None]) -> dict[str, StoredSale]:
    query = select(*SALE_COLUMNS).where(SaleEvent.ingest_key_id == key_row_id)
    stored = {row[1]: StoredSale(*row) for row in db.session.execute(query.where(SaleEvent.campaign_id == campaign_id))}
    elsewhere = sorted({order_id for order_id in order_ids if order_id and order_id not in stored})
    for start in range(0, len(elsewhere), LOOKUP_CHUNK):
        chunk = elsewhere[start:start + LOOKUP_CHUNK]
        stored.update((row[1], StoredSale(*row)) for row in db.session.execute(query.where(
            SaleEvent.order_id.in_(chunk))))
    return stored


def _sessions(campaign_id: int) -> dict[int, SessionFacts]:
    lineups: dict[int, set[int]] = {}
    rows = db.session.execute(select(LiveSession.id, LiveSession.status, LineupItem.product_id).outerjoin(
        LineupItem, LineupItem.session_id == LiveSession.id).where(LiveSession.campaign_id == campaign_id))
    statuses = {}
    for session_id, status, product_id in rows:
        statuses[session_id] = status
        lineups.setdefault(session_id, set()).update([product_id] if product_id else [])
    return {sid: SessionFacts(statuses[sid], frozenset(products)) for sid, products in lineups.items()}


def _keep(actor: Actor, campaign: Campaign, key: IngestKey, filename: str, used: dict[str, str],
          outcome: Outcome) -> Reconciliation:
    counts = outcome.summary()
    rec = Reconciliation(campaign_id=campaign.id, ingest_key_id=key.id, created_by_id=actor.user_id,
                         created_at=clock.now(), filename=(filename or "")[:255], mapping=used, **counts)
    db.session.add(rec)
    db.session.flush()
    rows = _row_dicts(rec.id, outcome)
    if db.session.get_bind().dialect.name == "postgresql":
        _copy_rows(rows)
    else:
        _insert_rows_sqlite(rows)
    remembered = db.session.get(ReconcileMapping, key.id)
    if remembered is None:
        db.session.add(ReconcileMapping(ingest_key_id=key.id, mapping=used, updated_at=clock.now()))
    elif remembered.mapping != used:
        remembered.mapping, remembered.updated_at = used, clock.now()
    return rec


def _row_dicts(rec_id: int, outcome: Outcome) -> Iterator[dict]:
    for row in outcome.rows:
        v = row.values
        yield {"reconciliation_id": rec_id, "kind": row.kind.value, "line": row.line,
               "order_id": str(v.get("order_id") or "")[:128], "sale_kind": v.get("kind"),
               "session_id": v.get("session_id"), "product_id": v.get("product_id"), "quantity": v.get("quantity"),
               "amount_fen": v.get("amount_fen"), "occurred_at": v.get("occurred_at"),
               "sale_event_id": row.event_id, "stored": row.stored, "problem": row.problem,
               "problem_values": row.problem_values}


def _copy_rows(rows: Iterator[dict]) -> None:
    """COPY the rows in on PostgreSQL, in the session's transaction: an INSERT per row cost 1 ms there."""
    from psycopg.types.json import Jsonb

    columns = [c.name for c in ReconciliationRow.__table__.columns if c.name != "id"]
    cursor = db.session.connection().connection.driver_connection.cursor()
    with cursor.copy(f"COPY reconciliation_rows ({', '.join(columns)}) FROM STDIN") as copy:
        for row in rows:
            copy.write_row([Jsonb(row[c]) if c in JSON_COLUMNS and row[c] is not None else row[c] for c in columns])


def _insert_rows_sqlite(rows: Iterator[dict]) -> None:
    """executemany on the driver's cursor, in the session's transaction: SQLAlchemy's per-row binding (JSON and
    time types) cost more than SQLite's work."""
    columns = [c.name for c in ReconciliationRow.__table__.columns if c.name != "id"]
    sql = f"INSERT INTO reconciliation_rows ({', '.join(columns)}) VALUES ({', '.join('?' * len(columns))})"

    def plain(row: dict) -> tuple:
        out = []
        for name in columns:
            value = row[name]
            if value is not None and name in JSON_COLUMNS:
                value = json.dumps(value, ensure_ascii=False)
            elif name == "occurred_at" and value is not None:
                value = sqlite_time(value)
            out.append(value)
        return tuple(out)

    cursor = db.session.connection().connection.driver_connection.cursor()
    cursor.executemany(sql, (plain(row) for row in rows))
    cursor.close()


JSON_COLUMNS = {"stored", "problem_values"}


def reconciliation_for(actor: Actor, reconciliation_id: int, action: str = "campaign.read") -> Reconciliation:
    """A reconciliation the actor may do the action to its campaign (read it; change: apply it)."""
    rec = db.session.get(Reconciliation, reconciliation_id)
    if rec is None:
        raise NotFound(f"There is no reconciliation {reconciliation_id}.")
    access.campaign_for(actor, action, rec.campaign_id)
    return rec


def rows_of(rec: Reconciliation, kind: RowKind | None = None, limit: int | None = None,
            offset: int = 0) -> list[ReconciliationRow]:
    """A reconciliation's rows (of one kind), files rows in file order, then what the file lacks."""
    query = select(ReconciliationRow).where(ReconciliationRow.reconciliation_id == rec.id)
    if kind is not None:
        query = query.where(ReconciliationRow.kind == kind.value)
    return list(db.session.scalars(query.order_by(ReconciliationRow.id).offset(offset).limit(limit)))


def campaign_reconciliations(actor: Actor, campaign_id: int) -> list[Reconciliation]:
    """A campaign's reconciliations, newest first."""
    access.campaign_for(actor, "campaign.read", campaign_id)
    return list(db.session.scalars(select(Reconciliation).where(Reconciliation.campaign_id == campaign_id).order_by(
        Reconciliation.id.desc())))


MAPPABLE = tuple(FIELDS)
