"""Reconciliation against the platform's own order export (CONTRACT section 8).

POST /campaigns/{id}/reconciliations takes multipart `file` (CSV or XLSX), `ingest_key_id` (the KEY_ID whose
order ids it holds) and, when its headers are not known ones, `mapping`: a JSON object of field -> the file's
column header (fields order_id, kind, session_id, product_id, quantity, amount_fen or amount_yuan, occurred_at).
The mapping used is remembered for the key. Uploading and applying follow campaign.change, reading campaign.read.
"""
from __future__ import annotations

import json

from flask import request
from spectree import Response

from coordinator.api import bp
from coordinator.api.auth import actor
from coordinator.api.files import CSV, XLSX, FileResponse
from coordinator.api.reconcile_schemas import (
    ALL_KINDS, AppliedOut, ReconciliationList, ReconciliationOut, ReconciliationRowsOut, RowsQuery,
)
from coordinator.api.spec import api_spec
from coordinator.domain.errors import FieldError, InvalidInput, MalformedInput
from coordinator.domain.reconcile import RowKind
from coordinator.edge import done, download_response, settings
from coordinator.models import Reconciliation, ReconciliationRow
from coordinator.services import reconcile, reconcile_apply, reconcile_diff


def reconciliation_body(rec: Reconciliation) -> dict:
    """A reconciliation's summary as JSON."""
    return {"id": rec.id, "campaign_id": rec.campaign_id, "ingest_key_id": reconcile.key_id_of(rec), "filename": rec.filename,
            "created_at": rec.created_at.isoformat(), "mapping": rec.mapping,
            "summary": {name: getattr(rec, name) for name in ("rows", *ALL_KINDS)},
            "applied_at": rec.applied_at.isoformat() if rec.applied_at else None, "accepted": rec.accepted,
            "duplicates": rec.duplicates}


def _row(row: ReconciliationRow) -> dict:
    return {"line": row.line, "order_id": row.order_id, "kind": row.sale_kind, "session_id": row.session_id,
            "product_id": row.product_id, "quantity": row.quantity, "amount_fen": row.amount_fen,
            "occurred_at": row.occurred_at.isoformat() if row.occurred_at else None, "stored": row.stored,
            "problem": reconcile_diff.problem_text(row) or None}


def _mapping_field() -> dict[str, str] | None:
    text = request.form.get("mapping")
    if not text:
        return None
    try:
        mapping = json.loads(text)
    except ValueError:
        mapping = None
    if not isinstance(mapping, dict) or not all(isinstance(v, str) for v in mapping.values()):
        raise InvalidInput("mapping must be a JSON object of field -> column header.",
                           [FieldError("a JSON object of strings", field="mapping")])
    return mapping


@bp.post("/campaigns/<int:campaign_id>/reconciliations")
@api_spec.validate(resp=Response(HTTP_201=ReconciliationOut), tags=["reconciliation"])
def upload_reconciliation(campaign_id: int):
    """Compare a platform's order export with the key's stored sales of the campaign (see the module)."""
    who = actor()
    upload = request.files.get("file")
    if upload is None or not upload.filename:
        raise MalformedInput("Send the platform's export as a multipart/form-data field named 'file'.")
    rec = reconcile.upload(who, settings(), campaign_id, request.form.get("ingest_key_id", ""), upload.filename,
                           upload.read(), _mapping_field())
    return reconciliation_body(rec), 201


@bp.get("/campaigns/<int:campaign_id>/reconciliations")
@api_spec.validate(resp=Response(HTTP_200=ReconciliationList), tags=["reconciliation"])
def list_reconciliations(campaign_id: int):
    """A campaign's reconciliations, newest first."""
    return {"reconciliations": [reconciliation_body(r) for r in reconcile.campaign_reconciliations(actor(),
                                                                                                     campaign_id)]}


@bp.get("/reconciliations/<int:reconciliation_id>")
@api_spec.validate(resp=Response(HTTP_200=ReconciliationRowsOut), tags=["reconciliation"])
def get_reconciliation(reconciliation_id: int, query: RowsQuery):
    """A reconciliation and its rows of each kind (`kind` for one of them; `limit` and `offset` page each)."""
    rec = reconcile.reconciliation_for(actor(), reconciliation_id)
    kinds = [query.kind] if query.kind else list(ALL_KINDS)
    rows = {kind: [_row(r) for r in reconcile.rows_of(rec, RowKind(kind), query.limit, query.offset)]
            for kind in kinds}
    return {**reconciliation_body(rec), "rows": rows}


@bp.post("/reconciliations/<int:reconciliation_id>/apply")
@api_spec.validate(resp=Response(HTTP_200=AppliedOut), tags=["reconciliation"])
def apply_reconciliation(reconciliation_id: int):
    """Store the orders missing here as the key would have posted them: exactly once, however often applied."""
    applied = done(reconcile_apply.apply(actor(), reconciliation_id))
    return {"accepted": applied.accepted, "duplicates": applied.duplicates, "refused": applied.refused}


@bp.get("/reconciliations/<int:reconciliation_id>/diff.xlsx")
@api_spec.validate(resp=FileResponse(XLSX), tags=["reconciliation"])
def reconciliation_diff_xlsx(reconciliation_id: int):
    """Every order that is not matched, as the file and the coordinator have it, as a workbook."""
    return download_response(reconcile_diff.diff_xlsx(actor(), settings(), reconciliation_id))


@bp.get("/reconciliations/<int:reconciliation_id>/diff.csv")
@api_spec.validate(resp=FileResponse(CSV), tags=["reconciliation"])
def reconciliation_diff_csv(reconciliation_id: int):
    """The same as UTF-8 CSV."""
    return download_response(reconcile_diff.diff_csv(actor(), settings(), reconciliation_id))
