"""Errors the domain and services raise; the edges translate them, never the reverse."""
from __future__ import annotations

from dataclasses import dataclass, field


@dataclass
class FieldError:
    """One problem with one input: a field name or a position in a batch."""

    message: str
    field: str | None = None
    index: int | None = None

    def as_dict(self) -> dict:
        """The contract's shape: field or index, and a message."""
        out: dict = {"message": self.message}
        if self.field is not None:
            out["field"] = self.field
        if self.index is not None:
            out["index"] = self.index
        return out


@dataclass
class DomainError(Exception):
    """Base of every error the core raises on purpose."""

    detail: str
    errors: list[FieldError] = field(default_factory=list)
    status = 400
    title = "Bad request"
    slug = "bad-request"

    def __str__(self) -> str:
        return self.detail


class InvalidInput(DomainError):
    """Values that are well-formed but break a rule (422)."""

    status = 422
    title = "Invalid values"
    slug = "validation-error"


class MalformedInput(DomainError):
    """A body that cannot be read at all (400)."""

    status = 400
    title = "Malformed request"
    slug = "malformed-request"


class NotAuthenticated(DomainError):
    """No credentials, or credentials that are wrong, expired or revoked (401)."""

    status = 401
    title = "Not authenticated"
    slug = "not-authenticated"


class PermissionDenied(DomainError):
    """The caller is known but its role may not do this (403)."""

    status = 403
    title = "Forbidden"
    slug = "forbidden"


class NotFound(DomainError):
    """The thing asked for does not exist, or the caller may not know it does (404)."""

    status = 404
    title = "Not found"
    slug = "not-found"


class Conflict(DomainError):
    """The request clashes with the current state (409)."""

    status = 409
    title = "Conflict"
    slug = "conflict"


class TooManyRequests(DomainError):
    """The caller must wait before trying again (429)."""

    status = 429
    title = "Too many requests"
    slug = "too-many-requests"
    retry_after: int = 0
