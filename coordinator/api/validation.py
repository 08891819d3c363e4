"""Request body checks shared by every API endpoint, turning failures into problems."""
from __future__ import annotations

from typing import Annotated, Any

from pydantic import AwareDatetime, BaseModel, ConfigDict, Field, Strict, ValidationError

from coordinator.domain.errors import FieldError, InvalidInput, MalformedInput

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


def field_errors(error: ValidationError) -> list[FieldError]:
    """Pydantic's errors as the contract's list of {field, message}."""
    out = []
    for item in error.errors(include_url=False, include_context=False, include_input=False):
        location = ".".join(str(part) for part in item.get("loc", ()) if part != "__root__")
        out.append(FieldError(item.get("msg", "invalid"), field=location or None))
    return out


def raise_validation_problem(_req: Any, _resp: Any, error: ValidationError | None, _instance: Any) -> None:
    """SpecTree hook: turn a failed validation into the one problem+json shape (422)."""
    if error is not None:
        raise InvalidInput("Some values are invalid.", field_errors(error))


def require_json_object(request: Any) -> None:
    """A body must be a JSON object; anything unreadable is a 400, before any validation."""
    if request.method not in ("POST", "PUT", "PATCH"):
        return
    raw = request.get_data(cache=True)
    if not raw.strip():
        return
    if request.mimetype != "application/json":
        raise MalformedInput("The body must be JSON, sent with Content-Type: application/json.")
    try:
        body = request.get_json(force=True, silent=False)
    except Exception as exc:  # noqa: BLE001 - werkzeug raises BadRequest subclasses
        raise MalformedInput("The body is not valid JSON.") from exc
    if not isinstance(body, dict):
        raise MalformedInput("The body must be a JSON object.")
