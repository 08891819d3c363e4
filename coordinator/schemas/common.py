"""Scalar types and the base of every input schema."""
from __future__ import annotations

import datetime as dt
from typing import Annotated, TypeVar

from pydantic import AfterValidator, AwareDatetime, BaseModel, ConfigDict, Field, Strict, StringConstraints, field_validator

from coordinator.domain.text import check_text

# The database's integer columns and keys are 32-bit; larger numbers are refused here, not by a driver error.
MAX_INT32 = 2**31 - 1
# RMB 10 billion: far above any real price, order or target, far below what 64-bit sums can hold.
MAX_FEN = 10**12
# Dates outside these years are typos, and near year 1 or 9999 converting time zones overflows.
EARLIEST_YEAR, LATEST_YEAR = 1970, 2200

# Strict scalars: "12" is not a number and 1 is not a string, as an integrator would expect.
StrictInt = Annotated[int, Strict(), Field(ge=-MAX_INT32 - 1, le=MAX_INT32)]
StrictStr = Annotated[str, Strict()]
StrictBool = Annotated[bool, Strict()]
Fen = Annotated[int, Strict(), Field(ge=0, le=MAX_FEN, description="Money in integer fen (1/100 yuan)")]
NonNegativeInt = Annotated[int, Strict(), Field(ge=0, le=MAX_INT32)]
# Query strings are text, so their numbers are lax, but bounded all the same.
QueryInt = Annotated[int, Field(ge=-MAX_INT32 - 1, le=MAX_INT32)]

When = TypeVar("When", dt.date, dt.datetime)


def plausible_year(value: When) -> When:
    """Refuse a date or time outside EARLIEST_YEAR..LATEST_YEAR."""
    if not EARLIEST_YEAR <= value.year <= LATEST_YEAR:
        raise ValueError(f"must fall between the years {EARLIEST_YEAR} and {LATEST_YEAR}")
    return value


# Pydantic rejects an ISO 8601 time without an offset for AwareDatetime.
AwareTime = Annotated[AwareDatetime, AfterValidator(plausible_year)]
PlausibleDate = Annotated[dt.date, AfterValidator(plausible_year)]


# A text type of its own for models that are not request bodies.
SafeText = AfterValidator(check_text)


def _check_strings(value):
    if isinstance(value, str):
        check_text(value)
    elif isinstance(value, (list, tuple)):
        for item in value:
            _check_strings(item)
    return value


class RequestModel(BaseModel):
    """Base of request bodies: unknown fields are allowed and ignored, as the contract says; no text anywhere in
    them may carry control, text-direction or zero-width characters (a 422 on that field)."""

    model_config = ConfigDict(extra="ignore", str_strip_whitespace=True)

    @field_validator("*", mode="after")
    @classmethod
    def _safe_text(cls, value):
        return _check_strings(value)


def text(max_length: int, min_length: int = 0):
    """A strict, stripped string of bounded length."""
    return Annotated[str, StringConstraints(strict=True, strip_whitespace=True, min_length=min_length,
                                            max_length=max_length)]
