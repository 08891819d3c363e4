"""Pages for counties, products and streamers."""
from __future__ import annotations

from datetime import date

from flask import redirect, render_template, request, url_for
from flask_babel import gettext as _
from flask_login import current_user
from sqlalchemy import select

from coordinator.domain.cells import format_windows, to_list
from coordinator.domain.errors import DomainError
from coordinator.extensions import db
from coordinator.models import County
from coordinator.services import catalog, login_links, scope, streamers
from coordinator.views.forms import EmptyForm
from coordinator.views.planning import bp, commissioner_required, show_errors, yuan_to_fen
from coordinator.views.planning_forms import CountyForm, ProductForm, StreamerForm, streamer_changes


def _county_choices() -> list[tuple[int, str]]:
    visible = scope.visible_county_ids(current_user)
    stmt = select(County).order_by(County.province, County.name)
    if visible is not None:
        stmt = stmt.where(County.id.in_(visible))
    return [(c.id, f"{c.name} · {c.province}") for c in db.session.scalars(stmt)]


@bp.route("/counties", methods=["GET", "POST"])
@commissioner_required
def counties():
    """The counties the commissioner works on, with a form to add one."""
    form = CountyForm()
    if form.validate_on_submit():
        try:
            catalog.create_county(current_user, {"name": form.name.data, "province": form.province.data,
                                                 "story": form.story.data or ""})
            return redirect(url_for("plan.counties"))
        except DomainError as error:
            show_errors(form, error)
    page = catalog.list_counties(current_user, 1, 200, "province", request.args.get("q"), None)
    return render_template("planning/counties.html", form=form, counties=page.items)


@bp.route("/counties/<int:county_id>/edit", methods=["GET", "POST"])
@commissioner_required
def county_form(county_id: int):
    """Change a county's name, province or story."""
    county = scope.county_for_read(current_user, county_id)
    form = CountyForm(obj=county)
    if form.validate_on_submit():
        try:
            catalog.update_county(current_user, county.id, {"name": form.name.data.strip(),
                                                            "province": form.province.data.strip(),
                                                            "story": form.story.data or ""})
            return redirect(url_for("plan.counties"))
        except DomainError as error:
            show_errors(form, error)
    return render_template("planning/county_form.html", form=form, county=county)


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
@commissioner_required
def products():
    """Products of the commissioner's counties; out-of-season ones are marked."""
    page = catalog.list_products(current_user, 1, 500, request.args.get("sort") or "name", request.args.get("q"),
                                 {"include_archived": request.args.get("archived") == "1"})
    names = dict(_county_choices())
    return render_template("planning/products.html", products=page.items, county_names=names, today=date.today(),
                           in_season=catalog.is_in_season_today, archive_form=EmptyForm())


@bp.route("/products/new", methods=["GET", "POST"])
@bp.route("/products/<int:product_id>/edit", methods=["GET", "POST"])
@commissioner_required
def product_form(product_id: int | None = None):
    """Create or edit a product."""
    product = catalog.product_for_read(current_user, product_id) if product_id else None
    form = ProductForm(obj=product)
    form.county_id.choices = _county_choices()
    if request.method == "GET" and product is not None:
        form.price_yuan.data = product.price_fen / 100
        form.selling_points.data = "\n".join(product.selling_points)
    if form.validate_on_submit():
        try:
            if product is None:
                catalog.create_product(current_user, _product_data(form))
            else:
                catalog.update_product(current_user, product.id, _product_data(form))
            return redirect(url_for("plan.products"))
        except DomainError as error:
            show_errors(form, error, {"price_fen": "price_yuan"})
    return render_template("planning/product_form.html", form=form, product=product)


@bp.post("/products/<int:product_id>/archive")
@commissioner_required
def archive_product(product_id: int):
    """Archive or restore a product."""
    if EmptyForm().validate_on_submit():
        catalog.set_product_archived(current_user, product_id, request.form.get("restore") != "1")
    return redirect(url_for("plan.products"))


@bp.route("/streamers")
@commissioner_required
def streamer_list():
    """All streamers with their platform, audience and availability."""
    page = streamers.list_streamers(1, 500, request.args.get("sort") or "handle", request.args.get("q"), {})
    return render_template("planning/streamers.html", streamers=page.items, format_windows=format_windows,
                           linkable=login_links.linkable_streamer_ids(current_user), link_form=EmptyForm())


@bp.route("/streamers/new", methods=["GET", "POST"])
@bp.route("/streamers/<int:streamer_id>/edit", methods=["GET", "POST"])
@commissioner_required
def streamer_form(streamer_id: int | None = None):
    """Create or edit a streamer."""
    streamer = streamers.streamer_for_read(current_user, streamer_id) if streamer_id else None
    form = StreamerForm(obj=streamer)
    if request.method == "GET" and streamer is not None:
        form.categories.data = ", ".join(streamer.categories)
        form.availability.data = format_windows([(w.weekday, w.start_minute, w.end_minute) for w in streamer.availability])
    if form.validate_on_submit():
        try:
            data, windows = streamer_changes(form)
            if streamer is None:
                streamers.create_streamer(current_user, data, windows)
            else:
                streamers.update_streamer(current_user, streamer.id, data, windows)
            return redirect(url_for("plan.streamer_list"))
        except DomainError as error:
            show_errors(form, error)
    return render_template("planning/streamer_form.html", form=form, streamer=streamer,
                           title=_("Edit streamer") if streamer else _("New streamer"))
