"""Counties and products: create, change, list, delete or archive, each change audited."""
from __future__ import annotations

from typing import Any

from sqlalchemy import exists, or_, select

from coordinator import clock
from coordinator.domain.catalog import harvest_window_errors, in_season
from coordinator.domain.errors import Conflict, FieldError, InvalidInput, NotFound
from coordinator.extensions import db
from coordinator.models import CampaignProduct, County, LineupItem, Pairing, Product, SaleEvent, User
from coordinator.services import audit, scope
from coordinator.services.listing import Page, paginate

COUNTY_SORTS = {"name": County.name, "province": County.province, "id": County.id}
PRODUCT_SORTS = {
    "name": Product.name, "sku": Product.sku, "price_fen": Product.price_fen, "stock": Product.stock,
    "category": Product.category, "id": Product.id, "available_from": Product.available_from,
}


def create_county(user: User, data: dict[str, Any]) -> County:
    """Register a county; a non-admin commissioner is assigned to it at once."""
    _unique_county(data["name"], data["province"])
    county = County(**data)
    db.session.add(county)
    db.session.flush()
    scope.assign_county(user, county)
    audit.record(user, "create", county, None, audit.snapshot(county))
    db.session.commit()
    return county


def _unique_county(name: str, province: str, exclude_id: int | None = None) -> None:
    clash = select(County.id).where(County.name == name, County.province == province)
    if exclude_id is not None:
        clash = clash.where(County.id != exclude_id)
    if db.session.scalar(clash) is not None:
        raise Conflict(f"{province} already has a county named {name}.", [FieldError("already exists", field="name")])


def update_county(user: User, county_id: int, changes: dict[str, Any]) -> County:
    """Change a county's name, province or story."""
    county = scope.county_for_read(user, county_id)
    before = audit.snapshot(county)
    _unique_county(changes.get("name", county.name), changes.get("province", county.province), county.id)
    for key, value in changes.items():
        setattr(county, key, value)
    audit.record(user, "update", county, before, audit.changed_fields(before, audit.snapshot(county)))
    db.session.commit()
    return county


def delete_county(user: User, county_id: int) -> None:
    """Delete a county that has no products yet."""
    county = scope.county_for_read(user, county_id)
    if db.session.scalar(select(exists().where(Product.county_id == county.id))):
        raise Conflict("The county still has products; delete or move them first.")
    audit.record(user, "delete", county, audit.snapshot(county), None)
    db.session.delete(county)
    db.session.commit()


def list_counties(user: User, page: int, per_page: int, sort: str | None, q: str | None, province: str | None) -> Page:
    """The counties the user may see."""
    stmt = select(County)
    visible = scope.visible_county_ids(user)
    if visible is not None:
        stmt = stmt.where(County.id.in_(visible))
    if province:
        stmt = stmt.where(County.province == province)
    if q:
        stmt = stmt.where(County.name.contains(q, autoescape=True))
    return paginate(stmt, page, per_page, sort or "name", COUNTY_SORTS, County.id)


def create_product(user: User, data: dict[str, Any]) -> Product:
    """Register a product of one of the user's counties."""
    scope.county_reference(user, data["county_id"])
    _check_product_rules(data.get("available_from"), data.get("available_to"))
    _unique_sku(data["sku"])
    product = Product(**data)
    db.session.add(product)
    db.session.flush()
    audit.record(user, "create", product, None, audit.snapshot(product))
    db.session.commit()
    return product


def _unique_sku(sku: str, exclude_id: int | None = None) -> None:
    clash = select(Product.id).where(Product.sku == sku)
    if exclude_id is not None:
        clash = clash.where(Product.id != exclude_id)
    if db.session.scalar(clash) is not None:
        raise Conflict(f"Another product already has SKU {sku}.", [FieldError("already used", field="sku")])


def _check_product_rules(available_from, available_to) -> None:
    errors = harvest_window_errors(available_from, available_to)
    if errors:
        raise InvalidInput("The harvest window is reversed.", errors)


def product_for_read(user: User, product_id: int) -> Product:
    """A product in one of the user's counties, or NotFound."""
    product = db.session.get(Product, product_id)
    if product is None or not scope.can_see_county(user, product.county_id):
        raise NotFound(f"There is no product {product_id}.")
    return product


def update_product(user: User, product_id: int, changes: dict[str, Any]) -> Product:
    """Change some of a product's fields; moving it to another county needs that county too."""
    product = product_for_read(user, product_id)
    if "county_id" in changes:
        scope.county_reference(user, changes["county_id"])
    if "sku" in changes:
        _unique_sku(changes["sku"], product.id)
    _check_product_rules(changes.get("available_from", product.available_from),
                         changes.get("available_to", product.available_to))
    before = audit.snapshot(product)
    for key, value in changes.items():
        setattr(product, key, value)
    audit.record(user, "update", product, before, audit.changed_fields(before, audit.snapshot(product)))
    db.session.commit()
    return product


def product_in_use(product_id: int) -> bool:
    """True when campaigns, pairings, lineups or sales refer to the product."""
    return any(db.session.scalar(select(exists().where(column == product_id))) for column in (
        CampaignProduct.product_id, Pairing.product_id, LineupItem.product_id, SaleEvent.product_id,
    ))


def delete_product(user: User, product_id: int) -> None:
    """Delete an unused product; one in use must be archived instead (409)."""
    product = product_for_read(user, product_id)
    if product_in_use(product.id):
        raise Conflict("The product is enrolled, paired, scheduled or sold; archive it instead of deleting it.")
    audit.record(user, "delete", product, audit.snapshot(product), None)
    db.session.delete(product)
    db.session.commit()


def set_product_archived(user: User, product_id: int, archived: bool) -> Product:
    """Archive a product (hidden from new plans, history kept) or bring it back."""
    product = product_for_read(user, product_id)
    before = audit.snapshot(product)
    product.archived_at = clock.now() if archived else None
    audit.record(user, "archive" if archived else "unarchive", product, before, audit.snapshot(product))
    db.session.commit()
    return product


def list_products(user: User, page: int, per_page: int, sort: str | None, q: str | None,
                  filters: dict[str, Any]) -> Page:
    """Products in the user's counties, filtered by county, category, kind, season and archive state."""
    stmt = select(Product)
    visible = scope.visible_county_ids(user)
    if visible is not None:
        stmt = stmt.where(Product.county_id.in_(visible))
    for key in ("county_id", "category", "is_agricultural"):
        if filters.get(key) is not None:
            stmt = stmt.where(getattr(Product, key) == filters[key])
    if not filters.get("include_archived"):
        stmt = stmt.where(Product.archived_at.is_(None))
    if filters.get("in_season_on"):
        day = filters["in_season_on"]
        stmt = stmt.where(or_(Product.available_from.is_(None), Product.available_from <= day),
                          or_(Product.available_to.is_(None), Product.available_to >= day))
    if q:
        stmt = stmt.where(or_(Product.name.contains(q, autoescape=True), Product.sku.contains(q, autoescape=True)))
    return paginate(stmt, page, per_page, sort or "name", PRODUCT_SORTS, Product.id)


def is_in_season_today(product: Product, today) -> bool:
    """Whether the product is in its harvest window on the given day."""
    return in_season(product.available_from, product.available_to, today)
