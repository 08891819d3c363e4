"""Products of the counties: create, change, list, delete or archive, each change audited."""
from __future__ import annotations

from typing import Any

from sqlalchemy import exists, or_, select

from coordinator import clock
from coordinator.domain.access_facts import Actor
from coordinator.domain.catalog import harvest_window_errors, in_season
from coordinator.domain.errors import Conflict, FieldError, InvalidInput, NotFound
from coordinator.extensions import db
from coordinator.models import CampaignProduct, County, LineupItem, Pairing, Product, SaleEvent
from coordinator.services import access, audit
from coordinator.services.counties import county_reference
from coordinator.services.listing import Page, paginate
PRODUCT_SORTS = {
    "name": Product.name, "sku": Product.sku, "price_fen": Product.price_fen, "stock": Product.stock,
    "category": Product.category, "id": Product.id, "available_from": Product.available_from,
}


def create_product(actor: Actor, data: dict[str, Any]) -> Product:
    """Register a product of one of the actor's counties."""
    access.require(actor, "product.list")
    county_reference(actor, data["county_id"])
    _check_product_rules(data.get("available_from"), data.get("available_to"))
    _unique_sku(data["sku"])
    product = Product(**data)
    db.session.add(product)
    db.session.flush()
    audit.record(actor, "create", product, None, audit.snapshot(product))
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


def product_for(actor: Actor, product_id: int, action: str = "product.read") -> Product:
    """A product of one of the actor's counties (NotFound otherwise)."""
    product = db.session.get(Product, product_id)
    if product is None:
        raise NotFound(f"There is no product {product_id}.")
    access.require(actor, action, access.product_facts(actor, product), f"product {product_id}")
    return product


def update_product(actor: Actor, product_id: int, changes: dict[str, Any]) -> Product:
    """Change some of a product's fields; moving it to another county needs that county too."""
    product = product_for(actor, product_id, "product.change")
    if "county_id" in changes:
        county_reference(actor, changes["county_id"])
    if "sku" in changes:
        _unique_sku(changes["sku"], product.id)
    _check_product_rules(changes.get("available_from", product.available_from),
                         changes.get("available_to", product.available_to))
    before = audit.snapshot(product)
    moved = "county_id" in changes and changes["county_id"] != product.county_id
    for key, value in changes.items():
        setattr(product, key, value)
    audit.record(actor, "update", product, before, audit.changed_fields(before, audit.snapshot(product)))
    if moved:
        access.bump_epoch()  # its campaigns' partners change with its county (the sweeper re-checks within 1 s)
    db.session.commit()
    return product


def product_in_use(product_id: int) -> bool:
    """True when campaigns, pairings, lineups or sales refer to the product."""
    return any(db.session.scalar(select(exists().where(column == product_id))) for column in (
        CampaignProduct.product_id, Pairing.product_id, LineupItem.product_id, SaleEvent.product_id,
    ))


def delete_product(actor: Actor, product_id: int) -> None:
    """Delete an unused product; one in use must be archived instead (409)."""
    product = product_for(actor, product_id, "product.change")
    if product_in_use(product.id):
        raise Conflict("The product is enrolled, paired, scheduled or sold; archive it instead of deleting it.")
    audit.record(actor, "delete", product, audit.snapshot(product), None)
    db.session.delete(product)
    db.session.commit()


def set_product_archived(actor: Actor, product_id: int, archived: bool) -> Product:
    """Archive a product (hidden from new plans, history kept) or bring it back."""
    product = product_for(actor, product_id, "product.change")
    before = audit.snapshot(product)
    product.archived_at = clock.now() if archived else None
    audit.record(actor, "archive" if archived else "unarchive", product, before, audit.snapshot(product))
    db.session.commit()
    return product


def list_products(actor: Actor, page: int, per_page: int, sort: str | None, q: str | None,
                  filters: dict[str, Any]) -> Page:
    """Products in the actor's counties, filtered by county, category, kind, season and archive state."""
    access.require(actor, "product.list")
    stmt = select(Product).where(access.products_clause(actor))
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


def county_names(actor: Actor) -> dict[int, str]:
    """The actor's counties as "name · province", for pickers and product lists."""
    stmt = select(County).where(access.counties_clause(actor)).order_by(County.province, County.name)
    return {c.id: f"{c.name} · {c.province}" for c in db.session.scalars(stmt)}


def may_create(actor: Actor) -> None:
    """Refuse the new-product form to anyone who does not work with products."""
    access.require(actor, "product.list")
