"""Who is calling the API: a bearer token, or a logged-in browser page with its CSRF token."""
from __future__ import annotations

from functools import wraps
from typing import Callable

from flask import g, request
from flask_login import current_user

from coordinator.domain.enums import Role
from coordinator.domain.errors import NotAuthenticated, PermissionDenied
from coordinator.extensions import csrf
from coordinator.models import User
from coordinator.services import accounts

SAFE_METHODS = frozenset({"GET", "HEAD", "OPTIONS"})


def load_caller() -> None:
    """Resolve the caller once per request into g.api_user (None when anonymous)."""
    g.api_user = None
    header = request.headers.get("Authorization", "")
    if header:
        scheme, _, token = header.partition(" ")
        if scheme.lower() != "bearer" or not token.strip():
            raise NotAuthenticated("Use 'Authorization: Bearer <API token>'.")
        g.api_user = accounts.user_for_api_token(token.strip())
    elif current_user.is_authenticated:
        # A page calling the API with its cookie must prove it is our page.
        if request.method not in SAFE_METHODS:
            csrf.protect()
        g.api_user = current_user._get_current_object()


def caller() -> User:
    """The authenticated caller; raises NotAuthenticated for anonymous requests."""
    user = getattr(g, "api_user", None)
    if user is None:
        raise NotAuthenticated("This endpoint needs 'Authorization: Bearer <API token>'.")
    return user


def requires(*roles: Role) -> Callable:
    """Decorator: the caller must be logged in and hold one of the roles (any role if none given)."""

    def decorator(view: Callable) -> Callable:
        @wraps(view)
        def wrapped(*args, **kwargs):
            user = caller()
            if roles and user.role not in roles:
                raise PermissionDenied(f"Only {' or '.join(r.value for r in roles)} accounts may do this.")
            return view(*args, **kwargs)

        return wrapped

    return decorator
