"""One-time login links a commissioner sends a streamer: made, audited, and redeemed exactly once."""
from __future__ import annotations

from dataclasses import dataclass
from datetime import datetime

from sqlalchemy import select, update

from coordinator import clock
from coordinator.domain import portal
from coordinator.domain import secrets as secret_rules
from coordinator.domain.access_facts import Actor
from coordinator.domain.enums import Role
from coordinator.domain.errors import NotAuthenticated, NotFound
from coordinator.domain.events import AccessChanged, Outcome
from coordinator.domain.settings import Settings
from coordinator.extensions import db
from coordinator.models import LoginLink, Streamer, User
from coordinator.services import accounts, audit, logins
from coordinator.services.streamers import streamer_for


@dataclass
class IssuedLink:
    """A new link: its secret token (shown once), whose account it opens, and until when."""

    token: str
    user: User
    streamer: Streamer
    expires_at: datetime
    account_created: bool


class LinkRefused(NotAuthenticated):
    """A link that cannot log anyone in; `state` says why (unknown, used or expired)."""

    state: str = "unknown"


REFUSALS = {"unknown": "This login link is not known.", "used": "This login link was already used.",
            "expired": "This login link has expired.", "revoked": "This login link was revoked."}


def _streamer_for_link(actor: Actor, streamer_id: int) -> Streamer:
    return streamer_for(actor, streamer_id, "streamer.login_access")


def _account_of(streamer: Streamer) -> User | None:
    return db.session.scalar(select(User).where(User.streamer_id == streamer.id))


def _account_for(streamer: Streamer) -> tuple[User, bool]:
    """The streamer's user, made now (without a password) when they have none."""
    user = _account_of(streamer)
    if user is not None:
        return user, False
    stem = portal.username_for(streamer.handle, set())
    taken = set(db.session.scalars(select(User.username).where(User.username.startswith(stem))))
    user = User(username=portal.username_for(streamer.handle, taken), role=Role.STREAMER.value, streamer_id=streamer.id)
    db.session.add(user)
    db.session.flush()
    return user, True


def create_link(actor: Actor, settings: Settings, streamer_id: int) -> IssuedLink:
    """Make a one-time link for a streamer the actor manages, creating their account if needed."""
    streamer = _streamer_for_link(actor, streamer_id)
    account, created = _account_for(streamer)
    now = clock.now()
    token = secret_rules.new_token("link")
    link = LoginLink(user_id=account.id, created_by_id=actor.user_id, prefix=secret_rules.token_prefix(token),
                     token_hash=secret_rules.token_digest(token), created_at=now,
                     expires_at=portal.link_expiry(now, settings.login_link_hours))
    db.session.add(link)
    db.session.flush()
    if created:
        audit.record(actor, "create", account, None, {"username": account.username, "role": account.role,
                                                     "streamer_id": streamer.id})
    audit.record(actor, "login-link", streamer, None, {"user": account.username, "link": link.prefix,
                                                      "expires_at": link.expires_at.isoformat()})
    db.session.commit()
    return IssuedLink(token, account, streamer, link.expires_at, created)


def _refused(state: str) -> LinkRefused:
    error = LinkRefused(REFUSALS[state])
    error.state = state
    return error


def peek(token: str) -> tuple[LoginLink, User, Streamer]:
    """A link that still works, with the account and streamer it opens, without using it up."""
    link = db.session.scalar(select(LoginLink).where(LoginLink.token_hash == secret_rules.token_digest(token or "")))
    user = db.session.get(User, link.user_id) if link is not None else None
    if link is None or user is None or not user.active or user.streamer_id is None:
        raise _refused("unknown")
    state = state_of(link)
    if state is not portal.LinkState.VALID:
        raise _refused(state.value)
    return link, user, db.session.get(Streamer, user.streamer_id)


def redeem(token: str) -> User:
    """The user a link logs in, marking the link used; refused when unknown, used, expired or disabled."""
    link, user, _streamer = peek(token)
    # Conditional, so two taps racing each other cannot both log in.
    claimed = db.session.execute(
        update(LoginLink).where(LoginLink.id == link.id, LoginLink.used_at.is_(None), LoginLink.revoked_at.is_(None))
        .values(used_at=clock.now()).execution_options(synchronize_session=False)).rowcount == 1
    if not claimed:  # used or revoked a moment ago
        db.session.rollback()
        now_row = db.session.get(LoginLink, link.id)
        raise _refused(state_of(now_row).value if now_row is not None else "unknown")
    db.session.commit()
    return user


def state_of(link: LoginLink) -> portal.LinkState:
    """Whether a link still works now, and if not, why."""
    return portal.link_state(link.expires_at, link.used_at, clock.now(), link.revoked_at)


@dataclass
class LinkRow:
    """One link as a commissioner sees it: never its token, only its prefix, state and maker."""

    link: LoginLink
    state: portal.LinkState
    made_by: str


def links_for(actor: Actor, streamer_id: int) -> tuple[Streamer, list[LoginLink]]:
    """A streamer's login links, newest first, for their manager or an admin."""
    streamer = _streamer_for_link(actor, streamer_id)
    links = db.session.scalars(select(LoginLink).join(User, User.id == LoginLink.user_id)
                               .where(User.streamer_id == streamer.id)
                               .order_by(LoginLink.created_at.desc(), LoginLink.id.desc()))
    return streamer, list(links)


def link_rows(actor: Actor, streamer_id: int) -> tuple[Streamer, list[LinkRow]]:
    """A streamer's login links with their state and who made each, for the page that lists and revokes them."""
    streamer, links = links_for(actor, streamer_id)
    makers = {row.id: row.username for row in db.session.scalars(
        select(User).where(User.id.in_({link.created_by_id for link in links if link.created_by_id})))}
    return streamer, [LinkRow(link, state_of(link), makers.get(link.created_by_id or 0, "")) for link in links]


def row_of(link: LoginLink) -> LinkRow:
    """One link as listed, with its state now and its maker's name."""
    maker = db.session.get(User, link.created_by_id) if link.created_by_id else None
    return LinkRow(link, state_of(link), maker.username if maker else "")


def revoke_link(actor: Actor, streamer_id: int, link_id: int) -> LoginLink:
    """Turn off a link nobody has used yet, audited; a used, expired or revoked link stays as it is."""
    streamer, links = links_for(actor, streamer_id)
    link = next((row for row in links if row.id == link_id), None)
    if link is None:
        raise NotFound(f"Streamer {streamer_id} has no login link {link_id}.")
    now = clock.now()
    # Conditional, so a tap on the link racing the revocation either logs in or is refused, never both.
    revoked = db.session.execute(
        update(LoginLink).where(LoginLink.id == link.id, LoginLink.used_at.is_(None), LoginLink.revoked_at.is_(None),
                                LoginLink.expires_at > now)
        .values(revoked_at=now).execution_options(synchronize_session=False)).rowcount == 1
    if revoked:
        audit.record(actor, "revoke-login-link", streamer, {"link": link.prefix}, {"link": link.prefix,
                                                                                  "revoked_at": now.isoformat()})
        db.session.commit()
    else:
        db.session.rollback()
    db.session.refresh(link)
    return link


def sign_out_everywhere(actor: Actor, streamer_id: int) -> Outcome[tuple[Streamer, bool]]:
    """Log a streamer's account out of every browser and phone and revoke its API tokens, audited (for a link
    that reached the wrong person); False when the streamer has no account."""
    streamer = _streamer_for_link(actor, streamer_id)
    account = _account_of(streamer)
    if account is None:
        return Outcome((streamer, False))
    logins.end_all(account.id)
    accounts.revoke_all_tokens(account.id)
    audit.record(actor, "sign-out-everywhere", streamer, None, {"user": account.username})
    db.session.commit()
    return Outcome((streamer, True), [AccessChanged()])
