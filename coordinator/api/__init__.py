"""The JSON API under /api/v1: one blueprint, one module per resource."""
from __future__ import annotations

from flask import Blueprint, Flask, jsonify, request

from coordinator.api.spec import api_spec

bp = Blueprint("api", __name__, url_prefix="/api/v1")


@bp.before_request
def _authenticate_and_check_body() -> None:
    from coordinator.api.auth import load_caller
    from coordinator.api.validation import require_json_object

    if request.endpoint == "api.ingest_sales":
        return  # signed by an ingest key over the raw body; it reads and checks that itself
    if request.endpoint != "api.openapi_document":
        load_caller()
    require_json_object(request)


@bp.get("/openapi.json")
def openapi_document():
    """The OpenAPI document of every endpoint, served without authentication."""
    return jsonify(api_spec.spec)


def init_app(app: Flask) -> None:
    """Register the API blueprint, its resources and the OpenAPI document."""
    from coordinator.api import (  # noqa: F401 - each module registers its routes on bp
        campaigns, channels, counties, deliveries, enrolments, keys, login_links, me, pairings, products, sales,
        reconcile, report, sample_sheets, samples, screens, sessions,
        spreadsheets, streamers, tallies, teams, tokens,
    )
    from coordinator.extensions import csrf

    csrf.exempt(bp)
    app.register_blueprint(bp)
