"""Samples as spreadsheets: a shipping import (sample or pairing, carrier, tracking number a row) and the board's
export, for a campaign."""
from __future__ import annotations

from flask import request
from spectree import Response

from coordinator.api import bp
from coordinator.api.auth import actor
from coordinator.api.files import CSV, XLSX, FileResponse
from coordinator.api.files import CSV, XLSX, FileResponse
from coordinator.api.spec import api_spec
from coordinator.api.spreadsheets import ImportOut, ImportQuery, report_body
from coordinator.domain.errors import MalformedInput
from coordinator.edge import done, download_response, settings
from coordinator.services import sample_export, sample_shipments


@bp.post("/campaigns/<int:campaign_id>/samples/shipments")
@api_spec.validate(resp=Response(HTTP_200=ImportOut), tags=["samples"])
def import_shipments(campaign_id: int, query: ImportQuery):
    """Ship approved samples from a .xlsx or .csv (multipart field 'file'): columns 样品编号 (sample_id) or
    配对编号 (pairing_id), 快递公司 (carrier), 快递单号 (tracking_number). dry_run previews; mode picks the valid
    rows or nothing unless every row is valid. Rows of samples the caller may not handle are unknown ones."""
    who = actor()
    sample_shipments.may_import(who, campaign_id)
    upload = request.files.get("file")
    if upload is None or not upload.filename:
        raise MalformedInput("Send the spreadsheet as a multipart/form-data field named 'file'.")
    report = sample_shipments.preview(who, campaign_id, upload.filename, upload.read())
    if not query.dry_run:
        report = done(sample_shipments.apply(who, settings(), campaign_id, report,
                                             all_or_nothing=query.mode == "all_or_nothing"))
    return report_body(report)


@bp.get("/campaigns/<int:campaign_id>/samples.xlsx")
@api_spec.validate(resp=FileResponse(XLSX), tags=["samples"])
def export_samples_xlsx(campaign_id: int):
    """The campaign's samples board as XLSX: the team every sample, a partner their counties'."""
    return download_response(sample_export.board_xlsx(actor(), settings(), campaign_id))


@bp.get("/campaigns/<int:campaign_id>/samples.csv")
@api_spec.validate(resp=FileResponse(CSV), tags=["samples"])
def export_samples_csv(campaign_id: int):
    """The campaign's samples board as UTF-8 CSV: the team every sample, a partner their counties'."""
    return download_response(sample_export.board_csv(actor(), settings(), campaign_id))
