"""A streamer's one-time login links and sign-out-everywhere: for their manager and admins only."""
from __future__ import annotations

from datetime import datetime
from typing import Optional

from pydantic import BaseModel
from spectree import Response

from coordinator.api import bp
from coordinator.api.auth import actor
from coordinator.api.spec import api_spec
from coordinator.edge import done, settings
from coordinator.services import login_links


class NewLinkOut(BaseModel):
    """A link to send the host, shown this once: it logs them in once, until it expires."""

    url: str
    expires_at: datetime
    account_created: bool


class LinkOut(BaseModel):
    """A link as listed: never its token."""

    id: int
    prefix: str
    state: str
    created_at: datetime
    expires_at: datetime
    used_at: Optional[datetime]
    revoked_at: Optional[datetime]
    made_by: str


class LinkList(BaseModel):
    """A streamer's links, newest first."""

    links: list[LinkOut]


class SignedOutOut(BaseModel):
    """Whether the streamer had an account to sign out."""

    signed_out: bool


def _link(row: login_links.LinkRow) -> dict:
    link = row.link
    return LinkOut(id=link.id, prefix=link.prefix, state=row.state.value, created_at=link.created_at,
                   expires_at=link.expires_at, used_at=link.used_at, revoked_at=link.revoked_at,
                   made_by=row.made_by).model_dump(mode="json")


@bp.post("/streamers/<int:streamer_id>/login-links")
@api_spec.validate(resp=Response(HTTP_201=NewLinkOut), tags=["streamers"])
def create_login_link(streamer_id: int):
    """Make a one-time login link for a streamer you manage (their account is made if they have none)."""
    issued = login_links.create_link(actor(), settings(), streamer_id)
    return NewLinkOut(url=f"/login/link/{issued.token}", expires_at=issued.expires_at,
                      account_created=issued.account_created).model_dump(mode="json"), 201


@bp.get("/streamers/<int:streamer_id>/login-links")
@api_spec.validate(resp=Response(HTTP_200=LinkList), tags=["streamers"])
def list_login_links(streamer_id: int):
    """A streamer's login links with their state and maker."""
    return {"links": [_link(row) for row in login_links.link_rows(actor(), streamer_id)[1]]}


@bp.post("/streamers/<int:streamer_id>/login-links/<int:link_id>/revoke")
@api_spec.validate(resp=Response(HTTP_200=LinkOut), tags=["streamers"])
def revoke_login_link(streamer_id: int, link_id: int):
    """Turn off a link nobody has used yet (a used or expired one stays as it is)."""
    link = login_links.revoke_link(actor(), streamer_id, link_id)
    return _link(login_links.row_of(link))


@bp.post("/streamers/<int:streamer_id>/sign-out-everywhere")
@api_spec.validate(resp=Response(HTTP_200=SignedOutOut), tags=["streamers"])
def sign_out_everywhere(streamer_id: int):
    """Log the streamer out of every browser and phone and revoke their API tokens."""
    _streamer, had_account = done(login_links.sign_out_everywhere(actor(), streamer_id))
    return {"signed_out": had_account}
