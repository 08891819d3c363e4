"""Campaigns: /api/v1/campaigns, their lifecycle and audit trail."""
from __future__ import annotations

from datetime import datetime
from typing import Annotated, Any, Optional

from pydantic import BaseModel, Field, StringConstraints
from spectree import Response

from coordinator.api import bp
from coordinator.api.auth import actor
from coordinator.api.common import ListQuery, PageOut, dump, page_body, patch_changes
from coordinator.api.spec import api_spec
from coordinator.api.validation import AwareTime, Fen, RequestModel
from coordinator.domain.enums import CampaignStatus
from coordinator.edge import done, settings
from coordinator.services import campaigns, coverage

Name = Annotated[str, StringConstraints(strict=True, strip_whitespace=True, min_length=1, max_length=200)]
Description = Annotated[str, StringConstraints(strict=True, max_length=5000)]
MinAgri = Annotated[int, Field(ge=0, le=50, strict=True)]
MaxProducts = Annotated[int, Field(ge=1, le=50, strict=True)]


class CampaignIn(RequestModel):
    """A campaign to create (CONTRACT section 2); times need an offset."""

    name: Name
    starts_at: AwareTime
    ends_at: AwareTime
    min_agri_products_per_session: MinAgri = 1
    max_products_per_session: MaxProducts = 5
    description: Description = ""
    target_net_fen: Optional[Fen] = None


class CampaignPatch(RequestModel):
    """Fields of a campaign to change."""

    name: Optional[Name] = None
    starts_at: Optional[AwareTime] = None
    ends_at: Optional[AwareTime] = None
    min_agri_products_per_session: Optional[MinAgri] = None
    max_products_per_session: Optional[MaxProducts] = None
    description: Optional[Description] = None
    target_net_fen: Optional[Fen] = None


class StatusIn(RequestModel):
    """The status to move a campaign to."""

    status: CampaignStatus


class CampaignOut(BaseModel):
    """A campaign."""

    id: int
    name: str
    description: str
    starts_at: datetime
    ends_at: datetime
    min_agri_products_per_session: int
    max_products_per_session: int
    target_net_fen: Optional[int]
    status: str
    owner_id: Optional[int]
    created_at: datetime


class CampaignQuery(ListQuery):
    """Filters of the campaign list."""

    status: Optional[CampaignStatus] = None


class CampaignPage(PageOut):
    """A page of campaigns."""

    items: list[CampaignOut]


class AuditOut(BaseModel):
    """One change: who, when, what, before and after."""

    id: int
    at: datetime
    user_id: Optional[int]
    action: str
    entity_type: str
    entity_id: int
    before: Optional[dict[str, Any]]
    after: Optional[dict[str, Any]]


class AuditList(BaseModel):
    """A campaign's audit trail, newest first."""

    entries: list[AuditOut]


class CountyCoverageOut(BaseModel):
    """How one county's products are carried."""

    county_id: int
    name: str
    products: int
    streamers: int
    sessions: int
    covered: bool


class SessionCheckOut(BaseModel):
    """A session's lineup against the rules."""

    session_id: int
    agri_products: int
    products: int
    ok: bool
    problems: list[str]


class CoverageOut(BaseModel):
    """Counties carried and sessions keeping the campaign's rules."""

    counties: list[CountyCoverageOut]
    sessions: list[SessionCheckOut]


@bp.post("/campaigns")
@api_spec.validate(resp=Response(HTTP_201=CampaignOut), tags=["campaigns"])
def create_campaign(json: CampaignIn):
    """Create a campaign (status draft, usable at once); the caller owns it."""
    return dump(CampaignOut, campaigns.create_campaign(actor(), json.model_dump())), 201


@bp.get("/campaigns")
@api_spec.validate(resp=Response(HTTP_200=CampaignPage), tags=["campaigns"])
def list_campaigns(query: CampaignQuery):
    """The campaigns the caller may see: their teams', their counties', open ones; a host's own."""
    page = campaigns.list_campaigns(actor(), query.page, query.per_page, query.sort, query.q,
                                    query.status.value if query.status else None)
    return page_body(CampaignOut, page)


@bp.get("/campaigns/<int:campaign_id>")
@api_spec.validate(resp=Response(HTTP_200=CampaignOut), tags=["campaigns"])
def get_campaign(campaign_id: int):
    """One campaign's name, window and rules, for whoever may see it."""
    return dump(CampaignOut, campaigns.read_campaign(actor(), campaign_id)[0])


@bp.patch("/campaigns/<int:campaign_id>")
@api_spec.validate(resp=Response(HTTP_200=CampaignOut), tags=["campaigns"])
def update_campaign(campaign_id: int, json: CampaignPatch):
    """Change a campaign that is not closed (its owner, editors or an admin)."""
    changes = patch_changes(json, nullable=frozenset({"target_net_fen"}))
    return dump(CampaignOut, campaigns.update_campaign(actor(), campaign_id, changes))


@bp.post("/campaigns/<int:campaign_id>/status")
@api_spec.validate(resp=Response(HTTP_200=CampaignOut), tags=["campaigns"])
def set_campaign_status(campaign_id: int, json: StatusIn):
    """Move a campaign along draft → published → live → closed (409 for steps that make no sense)."""
    return dump(CampaignOut, done(campaigns.transition(actor(), settings(), campaign_id, json.status.value)))


@bp.delete("/campaigns/<int:campaign_id>")
@api_spec.validate(resp=Response("HTTP_204"), tags=["campaigns"])
def delete_campaign(campaign_id: int):
    """Delete a campaign without sessions or sales (409 otherwise: close it)."""
    campaigns.delete_campaign(actor(), campaign_id)
    return "", 204


@bp.get("/campaigns/<int:campaign_id>/audit")
@api_spec.validate(resp=Response(HTTP_200=AuditList), tags=["campaigns"])
def campaign_audit(campaign_id: int):
    """Every change to the campaign and to what is enrolled in it, newest first (its team)."""
    return {"entries": [dump(AuditOut, row.entry) for row in campaigns.campaign_audit(actor(), campaign_id)]}


@bp.get("/campaigns/<int:campaign_id>/coverage")
@api_spec.validate(resp=Response(HTTP_200=CoverageOut), tags=["campaigns"])
def campaign_coverage(campaign_id: int):
    """Which counties have streamers, and which sessions keep "at least N agricultural products" (its team)."""
    who = actor()
    return {
        "counties": [{"county_id": c.county_id, "name": c.name, "products": c.products, "streamers": len(c.streamers),
                      "sessions": len(c.sessions), "covered": c.covered} for c in coverage.counties(who, campaign_id)],
        "sessions": [{"session_id": s.session_id, "agri_products": s.agri_products, "products": s.products,
                      "ok": s.ok, "problems": s.problems} for s in coverage.sessions(who, campaign_id)],
    }
