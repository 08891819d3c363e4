"""Counties: /api/v1/counties."""
from __future__ import annotations

from datetime import datetime
from typing import Annotated, Optional

from pydantic import BaseModel, Field, StringConstraints
from spectree import Response

from coordinator.api import bp
from coordinator.api.auth import caller, requires
from coordinator.api.common import ListQuery, PageOut, dump, page_body, patch_changes
from coordinator.api.spec import api_spec
from coordinator.api.validation import RequestModel
from coordinator.domain.enums import Role
from coordinator.services import catalog, scope

Name = Annotated[str, StringConstraints(strict=True, strip_whitespace=True, min_length=1, max_length=120)]
Story = Annotated[str, StringConstraints(strict=True, max_length=5000)]


class CountyIn(RequestModel):
    """A county to register."""

    name: Name
    province: Name
    story: Story = ""


class CountyPatch(RequestModel):
    """Fields of a county to change."""

    name: Optional[Name] = None
    province: Optional[Name] = None
    story: Optional[Story] = None


class CountyOut(BaseModel):
    """A county."""

    id: int
    name: str
    province: str
    story: str
    created_at: datetime


class CountyQuery(ListQuery):
    """Filters of the county list."""

    province: Optional[str] = Field(None, max_length=120)


class CountyPage(PageOut):
    """A page of counties."""

    items: list[CountyOut]


@bp.post("/counties")
@requires(Role.COMMISSIONER)
@api_spec.validate(resp=Response(HTTP_201=CountyOut), tags=["counties"])
def create_county(json: CountyIn):
    """Register a county; its creator is assigned to it."""
    return dump(CountyOut, catalog.create_county(caller(), json.model_dump())), 201


@bp.get("/counties")
@requires(Role.COMMISSIONER)
@api_spec.validate(resp=Response(HTTP_200=CountyPage), tags=["counties"])
def list_counties(query: CountyQuery):
    """The counties the caller works on."""
    page = catalog.list_counties(caller(), query.page, query.per_page, query.sort, query.q, query.province)
    return page_body(CountyOut, page)


@bp.get("/counties/<int:county_id>")
@requires(Role.COMMISSIONER)
@api_spec.validate(resp=Response(HTTP_200=CountyOut), tags=["counties"])
def get_county(county_id: int):
    """One county."""
    return dump(CountyOut, scope.county_for_read(caller(), county_id))


@bp.patch("/counties/<int:county_id>")
@requires(Role.COMMISSIONER)
@api_spec.validate(resp=Response(HTTP_200=CountyOut), tags=["counties"])
def update_county(county_id: int, json: CountyPatch):
    """Change a county."""
    return dump(CountyOut, catalog.update_county(caller(), county_id, patch_changes(json)))


@bp.delete("/counties/<int:county_id>")
@requires(Role.COMMISSIONER)
@api_spec.validate(resp=Response("HTTP_204"), tags=["counties"])
def delete_county(county_id: int):
    """Delete a county without products (409 otherwise)."""
    catalog.delete_county(caller(), county_id)
    return "", 204
