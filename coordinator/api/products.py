"""Products: /api/v1/products."""
from __future__ import annotations

from datetime import date, datetime
from typing import Optional

from pydantic import BaseModel, Field
from spectree import Response

from coordinator.api import bp
from coordinator.api.auth import actor
from coordinator.api.common import ListQuery, PageOut, dump, page_body, patch_changes
from coordinator.api.spec import api_spec
from coordinator.schemas.catalog import ProductIn, ProductPatch
from coordinator.schemas.common import PlausibleDate, QueryInt
from coordinator.services import catalog


class ProductOut(BaseModel):
    """A product."""

    id: int
    county_id: int
    name: str
    sku: str
    category: str
    price_fen: int
    stock: int
    unit: str
    is_agricultural: bool
    available_from: Optional[date]
    available_to: Optional[date]
    shipping_origin: str
    selling_points: list[str]
    image_url: str
    archived_at: Optional[datetime]
    created_at: datetime


class ProductQuery(ListQuery):
    """Filters of the product list."""

    county_id: Optional[QueryInt] = None
    category: Optional[str] = Field(None, max_length=64)
    is_agricultural: Optional[bool] = None
    in_season_on: Optional[PlausibleDate] = Field(None, description="only products in their harvest window that day")
    include_archived: bool = False


class ProductPage(PageOut):
    """A page of products."""

    items: list[ProductOut]


@bp.post("/products")
@api_spec.validate(resp=Response(HTTP_201=ProductOut), tags=["products"])
def create_product(json: ProductIn):
    """Register a product of one of the caller's counties."""
    return dump(ProductOut, catalog.create_product(actor(), json.model_dump())), 201


@bp.get("/products")
@api_spec.validate(resp=Response(HTTP_200=ProductPage), tags=["products"])
def list_products(query: ProductQuery):
    """Products of the caller's counties."""
    filters = query.model_dump(include={"county_id", "category", "is_agricultural", "in_season_on", "include_archived"})
    page = catalog.list_products(actor(), query.page, query.per_page, query.sort, query.q, filters)
    return page_body(ProductOut, page)


@bp.get("/products/<int:product_id>")
@api_spec.validate(resp=Response(HTTP_200=ProductOut), tags=["products"])
def get_product(product_id: int):
    """One product."""
    return dump(ProductOut, catalog.product_for(actor(), product_id))


@bp.patch("/products/<int:product_id>")
@api_spec.validate(resp=Response(HTTP_200=ProductOut), tags=["products"])
def update_product(product_id: int, json: ProductPatch):
    """Change a product."""
    changes = patch_changes(json, nullable=frozenset({"available_from", "available_to"}))
    return dump(ProductOut, catalog.update_product(actor(), product_id, changes))


@bp.post("/products/<int:product_id>/archive")
@api_spec.validate(resp=Response(HTTP_200=ProductOut), tags=["products"])
def archive_product(product_id: int):
    """Archive a product: kept for history, left out of new plans."""
    return dump(ProductOut, catalog.set_product_archived(actor(), product_id, True))


@bp.post("/products/<int:product_id>/unarchive")
@api_spec.validate(resp=Response(HTTP_200=ProductOut), tags=["products"])
def unarchive_product(product_id: int):
    """Bring an archived product back."""
    return dump(ProductOut, catalog.set_product_archived(actor(), product_id, False))


@bp.delete("/products/<int:product_id>")
@api_spec.validate(resp=Response("HTTP_204"), tags=["products"])
def delete_product(product_id: int):
    """Delete a product nothing refers to (409 otherwise: archive it)."""
    catalog.delete_product(actor(), product_id)
    return "", 204
