"""Samples as spreadsheets on the planning pages: the shipping import (upload, preview every bad row, then ship the
valid rows or nothing), the sheet a county office fills in, and the board's export."""
from __future__ import annotations

from flask import current_app, flash, redirect, render_template, url_for
from flask_babel import gettext as _, ngettext
from flask_login import login_required

from coordinator.domain.errors import DomainError
from coordinator.edge import done, download_response, settings
from coordinator.services import sample_shipments
from coordinator.services import sample_export as board_export  # the page below is named sample_export
from coordinator.views.pages import actor, redirect_with, show_errors
from coordinator.views.planning import bp
from coordinator.views.planning_forms import ConfirmImportForm, ImportForm

# The samples board's endpoint (written beside this module); until it exists the campaign page stands in.
BOARDS = ("plan.sample_board", "plan.samples_board")


def _board(campaign_id: int) -> str:
    """The samples board, or the campaign page where there is none."""
    found = next((name for name in BOARDS if name in current_app.view_functions), "plan.campaign")
    return url_for(found, campaign_id=campaign_id)


@bp.route("/campaigns/<int:campaign_id>/samples/import", methods=["GET", "POST"])
@login_required
def sample_import(campaign_id: int):
    """Upload a shipping sheet and see every row that cannot be shipped before anything is stored."""
    campaign = sample_shipments.may_import(actor(), campaign_id)
    form = ImportForm()
    report, upload_id = None, None
    if form.validate_on_submit():
        upload = form.file.data
        try:
            report, upload_id = sample_shipments.stage(actor(), settings(), campaign_id, upload.filename, upload.read())
        except DomainError as error:
            show_errors(form, error)
    return render_template("samples/import.html", form=form, campaign=campaign, report=report, upload_id=upload_id,
                           confirm_form=ConfirmImportForm(), board_url=_board(campaign_id))


@bp.post("/campaigns/<int:campaign_id>/samples/import/confirm")
@login_required
def sample_import_confirm(campaign_id: int):
    """Ship the previewed sheet's samples: its valid rows, or nothing unless every row is valid."""
    form = ConfirmImportForm()
    again = url_for("plan.sample_import", campaign_id=campaign_id)
    if not form.validate_on_submit():
        sample_shipments.may_import(actor(), campaign_id)
        flash(_("That upload has expired; please choose the file again."), "error")
        return redirect(again)
    try:
        report = done(sample_shipments.confirm_staged(actor(), settings(), campaign_id, form.upload_id.data,
                                                      all_or_nothing=form.mode.data == "all_or_nothing"))
    except DomainError as error:
        return redirect_with(error, again)
    if report.imported:
        flash(ngettext("Shipped %(num)d sample; its host is told.", "Shipped %(num)d samples; their hosts are told.",
                       report.imported), "info")
    else:
        flash(ngettext("Nothing was shipped: %(num)d row has errors.", "Nothing was shipped: %(num)d rows have errors.",
                       len(report.bad_rows)), "error")
        return redirect(again)
    return redirect(_board(campaign_id))


@bp.get("/campaigns/<int:campaign_id>/samples/import/template.csv")
@login_required
def sample_import_template(campaign_id: int):
    """The shipping sheet to fill in: the campaign's approved samples one may ship, carrier and number blank."""
    return download_response(board_export.shipping_template(actor(), settings(), campaign_id))


@bp.get("/campaigns/<int:campaign_id>/samples.<any(xlsx, csv):fmt>")
@login_required
def sample_export(campaign_id: int, fmt: str):
    """Download the samples board (a partner their counties' rows)."""
    make = board_export.board_xlsx if fmt == "xlsx" else board_export.board_csv
    return download_response(make(actor(), settings(), campaign_id))
