"""Spreadsheet import pages: upload, preview every bad row, then import valid rows or nothing."""
from __future__ import annotations

from flask import flash, redirect, render_template, url_for
from flask_babel import gettext as _
from flask_login import login_required

from coordinator.domain.errors import DomainError
from coordinator.edge import settings
from coordinator.services import imports
from coordinator.views.pages import actor, redirect_with, show_errors
from coordinator.views.planning import bp
from coordinator.views.planning_forms import ConfirmImportForm, ImportForm


@bp.route("/import/<any(products, streamers):kind>", methods=["GET", "POST"])
@login_required
def import_sheet(kind: str):
    """Upload a spreadsheet and see what it holds before anything is stored."""
    form = ImportForm()
    report, upload_id = None, None
    if form.validate_on_submit():
        upload = form.file.data
        try:
            report, upload_id = imports.stage(actor(), settings(), kind, upload.filename, upload.read())
        except DomainError as error:
            show_errors(form, error)
    else:
        imports.may_import(actor(), kind)
    return render_template("planning/import.html", form=form, kind=kind, report=report, upload_id=upload_id,
                           confirm_form=ConfirmImportForm())


@bp.post("/import/<any(products, streamers):kind>/confirm")
@login_required
def confirm_import(kind: str):
    """Import the previewed file: its valid rows, or nothing unless every row is valid."""
    form = ConfirmImportForm()
    again = url_for("plan.import_sheet", kind=kind)
    if not form.validate_on_submit():
        imports.may_import(actor(), kind)
        flash(_("That upload has expired; please choose the file again."), "error")
        return redirect(again)
    try:
        report = imports.confirm_staged(actor(), settings(), kind, form.upload_id.data,
                                        all_or_nothing=form.mode.data == "all_or_nothing")
    except DomainError as error:
        return redirect_with(error, again)
    if report.imported:
        flash(_("Imported %(count)d rows.", count=report.imported), "info")
    else:
        flash(_("Nothing was imported: %(count)d rows have errors.", count=len(report.bad_rows)), "error")
    return redirect(url_for("plan.products" if kind == "products" else "plan.streamer_list"))

