"""Making and checking secrets: tokens are random, stored only as SHA-256 digests."""
from __future__ import annotations

import hashlib
import hmac
import secrets

TOKEN_BYTES = 32
PREFIX_LENGTH = 12


def new_token(kind: str) -> str:
    """A fresh random token whose first characters say what it is for (e.g. 'lcc_api_')."""
    return f"lcc_{kind}_{secrets.token_urlsafe(TOKEN_BYTES)}"


def token_digest(token: str) -> str:
    """The SHA-256 hex digest under which a token is stored and looked up."""
    return hashlib.sha256(token.encode("utf-8")).hexdigest()


def token_prefix(token: str) -> str:
    """A short, harmless part of a token, shown so people can tell tokens apart."""
    return token[:PREFIX_LENGTH]


def new_key_id() -> str:
    """A public identifier for an ingest key."""
    return f"ik_{secrets.token_hex(8)}"


def new_signing_secret() -> str:
    """A secret for HMAC signing of webhook bodies."""
    return secrets.token_hex(32)


def constant_time_equal(left: str, right: str) -> bool:
    """Compare two strings without leaking where they differ."""
    return hmac.compare_digest(left.encode("utf-8"), right.encode("utf-8"))
