"""Validation errors in words a commissioner reads beside a spreadsheet cell, as translatable message ids.

Pydantic's own messages ("Input should be greater than or equal to 0") are English sentences built at run time,
so no catalog can translate them; the error's type and context can be.
"""
from __future__ import annotations

from typing import Any


def _(text: str) -> str:
    """Marks a message for extraction; it is translated where it is shown."""
    return text


# Error type -> (message, the context key that fills %(limit)s).
LIMITS = {
    "greater_than_equal": (_("must be at least %(limit)s"), "ge"),
    "greater_than": (_("must be more than %(limit)s"), "gt"),
    "less_than_equal": (_("must be at most %(limit)s"), "le"),
    "less_than": (_("must be less than %(limit)s"), "lt"),
    "string_too_long": (_("at most %(limit)s characters"), "max_length"),
    "string_too_short": (_("at least %(limit)s characters"), "min_length"),
    "too_long": (_("at most %(limit)s entries"), "max_length"),
    "too_short": (_("at least %(limit)s entries"), "min_length"),
}
WHOLE_NUMBER = _("must be a whole number")
NUMBER = _("must be a number")
DATE = _("must be a date such as 2026-11-11")
PLAIN = {
    "missing": _("required"), "string_type": _("must be text"), "bool_parsing": _("must be yes or no"),
    "int_parsing": WHOLE_NUMBER, "int_type": WHOLE_NUMBER, "int_from_float": WHOLE_NUMBER,
    "float_parsing": NUMBER, "float_type": NUMBER, "decimal_parsing": NUMBER, "decimal_type": NUMBER,
    "date_parsing": DATE, "date_type": DATE, "date_from_datetime_parsing": DATE, "date_from_datetime_inexact": DATE,
    "list_type": _("must be a list"),
}
CHOICES = _("must be one of %(choices)s")
# Message ids this module gives out; anything else is pydantic's own English, to be shown as it is.
KNOWN = {message for message, _key in LIMITS.values()} | set(PLAIN.values()) | {CHOICES}


def plain_error(error: dict[str, Any]) -> tuple[str, dict[str, Any]]:
    """A message id and its values for one of pydantic's error dicts (with its context); unknown types keep theirs."""
    kind, context = error.get("type", ""), error.get("ctx") or {}
    if kind in LIMITS and LIMITS[kind][1] in context:
        message, key = LIMITS[kind]
        return message, {"limit": context[key]}
    if kind in PLAIN:
        return PLAIN[kind], {}
    if kind in ("enum", "literal_error") and "expected" in context:
        return CHOICES, {"choices": context["expected"]}
    return str(error.get("msg") or "invalid").removeprefix("Value error, "), {}


def render(message: str, values: dict[str, Any]) -> str:
    """The English text of a %-format message id with its values, for the API and logs."""
    return message % values
