"""GET /api/v1/me: who the token belongs to."""
from __future__ import annotations

from typing import Optional

from pydantic import BaseModel
from spectree import Response

from coordinator.api import bp
from coordinator.api.auth import actor
from coordinator.api.spec import api_spec
from coordinator.services import accounts


class MeOut(BaseModel):
    """The caller's account; members and assignments name users by this id."""

    id: int
    username: str
    role: str
    is_admin: bool
    streamer_id: Optional[int]


@bp.get("/me")
@api_spec.validate(resp=Response(HTTP_200=MeOut), tags=["account"])
def get_me():
    """The account behind the API token."""
    user = accounts.own_account(actor())
    return MeOut(id=user.id, username=user.username, role=user.role, is_admin=user.is_admin,
                 streamer_id=user.streamer_id).model_dump()
