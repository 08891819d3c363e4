"""Reading a webhook body into events, with errors by index (batches) or by field (one event)."""
from __future__ import annotations

import pydantic_core
from pydantic import ValidationError

from coordinator.domain.errors import FieldError, InvalidInput, MalformedInput
from coordinator.schemas.sales import MAX_EVENTS, ONE_EVENT, SaleEventIn


def parse_events(body: bytes) -> tuple[list[SaleEventIn], bool]:
    """The events of a body and whether it was a batch; a single bad event rejects the whole body."""
    try:
        data = pydantic_core.from_json(body)
    except ValueError as exc:
        raise MalformedInput("The body is not valid JSON.") from exc
    if not isinstance(data, dict):
        raise MalformedInput("The body must be one event object or {\"events\": [...]}.")
    batch = "events" in data
    items = data["events"] if batch else [data]
    if batch and (not isinstance(items, list) or not 1 <= len(items) <= MAX_EVENTS):
        raise InvalidInput("A batch holds 1 to 1000 events.", [FieldError(f"a list of 1 to {MAX_EVENTS} events",
                                                                          field="events")])
    events, errors = [], []
    for index, item in enumerate(items):
        try:
            events.append(ONE_EVENT.validate_python(item))
        except ValidationError as exc:
            for problem in exc.errors(include_url=False, include_context=False, include_input=False):
                field = ".".join(str(part) for part in problem["loc"]) or None
                errors.append(FieldError(problem["msg"], field=field, index=index if batch else None))
    if errors:
        raise InvalidInput("Some events are invalid; nothing was stored.", errors)
    return events, batch
