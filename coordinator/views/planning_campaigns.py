"""Pages for campaigns: create, edit, the campaign page with enrolments, coverage, audit, team and exports."""
from __future__ import annotations

from flask import flash, redirect, render_template, request, url_for
from flask_babel import gettext as _
from flask_login import login_required

from coordinator.domain.enums import CampaignStatus
from coordinator.domain.errors import DomainError
from coordinator.domain.lifecycle import ALLOWED
from coordinator.edge import done, download_response, settings
from coordinator.services import campaign_page, campaigns, catalog, enrolment, exports, teams
from coordinator.views.forms import EmptyForm
from coordinator.views.pages import actor, as_local, local_to_utc, redirect_with, show_errors, yuan_to_fen
from coordinator.views.planning import bp
from coordinator.views.planning_forms import CampaignForm, EnrolForm, MemberForm

# Forward steps first, the irreversible close last.
STATUS_BUTTON_ORDER = ("published", "live", "draft", "closed")


def _campaign_data(form: CampaignForm) -> dict:
    return {
        "name": form.name.data.strip(), "starts_at": local_to_utc(form.starts_at.data),
        "ends_at": local_to_utc(form.ends_at.data), "description": (form.description.data or "").strip(),
        "min_agri_products_per_session": form.min_agri_products_per_session.data,
        "max_products_per_session": form.max_products_per_session.data, "target_net_fen": yuan_to_fen(form.target_yuan.data),
    }


@bp.route("/campaigns/new", methods=["GET", "POST"])
@bp.route("/campaigns/<int:campaign_id>/edit", methods=["GET", "POST"])
@login_required
def campaign_form(campaign_id: int | None = None):
    """Create a campaign or change its window and rules."""
    campaign = campaigns.changeable(actor(), campaign_id) if campaign_id else None
    if campaign is None:
        campaigns.may_create(actor())
    form = CampaignForm(obj=campaign)
    if request.method == "GET" and campaign is not None:
        form.starts_at.data, form.ends_at.data = as_local(campaign.starts_at), as_local(campaign.ends_at)
        form.target_yuan.data = campaign.target_net_fen / 100 if campaign.target_net_fen is not None else None
    if form.validate_on_submit():
        try:
            if campaign is None:
                campaign = campaigns.create_campaign(actor(), _campaign_data(form))
            else:
                campaigns.update_campaign(actor(), campaign.id, _campaign_data(form))
            return redirect(url_for("plan.campaign", campaign_id=campaign.id))
        except DomainError as error:
            show_errors(form, error, {"target_net_fen": "target_yuan"})
    return render_template("planning/campaign_form.html", form=form, campaign=campaign)


@bp.route("/campaigns/<int:campaign_id>")
@login_required
def campaign(campaign_id: int):
    """Everything about one campaign the commissioner may see, on one page."""
    page = campaign_page.campaign_page(actor(), campaign_id)
    product_form, host_form, member_form = EnrolForm(prefix="product"), EnrolForm(prefix="streamer"), MemberForm()
    product_form.item_id.choices = [(p.id, f"{p.name} ({p.sku})") for p in page.product_choices]
    host_form.item_id.choices = [(s.id, f"{s.display_name} @{s.handle}") for s in page.streamer_choices]
    if page.may_manage_team:
        member_form.user_id.choices = [(u.id, u.username) for u in teams.commissioner_choices(actor(), campaign_id)]
    current = CampaignStatus(page.campaign.status)
    return render_template(
        "planning/campaign.html", page=page, campaign=page.campaign, product_form=product_form,
        streamer_form=host_form, member_form=member_form, action_form=EmptyForm(),
        next_statuses=[s for s in STATUS_BUTTON_ORDER if CampaignStatus(s) in ALLOWED[current]] if page.may_change else [],
        in_season=catalog.is_in_season_today, window_start=page.campaign.starts_at.date())


def _back(campaign_id: int) -> str:
    return url_for("plan.campaign", campaign_id=campaign_id)


@bp.post("/campaigns/<int:campaign_id>/enrol/<any(product, streamer):kind>")
@login_required
def enrol(campaign_id: int, kind: str):
    """Enrol a product or streamer picked from the campaign page."""
    form = EnrolForm(prefix=kind)
    form.item_id.choices = [(form.item_id.data, "")] if form.item_id.data else []
    if form.validate_on_submit():
        try:
            (enrolment.enrol_product if kind == "product" else enrolment.enrol_streamer)(
                actor(), campaign_id, form.item_id.data)
        except DomainError as error:
            return redirect_with(error, _back(campaign_id))
    return redirect(_back(campaign_id))


@bp.post("/campaigns/<int:campaign_id>/unenrol/<any(product, streamer):kind>/<int:item_id>")
@login_required
def unenrol(campaign_id: int, kind: str, item_id: int):
    """Take a product or streamer out of the campaign."""
    if EmptyForm().validate_on_submit():
        try:
            done((enrolment.unenrol_product if kind == "product" else enrolment.unenrol_streamer)(
                actor(), campaign_id, item_id))
        except DomainError as error:
            return redirect_with(error, _back(campaign_id))
    return redirect(_back(campaign_id))


@bp.post("/campaigns/<int:campaign_id>/status")
@login_required
def campaign_status(campaign_id: int):
    """Move the campaign along its lifecycle."""
    target = request.form.get("status", "")
    if EmptyForm().validate_on_submit() and target in {s.value for s in CampaignStatus}:
        try:
            done(campaigns.transition(actor(), settings(), campaign_id, target))
        except DomainError as error:
            return redirect_with(error, _back(campaign_id))
    return redirect(_back(campaign_id))


@bp.post("/campaigns/<int:campaign_id>/members")
@login_required
def add_member(campaign_id: int):
    """The owner puts a commissioner on the team as editor or viewer."""
    form = MemberForm()
    form.user_id.choices = [(form.user_id.data, "")] if form.user_id.data else []
    if form.validate_on_submit():
        try:
            member = done(teams.add_member(actor(), campaign_id, form.user_id.data, form.role.data))
        except DomainError as error:
            return redirect_with(error, _back(campaign_id) + "#team")
        flash(_("%(name)s is on the team now.", name=member.username), "info")
    return redirect(_back(campaign_id) + "#team")


@bp.post("/campaigns/<int:campaign_id>/members/<int:user_id>/remove")
@login_required
def remove_member(campaign_id: int, user_id: int):
    """The owner takes an editor or viewer off the team."""
    if EmptyForm().validate_on_submit():
        try:
            done(teams.remove_member(actor(), campaign_id, user_id))
        except DomainError as error:
            return redirect_with(error, _back(campaign_id) + "#team")
        flash(_("Taken off the team: their open pages of this campaign stop following it."), "info")
    return redirect(_back(campaign_id) + "#team")


@bp.get("/campaigns/<int:campaign_id>/export.<any(xlsx, csv):fmt>")
@login_required
def campaign_export(campaign_id: int, fmt: str):
    """Download the campaign plan."""
    if fmt == "xlsx":
        return download_response(exports.plan_xlsx(actor(), settings(), campaign_id))
    return download_response(exports.plan_csv(actor(), settings(), campaign_id, request.args.get("sheet", "products")))
