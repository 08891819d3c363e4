"""What every page shares: the caller, the one way a refused change comes back to a page, times in forms,
and the one check every `next=` goes through."""
from __future__ import annotations

import re
from decimal import Decimal
from urllib.parse import urlsplit

from flask import flash, redirect, url_for
from flask_babel import gettext
from werkzeug.wrappers import Response
from wtforms import Form

from coordinator.domain.errors import DomainError
from coordinator.edge import current_actor as actor  # noqa: F401 - the pages' name for the caller
from coordinator.edge import settings

# Refusals of access are the error page itself (403/404, from the global handler), never a flash on another page.
ACCESS_REFUSALS = (401, 403, 404)
# Anything a browser might read as a scheme, a host or a break in the header: control characters, whitespace and
# backslashes (browsers strip tabs and newlines from a URL and read "\" as "/").
UNSAFE_IN_NEXT = re.compile(r"[\x00-\x20\x7f\\]")


def describe(error: DomainError) -> str:
    """A domain error as one line for a page: its reason and the first field messages, translated."""
    return " ".join([gettext(error.detail), *[gettext(item.message) for item in error.errors[:5]]]).strip()


def redirect_with(error: DomainError, target: str) -> Response:
    """A change the service refused goes back to its page with the reason flashed; a refusal of access is raised
    for the global handler, so the browser gets the same 403 or 404 as the API would."""
    if error.status in ACCESS_REFUSALS:
        raise error
    flash(describe(error), "error")
    return redirect(target)


def show_errors(form: Form, error: DomainError, aliases: dict[str, str] | None = None) -> None:
    """Put a service's field errors beside the form's fields, the rest in a flash; access refusals are raised."""
    if error.status in ACCESS_REFUSALS:
        raise error
    placed = False
    for item in error.errors:
        name = (aliases or {}).get(item.field or "", item.field or "")
        field = getattr(form, name.split(".")[0], None) if name else None
        if field is not None and hasattr(field, "errors"):
            message = gettext(item.message)
            field.errors = [*field.errors, message] if isinstance(field.errors, list) else [message]
            placed = True
    if not placed or not error.errors:
        flash(describe(error), "error")


def safe_next(target: str | None, default: str | None = None) -> str:
    """A same-site path to go on to after a form, or the start page: never another host."""
    fallback = default or url_for("main.home")
    if not target or UNSAFE_IN_NEXT.search(target) or not target.startswith("/") or target.startswith("//"):
        return fallback
    parts = urlsplit(target)
    return target if not parts.scheme and not parts.netloc else fallback


def local_to_utc(naive):
    """A time typed in a form means the coordinator's zone."""
    return naive.replace(tzinfo=settings().zone)


def as_local(aware):
    """An aware time as the naive local value a datetime-local input shows."""
    return aware.astimezone(settings().zone).replace(tzinfo=None)


def yuan_to_fen(amount: Decimal | None) -> int | None:
    """A form's yuan amount as integer fen."""
    return None if amount is None else int((amount * 100).to_integral_value())
