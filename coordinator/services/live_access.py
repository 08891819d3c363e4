"""Who is connected to /live, by which credential, and what each may watch: asked again at every subscribe and
whenever access changes, so a revoked token, link or login stops watching at once."""
from __future__ import annotations

from dataclasses import dataclass

from sqlalchemy import select

from coordinator.domain import access_filters
from coordinator.domain.access_facts import Actor
from coordinator.domain.errors import DomainError
from coordinator.extensions import db
from coordinator.models import ApiToken, Campaign, LiveSession, LoginSession, ScreenToken, User
from coordinator.services import access, accounts, logins, screen_links, tallies

SCREEN_PREFIX = "lcc_screen_"


@dataclass(frozen=True)
class Viewer:
    """A connected client: the credential it connected with ("api", "login" or "screen", and its row id)."""

    kind: str
    credential_id: int
    streamer_id: int | None = None


@dataclass(frozen=True)
class Grant:
    """A subscription the policy allows: the scope, its campaign and whether the viewer plans it."""

    scope: str
    scope_id: int
    campaign_id: int
    planner: bool
    partner_county_ids: frozenset[int]


def identify(token: str | None, login_token: str | None) -> Viewer | None:
    """The viewer behind an API token, a screen link or a page's login session; None when nobody."""
    try:
        if token:
            if token.startswith(SCREEN_PREFIX):
                return Viewer("screen", screen_links.screen_for_token(token).id)
            user, row = accounts.token_for(token)
            return Viewer("api", row.id, user.streamer_id)
    except DomainError:
        return None
    if login_token:
        session_id = logins.session_id_for(login_token)
        if session_id is not None:
            user = db.session.scalar(select(User).join(LoginSession, LoginSession.user_id == User.id)
                                     .where(LoginSession.id == session_id, User.active))
            if user is not None:
                return Viewer("login", session_id, user.streamer_id)
    return None


def actor_of(viewer: Viewer) -> Actor | None:
    """The viewer's actor as the database has it now; None once its credential no longer holds."""
    if viewer.kind == "screen":
        row = db.session.get(ScreenToken, viewer.credential_id)
        return access.screen_actor(row) if row is not None and row.revoked_at is None else None
    if viewer.kind == "api":
        user = db.session.scalar(select(User).join(ApiToken, ApiToken.user_id == User.id).where(
            ApiToken.id == viewer.credential_id, ApiToken.revoked_at.is_(None), User.active))
    else:
        user = db.session.scalar(select(User).join(LoginSession, LoginSession.user_id == User.id).where(
            LoginSession.id == viewer.credential_id, LoginSession.ended_at.is_(None), User.active))
    return access.actor_for(user) if user is not None else None


def authorize(viewer: Viewer, scope: str, scope_id: int) -> Grant | None:
    """The grant to watch a campaign or a session, re-checked against the database; None when refused."""
    actor = actor_of(viewer)
    if actor is None:
        return None
    if scope == "session":
        session = db.session.get(LiveSession, scope_id)
        if session is None:
            return None
        facts = access.session_facts(actor, session)
        if not access.allowed(actor, "item.tally", facts):
            return None
        return Grant("session", session.id, session.campaign_id, False, frozenset())
    campaign = db.session.get(Campaign, scope_id)
    if campaign is None:
        return None
    facts = access.campaign_facts(actor, campaign)
    if not access.allowed(actor, "campaign.tally", facts):
        return None
    planner = access.allowed(actor, "campaign.read", facts)
    partner = frozenset() if planner else access_filters.visible_items(actor, facts).county_ids
    return Grant("campaign", campaign.id, campaign.id, planner, partner)


def snapshot_for(grant: Grant) -> dict:
    """The granted scope's full snapshot (and a session's status)."""
    snapshot = tallies.read_snapshot(grant.scope, grant.scope_id)
    if grant.scope == "session":
        db.session.rollback()  # end the read: the status must be as fresh as the room just joined
        return {"snapshot": snapshot, "status": db.session.get(LiveSession, grant.scope_id).status}
    return {"snapshot": snapshot}


def still_allowed(viewer: Viewer, subscriptions: set[tuple[str, int]]) -> bool:
    """Whether a connected viewer's credential still holds and it may still watch everything it subscribed to."""
    if actor_of(viewer) is None:
        return False
    return all(authorize(viewer, scope, scope_id) is not None for scope, scope_id in subscriptions)


def current_epoch() -> int:
    """The access epoch now (see AccessEpoch)."""
    return access.current_epoch()
