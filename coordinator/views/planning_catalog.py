"""Pages for counties (admins register and assign), products and streamers."""
from __future__ import annotations

from flask import flash, redirect, render_template, request, url_for
from flask_babel import gettext as _
from flask_login import login_required

from coordinator import clock
from coordinator.domain.cells import format_windows, to_list
from coordinator.domain.errors import DomainError
from coordinator.edge import done, settings
from coordinator.services import access, catalog, counties as county_service, sample_board, streamers
from coordinator.views.forms import EmptyForm
from coordinator.views.pages import actor, redirect_with, show_errors, yuan_to_fen
from coordinator.views.planning import bp
from coordinator.views.planning_forms import CountyAssignForm, CountyForm, ProductForm, StreamerForm, streamer_changes


@bp.route("/counties", methods=["GET", "POST"])
@login_required
def counties():
    """The counties the commissioner works on; admins register new ones here."""
    form = CountyForm()
    if form.validate_on_submit():
        try:
            county = county_service.create_county(actor(), {"name": form.name.data, "province": form.province.data,
                                                            "story": form.story.data or ""})
            return redirect(url_for("plan.county_form", county_id=county.id))
        except DomainError as error:
            show_errors(form, error)
    page = county_service.list_counties(actor(), 1, 200, "province", request.args.get("q"), None)
    return render_template("planning/counties.html", form=form, counties=page.items,
                           may_create=access.allowed(actor(), "county.create"))


@bp.route("/counties/<int:county_id>/edit", methods=["GET", "POST"])
@login_required
def county_form(county_id: int):
    """Change a county's name, province or story; an admin also assigns its commissioners here."""
    county = county_service.county_for(actor(), "county.change", county_id)
    form = CountyForm(obj=county)
    if form.validate_on_submit():
        try:
            county_service.update_county(actor(), county.id, {"name": form.name.data.strip(),
                                                              "province": form.province.data.strip(),
                                                              "story": form.story.data or ""})
            return redirect(url_for("plan.counties"))
        except DomainError as error:
            show_errors(form, error)
    assign_form = CountyAssignForm()
    may_assign = access.allowed(actor(), "county.assign", access.county_facts(county.id))
    assigned = county_service.commissioners_of(actor(), county.id)
    if may_assign:
        assign_form.user_id.choices = [(u.id, u.username) for u in county_service.assignable(actor(), county.id)]
    return render_template("planning/county_form.html", form=form, county=county, assigned=assigned,
                           may_assign=may_assign, assign_form=assign_form, action_form=EmptyForm())


@bp.post("/counties/<int:county_id>/commissioners")
@login_required
def assign_county(county_id: int):
    """An admin assigns a commissioner to the county."""
    form = CountyAssignForm()
    form.user_id.choices = [(form.user_id.data, "")] if form.user_id.data else []
    back = url_for("plan.county_form", county_id=county_id)
    if form.validate_on_submit():
        try:
            done(county_service.assign(actor(), county_id, form.user_id.data))
        except DomainError as error:
            return redirect_with(error, back)
    return redirect(back)


@bp.post("/counties/<int:county_id>/commissioners/<int:user_id>/remove")
@login_required
def unassign_county(county_id: int, user_id: int):
    """An admin takes a commissioner off the county."""
    back = url_for("plan.county_form", county_id=county_id)
    if EmptyForm().validate_on_submit():
        try:
            done(county_service.unassign(actor(), county_id, user_id))
        except DomainError as error:
            return redirect_with(error, back)
    return redirect(back)


def _product_data(form: ProductForm) -> dict:
    return {
        "county_id": form.county_id.data, "name": form.name.data.strip(), "sku": form.sku.data.strip(),
        "category": form.category.data.strip(), "price_fen": yuan_to_fen(form.price_yuan.data), "stock": form.stock.data,
        "unit": form.unit.data.strip(), "is_agricultural": form.is_agricultural.data,
        "available_from": form.available_from.data, "available_to": form.available_to.data,
        "shipping_origin": (form.shipping_origin.data or "").strip(), "image_url": (form.image_url.data or "").strip(),
        "selling_points": to_list(form.selling_points.data or ""),
    }


@bp.route("/products")
@login_required
def products():
    """Products of the commissioner's counties; out-of-season ones are marked."""
    page = catalog.list_products(actor(), 1, 500, request.args.get("sort") or "name", request.args.get("q"),
                                 {"include_archived": request.args.get("archived") == "1"})
    return render_template("planning/products.html", products=page.items, county_names=catalog.county_names(actor()),
                           today=clock.now().astimezone(settings().zone).date(), in_season=catalog.is_in_season_today,
                           archive_form=EmptyForm(), sent=sample_board.units_sent([p.id for p in page.items]))


@bp.route("/products/new", methods=["GET", "POST"])
@bp.route("/products/<int:product_id>/edit", methods=["GET", "POST"])
@login_required
def product_form(product_id: int | None = None):
    """Create or edit a product."""
    product = catalog.product_for(actor(), product_id, "product.change") if product_id else None
    form = ProductForm(obj=product)
    form.county_id.choices = list(catalog.county_names(actor()).items())
    if request.method == "GET" and product is not None:
        form.price_yuan.data = product.price_fen / 100
        form.selling_points.data = "\n".join(product.selling_points)
    if form.validate_on_submit():
        try:
            if product is None:
                catalog.create_product(actor(), _product_data(form))
            else:
                catalog.update_product(actor(), product.id, _product_data(form))
            return redirect(url_for("plan.products"))
        except DomainError as error:
            show_errors(form, error, {"price_fen": "price_yuan"})
    elif product is None:
        catalog.may_create(actor())
    return render_template("planning/product_form.html", form=form, product=product)


@bp.post("/products/<int:product_id>/archive")
@login_required
def archive_product(product_id: int):
    """Archive or restore a product."""
    if EmptyForm().validate_on_submit():
        catalog.set_product_archived(actor(), product_id, request.form.get("restore") != "1")
    return redirect(url_for("plan.products"))


@bp.route("/streamers")
@login_required
def streamer_list():
    """All streamers with their platform, audience and availability; login links for those one manages."""
    page = streamers.list_streamers(actor(), 1, 500, request.args.get("sort") or "handle", request.args.get("q"),
                                    {"managed_by_me": request.args.get("mine") == "1"})
    return render_template("planning/streamers.html", streamers=page.items, format_windows=format_windows,
                           manages=lambda s: streamers.may_manage(actor(), s), link_form=EmptyForm(),
                           mine=request.args.get("mine") == "1")


@bp.route("/streamers/new", methods=["GET", "POST"])
@bp.route("/streamers/<int:streamer_id>/edit", methods=["GET", "POST"])
@login_required
def streamer_form(streamer_id: int | None = None):
    """Create or edit a streamer (their manager or an admin)."""
    streamer = streamers.streamer_for(actor(), streamer_id, "streamer.change") if streamer_id else None
    form = StreamerForm(data=streamers.form_values(streamer) if streamer and request.method == "GET" else None)
    if form.validate_on_submit():
        try:
            data, windows = streamer_changes(form)
            if streamer is None:
                streamers.create_streamer(actor(), data, windows)
            else:
                streamers.update_streamer(actor(), streamer.id, data, windows)
            flash(_("Saved."), "info")
            return redirect(url_for("plan.streamer_list"))
        except DomainError as error:
            show_errors(form, error)
    elif streamer is None:
        streamers.may_create(actor())
    return render_template("planning/streamer_form.html", form=form, streamer=streamer,
                           title=_("Edit streamer") if streamer else _("New streamer"))
