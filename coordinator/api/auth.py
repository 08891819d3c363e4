"""Who is calling the API: a bearer token, or a logged-in browser page with its CSRF token."""
from __future__ import annotations

from flask import g, request
from flask_login import current_user

from coordinator.domain.errors import NotAuthenticated
from coordinator.edge import current_actor as actor  # noqa: F401 - the API's name for the caller
from coordinator.extensions import csrf
from coordinator.services import accounts

SAFE_METHODS = frozenset({"GET", "HEAD", "OPTIONS"})
# Endpoints anyone may call: the document, and the webhook (signed by an ingest key over the raw body).
PUBLIC = frozenset({"api.openapi_document", "api.ingest_sales"})


def load_caller() -> None:
    """Resolve the caller once per request into g.api_user (None when anonymous); refuse anonymous calls."""
    g.api_user = None
    header = request.headers.get("Authorization", "")
    if header:
        scheme, _, token = header.partition(" ")
        if scheme.lower() != "bearer" or not token.strip():
            raise NotAuthenticated("Use 'Authorization: Bearer <API token>'.")
        g.api_user, _row = accounts.token_for(token.strip())
    elif current_user.is_authenticated:
        # A page calling the API with its cookie must prove it is our page.
        if request.method not in SAFE_METHODS:
            csrf.protect()
        g.api_user = current_user._get_current_object()
    if g.api_user is None and request.endpoint not in PUBLIC:
        raise NotAuthenticated("This endpoint needs 'Authorization: Bearer <API token>'.")

