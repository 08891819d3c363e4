"""Spreadsheet import of products and streamers, and export of a campaign plan."""
from __future__ import annotations

from typing import Literal

from flask import request
from pydantic import BaseModel
from spectree import Response

from coordinator.api import bp
from coordinator.api.auth import actor
from coordinator.api.files import CSV, XLSX, FileResponse
from coordinator.api.spec import api_spec
from coordinator.domain.errors import MalformedInput
from coordinator.edge import download_response, settings
from coordinator.services import exports, imports


class ImportQuery(BaseModel):
    """How to import: preview only, and whether one bad row stops everything."""

    mode: Literal["valid_rows", "all_or_nothing"] = "all_or_nothing"
    dry_run: bool = False


class RowErrorOut(BaseModel):
    """A bad row: its number in the sheet, the column's header, what is wrong."""

    row: int
    column: str
    message: str


class ImportOut(BaseModel):
    """What the file held and what was stored."""

    kind: str
    total_rows: int
    valid_rows: int
    imported: int
    bad_rows: list[int]
    errors: list[RowErrorOut]


class CsvQuery(BaseModel):
    """Which table of the plan to export as CSV."""

    sheet: Literal["products", "streamers", "pairings", "sessions"] = "products"


def report_body(report: imports.ImportReport) -> dict:
    """An import report as JSON."""
    return {
        "kind": report.kind, "total_rows": report.total_rows, "valid_rows": len(report.valid),
        "imported": report.imported, "bad_rows": report.bad_rows,
        "errors": [{"row": e.row, "column": e.column, "message": e.text} for e in report.errors],
    }


@bp.post("/imports/<any(products, streamers):kind>")
@api_spec.validate(resp=Response(HTTP_200=ImportOut), tags=["spreadsheets"])
def import_sheet(kind: str, query: ImportQuery):
    """Upload a .xlsx or .csv as multipart field 'file'; dry_run previews, mode picks valid rows or nothing."""
    upload = request.files.get("file")
    if upload is None or not upload.filename:
        raise MalformedInput("Send the spreadsheet as a multipart/form-data field named 'file'.")
    who = actor()
    report = imports.preview(who, kind, upload.filename, upload.read())
    if not query.dry_run:
        report = imports.apply(who, report, all_or_nothing=query.mode == "all_or_nothing")
    return report_body(report)


@bp.get("/campaigns/<int:campaign_id>/export.xlsx")
@api_spec.validate(resp=FileResponse(XLSX), tags=["spreadsheets"])
def export_xlsx(campaign_id: int):
    """The campaign plan as an XLSX workbook (products, streamers, pairings, sessions), for its team."""
    return download_response(exports.plan_xlsx(actor(), settings(), campaign_id))


@bp.get("/campaigns/<int:campaign_id>/export.csv")
@api_spec.validate(resp=FileResponse(CSV), tags=["spreadsheets"])
def export_csv(campaign_id: int, query: CsvQuery):
    """One table of the campaign plan as UTF-8 CSV, for its team."""
    return download_response(exports.plan_csv(actor(), settings(), campaign_id, query.sheet))
