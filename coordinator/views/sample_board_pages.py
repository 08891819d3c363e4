"""The samples board of a campaign: samples by county with state, tracking and lateness; approve, reject, ship
and cancel one at a time or approve many; a row's fresh HTML for the board's live updates."""
from __future__ import annotations

from flask import current_app, flash, redirect, render_template, request, url_for
from flask_babel import format_datetime
from flask_babel import gettext as _, ngettext
from flask_login import login_required
from werkzeug.wrappers import Response
from wtforms import HiddenField, StringField
from wtforms.validators import Length

from coordinator.domain.carriers import CARRIERS
from coordinator.domain.enums import SampleStatus
from coordinator.domain.errors import DomainError
from coordinator.edge import done, settings
from coordinator.i18n import carrier_name, sample_status_name
from coordinator.services import sample_board, sample_rows, samples
from coordinator.services.sample_board import SampleLine
from coordinator.views.forms import EmptyForm, SafeForm
from coordinator.views.pages import actor, describe, redirect_with, safe_next
from coordinator.views.planning import bp

EXPORT, IMPORT = "plan.sample_export", "plan.sample_import"


class MoveForm(SafeForm):
    """What a move sends: a reason (reject, cancel), a carrier and tracking number (ship), the page to go back to."""

    reason = StringField(validators=[Length(max=500)])
    carrier = StringField(validators=[Length(max=40)])
    tracking_number = StringField(validators=[Length(max=40)])
    next = HiddenField()


def board_url(campaign_id: int, **filters) -> str:
    """The board of a campaign, optionally filtered (status=..., late=1)."""
    return url_for("plan.sample_board", campaign_id=campaign_id, **filters)


def _links(campaign_id: int) -> dict:
    """The export and shipping-import links, once those pages exist."""
    views = current_app.view_functions
    return {"export_xlsx": url_for(EXPORT, campaign_id=campaign_id, fmt="xlsx") if EXPORT in views else None,
            "export_csv": url_for(EXPORT, campaign_id=campaign_id, fmt="csv") if EXPORT in views else None,
            "import_url": url_for(IMPORT, campaign_id=campaign_id) if IMPORT in views else None}


def late_text(line: SampleLine) -> str:
    """The sessions a sample is late for, by title and local start time."""
    return "、".join(f"{session.title or _('Session')} {format_datetime(session.starts_at, 'MM-dd HH:mm')}"
                    for session in line.late_sessions)


def _row_context(back: str) -> dict:
    """What the row partial needs besides the row."""
    return {"action_form": EmptyForm(), "back": back, "carriers": CARRIERS, "late_text": late_text}


@bp.route("/campaigns/<int:campaign_id>/samples", endpoint="sample_board")
@login_required
def board_page(campaign_id: int):
    """The samples board (campaign.read_part): the team sees every county's samples, a partner their own."""
    status = request.args.get("status") or None
    if status not in (None, *(s.value for s in SampleStatus)):
        flash(_("There is no such sample state; all states are shown."), "error")
        status = None
    late = True if request.args.get("late") == "1" else None
    page = sample_rows.board(actor(), settings(), campaign_id, status, late)
    back = request.full_path if request.query_string else request.path
    return render_template("samples/board.html", board=page, campaign=page.campaign, status=status, late=late,
                           states=[s.value for s in SampleStatus], lead_days=settings().sample_lead_days,
                           labels={s.value: sample_status_name(s.value) for s in SampleStatus},
                           late_url=board_url(campaign_id, late=1), **_links(campaign_id), **_row_context(back))


@bp.route("/samples/<int:sample_id>/row")
@login_required
def sample_row(sample_id: int):
    """One row of the board, fresh (sample.read): the board's script swaps it in when the sample moves."""
    row = sample_rows.row(actor(), settings(), sample_id)
    back = safe_next(request.args.get("next"), board_url(row.sample.campaign_id))
    return render_template("samples/_row.html", row=row, **_row_context(back))


def _names(sample_id: int) -> dict:
    """The product and host a flash names."""
    line = sample_board.line(actor(), settings(), samples.get(actor(), sample_id))
    return {"product": line.product.name, "host": line.streamer.display_name}


def _state_word(status: str) -> str:
    """A sample state as a word inside a sentence, in the page's language."""
    return {"requested": _("requested"), "approved": _("approved"), "shipped": _("shipped"),
            "received": _("received"), "rejected": _("rejected"), "cancelled": _("cancelled")}.get(status, status)


def _refused(error: DomainError, sample_id: int, move: str, back: str) -> Response:
    """A move the state or the input does not allow goes back to the board, saying so; nothing changed."""
    if error.status == 409:
        words = {"approve": _("approved"), "ship": _("shipped"), "reject": _("rejected"), "cancel": _("cancelled")}
        line = sample_board.line(actor(), settings(), samples.get(actor(), sample_id))
        flash(_("The sample of %(product)s for %(host)s is %(state)s now, so it cannot be %(move)s. Nothing changed.",
                product=line.product.name, host=line.streamer.display_name, state=_state_word(line.sample.status),
                move=words[move]), "error")
        return redirect(back)
    if error.status == 422:
        flash(describe(error) + " " + _("Nothing changed."), "error")
        return redirect(back)
    return redirect_with(error, back)


@bp.post("/samples/<int:sample_id>/<any(approve, reject, ship, cancel):move>")
@login_required
def sample_move(sample_id: int, move: str):
    """Approve, reject (with an optional reason), ship (carrier and tracking number) or cancel one sample."""
    form = MoveForm()
    fallback = url_for("main.home")
    if not form.validate_on_submit():
        flash(_("The page expired or the reason holds characters that are not allowed; nothing changed."), "error")
        return redirect(safe_next(form.next.data, fallback))
    try:
        sample = done(samples.move(actor(), settings(), sample_id, move, form.carrier.data or "",
                                   form.tracking_number.data or "", form.reason.data or ""))
    except DomainError as error:
        return _refused(error, sample_id, move, safe_next(form.next.data, fallback))
    names = _names(sample.id)
    if move == "ship":
        flash(_("The sample of %(product)s for %(host)s is on its way: %(carrier)s %(number)s.",
                carrier=carrier_name(sample.carrier), number=sample.tracking_number, **names), "info")
    elif move == "approve":
        flash(_("The sample of %(product)s for %(host)s is approved.", **names), "info")
    elif move == "reject":
        flash(_("The sample of %(product)s for %(host)s is rejected.", **names), "info")
    else:
        flash(_("The sample of %(product)s for %(host)s is cancelled.", **names), "info")
    # A host cancelling their own goes home: the board is the commissioners'.
    home = board_url(sample.campaign_id) if actor().is_commissioner else fallback
    return redirect(safe_next(form.next.data, home))


@bp.post("/campaigns/<int:campaign_id>/samples/approve")
@login_required
def approve_samples(campaign_id: int):
    """Approve the ticked requested samples at once; one that cannot be approved approves none."""
    back = safe_next(request.form.get("next"), board_url(campaign_id))
    if not EmptyForm().validate_on_submit():
        flash(_("The page expired; reload it and try again."), "error")
        return redirect(back)
    ids = [int(value) for value in request.form.getlist("sample_ids") if value.isdigit() and len(value) < 10]
    try:
        approved = done(samples.approve_many(actor(), settings(), campaign_id, ids))
    except DomainError as error:
        return redirect_with(error, back)
    if not ids:
        flash(_("Tick the samples to approve first."), "error")
    else:
        flash(ngettext("%(num)d sample approved.", "%(num)d samples approved.", len(approved)), "info")
    return redirect(back)
