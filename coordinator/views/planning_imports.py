"""Spreadsheet import pages: upload, preview every bad row, then import valid rows or nothing."""
from __future__ import annotations

import secrets
from pathlib import Path

from flask import current_app, flash, redirect, render_template, url_for
from flask_babel import gettext as _
from flask_login import current_user

from coordinator.domain.errors import DomainError
from coordinator.services import imports
from coordinator.views.planning import bp, commissioner_required, show_errors
from coordinator.views.planning_forms import ConfirmImportForm, ImportForm


def _upload_dir() -> Path:
    path = Path(current_app.instance_path) / "uploads"
    path.mkdir(parents=True, exist_ok=True)
    return path


def _stored(upload_id: str, kind: str) -> list[Path]:
    # The id is 32 hex characters (checked by the form), so it cannot walk out of the folder.
    return sorted(_upload_dir().glob(f"{current_user.id}-{kind}-{upload_id}.*"))


@bp.route("/import/<any(products, streamers):kind>", methods=["GET", "POST"])
@commissioner_required
def import_sheet(kind: str):
    """Upload a spreadsheet and see what it holds before anything is stored."""
    form = ImportForm()
    report, upload_id = None, None
    if form.validate_on_submit():
        upload = form.file.data
        data = upload.read()
        try:
            report = imports.preview(current_user, kind, upload.filename, data)
        except DomainError as error:
            show_errors(form, error)
        else:
            upload_id = secrets.token_hex(16)
            suffix = ".xlsx" if upload.filename.lower().endswith(".xlsx") else ".csv"
            (_upload_dir() / f"{current_user.id}-{kind}-{upload_id}{suffix}").write_bytes(data)
    return render_template("planning/import.html", form=form, kind=kind, report=report, upload_id=upload_id,
                           confirm_form=ConfirmImportForm())


@bp.post("/import/<any(products, streamers):kind>/confirm")
@commissioner_required
def confirm_import(kind: str):
    """Import the previewed file: its valid rows, or nothing unless every row is valid."""
    form = ConfirmImportForm()
    files = _stored(form.upload_id.data or "", kind) if form.validate_on_submit() else []
    if not files:
        flash(_("That upload has expired; please choose the file again."), "error")
        return redirect(url_for("plan.import_sheet", kind=kind))
    path = files[0]
    try:
        report = imports.preview(current_user, kind, path.name, path.read_bytes())
        report = imports.apply(current_user, report, all_or_nothing=form.mode.data == "all_or_nothing")
    except DomainError as error:
        flash(error.detail, "error")
        return redirect(url_for("plan.import_sheet", kind=kind))
    path.unlink(missing_ok=True)
    if report.imported:
        flash(_("Imported %(count)d rows.", count=report.imported), "info")
    else:
        flash(_("Nothing was imported: %(count)d rows have errors.", count=len(report.bad_rows)), "error")
    return redirect(url_for("plan.products" if kind == "products" else "plan.streamer_list"))
