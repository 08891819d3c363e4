"""Tally snapshots: GET /api/v1/campaigns/{id}/tally and /sessions/{id}/tally (CONTRACT section 4's shape)."""
from __future__ import annotations

from typing import Any

from pydantic import BaseModel
from spectree import Response

from coordinator.api import bp
from coordinator.api.auth import actor
from coordinator.api.spec import api_spec
from coordinator.services import tallies


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


@bp.get("/campaigns/<int:campaign_id>/tally")
@api_spec.validate(resp=Response(HTTP_200=TallyOut), tags=["tallies"])
def campaign_tally(campaign_id: int):
    """A campaign's tally: for its team, county partners and hosts."""
    return tallies.campaign_tally(actor(), campaign_id)


@bp.get("/sessions/<int:session_id>/tally")
@api_spec.validate(resp=Response(HTTP_200=TallyOut), tags=["tallies"])
def session_tally(session_id: int):
    """A session's tally: for its campaign's team, the partner of its products' counties, and its host."""
    return tallies.session_tally(actor(), session_id)
