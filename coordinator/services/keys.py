"""Ingest keys for sales platforms and screen tokens for tally displays."""
from __future__ import annotations

from sqlalchemy import select

from coordinator.domain import secrets as secret_rules
from coordinator.domain.errors import FieldError, InvalidInput, NotAuthenticated, NotFound
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
