"""Products: /api/v1/products."""
from __future__ import annotations

from datetime import date, datetime
from typing import Annotated, Optional

from pydantic import BaseModel, Field, StringConstraints
from spectree import Response

from coordinator.api import bp
from coordinator.api.auth import caller, requires
from coordinator.api.common import ListQuery, PageOut, dump, page_body, patch_changes
from coordinator.api.spec import api_spec
from coordinator.api.validation import Fen, NonNegativeInt, RequestModel, StrictBool, StrictInt
from coordinator.domain.enums import Role
from coordinator.services import catalog


def _text(max_length: int, min_length: int = 0):
    return Annotated[str, StringConstraints(strict=True, strip_whitespace=True, min_length=min_length,
                                            max_length=max_length)]


Sku = Annotated[str, StringConstraints(strict=True, strip_whitespace=True, pattern=r"^[A-Za-z0-9][A-Za-z0-9_.\-]{0,63}$")]
SellingPoints = Annotated[list[_text(500, 1)], Field(max_length=20)]


class ProductIn(RequestModel):
    """A product to register (CONTRACT section 2)."""

    county_id: StrictInt
    name: _text(200, 1)
    sku: Sku
    category: _text(64, 1)
    price_fen: Fen
    stock: NonNegativeInt
    is_agricultural: StrictBool = True
    available_from: Optional[date] = Field(None, description="first day of the harvest window")
    available_to: Optional[date] = Field(None, description="last day of the harvest window")
    unit: _text(32, 1) = "件"
    shipping_origin: _text(200) = ""
    selling_points: SellingPoints = []
    image_url: _text(500) = ""


class ProductPatch(RequestModel):
    """Fields of a product to change."""

    county_id: Optional[StrictInt] = None
    name: Optional[_text(200, 1)] = None
    sku: Optional[Sku] = None
    category: Optional[_text(64, 1)] = None
    price_fen: Optional[Fen] = None
    stock: Optional[NonNegativeInt] = None
    is_agricultural: Optional[StrictBool] = None
    available_from: Optional[date] = None
    available_to: Optional[date] = None
    unit: Optional[_text(32, 1)] = None
    shipping_origin: Optional[_text(200)] = None
    selling_points: Optional[SellingPoints] = None
    image_url: Optional[_text(500)] = None


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

    county_id: Optional[int] = None
    category: Optional[str] = Field(None, max_length=64)
    is_agricultural: Optional[bool] = None
    in_season_on: Optional[date] = Field(None, description="only products in their harvest window that day")
    include_archived: bool = False


class ProductPage(PageOut):
    """A page of products."""

    items: list[ProductOut]


@bp.post("/products")
@requires(Role.COMMISSIONER)
@api_spec.validate(resp=Response(HTTP_201=ProductOut), tags=["products"])
def create_product(json: ProductIn):
    """Register a product of one of the caller's counties."""
    return dump(ProductOut, catalog.create_product(caller(), json.model_dump())), 201


@bp.get("/products")
@requires(Role.COMMISSIONER)
@api_spec.validate(resp=Response(HTTP_200=ProductPage), tags=["products"])
def list_products(query: ProductQuery):
    """Products of the caller's counties."""
    filters = query.model_dump(include={"county_id", "category", "is_agricultural", "in_season_on", "include_archived"})
    page = catalog.list_products(caller(), query.page, query.per_page, query.sort, query.q, filters)
    return page_body(ProductOut, page)


@bp.get("/products/<int:product_id>")
@requires(Role.COMMISSIONER)
@api_spec.validate(resp=Response(HTTP_200=ProductOut), tags=["products"])
def get_product(product_id: int):
    """One product."""
    return dump(ProductOut, catalog.product_for_read(caller(), product_id))


@bp.patch("/products/<int:product_id>")
@requires(Role.COMMISSIONER)
@api_spec.validate(resp=Response(HTTP_200=ProductOut), tags=["products"])
def update_product(product_id: int, json: ProductPatch):
    """Change a product."""
    changes = patch_changes(json, nullable=frozenset({"available_from", "available_to"}))
    return dump(ProductOut, catalog.update_product(caller(), product_id, changes))


@bp.post("/products/<int:product_id>/archive")
@requires(Role.COMMISSIONER)
@api_spec.validate(resp=Response(HTTP_200=ProductOut), tags=["products"])
def archive_product(product_id: int):
    """Archive a product: kept for history, left out of new plans."""
    return dump(ProductOut, catalog.set_product_archived(caller(), product_id, True))


@bp.post("/products/<int:product_id>/unarchive")
@requires(Role.COMMISSIONER)
@api_spec.validate(resp=Response(HTTP_200=ProductOut), tags=["products"])
def unarchive_product(product_id: int):
    """Bring an archived product back."""
    return dump(ProductOut, catalog.set_product_archived(caller(), product_id, False))


@bp.delete("/products/<int:product_id>")
@requires(Role.COMMISSIONER)
@api_spec.validate(resp=Response("HTTP_204"), tags=["products"])
def delete_product(product_id: int):
    """Delete a product nothing refers to (409 otherwise: archive it)."""
    catalog.delete_product(caller(), product_id)
    return "", 204
