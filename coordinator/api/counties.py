"""Counties: /api/v1/counties."""
from __future__ import annotations

from datetime import datetime
from typing import Annotated, Optional

from pydantic import BaseModel, Field, StringConstraints
from spectree import Response

from coordinator.api import bp
from coordinator.api.auth import actor
from coordinator.api.common import ListQuery, PageOut, dump, page_body, patch_changes
from coordinator.api.spec import api_spec
from coordinator.api.validation import RequestModel, StrictInt
from coordinator.edge import done
from coordinator.services import counties

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


class AssignIn(RequestModel):
    """The commissioner to assign, by user id."""

    user_id: StrictInt


class AssignmentOut(BaseModel):
    """A commissioner assigned to a county."""

    county_id: int
    user_id: int


@bp.post("/counties")
@api_spec.validate(resp=Response(HTTP_201=CountyOut), tags=["counties"])
def create_county(json: CountyIn):
    """Register a county (admins only; they then assign commissioners to it)."""
    return dump(CountyOut, counties.create_county(actor(), json.model_dump())), 201


@bp.get("/counties")
@api_spec.validate(resp=Response(HTTP_200=CountyPage), tags=["counties"])
def list_counties(query: CountyQuery):
    """The counties the caller works on (all for admins)."""
    page = counties.list_counties(actor(), query.page, query.per_page, query.sort, query.q, query.province)
    return page_body(CountyOut, page)


@bp.get("/counties/<int:county_id>")
@api_spec.validate(resp=Response(HTTP_200=CountyOut), tags=["counties"])
def get_county(county_id: int):
    """One of the caller's counties."""
    return dump(CountyOut, counties.county_for(actor(), "county.read", county_id))


@bp.patch("/counties/<int:county_id>")
@api_spec.validate(resp=Response(HTTP_200=CountyOut), tags=["counties"])
def update_county(county_id: int, json: CountyPatch):
    """Change one of the caller's counties."""
    return dump(CountyOut, counties.update_county(actor(), county_id, patch_changes(json)))


@bp.delete("/counties/<int:county_id>")
@api_spec.validate(resp=Response("HTTP_204"), tags=["counties"])
def delete_county(county_id: int):
    """Delete a county without products (admins; 409 while it has products)."""
    counties.delete_county(actor(), county_id)
    return "", 204


@bp.post("/counties/<int:county_id>/commissioners")
@api_spec.validate(resp=Response(HTTP_201=AssignmentOut), tags=["counties"])
def assign_commissioner(county_id: int, json: AssignIn):
    """Assign a commissioner to the county (admins; 409 when already assigned)."""
    row = done(counties.assign(actor(), county_id, json.user_id))
    return {"county_id": row.county_id, "user_id": row.user_id}, 201


@bp.delete("/counties/<int:county_id>/commissioners/<int:user_id>")
@api_spec.validate(resp=Response("HTTP_204"), tags=["counties"])
def unassign_commissioner(county_id: int, user_id: int):
    """Take a commissioner off the county (admins)."""
    done(counties.unassign(actor(), county_id, user_id))
    return "", 204
