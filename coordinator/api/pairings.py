"""Pairings: the engine run, the board's data, manual changes and streamers' answers."""
from __future__ import annotations

from datetime import datetime
from typing import Annotated

from pydantic import BaseModel, StringConstraints
from spectree import Response

from coordinator.api import bp
from coordinator.api.auth import actor
from coordinator.api.common import dump
from coordinator.api.spec import api_spec
from coordinator.api.validation import RequestModel, StrictInt
from coordinator.edge import done, settings
from coordinator.services import pairings


class PairingOut(BaseModel):
    """A pairing (CONTRACT section 2 shape plus its id, state and campaign)."""

    id: int
    campaign_id: int
    streamer_id: int
    product_id: int
    score: float
    reasons: list[str]
    status: str
    source: str
    decline_reason: str
    updated_at: datetime


class UncoveredOut(BaseModel):
    """A county no streamer carries, and why."""

    county_id: int
    name: str
    reason: str


class PairingList(BaseModel):
    """A campaign's pairings."""

    pairings: list[PairingOut]


class RunOut(PairingList):
    """An engine run: its pairings and the counties it could not cover."""

    uncovered_counties: list[UncoveredOut]


class ManualIn(RequestModel):
    """A pairing made by hand."""

    streamer_id: StrictInt
    product_id: StrictInt


class DeclineIn(RequestModel):
    """Why the streamer declines."""

    reason: Annotated[str, StringConstraints(strict=True, strip_whitespace=True, min_length=1, max_length=500)]


def _list(rows) -> dict:
    return {"pairings": [dump(PairingOut, row) for row in rows]}


@bp.post("/campaigns/<int:campaign_id>/pairings/auto")
@api_spec.validate(resp=Response(HTTP_200=RunOut), tags=["pairings"])
def auto_pair(campaign_id: int):
    """Run the pairing engine; accepted, locked and hand-made pairings stay, declined ones never return (422 when
    the rules cannot be met, with the reason)."""
    outcome = done(pairings.run(actor(), settings(), campaign_id))
    return {**_list(outcome.pairings), "uncovered_counties": [
        {"county_id": c.county_id, "name": c.county_name, "reason": c.reason} for c in outcome.uncovered]}


@bp.get("/campaigns/<int:campaign_id>/pairings")
@api_spec.validate(resp=Response(HTTP_200=PairingList), tags=["pairings"])
def list_pairings(campaign_id: int):
    """A campaign's pairings: all for its team, a partner's products' for a county partner, a host's own."""
    return _list(pairings.campaign_pairings(actor(), campaign_id))


@bp.post("/campaigns/<int:campaign_id>/pairings")
@api_spec.validate(resp=Response(HTTP_201=PairingOut), tags=["pairings"])
def add_pairing(campaign_id: int, json: ManualIn):
    """Pair a streamer with a product by hand."""
    row = done(pairings.add_manual(actor(), settings(), campaign_id, json.streamer_id, json.product_id))
    return dump(PairingOut, row), 201


@bp.post("/pairings/<int:pairing_id>/lock")
@api_spec.validate(resp=Response(HTTP_200=PairingOut), tags=["pairings"])
def lock_pairing(pairing_id: int):
    """Lock a pairing so later runs keep it."""
    return dump(PairingOut, done(pairings.set_locked(actor(), pairing_id, True)))


@bp.post("/pairings/<int:pairing_id>/unlock")
@api_spec.validate(resp=Response(HTTP_200=PairingOut), tags=["pairings"])
def unlock_pairing(pairing_id: int):
    """Unlock a pairing back to a proposal."""
    return dump(PairingOut, done(pairings.set_locked(actor(), pairing_id, False)))


@bp.delete("/pairings/<int:pairing_id>")
@api_spec.validate(resp=Response("HTTP_204"), tags=["pairings"])
def remove_pairing(pairing_id: int):
    """Remove a pairing."""
    done(pairings.remove(actor(), pairing_id))
    return "", 204


@bp.get("/me/pairings")
@api_spec.validate(resp=Response(HTTP_200=PairingList), tags=["me"])
def my_pairings():
    """The calling streamer's own pairings in every campaign."""
    return _list([row for row, _product, _campaign in pairings.streamer_pairings(actor())])


@bp.post("/pairings/<int:pairing_id>/accept")
@api_spec.validate(resp=Response(HTTP_200=PairingOut), tags=["me"])
def accept_pairing(pairing_id: int):
    """The paired streamer accepts."""
    return dump(PairingOut, done(pairings.respond(actor(), settings(), pairing_id, True)))


@bp.post("/pairings/<int:pairing_id>/decline")
@api_spec.validate(resp=Response(HTTP_200=PairingOut), tags=["me"])
def decline_pairing(pairing_id: int, json: DeclineIn):
    """The paired streamer declines, saying why; the engine will not propose it again."""
    return dump(PairingOut, done(pairings.respond(actor(), settings(), pairing_id, False, json.reason)))
