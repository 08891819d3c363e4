"""Pieces every resource module uses: list queries, pages, serialising rows."""
from __future__ import annotations

from typing import Any, Callable, Optional

from pydantic import BaseModel, ConfigDict, Field

from coordinator.schemas.common import MAX_INT32
from coordinator.services.listing import MAX_PER_PAGE, Page


class ListQuery(BaseModel):
    """Pagination and sorting of a collection."""

    model_config = ConfigDict(extra="ignore")

    page: int = Field(1, ge=1, le=MAX_INT32)
    per_page: int = Field(50, ge=1, le=MAX_PER_PAGE)
    sort: Optional[str] = Field(None, max_length=40, description="a field name; prefix '-' for descending")
    q: Optional[str] = Field(None, max_length=100, description="text search in names")


class PageOut(BaseModel):
    """A page of a collection."""

    total: int
    page: int
    per_page: int


class Created(BaseModel):
    """An empty acknowledgement with the created relation's ids."""

    model_config = ConfigDict(extra="allow")


def dump(model: type[BaseModel], row: Any) -> dict:
    """A row as its output schema, JSON-ready."""
    return model.model_validate(row, from_attributes=True).model_dump(mode="json")


def page_body(model: type[BaseModel] | Callable[[Any], dict], page: Page) -> dict:
    """A page of rows as {items, total, page, per_page}, each row through a schema or a function."""
    serialize = (lambda row: dump(model, row)) if isinstance(model, type) else model
    return {
        "items": [serialize(row) for row in page.items], "total": page.total, "page": page.page,
        "per_page": page.per_page,
    }


def patch_changes(body: BaseModel, nullable: frozenset[str] = frozenset()) -> dict:
    """The fields a PATCH body set; null is refused for fields that cannot be empty."""
    from coordinator.domain.errors import FieldError, InvalidInput

    changes = body.model_dump(exclude_unset=True)
    errors = [FieldError("may not be null", field=key) for key, value in changes.items()
              if value is None and key not in nullable]
    if errors:
        raise InvalidInput("Some values are invalid.", errors)
    if not changes:
        raise InvalidInput("Nothing to change.", [FieldError("send at least one field to change")])
    return changes
