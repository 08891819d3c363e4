"""The pairing board: streamers by products, states at a glance, reasons on tap, re-runs that keep decisions."""
from __future__ import annotations

import re

from flask import flash, redirect, render_template, request, url_for
from flask_babel import gettext as _
from flask_login import login_required

from coordinator.domain.board_view import BoardQuery
from coordinator.domain.errors import DomainError
from coordinator.edge import done, settings
from coordinator.services import catalog, coverage, pairing_board as boards, pairings, sample_rows
from coordinator.views.forms import EmptyForm
from coordinator.views.pages import actor, redirect_with
from coordinator.views.planning import bp


def _board_url(campaign_id: int, view: BoardQuery | None = None, anchor: str | None = None) -> str:
    """The board, in the view (pages, filters, search) a form was sent from."""
    return url_for("plan.pairing_board", campaign_id=campaign_id, _anchor=anchor, **(view or BoardQuery()).args())


def _labels() -> dict[str, str]:
    """The pairing states as the board names them."""
    return {"proposed": _("Proposed"), "accepted": _("Accepted"), "declined": _("Declined"), "locked": _("Locked")}


def _detail(campaign_id: int, view: BoardQuery, opened: int) -> dict:
    """What the opened cell's panel needs, on the board and alone (the board script shows it in a dialog)."""
    cell = boards.cell(actor(), campaign_id, opened)
    return {"cell": cell, "view": view.args(), "labels": _labels(),
            "close_url": _board_url(campaign_id, view, f"at-{opened}"),
            "campaign_id": campaign_id}


@bp.route("/campaigns/<int:campaign_id>/pairings")
@login_required
def pairing_board(campaign_id: int):
    """One page of the board; its team sees every pairing, a county partner their own products' columns.
    `open=<pairing id>` adds that cell's reasons and actions; with `part=detail` only those are sent."""
    view, opened = BoardQuery.parse(request.args), request.args.get("open", type=int)
    board = boards.board(actor(), campaign_id, view)
    detail = _detail(campaign_id, view, opened) if opened else {}
    if detail and request.args.get("part") == "detail":
        return render_template("planning/_pairing_detail.html", board=board, campaign=board.campaign,
                               action_form=EmptyForm(), **detail)
    counties = coverage.counties(actor(), campaign_id) if board.everything else []
    return render_template("planning/pairings.html", board=board, campaign=board.campaign, streamers=board.streamers,
                           products=board.products, cells=board.cells, counties=counties, action_form=EmptyForm(),
                           in_season=catalog.is_in_season_today, window_start=board.campaign.starts_at.date(),
                           late_samples=sample_rows.late_count(actor(), settings(), board.campaign, board.everything),
                           lead_days=settings().sample_lead_days,
                           **({"view": view.args(), "labels": _labels()} | detail))


@bp.post("/campaigns/<int:campaign_id>/pairings/run")
@login_required
def run_pairing(campaign_id: int):
    """Run the engine from the board."""
    back = _board_url(campaign_id, BoardQuery.parse(request.form))
    if EmptyForm().validate_on_submit():
        try:
            outcome = done(pairings.run(actor(), settings(), campaign_id))
        except DomainError as error:
            return redirect_with(error, back)
        flash(_("The engine proposed %(n)d pairings; accepted, locked and hand-made ones were kept.",
                n=len(outcome.pairings)), "info")
        for county in outcome.uncovered:
            flash(_("No streamer for %(county)s: %(reason)s", county=county.county_name, reason=county.reason), "error")
    return redirect(back)


def _pair() -> tuple[int, int]:
    """The streamer and product of an empty cell: `pair=<streamer>-<product>` from the board, or the two fields."""
    streamer, _dash, product = request.form.get("pair", "").partition("-")
    if streamer.isdigit() and product.isdigit() and len(streamer) < 10 and len(product) < 10:
        return int(streamer), int(product)
    return request.form.get("streamer_id", type=int) or 0, request.form.get("product_id", type=int) or 0


@bp.post("/campaigns/<int:campaign_id>/pairings/add")
@login_required
def add_pairing(campaign_id: int):
    """Pair a streamer and a product by hand from an empty cell."""
    view = BoardQuery.parse(request.form)
    if EmptyForm().validate_on_submit():
        try:
            added = done(pairings.add_manual(actor(), settings(), campaign_id, *_pair()))
        except DomainError as error:
            return redirect_with(error, _board_url(campaign_id, view))
        return redirect(_board_url(campaign_id, view, f"at-{added.id}"))
    return redirect(_board_url(campaign_id, view))


@bp.post("/pairings/<int:pairing_id>/<any(lock, unlock, remove):action>")
@login_required
def change_pairing(pairing_id: int, action: str):
    """Lock, unlock or remove one pairing, then back to the board's view it was done from."""
    campaign_id = request.form.get("campaign_id", type=int)
    view = BoardQuery.parse(request.form)
    # After a removal the cell is empty: the script puts focus back on it by the pair's ids.
    cell = request.form.get("cell", "")
    anchor = (cell if re.fullmatch(r"at-\d{1,9}-\d{1,9}", cell) else None) if action == "remove" else f"at-{pairing_id}"
    back = _board_url(campaign_id, view, anchor) if campaign_id else url_for("main.home")
    if EmptyForm().validate_on_submit():
        try:
            if action == "remove":
                done(pairings.remove(actor(), pairing_id))
            else:
                done(pairings.set_locked(actor(), pairing_id, action == "lock"))
        except DomainError as error:
            return redirect_with(error, back)
    return redirect(back)
