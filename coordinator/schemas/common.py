"""Scalar types and the base of every input schema."""
from __future__ import annotations

from typing import Annotated

from pydantic import AwareDatetime, BaseModel, ConfigDict, Field, Strict, StringConstraints

# Strict scalars: "12" is not a number and 1 is not a string, as an integrator would expect.
StrictInt = Annotated[int, Strict()]
StrictStr = Annotated[str, Strict()]
StrictBool = Annotated[bool, Strict()]
Fen = Annotated[int, Strict(), Field(ge=0, description="Money in integer fen (1/100 yuan)")]
NonNegativeInt = Annotated[int, Strict(), Field(ge=0)]
# Pydantic rejects an ISO 8601 time without an offset for AwareDatetime.
AwareTime = AwareDatetime


class RequestModel(BaseModel):
    """Base of request bodies: unknown fields are allowed and ignored, as the contract says."""

    model_config = ConfigDict(extra="ignore", str_strip_whitespace=True)


def text(max_length: int, min_length: int = 0):
    """A strict, stripped string of bounded length."""
    return Annotated[str, StringConstraints(strict=True, strip_whitespace=True, min_length=min_length,
                                            max_length=max_length)]
