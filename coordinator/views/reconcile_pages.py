"""The reconciliation pages: a campaign's reconciliations with the upload form (a platform's order export, the
ingest key it posts with, and which of its columns is which), a reconciliation's summary and rows of each kind,
applying it, and the diff's downloads. Reading follows campaign.read, uploading and applying campaign.change."""
from __future__ import annotations

import re

from flask import Blueprint, flash, redirect, render_template, request, url_for
from flask_babel import gettext as _, lazy_gettext as _l, ngettext
from flask_login import login_required
from flask_wtf.file import FileAllowed, FileField, FileRequired
from wtforms import SelectField
from wtforms.validators import DataRequired

from coordinator.domain.errors import DomainError
from coordinator.domain.reconcile_columns import FIELDS
from coordinator.edge import done, download_response, settings
from coordinator.models import ReconciliationRow
from coordinator.services import access, reconcile, reconcile_apply, reconcile_diff, reconcile_pages_data
from coordinator.views.forms import EmptyForm, SafeForm
from coordinator.views.pages import actor, redirect_with, show_errors

bp = Blueprint("reconcile_pages", __name__)

FIELD_LABELS = {"order_id": _l("Order id"), "kind": _l("Order or refund (status)"), "session_id": _l("Session"),
                "product_id": _l("Product id"), "quantity": _l("Quantity"), "amount_fen": _l("Amount paid (fen)"),
                "amount_yuan": _l("Amount paid (yuan)"), "occurred_at": _l("Order time")}
KIND_TITLES = {"matched": _l("Matched"), "missing_here": _l("Missing here"), "missing_there": _l("Missing there"),
               "different": _l("Different"), "unknown": _l("Unknown session or product"),
               "invalid": _l("Unreadable")}
KIND_NOTES = {
    "matched": _l("Stored under this key exactly as the file has it."),
    "missing_here": _l("In the file, not stored under this key: applying stores them as the key’s own."),
    "missing_there": _l("Stored under this key for this campaign, but not in the file: the platform does not "
                        "list them (an export of fewer days than the campaign lacks the others, too)."),
    "different": _l("Stored with another kind, quantity, amount, session or product; the file’s values are shown, "
                    "the stored ones beside them."),
    "unknown": _l("Not stored for this campaign, and the webhook would refuse them: the session is not this "
                  "campaign’s or is cancelled, the product is not in its lineup, or the order is another "
                  "campaign’s."),
    "invalid": _l("Rows that cannot be read, or that repeat an earlier row’s order id; the line is the sheet’s row "
                  "number."),
}
# What a summary card says; the kind's section says more (KIND_NOTES).
KIND_SHORT = {"matched": _l("Stored as the file has it."), "different": _l("Stored with other values."),
              "missing_here": _l("In the file, not stored: applying stores them."),
              "missing_there": _l("Stored, but not in the file."), "unknown": _l("The webhook would refuse them."),
              "invalid": _l("Rows that cannot be read.")}
SALE_KINDS = {"order": _l("order"), "refund": _l("refund")}
# The upload's refusal of the file's headers ends "(the file's columns: A, B, C)." (reconcile_columns.checked).
COLUMNS_IN_DETAIL = re.compile(r"\(the file's columns: (.*)\)\.$", re.S)


class UploadForm(SafeForm):
    """A platform's order export and the ingest key whose order ids it holds."""

    file = FileField(_l("The platform's order export (.xlsx or .csv)"), validators=[
        FileRequired(), FileAllowed(["xlsx", "csv"], _l("Upload a .xlsx or .csv file."))])
    ingest_key_id = SelectField(_l("Ingest key"), validators=[DataRequired()])


def problem_words(row: ReconciliationRow) -> str:
    """What is wrong with an unknown or invalid row, in the page's language."""
    if not row.problem:
        return ""
    values = dict(row.problem_values or {})
    if "message" in values:
        values["message"] = _(str(values["message"]))
    if "field" in values:
        values["field"] = str(FIELD_LABELS.get(values["field"], values["field"]))
    return _(row.problem, **values)


def _filled() -> dict[str, str]:
    """The mapping inputs as sent: field -> the file's column header."""
    return {name: request.form.get(f"map-{name}", "").strip()[:255] for name in FIELDS}


def _mapping_errors(error: DomainError) -> dict[str, str] | None:
    """The upload's refusal of the file's headers, field by field (None for any other refusal)."""
    fields = {item.field.removeprefix("mapping."): item.message for item in error.errors
              if (item.field or "").startswith("mapping.")}
    if error.status != 422 or not fields:
        return None
    return {name: (_("Choose the column of the amount, in fen or in yuan.") if "amount_yuan" in message else
                   _("Choose the file’s column for this field.")) if message.startswith("choose") else
            _("The file has no such column.") for name, message in fields.items()}


def _listing(campaign_id: int, form: UploadForm | None = None, filled: dict | None = None,
             columns: list[str] | None = None, field_errors: dict | None = None, status: int = 200):
    data = reconcile_pages_data.campaign_list(actor(), campaign_id)
    form = form or UploadForm()
    form.ingest_key_id.choices = [(k.key_id, k.name) for k in data.keys]
    chosen = form.ingest_key_id.data or (data.keys[0].key_id if data.keys else "")
    if filled is None:
        filled = next((k.mapping for k in data.keys if k.key_id == chosen), {})
    known = ", ".join(name for name in FIELDS if name != "amount_yuan")
    return render_template("reconcile/campaign.html", data=data, campaign=data.campaign, form=form, chosen=chosen,
                           filled=filled, columns=columns, field_errors=field_errors or {}, fields=FIELDS,
                           labels=FIELD_LABELS, kind_titles=KIND_TITLES, known=known, zone=settings().zone.key), status


@bp.get("/campaigns/<int:campaign_id>/reconciliations")
@login_required
def listing(campaign_id: int):
    """A campaign's reconciliations (campaign.read), and the upload form for campaign.change."""
    return _listing(campaign_id)


@bp.post("/campaigns/<int:campaign_id>/reconciliations")
@login_required
def upload(campaign_id: int):
    """Compare an uploaded export with the key's stored sales; the page of the result, or the form again."""
    access.campaign_for(actor(), "campaign.change", campaign_id)
    form = UploadForm()
    form.ingest_key_id.choices = [(k.key_id, k.name) for k in reconcile_pages_data.campaign_keys(campaign_id)]
    filled = _filled()
    if not form.validate_on_submit():
        return _listing(campaign_id, form, filled, status=422)
    key_id = form.ingest_key_id.data
    try:
        rec = reconcile.upload(actor(), settings(), campaign_id, key_id, form.file.data.filename,
                               form.file.data.read(), reconcile_pages_data.mapping_to_send(campaign_id, key_id, filled))
    except DomainError as error:
        mapping = _mapping_errors(error)
        if mapping is None:
            show_errors(form, error, {"ingest_key_id": "ingest_key_id"})
            return _listing(campaign_id, form, filled, status=error.status)
        found = COLUMNS_IN_DETAIL.search(error.detail)
        columns = [c for c in found.group(1).split(", ") if c] if found else []
        return _listing(campaign_id, form, reconcile_pages_data.mapping_for_columns(key_id, columns, filled),
                        columns, mapping, status=422)
    flash(_("Compared %(rows)d rows of %(file)s.", rows=rec.rows, file=rec.filename), "info")
    return redirect(url_for("reconcile_pages.reconciliation", reconciliation_id=rec.id))


@bp.get("/reconciliations/<int:reconciliation_id>")
@login_required
def reconciliation(reconciliation_id: int):
    """A reconciliation's summary and its rows of each kind (campaign.read); apply for campaign.change."""
    page = reconcile_pages_data.reconciliation_page(actor(), reconciliation_id)
    return render_template("reconcile/reconciliation.html", page=page, rec=page.rec, campaign=page.campaign,
                           action_form=EmptyForm(), kind_titles=KIND_TITLES, kind_notes=KIND_NOTES,
                           kind_short=KIND_SHORT, sale_kinds=SALE_KINDS, problem_words=problem_words,
                           zone=settings().zone.key)


@bp.post("/reconciliations/<int:reconciliation_id>/apply")
@login_required
def apply(reconciliation_id: int):
    """Store the missing orders as the key would have posted them, exactly once; what happened is flashed."""
    back = url_for("reconcile_pages.reconciliation", reconciliation_id=reconciliation_id)
    if not EmptyForm().validate_on_submit():
        flash(_("The page expired; reload it and try again."), "error")
        return redirect(back)
    try:
        applied = done(reconcile_apply.apply(actor(), reconciliation_id))
    except DomainError as error:
        return redirect_with(error, back)
    flash(_("Stored %(accepted)d missing orders; %(duplicates)d were stored already.",
            accepted=applied.accepted, duplicates=applied.duplicates), "info")
    if applied.refused:
        shown = "、".join(item["order_id"] for item in applied.refused[:10])
        flash(ngettext("%(num)d order was refused, as the webhook would refuse it now: %(orders)s.",
                       "%(num)d orders were refused, as the webhook would refuse them now: %(orders)s.",
                       len(applied.refused), orders=shown), "error")
    return redirect(back)


@bp.get("/reconciliations/<int:reconciliation_id>/diff.xlsx")
@login_required
def diff_xlsx(reconciliation_id: int):
    """Every order that is not matched, as the file and the coordinator have it, as a workbook."""
    return download_response(reconcile_diff.diff_xlsx(actor(), settings(), reconciliation_id))


@bp.get("/reconciliations/<int:reconciliation_id>/diff.csv")
@login_required
def diff_csv(reconciliation_id: int):
    """The same as UTF-8 CSV."""
    return download_response(reconcile_diff.diff_csv(actor(), settings(), reconciliation_id))
