"""Request body checks shared by every API endpoint, turning failures into problems."""
from __future__ import annotations

from typing import Any

from pydantic import ValidationError

from coordinator.domain.errors import FieldError, InvalidInput, MalformedInput

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
    if request.mimetype == "multipart/form-data":
        return  # file uploads are read by their endpoint
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


# Re-exported so API modules keep one import for their scalar types.
from coordinator.schemas.common import (  # noqa: E402,F401
    AwareTime, Fen, NonNegativeInt, RequestModel, StrictBool, StrictInt, StrictStr,
)
