"""Screen links of a campaign: made and revoked by its team, shown once."""
from __future__ import annotations

from datetime import datetime
from typing import Annotated, Optional

from pydantic import BaseModel, StringConstraints
from spectree import Response

from coordinator.api import bp
from coordinator.api.auth import actor
from coordinator.api.common import dump
from coordinator.api.spec import api_spec
from coordinator.api.validation import RequestModel
from coordinator.edge import done
from coordinator.services import screen_links

Name = Annotated[str, StringConstraints(strict=True, strip_whitespace=True, min_length=1, max_length=120)]


class ScreenIn(RequestModel):
    """What the display is, e.g. the county office's screen."""

    name: Name


class ScreenOut(BaseModel):
    """A screen link; only its first characters are kept."""

    id: int
    campaign_id: int
    name: str
    prefix: str
    created_at: datetime
    revoked_at: Optional[datetime]


class NewScreen(ScreenOut):
    """A screen link just made: the path to open on the display, shown this once."""

    path: str


class ScreenList(BaseModel):
    """A campaign's screen links."""

    screens: list[ScreenOut]


@bp.get("/campaigns/<int:campaign_id>/screens")
@api_spec.validate(resp=Response(HTTP_200=ScreenList), tags=["keys"])
def list_screens(campaign_id: int):
    """A campaign's screen links (its team)."""
    return {"screens": [dump(ScreenOut, row) for row in screen_links.list_screen_tokens(actor(), campaign_id)]}


@bp.post("/campaigns/<int:campaign_id>/screens")
@api_spec.validate(resp=Response(HTTP_201=NewScreen), tags=["keys"])
def create_screen(campaign_id: int, json: ScreenIn):
    """Make a screen link for a display in a county office or war room (the owner, editors or an admin)."""
    row, token = screen_links.create_screen_token(actor(), campaign_id, json.name)
    return {**dump(ScreenOut, row), "path": f"/screen/{token}"}, 201


@bp.post("/screens/<int:screen_id>/revoke")
@api_spec.validate(resp=Response(HTTP_200=ScreenOut), tags=["keys"])
def revoke_screen(screen_id: int):
    """Turn a screen link off; a display showing it is cut off within seconds."""
    return dump(ScreenOut, done(screen_links.revoke_screen_token(actor(), screen_id)))
