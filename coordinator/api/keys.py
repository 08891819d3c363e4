"""Ingest keys for sales platforms, each for the campaigns it names (an admin's may post for all)."""
from __future__ import annotations

from datetime import datetime
from typing import Annotated, Optional

from pydantic import BaseModel, Field, StringConstraints
from spectree import Response

from coordinator.api import bp
from coordinator.api.auth import actor
from coordinator.api.common import dump
from coordinator.api.spec import api_spec
from coordinator.api.validation import RequestModel, StrictInt
from coordinator.services import keys

Name = Annotated[str, StringConstraints(strict=True, strip_whitespace=True, min_length=1, max_length=120)]


class KeyIn(RequestModel):
    """A name saying which platform will sign with the key, and the campaigns it posts for."""

    name: Name
    campaign_ids: Optional[Annotated[list[StrictInt], Field(min_length=1, max_length=100)]] = Field(
        None, description="campaigns you own or edit; leave out for every campaign (admins only)")


class RotateIn(RequestModel):
    """How long the old secret stays valid."""

    grace_hours: Annotated[int, Field(strict=True, ge=0, le=720)] = 24


class KeyOut(BaseModel):
    """An ingest key; its secret is shown only when made or rotated."""

    id: int
    key_id: str
    name: str
    campaign_ids: Optional[list[int]]
    created_at: datetime
    revoked_at: Optional[datetime]
    previous_valid_until: Optional[datetime]


class KeyWithSecret(KeyOut):
    """An ingest key with the secret to give to the platform, shown this once."""

    secret: str


class KeyList(BaseModel):
    """The ingest keys the caller may see."""

    keys: list[KeyOut]


def _out(key, campaign_ids: list[int] | None = None) -> dict:
    ids = None if key.all_campaigns else (campaign_ids if campaign_ids is not None else keys.campaign_ids_of(key))
    return dump(KeyOut, {**{name: getattr(key, name) for name in KeyOut.model_fields if name != "campaign_ids"},
                         "campaign_ids": ids})


@bp.get("/ingest-keys")
@api_spec.validate(resp=Response(HTTP_200=KeyList), tags=["keys"])
def list_keys():
    """The keys the caller made or that post for their teams' campaigns (all for admins), newest first."""
    return {"keys": [_out(row.key, row.campaign_ids) for row in keys.list_ingest_keys(actor())]}


@bp.post("/ingest-keys")
@api_spec.validate(resp=Response(HTTP_201=KeyWithSecret), tags=["keys"])
def create_key(json: KeyIn):
    """Make an ingest key for the named campaigns (campaign_ids: null means every campaign, admins only)."""
    key, secret = keys.create_ingest_key(actor(), json.name, json.campaign_ids)
    return {**_out(key), "secret": secret}, 201


@bp.post("/ingest-keys/<int:key_id>/rotate")
@api_spec.validate(resp=Response(HTTP_200=KeyWithSecret), tags=["keys"])
def rotate_key(key_id: int, json: RotateIn):
    """A new secret; the old one keeps working for grace_hours while the platform switches."""
    key, secret = keys.rotate_ingest_key(actor(), key_id, json.grace_hours)
    return {**_out(key), "secret": secret}


@bp.post("/ingest-keys/<int:key_id>/revoke")
@api_spec.validate(resp=Response(HTTP_200=KeyOut), tags=["keys"])
def revoke_key(key_id: int):
    """Refuse sales signed with this key from now on."""
    return _out(keys.revoke_ingest_key(actor(), key_id))
