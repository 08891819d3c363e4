"""Tally snapshots: GET /api/v1/campaigns/{id}/tally and /sessions/{id}/tally (CONTRACT section 4's shape)."""
from __future__ import annotations

from typing import Any

from pydantic import BaseModel
from spectree import Response

from coordinator.api import bp
from coordinator.api.auth import caller, requires
from coordinator.api.spec import api_spec
from coordinator.domain.errors import NotFound
from coordinator.services import live_access, tallies


class TallyOut(BaseModel):
    """A snapshot: totals and leaderboards, largest net first, at most 20 rows each."""

    scope: str
    id: int
    seq: int
    totals: dict[str, int]
    by_county: list[dict[str, Any]]
    by_streamer: list[dict[str, Any]]
    by_product: list[dict[str, Any]]
    at: str


def _viewer():
    user = caller()
    return live_access.Viewer("user", user.id, user.is_commissioner, user.streamer_id)


@bp.get("/campaigns/<int:campaign_id>/tally")
@requires()
@api_spec.validate(resp=Response(HTTP_200=TallyOut), tags=["tallies"])
def campaign_tally(campaign_id: int):
    """A campaign's tally; a streamer reads only campaigns it is enrolled in."""
    if live_access.may_watch(_viewer(), campaign_id, None) is None:
        raise NotFound(f"There is no campaign {campaign_id}.")
    return tallies.read_snapshot("campaign", campaign_id)


@bp.get("/sessions/<int:session_id>/tally")
@requires()
@api_spec.validate(resp=Response(HTTP_200=TallyOut), tags=["tallies"])
def session_tally(session_id: int):
    """A session's tally; a streamer reads only its own sessions."""
    if live_access.may_watch(_viewer(), None, session_id) is None:
        raise NotFound(f"There is no session {session_id}.")
    return tallies.read_snapshot("session", session_id)
