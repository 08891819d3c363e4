"""Tokens and signing secrets: random, recognisable by their prefix, stored only as SHA-256 digests."""
from __future__ import annotations

import hashlib
import re

import pytest

from coordinator.domain import secrets
from coordinator.models import ApiToken, LoginLink, LoginSession, ScreenToken


@pytest.mark.parametrize("kind", ["api", "screen", "link", "login"])
def test_tokens_say_what_they_are_for_and_are_long_and_url_safe(kind):
    token = secrets.new_token(kind)
    assert token.startswith(f"lcc_{kind}_")
    random_part = token.removeprefix(f"lcc_{kind}_")
    assert re.fullmatch(r"[A-Za-z0-9_-]{43}", random_part)  # 32 random bytes in URL-safe base64


def test_tokens_never_repeat():
    assert len({secrets.new_token("api") for _ in range(1000)}) == 1000


def test_the_digest_is_the_sha256_hex_of_the_token():
    assert secrets.token_digest("abc") == "ba7816bf8f01cfea414140de5dae2223b00361a396177a9cb410ff61f20015ad"
    token = secrets.new_token("api")
    assert secrets.token_digest(token) == hashlib.sha256(token.encode()).hexdigest()
    assert secrets.token_digest(token + "x") != secrets.token_digest(token)
    assert token not in secrets.token_digest(token)


@pytest.mark.parametrize("model", [ApiToken, LoginLink, ScreenToken])
def test_the_prefix_shown_to_people_is_short_and_fits_its_column(model):
    token = secrets.new_token("screen")  # the longest kind's prefix
    prefix = secrets.token_prefix(token)
    assert token.startswith(prefix) and len(prefix) <= model.__table__.c.prefix.type.length
    assert len(secrets.new_token("api")) - len(prefix) >= 32  # what is shown leaves the secret unguessable


@pytest.mark.parametrize("model", [ApiToken, LoginLink, LoginSession, ScreenToken])
def test_the_digest_fits_its_column(model):
    assert len(secrets.token_digest(secrets.new_token("api"))) == model.__table__.c.token_hash.type.length


def test_ingest_key_ids_and_signing_secrets_are_random_hex():
    key_id, secret = secrets.new_key_id(), secrets.new_signing_secret()
    assert re.fullmatch(r"ik_[0-9a-f]{16}", key_id)
    assert re.fullmatch(r"[0-9a-f]{64}", secret)
    assert secrets.new_key_id() != key_id and secrets.new_signing_secret() != secret


@pytest.mark.parametrize("left,right,equal", [
    ("abc", "abc", True), ("abc", "abd", False), ("abc", "abcd", False), ("", "", True), ("签名", "签名", True),
    ("签名", "签字", False),
])
def test_constant_time_equal_compares_whole_strings(left, right, equal):
    assert secrets.constant_time_equal(left, right) is equal
