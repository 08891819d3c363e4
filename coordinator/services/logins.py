"""Login sessions kept on the server: each login starts a fresh one, signing out ends it for good."""
from __future__ import annotations

from sqlalchemy import select, update

from coordinator import clock
from coordinator.domain import secrets as secret_rules
from coordinator.domain.access_facts import Actor
from coordinator.domain.events import AccessChanged, Outcome
from coordinator.extensions import db
from coordinator.models import LoginSession, User
from coordinator.services import access, audit


def start(user: User, user_agent: str = "", address: str = "") -> str:
    """Open a login session for a user who just proved who they are; returns its secret (kept in the cookie)."""
    token = secret_rules.new_token("login")
    db.session.add(LoginSession(user_id=user.id, token_hash=secret_rules.token_digest(token), created_at=clock.now(),
                                user_agent=(user_agent or "")[:200], address=(address or "")[:64]))
    db.session.commit()
    return token


def resolve(user_id: int, token: str | None) -> tuple[User, LoginSession] | None:
    """The active user and open session a cookie names, or None (signed out, ended elsewhere, or forged)."""
    if not token:
        return None
    row = db.session.execute(select(User, LoginSession).join(LoginSession, LoginSession.user_id == User.id).where(
        LoginSession.token_hash == secret_rules.token_digest(token), LoginSession.ended_at.is_(None),
        User.id == user_id, User.active)).first()
    return (row[0], row[1]) if row else None


def session_id_for(token: str | None) -> int | None:
    """The id of the open login session behind a cookie's secret."""
    if not token:
        return None
    return db.session.scalar(select(LoginSession.id).where(
        LoginSession.token_hash == secret_rules.token_digest(token), LoginSession.ended_at.is_(None)))


def end(token: str | None) -> Outcome[None]:
    """Sign this browser out: its session ends on the server, so a copy of its cookie opens nothing."""
    if token:
        ended = db.session.execute(update(LoginSession).where(
            LoginSession.token_hash == secret_rules.token_digest(token), LoginSession.ended_at.is_(None))
            .values(ended_at=clock.now()).execution_options(synchronize_session=False)).rowcount
        if ended:
            access.bump_epoch()
            db.session.commit()
            return Outcome(None, [AccessChanged()])
    return Outcome(None)


def end_all(user_id: int, keep_token: str | None = None) -> None:
    """End every login session of an account (but the one kept) inside the caller's transaction."""
    stmt = update(LoginSession).where(LoginSession.user_id == user_id, LoginSession.ended_at.is_(None))
    if keep_token:
        stmt = stmt.where(LoginSession.token_hash != secret_rules.token_digest(keep_token))
    db.session.execute(stmt.values(ended_at=clock.now()).execution_options(synchronize_session=False))
    access.bump_epoch()


def sign_out_other_devices(actor: Actor, keep_token: str | None) -> Outcome[None]:
    """The user's own "sign out everywhere else": every other browser and phone is logged out."""
    access.require(actor, "user.tokens")
    end_all(actor.user_id, keep_token)
    audit.record(actor, "sign-out-others", db.session.get(User, actor.user_id), None, None)
    db.session.commit()
    return Outcome(None, [AccessChanged()])
