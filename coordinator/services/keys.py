"""Ingest keys for sales platforms and screen tokens for tally displays."""
from __future__ import annotations

from datetime import timedelta

from sqlalchemy import select

from coordinator import clock
from coordinator.domain import secrets as secret_rules
from coordinator.domain.errors import Conflict, FieldError, InvalidInput, NotAuthenticated, NotFound, PermissionDenied
from coordinator.extensions import db
from coordinator.models import Campaign, IngestKey, ScreenToken, User


def create_ingest_key(name: str, created_by: User | None = None) -> tuple[IngestKey, str]:
    """Make an ingest key; returns the row and its secret, shown to the operator once."""
    if not (name or "").strip():
        raise InvalidInput("An ingest key needs a name.", [FieldError("required", field="name")])
    secret = secret_rules.new_signing_secret()
    key = IngestKey(
        key_id=secret_rules.new_key_id(), name=name.strip()[:120], secret=secret,
        created_by_id=created_by.id if created_by else None,
    )
    db.session.add(key)
    db.session.commit()
    return key, secret


def create_screen_token(campaign_id: int, name: str = "") -> tuple[ScreenToken, str]:
    """Make a screen token for one campaign; returns the row and the token itself."""
    campaign = db.session.get(Campaign, campaign_id)
    if campaign is None:
        raise NotFound(f"There is no campaign {campaign_id}.")
    token = secret_rules.new_token("screen")
    row = ScreenToken(
        campaign_id=campaign.id, name=(name or f"Screen for {campaign.name}")[:120],
        prefix=secret_rules.token_prefix(token), token_hash=secret_rules.token_digest(token),
    )
    db.session.add(row)
    db.session.commit()
    return row, token


def screen_for_token(token: str) -> ScreenToken:
    """The live screen token behind a URL token, or NotAuthenticated."""
    row = db.session.scalar(select(ScreenToken).where(ScreenToken.token_hash == secret_rules.token_digest(token)))
    if row is None or row.revoked_at is not None:
        raise NotAuthenticated("The screen link is unknown or revoked.")
    return row


def list_ingest_keys() -> list[IngestKey]:
    """Every ingest key, newest first."""
    return list(db.session.scalars(select(IngestKey).order_by(IngestKey.created_at.desc(), IngestKey.id.desc())))


def _key(key_id: int) -> IngestKey:
    key = db.session.get(IngestKey, key_id)
    if key is None:
        raise NotFound(f"There is no ingest key {key_id}.")
    return key


def may_change_ingest_key(user: User, key: IngestKey) -> bool:
    """Admins change any key, other commissioners only those they made: revoking a platform's key stops its sales."""
    return user.is_admin or (key.created_by_id is not None and key.created_by_id == user.id)


def _key_to_change(user: User, key_id: int) -> IngestKey:
    key = _key(key_id)
    if not may_change_ingest_key(user, key):
        raise PermissionDenied("Only an admin or the commissioner who made this key may rotate or revoke it.")
    return key


def _audit_key(user: User, action: str, key: IngestKey) -> None:
    from coordinator.services import audit

    # Which key and when, never a secret.
    audit.record(user, action, key, None, {"key_id": key.key_id, "name": key.name,
                                           "previous_valid_until": _iso(key.previous_valid_until),
                                           "revoked_at": _iso(key.revoked_at)})


def _iso(moment) -> str | None:
    return moment.isoformat() if moment else None


def rotate_ingest_key(user: User, key_id: int, grace_hours: int = 24) -> tuple[IngestKey, str]:
    """A new secret for a key; the old one stays valid for grace_hours so the platform can switch over."""
    key = _key_to_change(user, key_id)
    if key.revoked_at is not None:
        raise Conflict("A revoked key cannot be rotated; make a new one.")
    secret = secret_rules.new_signing_secret()
    key.previous_secret, key.previous_valid_until = key.secret, clock.now() + timedelta(hours=grace_hours)
    key.secret = secret
    _audit_key(user, "rotate", key)
    db.session.commit()
    return key, secret


def revoke_ingest_key(user: User, key_id: int) -> IngestKey:
    """Stop accepting sales signed with a key, at once."""
    key = _key_to_change(user, key_id)
    if key.revoked_at is None:
        key.revoked_at = clock.now()
        _audit_key(user, "revoke", key)
        db.session.commit()
    return key


def list_screen_tokens(campaign_id: int) -> list[ScreenToken]:
    """A campaign's screen links, newest first (only their prefixes are known)."""
    return list(db.session.scalars(select(ScreenToken).where(ScreenToken.campaign_id == campaign_id)
                                   .order_by(ScreenToken.created_at.desc(), ScreenToken.id.desc())))


def revoke_screen_token(token_id: int) -> ScreenToken:
    """Turn a screen link off; a screen showing it disconnects on its next reconnect."""
    row = db.session.get(ScreenToken, token_id)
    if row is None:
        raise NotFound(f"There is no screen token {token_id}.")
    if row.revoked_at is None:
        row.revoked_at = clock.now()
        db.session.commit()
    return row
