"""Users, passwords, login throttling and API tokens."""
from __future__ import annotations

import math
import re

from flask import current_app
from sqlalchemy import select, update
from werkzeug.security import check_password_hash, generate_password_hash

from coordinator import clock
from coordinator.domain import secrets as secret_rules
from coordinator.domain.enums import Role
from coordinator.domain.errors import Conflict, FieldError, InvalidInput, NotAuthenticated, TooManyRequests
from coordinator.domain.throttle import blocked_until
from coordinator.extensions import db
from coordinator.models import ApiToken, LoginThrottle, Streamer, User

USERNAME_PATTERN = re.compile(r"^[A-Za-z0-9_.\-]{2,64}$")
MIN_PASSWORD_LENGTH = 8
# Compared against when the username is unknown, so timing does not tell whether it exists.
_DUMMY_HASH = generate_password_hash("not-a-real-password")


def create_user(
    username: str, role: str, password: str | None = None, streamer_handle: str | None = None,
    is_admin: bool = False,
) -> User:
    """Create a commissioner, or a streamer user bound to an existing streamer profile."""
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
    user = User(
        username=username, role=role, streamer_id=streamer.id if streamer else None, is_admin=is_admin,
        password_hash=generate_password_hash(password) if password else "",
    )
    db.session.add(user)
    db.session.commit()
    return user


def set_password(user: User, password: str) -> None:
    """Replace a user's password."""
    if len(password) < MIN_PASSWORD_LENGTH:
        raise InvalidInput("Password too short.", [FieldError(f"at least {MIN_PASSWORD_LENGTH} characters", field="password")])
    user.password_hash = generate_password_hash(password)
    db.session.commit()


def _throttle_keys(username: str, address: str) -> list[str]:
    return [f"user:{username.lower()}", f"addr:{address}"]


def _check_not_blocked(keys: list[str]) -> None:
    now = clock.now()
    rows = db.session.scalars(select(LoginThrottle).where(LoginThrottle.key.in_(keys))).all()
    waits = [(row.blocked_until - now).total_seconds() for row in rows if row.blocked_until and row.blocked_until > now]
    if waits:
        error = TooManyRequests("Too many failed logins; wait before trying again.")
        error.retry_after = math.ceil(max(waits))
        raise error


def _record_failure(keys: list[str]) -> None:
    now = clock.now()
    config = current_app.config
    for key in keys:
        row = db.session.get(LoginThrottle, key) or LoginThrottle(key=key, failures=0)
        row.failures += 1
        row.last_failure_at = now
        row.blocked_until = blocked_until(now, row.failures, config["LOGIN_FREE_FAILURES"], config["LOGIN_MAX_DELAY_S"])
        db.session.add(row)
    db.session.commit()


def authenticate(username: str, password: str, address: str) -> User:
    """Check a password login, slowing down repeated failures per username and per address."""
    keys = _throttle_keys(username or "", address or "unknown")
    _check_not_blocked(keys)
    user = db.session.scalar(select(User).where(User.username == username))
    valid = check_password_hash(user.password_hash, password) if user and user.password_hash else (
        check_password_hash(_DUMMY_HASH, password) and False
    )
    if not valid or not user.active:
        _record_failure(keys)
        raise NotAuthenticated("Wrong username or password.")
    for row in db.session.scalars(select(LoginThrottle).where(LoginThrottle.key.in_(keys))):
        db.session.delete(row)
    db.session.commit()
    return user


def issue_api_token(user: User, name: str) -> str:
    """Make an API token for a user and return it; only its digest is kept."""
    token = secret_rules.new_token("api")
    db.session.add(ApiToken(
        user_id=user.id, name=(name or "token")[:120], prefix=secret_rules.token_prefix(token),
        token_hash=secret_rules.token_digest(token),
    ))
    db.session.commit()
    return token


def user_for_api_token(token: str) -> User:
    """The active user behind a bearer token, or NotAuthenticated."""
    row = db.session.scalar(select(ApiToken).where(ApiToken.token_hash == secret_rules.token_digest(token)))
    if row is None or row.revoked_at is not None:
        raise NotAuthenticated("The API token is unknown or revoked.")
    user = db.session.get(User, row.user_id)
    if user is None or not user.active:
        raise NotAuthenticated("The API token's user is disabled.")
    return user


def list_api_tokens(user: User) -> list[ApiToken]:
    """A user's tokens, newest first, revoked ones included."""
    return list(db.session.scalars(
        select(ApiToken).where(ApiToken.user_id == user.id).order_by(ApiToken.created_at.desc(), ApiToken.id.desc())
    ))


def revoke_api_token(user: User, token_id: int) -> bool:
    """Revoke one of the user's own tokens; False when there is no such token."""
    row = db.session.get(ApiToken, token_id)
    if row is None or row.user_id != user.id:
        return False
    if row.revoked_at is None:
        row.revoked_at = clock.now()
        db.session.commit()
    return True


def end_logins(account: User) -> None:
    """Refuse every login cookie the account has now (browsers and phones); the caller commits, which reloads it."""
    # In SQL, so two requests at once both move it on and neither undoes the other.
    db.session.execute(update(User).where(User.id == account.id)
                       .values(login_generation=User.login_generation + 1).execution_options(synchronize_session=False))


def sign_out_other_devices(user: User) -> None:
    """The user's own "sign out everywhere else": every login cookie ends; the caller logs this browser in again."""
    end_logins(user)
    db.session.commit()
