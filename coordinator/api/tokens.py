"""The caller's own API tokens: create (shown once), list, revoke."""
from __future__ import annotations

from datetime import datetime
from typing import Optional

from pydantic import BaseModel, Field
from spectree import Response

from coordinator.api import bp
from coordinator.api.auth import actor
from coordinator.api.spec import api_spec
from coordinator.api.validation import RequestModel, StrictStr
from coordinator.edge import done
from coordinator.services import accounts


class TokenIn(RequestModel):
    """A name that says where the token will be used."""

    name: StrictStr = Field(min_length=1, max_length=120)


class TokenOut(BaseModel):
    """A token as listed: never the secret itself."""

    id: int
    name: str
    prefix: str
    created_at: datetime
    revoked_at: Optional[datetime]


class NewTokenOut(TokenOut):
    """A token just made: the only time its secret is shown."""

    token: str


class TokenList(BaseModel):
    """The caller's tokens, newest first."""

    tokens: list[TokenOut]


def _out(row) -> dict:
    return TokenOut.model_validate(row, from_attributes=True).model_dump(mode="json")


@bp.get("/me/tokens")
@api_spec.validate(resp=Response(HTTP_200=TokenList), tags=["account"])
def list_tokens():
    """The caller's API tokens, revoked ones included."""
    return {"tokens": [_out(row) for row in accounts.list_api_tokens(actor())]}


@bp.post("/me/tokens")
@api_spec.validate(resp=Response(HTTP_201=NewTokenOut), tags=["account"])
def create_token(json: TokenIn):
    """Make a new API token for the caller; the answer is the only place it appears."""
    row, secret = accounts.issue_api_token(actor(), json.name)
    return {**_out(row), "token": secret}, 201


@bp.post("/me/tokens/<int:token_id>/revoke")
@api_spec.validate(resp=Response(HTTP_200=TokenOut), tags=["account"])
def revoke_token(token_id: int):
    """Revoke one of the caller's tokens (revoking the one in use is allowed); its sockets are cut."""
    return _out(done(accounts.revoke_api_token(actor(), token_id)))
