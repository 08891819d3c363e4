"""POST /api/v1/sales: signed orders and refunds from the sales platform (CONTRACT section 3)."""
from __future__ import annotations

import warnings

from flask import request
from spectree import Response

from coordinator.api import bp
from coordinator.api.spec import api_spec
from coordinator.edge import publish
from coordinator.schemas.sales import SaleBatchIn, SalesAccepted
from coordinator.services import ingest
from coordinator.services.ingest_parse import parse_events


def ingest_sales():
    """One event or {"events": [...]} (at most 1000), signed with an ingest key; all or nothing; 200 after commit."""
    body = request.get_data(cache=False)
    # The signature is checked before the body is read; authenticate holds no transaction open afterwards, and
    # store() checks the key again inside the transaction that writes.
    signed = ingest.authenticate(request.headers.get("X-Coordinator-Key"), request.headers.get("X-Coordinator-Timestamp"),
                                 request.headers.get("X-Coordinator-Signature"), body)
    events, batch = parse_events(body)
    result = ingest.store(signed, events, batch)
    publish(result.events)
    return {"accepted": result.accepted, "duplicates": result.duplicates}


# Documented in OpenAPI but not validated by SpecTree: the body is checked after its signature, per event.
with warnings.catch_warnings():
    warnings.simplefilter("ignore", UserWarning)  # SpecTree warns that skip_validation ignores annotations
    ingest_sales = bp.post("/sales")(api_spec.validate(
        json=SaleBatchIn, resp=Response(HTTP_200=SalesAccepted), tags=["sales"], skip_validation=True,
        security={"ingest_key": []})(ingest_sales))
