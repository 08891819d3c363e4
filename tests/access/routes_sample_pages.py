"""The commissioners' samples board in the access matrix: the board (campaign.read_part), a row's fresh HTML
(sample.read), each move through the page (sample.handle, sample.cancel) and approving many (sample.handle).
The world's samples are of the partner's product PB2 to the host S1: SM_req (requested), SM_app (approved)."""
from __future__ import annotations

from tests.access.effects import row


def sample_pages(Route) -> list:
    """These routes (Route is passed in: routes.py imports this module)."""
    move = "POST /samples/<int:sample_id>/<any(approve, reject, ship, cancel):move>"
    return [
        Route("GET /campaigns/<int:campaign_id>/samples", "campaign.read_part"),
        Route("GET /campaigns/<int:campaign_id>/samples [late]", "campaign.read_part", query="late=1&status=requested"),
        Route("GET /samples/<int:sample_id>/row", "sample.read"),
        Route(move, "sample.handle", choice={"move": "approve"}, effect=row("samples", "SM_req", status="approved")),
        Route(f"{move} [reject]", "sample.handle", choice={"move": "reject"}, form=lambda w, a: {"reason": "库存不足"},
              effect=row("samples", "SM_req", status="rejected", reason="库存不足")),
        Route(f"{move} [ship]", "sample.handle", choice={"move": "ship"}, ids={"sample_id": "SM_app"},
              form=lambda w, a: {"carrier": "sf", "tracking_number": "SF 9876 5432 1098 7"},
              effect=row("samples", "SM_app", status="shipped", carrier="sf", tracking_number="SF9876543210987")),
        Route(f"{move} [cancel]", "sample.cancel", choice={"move": "cancel"},
              effect=row("samples", "SM_req", status="cancelled")),
        Route("POST /campaigns/<int:campaign_id>/samples/approve", "sample.handle",
              form=lambda w, a: {"sample_ids": [str(w.ids["SM_req"])]},
              effect=row("samples", "SM_req", status="approved")),
    ]
