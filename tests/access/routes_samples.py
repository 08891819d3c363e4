"""The samples API in the access matrix (CONTRACT section 7): the world's host S1 has samples of the partner's
product PB2 in each open state (SM_req, SM_app, SM_ship) and a pairing with PB1 without one (P_hostB1)."""
from __future__ import annotations

from tests.access.effects import added, row

ADDRESS = {"recipient": "李四", "phone": "13900000000", "address": "贵州省黔西南州普安县1号"}



def sample_api(Route) -> list:
    """The samples API's routes (Route is passed in: routes.py imports this module)."""
    return [
        Route("POST /api/v1/samples", "sample.request", ok=201,
              json=lambda w, a: {"pairing_id": w.ids["P_hostB1"], "quantity": 3},
              effect=added("samples", status="requested", quantity=3)),
        Route("GET /api/v1/samples/<int:sample_id>", "sample.read"),
        Route("POST /api/v1/samples/<int:sample_id>/approve", "sample.handle",
              effect=row("samples", "SM_req", status="approved")),
        Route("POST /api/v1/samples/<int:sample_id>/reject", "sample.handle", json=lambda w, a: {"reason": "库存不足"},
              effect=row("samples", "SM_req", status="rejected", reason="库存不足")),
        Route("POST /api/v1/samples/<int:sample_id>/ship", "sample.handle", ids={"sample_id": "SM_app"},
              json=lambda w, a: {"carrier": "顺丰", "tracking_number": "SF 9876 5432 1098 7"},
              effect=row("samples", "SM_app", status="shipped", carrier="sf", tracking_number="SF9876543210987")),
        Route("POST /api/v1/samples/<int:sample_id>/receive", "sample.receive", ids={"sample_id": "SM_ship"},
              effect=row("samples", "SM_ship", status="received")),
        Route("POST /api/v1/samples/<int:sample_id>/cancel", "sample.cancel",
              effect=row("samples", "SM_req", status="cancelled")),
        Route("GET /api/v1/campaigns/<int:campaign_id>/samples", "campaign.items"),
        Route("POST /api/v1/campaigns/<int:campaign_id>/samples/approve", "sample.handle",
              json=lambda w, a: {"sample_ids": [w.ids["SM_req"]]}, effect=row("samples", "SM_req", status="approved")),
        Route("GET /api/v1/streamers/<int:streamer_id>/address", "streamer.address"),
        Route("PUT /api/v1/streamers/<int:streamer_id>/address", "streamer.profile", json=lambda w, a: ADDRESS,
              effect=row("shipping_addresses", "S1", recipient="李四")),
    ]
