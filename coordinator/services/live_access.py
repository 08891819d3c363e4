"""Who may connect to /live and which tallies each viewer may watch."""
from __future__ import annotations

from dataclasses import dataclass

from coordinator.domain.errors import DomainError
from coordinator.extensions import db
from coordinator.models import CampaignStreamer, LiveSession, User
from coordinator.services import accounts, keys


@dataclass(frozen=True)
class Viewer:
    """A connected client: a user (by token or login cookie) or a screen bound to one campaign."""

    kind: str
    user_id: int | None = None
    is_commissioner: bool = False
    streamer_id: int | None = None
    campaign_id: int | None = None


def identify(token: str | None, cookie_user: User | None) -> Viewer | None:
    """The viewer behind an API token, a screen token or a logged-in page; None when nobody."""
    if token:
        try:
            if token.startswith("lcc_screen_"):
                return Viewer("screen", campaign_id=keys.screen_for_token(token).campaign_id)
            user = accounts.user_for_api_token(token)
        except DomainError:
            return None
    elif cookie_user is not None and cookie_user.is_authenticated:
        user = cookie_user
    else:
        return None
    return Viewer("user", user.id, user.is_commissioner, user.streamer_id)


def may_watch(viewer: Viewer, campaign_id: int | None, session_id: int | None) -> int | None:
    """The campaign id of the scope when the viewer may watch it, else None (unknown scopes too)."""
    if session_id is not None:
        session = db.session.get(LiveSession, session_id)
        if session is None:
            return None
        allowed = (viewer.is_commissioner or (viewer.kind == "screen" and viewer.campaign_id == session.campaign_id)
                   or (viewer.streamer_id is not None and viewer.streamer_id == session.streamer_id))
        return session.campaign_id if allowed else None
    from coordinator.models import Campaign

    if campaign_id is None or db.session.get(Campaign, campaign_id) is None:
        return None
    if viewer.is_commissioner or (viewer.kind == "screen" and viewer.campaign_id == campaign_id):
        return campaign_id
    if viewer.streamer_id is not None and db.session.get(CampaignStreamer, (campaign_id, viewer.streamer_id)):
        return campaign_id
    return None
