"""The OpenAPI document and request validation, from one source of pydantic schemas."""
from __future__ import annotations

from spectree import SecurityScheme, SpecTree

from coordinator.api.validation import raise_validation_problem

api_spec = SpecTree(
    "flask",
    title="Livestream Campaign Coordinator API",
    version="v1",
    # SpecTree skips routes under its own path, so it keeps the default and
    # the API blueprint serves the document at /api/v1/openapi.json itself.
    mode="strict",
    annotations=True,
    validation_error_status=422,
    before=raise_validation_problem,
    security_schemes=[
        SecurityScheme(name="bearer", data={"type": "http", "scheme": "bearer"}),
        SecurityScheme(
            name="ingest_key",
            data={"type": "apiKey", "name": "X-Coordinator-Key", "in": "header"},
        ),
    ],
    security={"bearer": []},
    # The default doc pages load Swagger UI from a CDN; pages here never do.
    page_templates={},
)
