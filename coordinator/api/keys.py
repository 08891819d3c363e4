"""Ingest keys for sales platforms and screen links for campaigns, managed by commissioners."""
from __future__ import annotations

from datetime import datetime
from typing import Annotated, Optional

from pydantic import BaseModel, Field, StringConstraints
from spectree import Response

from coordinator.api import bp
from coordinator.api.auth import caller, requires
from coordinator.api.common import dump
from coordinator.api.spec import api_spec
from coordinator.api.validation import RequestModel
from coordinator.domain.enums import Role
from coordinator.services import campaigns, keys

Name = Annotated[str, StringConstraints(strict=True, strip_whitespace=True, min_length=1, max_length=120)]


class KeyIn(RequestModel):
    """A name saying which platform will sign with the key."""

    name: Name


class RotateIn(RequestModel):
    """How long the old secret stays valid."""

    grace_hours: Annotated[int, Field(strict=True, ge=0, le=720)] = 24


class KeyOut(BaseModel):
    """An ingest key; its secret is shown only when made or rotated."""

    id: int
    key_id: str
    name: str
    created_at: datetime
    revoked_at: Optional[datetime]
    previous_valid_until: Optional[datetime]


class KeyWithSecret(KeyOut):
    """An ingest key with the secret to give to the platform, shown this once."""

    secret: str


class KeyList(BaseModel):
    """Every ingest key."""

    keys: list[KeyOut]


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


@bp.get("/ingest-keys")
@requires(Role.COMMISSIONER)
@api_spec.validate(resp=Response(HTTP_200=KeyList), tags=["keys"])
def list_keys():
    """Every ingest key, newest first."""
    return {"keys": [dump(KeyOut, key) for key in keys.list_ingest_keys()]}


@bp.post("/ingest-keys")
@requires(Role.COMMISSIONER)
@api_spec.validate(resp=Response(HTTP_201=KeyWithSecret), tags=["keys"])
def create_key(json: KeyIn):
    """Make an ingest key for a sales platform."""
    key, secret = keys.create_ingest_key(json.name, created_by=caller())
    return {**dump(KeyOut, key), "secret": secret}, 201


@bp.post("/ingest-keys/<int:key_id>/rotate")
@requires(Role.COMMISSIONER)
@api_spec.validate(resp=Response(HTTP_200=KeyWithSecret), tags=["keys"])
def rotate_key(key_id: int, json: RotateIn):
    """A new secret; the old one keeps working for grace_hours while the platform switches."""
    key, secret = keys.rotate_ingest_key(caller(), key_id, json.grace_hours)
    return {**dump(KeyOut, key), "secret": secret}


@bp.post("/ingest-keys/<int:key_id>/revoke")
@requires(Role.COMMISSIONER)
@api_spec.validate(resp=Response(HTTP_200=KeyOut), tags=["keys"])
def revoke_key(key_id: int):
    """Refuse sales signed with this key from now on."""
    return dump(KeyOut, keys.revoke_ingest_key(caller(), key_id))


@bp.get("/campaigns/<int:campaign_id>/screens")
@requires(Role.COMMISSIONER)
@api_spec.validate(resp=Response(HTTP_200=ScreenList), tags=["keys"])
def list_screens(campaign_id: int):
    """A campaign's screen links."""
    campaigns.get_campaign(campaign_id)
    return {"screens": [dump(ScreenOut, row) for row in keys.list_screen_tokens(campaign_id)]}


@bp.post("/campaigns/<int:campaign_id>/screens")
@requires(Role.COMMISSIONER)
@api_spec.validate(resp=Response(HTTP_201=NewScreen), tags=["keys"])
def create_screen(campaign_id: int, json: KeyIn):
    """Make a screen link for a display in a county office or war room."""
    row, token = keys.create_screen_token(campaign_id, json.name)
    return {**dump(ScreenOut, row), "path": f"/screen/{token}"}, 201


@bp.post("/screens/<int:screen_id>/revoke")
@requires(Role.COMMISSIONER)
@api_spec.validate(resp=Response(HTTP_200=ScreenOut), tags=["keys"])
def revoke_screen(screen_id: int):
    """Turn a screen link off."""
    return dump(ScreenOut, keys.revoke_screen_token(screen_id))
