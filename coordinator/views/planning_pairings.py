"""The pairing board: streamers by products, states at a glance, reasons on tap, re-runs that keep decisions."""
from __future__ import annotations

from flask import flash, redirect, render_template, request, url_for
from flask_babel import gettext as _
from flask_login import current_user

from coordinator.domain.errors import DomainError
from coordinator.services import catalog, coverage, pairings
from coordinator.views.forms import EmptyForm
from coordinator.views.planning import bp, commissioner_required


def _flash_problem(error: DomainError) -> None:
    details = "; ".join(item.message for item in error.errors[:5])
    flash(f"{_(error.detail)} {details}".strip(), "error")


@bp.route("/campaigns/<int:campaign_id>/pairings")
@commissioner_required
def pairing_board(campaign_id: int):
    """The board of one campaign."""
    campaign, hosts, products, cells = pairings.board(campaign_id)
    counties = coverage.counties(campaign.id)
    return render_template("planning/pairings.html", campaign=campaign, streamers=hosts, products=products,
                           cells=cells, counties=counties, action_form=EmptyForm(), in_season=catalog.is_in_season_today,
                           window_start=campaign.starts_at.date())


@bp.post("/campaigns/<int:campaign_id>/pairings/run")
@commissioner_required
def run_pairing(campaign_id: int):
    """Run the engine from the board."""
    if EmptyForm().validate_on_submit():
        try:
            outcome = pairings.run(current_user, campaign_id)
        except DomainError as error:
            _flash_problem(error)
        else:
            flash(_("The engine proposed %(n)d pairings; accepted, locked and hand-made ones were kept.",
                    n=len(outcome.pairings)), "info")
            for county in outcome.uncovered:
                flash(_("No streamer for %(county)s: %(reason)s", county=county.county_name, reason=county.reason), "error")
    return redirect(url_for("plan.pairing_board", campaign_id=campaign_id))


@bp.post("/campaigns/<int:campaign_id>/pairings/add")
@commissioner_required
def add_pairing(campaign_id: int):
    """Pair a streamer and a product by hand from an empty cell."""
    if EmptyForm().validate_on_submit():
        try:
            pairings.add_manual(current_user, campaign_id, int(request.form.get("streamer_id", 0)),
                                int(request.form.get("product_id", 0)))
        except (DomainError, ValueError) as error:
            _flash_problem(error) if isinstance(error, DomainError) else flash(_("Bad request"), "error")
    return redirect(url_for("plan.pairing_board", campaign_id=campaign_id))


@bp.post("/pairings/<int:pairing_id>/<any(lock, unlock, remove):action>")
@commissioner_required
def change_pairing(pairing_id: int, action: str):
    """Lock, unlock or remove one pairing."""
    campaign_id = request.form.get("campaign_id", type=int)
    if EmptyForm().validate_on_submit():
        try:
            if action == "remove":
                pairings.remove(current_user, pairing_id)
            else:
                pairings.set_locked(current_user, pairing_id, action == "lock")
        except DomainError as error:
            _flash_problem(error)
    return redirect(url_for("plan.pairing_board", campaign_id=campaign_id) if campaign_id else url_for("main.home"))
