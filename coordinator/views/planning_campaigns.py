"""Pages for campaigns: create, edit, the campaign page with enrolments, coverage, audit and exports."""
from __future__ import annotations

from flask import Response, abort, redirect, render_template, request, url_for
from flask_login import current_user
from sqlalchemy import select

from coordinator.domain.enums import CampaignStatus
from coordinator.domain.errors import DomainError
from coordinator.domain.lifecycle import ALLOWED
from coordinator.extensions import db
from coordinator.models import Product, Streamer, User
from coordinator.services import audit, campaigns, catalog, coverage, enrolment, exports, scope
from coordinator.views.forms import EmptyForm
from coordinator.views.planning import (
    as_local, bp, commissioner_required, local_to_utc, show_errors, yuan_to_fen,
)
from coordinator.views.planning_forms import CampaignForm, EnrolForm

# Forward steps first, the irreversible close last.
STATUS_BUTTON_ORDER = ("published", "live", "draft", "closed")
XLSX = "application/vnd.openxmlformats-officedocument.spreadsheetml.sheet"


def _campaign_data(form: CampaignForm) -> dict:
    return {
        "name": form.name.data.strip(), "starts_at": local_to_utc(form.starts_at.data),
        "ends_at": local_to_utc(form.ends_at.data), "description": (form.description.data or "").strip(),
        "min_agri_products_per_session": form.min_agri_products_per_session.data,
        "max_products_per_session": form.max_products_per_session.data, "target_net_fen": yuan_to_fen(form.target_yuan.data),
    }


@bp.route("/campaigns/new", methods=["GET", "POST"])
@bp.route("/campaigns/<int:campaign_id>/edit", methods=["GET", "POST"])
@commissioner_required
def campaign_form(campaign_id: int | None = None):
    """Create a campaign or change its window and rules."""
    campaign = campaigns.get_campaign(campaign_id) if campaign_id else None
    form = CampaignForm(obj=campaign)
    if request.method == "GET" and campaign is not None:
        form.starts_at.data, form.ends_at.data = as_local(campaign.starts_at), as_local(campaign.ends_at)
        form.target_yuan.data = campaign.target_net_fen / 100 if campaign.target_net_fen is not None else None
    if form.validate_on_submit():
        try:
            if campaign is None:
                campaign = campaigns.create_campaign(current_user, _campaign_data(form))
            else:
                campaigns.update_campaign(current_user, campaign.id, _campaign_data(form))
            return redirect(url_for("plan.campaign", campaign_id=campaign.id))
        except DomainError as error:
            db.session.rollback()
            show_errors(form, error, {"target_net_fen": "target_yuan"})
    return render_template("planning/campaign_form.html", form=form, campaign=campaign)


def _enrol_forms(campaign_id: int, products: list[Product], hosts: list[Streamer]) -> tuple[EnrolForm, EnrolForm]:
    taken_products, taken_hosts = {p.id for p in products}, {s.id for s in hosts}
    visible = scope.visible_county_ids(current_user)
    candidates = db.session.scalars(select(Product).where(Product.archived_at.is_(None)).order_by(Product.name)).all()
    product_form, host_form = EnrolForm(prefix="product"), EnrolForm(prefix="streamer")
    product_form.item_id.choices = [(p.id, f"{p.name} ({p.sku})") for p in candidates
                                    if p.id not in taken_products and (visible is None or p.county_id in visible)]
    host_form.item_id.choices = [(s.id, f"{s.display_name} @{s.handle}") for s in db.session.scalars(
        select(Streamer).where(Streamer.archived_at.is_(None)).order_by(Streamer.display_name)) if s.id not in taken_hosts]
    return product_form, host_form


@bp.route("/campaigns/<int:campaign_id>")
@commissioner_required
def campaign(campaign_id: int):
    """Everything about one campaign on one page."""
    item = campaigns.get_campaign(campaign_id)
    products, hosts = enrolment.enrolled_products(item.id), enrolment.enrolled_streamers(item.id)
    product_form, host_form = _enrol_forms(item.id, products, hosts)
    entries = audit.entries_for_campaign(item.id, limit=100)
    users = {u.id: u.username for u in db.session.scalars(select(User).where(
        User.id.in_({e.user_id for e in entries if e.user_id})))}
    county_rows = coverage.counties(item.id)
    county_names = {row.county_id: row.name for row in county_rows}
    return render_template(
        "planning/campaign.html", campaign=item, products=products, streamers=hosts, product_form=product_form,
        streamer_form=host_form, counties=county_rows, sessions=coverage.sessions(item.id),
        entries=entries, users=users, next_statuses=[s for s in STATUS_BUTTON_ORDER if CampaignStatus(s) in ALLOWED[CampaignStatus(item.status)]],
        action_form=EmptyForm(), in_season=catalog.is_in_season_today, county_names=county_names,
        window_start=item.starts_at.date(),
    )


@bp.post("/campaigns/<int:campaign_id>/enrol/<any(product, streamer):kind>")
@commissioner_required
def enrol(campaign_id: int, kind: str):
    """Enrol a product or streamer picked from the campaign page."""
    form = EnrolForm(prefix=kind)
    form.item_id.choices = [(form.item_id.data, "")] if form.item_id.data else []
    if form.validate_on_submit():
        try:
            (enrolment.enrol_product if kind == "product" else enrolment.enrol_streamer)(
                current_user, campaign_id, form.item_id.data)
        except DomainError as error:
            show_errors(form, error)
    return redirect(url_for("plan.campaign", campaign_id=campaign_id))


@bp.post("/campaigns/<int:campaign_id>/unenrol/<any(product, streamer):kind>/<int:item_id>")
@commissioner_required
def unenrol(campaign_id: int, kind: str, item_id: int):
    """Take a product or streamer out of the campaign."""
    if EmptyForm().validate_on_submit():
        try:
            (enrolment.unenrol_product if kind == "product" else enrolment.unenrol_streamer)(
                current_user, campaign_id, item_id)
        except DomainError as error:
            show_errors(EmptyForm(), error)
    return redirect(url_for("plan.campaign", campaign_id=campaign_id))


@bp.post("/campaigns/<int:campaign_id>/status")
@commissioner_required
def campaign_status(campaign_id: int):
    """Move the campaign along its lifecycle."""
    target = request.form.get("status", "")
    if EmptyForm().validate_on_submit() and target in {s.value for s in CampaignStatus}:
        try:
            campaigns.transition(current_user, campaign_id, target)
        except DomainError as error:
            show_errors(EmptyForm(), error)
    return redirect(url_for("plan.campaign", campaign_id=campaign_id))


@bp.get("/campaigns/<int:campaign_id>/export.<any(xlsx, csv):fmt>")
@commissioner_required
def campaign_export(campaign_id: int, fmt: str):
    """Download the campaign plan."""
    if fmt == "xlsx":
        data, mimetype, name = exports.plan_xlsx(campaign_id), XLSX, f"campaign-{campaign_id}-plan.xlsx"
    else:
        sheet = request.args.get("sheet", "products")
        if sheet not in exports.SHEETS:
            abort(404)
        data, mimetype, name = exports.plan_csv(campaign_id, sheet), "text/csv; charset=utf-8", f"campaign-{campaign_id}-{sheet}.csv"
    return Response(data, mimetype=mimetype, headers={"Content-Disposition": f'attachment; filename="{name}"'})
