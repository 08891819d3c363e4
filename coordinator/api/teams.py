"""A campaign's team: /api/v1/campaigns/{id}/members (the owner adds and removes editors and viewers)."""
from __future__ import annotations

from typing import Literal

from pydantic import BaseModel
from spectree import Response

from coordinator.api import bp
from coordinator.api.auth import actor
from coordinator.api.spec import api_spec
from coordinator.api.validation import RequestModel, StrictInt
from coordinator.edge import done
from coordinator.services import teams


class MemberIn(RequestModel):
    """A commissioner to put on the team, by their user id (GET /api/v1/me answers it)."""

    user_id: StrictInt
    role: Literal["editor", "viewer"]


class MemberOut(BaseModel):
    """Someone on the team: the owner, an editor or a viewer."""

    user_id: int
    username: str
    role: str


class MemberList(BaseModel):
    """The team, owner first."""

    members: list[MemberOut]


def _out(member: teams.Member) -> dict:
    return MemberOut(user_id=member.user_id, username=member.username, role=member.role).model_dump()


@bp.get("/campaigns/<int:campaign_id>/members")
@api_spec.validate(resp=Response(HTTP_200=MemberList), tags=["campaigns"])
def list_members(campaign_id: int):
    """The campaign's team (for its members and admins)."""
    return {"members": [_out(m) for m in teams.members(actor(), campaign_id)]}


@bp.post("/campaigns/<int:campaign_id>/members")
@api_spec.validate(resp=Response(HTTP_201=MemberOut), tags=["campaigns"])
def add_member(campaign_id: int, json: MemberIn):
    """Add an editor or viewer (the owner or an admin); a member already there changes role."""
    return _out(done(teams.add_member(actor(), campaign_id, json.user_id, json.role))), 201


@bp.delete("/campaigns/<int:campaign_id>/members/<int:user_id>")
@api_spec.validate(resp=Response("HTTP_204"), tags=["campaigns"])
def remove_member(campaign_id: int, user_id: int):
    """Take an editor or viewer off the team (the owner or an admin)."""
    done(teams.remove_member(actor(), campaign_id, user_id))
    return "", 204
