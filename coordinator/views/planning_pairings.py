"""The pairing board: streamers by products, states at a glance, reasons on tap, re-runs that keep decisions."""
from __future__ import annotations

from flask import flash, redirect, render_template, request, url_for
from flask_babel import gettext as _
from flask_login import login_required

from coordinator.domain.errors import DomainError
from coordinator.edge import done, settings
from coordinator.services import catalog, coverage, pairings, sample_rows
from coordinator.views.forms import EmptyForm
from coordinator.views.pages import actor, redirect_with
from coordinator.views.planning import bp


def _board_url(campaign_id: int) -> str:
    return url_for("plan.pairing_board", campaign_id=campaign_id)


@bp.route("/campaigns/<int:campaign_id>/pairings")
@login_required
def pairing_board(campaign_id: int):
    """The board of one campaign: its team sees every pairing, a county partner their own products' columns."""
    board = pairings.board(actor(), campaign_id)
    counties = coverage.counties(actor(), campaign_id) if board.everything else []
    return render_template("planning/pairings.html", board=board, campaign=board.campaign, streamers=board.streamers,
                           products=board.products, cells=board.cells, counties=counties, action_form=EmptyForm(),
                           in_season=catalog.is_in_season_today, window_start=board.campaign.starts_at.date(),
                           late_samples=sample_rows.late_count(actor(), settings(), board.campaign, board.everything),
                           lead_days=settings().sample_lead_days)


@bp.post("/campaigns/<int:campaign_id>/pairings/run")
@login_required
def run_pairing(campaign_id: int):
    """Run the engine from the board."""
    if EmptyForm().validate_on_submit():
        try:
            outcome = done(pairings.run(actor(), settings(), campaign_id))
        except DomainError as error:
            return redirect_with(error, _board_url(campaign_id))
        flash(_("The engine proposed %(n)d pairings; accepted, locked and hand-made ones were kept.",
                n=len(outcome.pairings)), "info")
        for county in outcome.uncovered:
            flash(_("No streamer for %(county)s: %(reason)s", county=county.county_name, reason=county.reason), "error")
    return redirect(_board_url(campaign_id))


@bp.post("/campaigns/<int:campaign_id>/pairings/add")
@login_required
def add_pairing(campaign_id: int):
    """Pair a streamer and a product by hand from an empty cell."""
    if EmptyForm().validate_on_submit():
        streamer_id = request.form.get("streamer_id", type=int)
        product_id = request.form.get("product_id", type=int)
        try:
            done(pairings.add_manual(actor(), settings(), campaign_id, streamer_id or 0, product_id or 0))
        except DomainError as error:
            return redirect_with(error, _board_url(campaign_id))
    return redirect(_board_url(campaign_id))


@bp.post("/pairings/<int:pairing_id>/<any(lock, unlock, remove):action>")
@login_required
def change_pairing(pairing_id: int, action: str):
    """Lock, unlock or remove one pairing."""
    campaign_id = request.form.get("campaign_id", type=int)
    back = _board_url(campaign_id) if campaign_id else url_for("main.home")
    if EmptyForm().validate_on_submit():
        try:
            if action == "remove":
                done(pairings.remove(actor(), pairing_id))
            else:
                done(pairings.set_locked(actor(), pairing_id, action == "lock"))
        except DomainError as error:
            return redirect_with(error, back)
    return redirect(back)
