"""Users, passwords, login throttling and API tokens."""
from __future__ import annotations

import math
import re

from sqlalchemy import select, update
from werkzeug.security import check_password_hash, generate_password_hash

from coordinator import clock
from coordinator.domain import secrets as secret_rules
from coordinator.domain.access_facts import Actor
from coordinator.domain.enums import Role
from coordinator.domain.errors import Conflict, FieldError, InvalidInput, NotAuthenticated, NotFound, TooManyRequests
from coordinator.domain.events import AccessChanged, Outcome
from coordinator.domain.settings import Settings
from coordinator.domain.throttle import blocked_until, throttle_key
from coordinator.extensions import db
from coordinator.models import ApiToken, LoginThrottle, Streamer, User
from coordinator.services import access, audit

USERNAME_PATTERN = re.compile(r"^[A-Za-z0-9_.\-]{2,64}$")
MIN_PASSWORD_LENGTH = 8
# Werkzeug's memory-hard default; the test suite swaps in a cheap one (tests/conftest.py) to save minutes.
PASSWORD_METHOD = "scrypt"
# Compared against when the username is unknown, so timing does not tell whether it exists.
_DUMMY_HASH = generate_password_hash("not-a-real-password", method=PASSWORD_METHOD)


def hash_password(password: str) -> str:
    """A password's salted hash, as stored."""
    return generate_password_hash(password, method=PASSWORD_METHOD)


def create_user(username: str, role: str, password: str | None = None, streamer_handle: str | None = None,
                is_admin: bool = False, commit: bool = True) -> User:
    """Create a commissioner, or a streamer user bound to an existing streamer profile (the operator's command)."""
    errors: list[FieldError] = []
    if not USERNAME_PATTERN.match(username or ""):
        errors.append(FieldError("2 to 64 letters, digits, '.', '_' or '-'", field="username"))
    if role not in {r.value for r in Role}:
        errors.append(FieldError(f"must be one of {', '.join(r.value for r in Role)}", field="role"))
    if password is not None and len(password) < MIN_PASSWORD_LENGTH:
        errors.append(FieldError(f"at least {MIN_PASSWORD_LENGTH} characters", field="password"))
    streamer = None
    if role == Role.STREAMER:
        streamer = db.session.scalar(select(Streamer).where(Streamer.handle == streamer_handle))
        if streamer is None:
            errors.append(FieldError(f"no streamer with handle {streamer_handle!r}", field="streamer"))
    elif streamer_handle:
        errors.append(FieldError("only streamer users are bound to a streamer", field="streamer"))
    if errors:
        raise InvalidInput("The user cannot be created.", errors)
    if db.session.scalar(select(User.id).where(User.username == username)) is not None:
        raise Conflict(f"The username {username!r} is taken.", [FieldError("already taken", field="username")])
    if streamer is not None and db.session.scalar(select(User.id).where(User.streamer_id == streamer.id)):
        raise Conflict(f"Streamer {streamer_handle!r} already has a user.", [FieldError("already bound", field="streamer")])
    user = User(username=username, role=role, streamer_id=streamer.id if streamer else None, is_admin=is_admin,
                password_hash=hash_password(password) if password else "")
    db.session.add(user)
    db.session.flush()
    if commit:
        db.session.commit()
    return user


def _check_not_blocked(key: str) -> None:
    row = db.session.get(LoginThrottle, key)
    now = clock.now()
    if row is not None and row.blocked_until and row.blocked_until > now:
        error = TooManyRequests("Too many failed logins; wait before trying again.")
        error.retry_after = math.ceil((row.blocked_until - now).total_seconds())
        raise error


def _record_failure(settings: Settings, key: str) -> None:
    now = clock.now()
    row = db.session.get(LoginThrottle, key) or LoginThrottle(key=key, failures=0)
    row.failures += 1
    row.last_failure_at = now
    row.blocked_until = blocked_until(now, row.failures, settings.login_free_failures, settings.login_max_delay_s)
    db.session.add(row)
    db.session.commit()


def authenticate(settings: Settings, username: str, password: str, address: str) -> User:
    """Check a password login; failures slow down that username from that address (one person behind a shared
    proxy locks out nobody else), and the right password after the wait logs in."""
    key = throttle_key(username or "", address or "unknown")
    _check_not_blocked(key)
    user = db.session.scalar(select(User).where(User.username == username))
    valid = check_password_hash(user.password_hash, password) if user and user.password_hash else (
        check_password_hash(_DUMMY_HASH, password) and False
    )
    if not valid or not user.active:
        _record_failure(settings, key)
        raise NotAuthenticated("Wrong username or password.")
    row = db.session.get(LoginThrottle, key)
    if row is not None:
        db.session.delete(row)
        db.session.commit()
    return user


def issue_api_token(actor: Actor, name: str) -> tuple[ApiToken, str]:
    """Make an API token for the actor; returns its row and the token itself (only its digest is kept)."""
    access.require(actor, "user.tokens")
    token = secret_rules.new_token("api")
    row = ApiToken(user_id=actor.user_id, name=(name or "token")[:120], prefix=secret_rules.token_prefix(token),
                   token_hash=secret_rules.token_digest(token))
    db.session.add(row)
    db.session.flush()
    audit.record(actor, "create", row, None, {"name": row.name, "prefix": row.prefix})
    db.session.commit()
    return row, token


def token_for(token: str) -> tuple[User, ApiToken]:
    """The active user behind a bearer token and the token's row, or NotAuthenticated."""
    row = db.session.scalar(select(ApiToken).where(ApiToken.token_hash == secret_rules.token_digest(token)))
    if row is None or row.revoked_at is not None:
        raise NotAuthenticated("The API token is unknown or revoked.")
    user = db.session.get(User, row.user_id)
    if user is None or not user.active:
        raise NotAuthenticated("The API token's user is disabled.")
    return user, row


def list_api_tokens(actor: Actor) -> list[ApiToken]:
    """The actor's tokens, newest first, revoked ones included."""
    access.require(actor, "user.tokens")
    return list(db.session.scalars(
        select(ApiToken).where(ApiToken.user_id == actor.user_id)
        .order_by(ApiToken.created_at.desc(), ApiToken.id.desc())))


def revoke_api_token(actor: Actor, token_id: int) -> Outcome[ApiToken]:
    """Revoke one of the actor's own tokens; connections using it are cut within seconds."""
    access.require(actor, "user.tokens")
    row = db.session.get(ApiToken, token_id)
    if row is None or row.user_id != actor.user_id:
        raise NotFound(f"You have no token {token_id}.")
    if row.revoked_at is not None:
        return Outcome(row)
    row.revoked_at = clock.now()
    audit.record(actor, "revoke", row, None, {"name": row.name, "prefix": row.prefix})
    access.bump_epoch()
    db.session.commit()
    return Outcome(row, [AccessChanged()])


def revoke_all_tokens(user_id: int) -> None:
    """Revoke every token of an account inside the caller's transaction (a sign-out-everywhere)."""
    db.session.execute(update(ApiToken).where(ApiToken.user_id == user_id, ApiToken.revoked_at.is_(None))
                       .values(revoked_at=clock.now()).execution_options(synchronize_session=False))


def set_locale(actor: Actor, locale: str) -> None:
    """Remember a logged-in user's language."""
    access.require(actor, "user.tokens")
    db.session.execute(update(User).where(User.id == actor.user_id).values(locale=locale))
    db.session.commit()


def own_account(actor: Actor) -> User:
    """The actor's own account row."""
    access.require(actor, "user.tokens")
    return db.session.get(User, actor.user_id)
