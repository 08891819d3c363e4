"""The planning pages' blueprint and the helpers they share."""
from __future__ import annotations

from decimal import Decimal
from functools import wraps
from typing import Callable
from zoneinfo import ZoneInfo

from flask import Blueprint, abort, current_app, flash
from flask_babel import gettext
from flask_login import current_user, login_required
from wtforms import Form

from coordinator.domain.errors import DomainError

bp = Blueprint("plan", __name__)


def commissioner_required(view: Callable) -> Callable:
    """Only commissioners plan; streamers get a 403 page."""

    @wraps(view)
    @login_required
    def wrapped(*args, **kwargs):
        if not current_user.is_commissioner:
            abort(403)
        return view(*args, **kwargs)

    return wrapped


def show_errors(form: Form, error: DomainError, aliases: dict[str, str] | None = None) -> None:
    """Put a service's field errors beside the form's fields; the rest becomes a flash message."""
    placed = False
    for item in error.errors:
        name = (aliases or {}).get(item.field or "", item.field or "")
        field = getattr(form, name.split(".")[0], None) if name else None
        if field is not None and hasattr(field, "errors"):
            message = gettext(item.message)
            field.errors = [*field.errors, message] if isinstance(field.errors, list) else [message]
            placed = True
    if not placed or not error.errors:
        flash(gettext(error.detail), "error")


def local_to_utc(naive):
    """A time typed in a form means the coordinator's zone."""
    return naive.replace(tzinfo=ZoneInfo(current_app.config["COORDINATOR_TIMEZONE"]))


def as_local(aware):
    """An aware time as the naive local value a datetime-local input shows."""
    return aware.astimezone(ZoneInfo(current_app.config["COORDINATOR_TIMEZONE"])).replace(tzinfo=None)


def yuan_to_fen(amount: Decimal | None) -> int | None:
    """A form's yuan amount as integer fen."""
    return None if amount is None else int((amount * 100).to_integral_value())
