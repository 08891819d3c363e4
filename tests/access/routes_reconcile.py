"""Reconciliation's API in the access matrix (CONTRACT section 8): uploading and applying follow campaign.change,
reading campaign.read. The world's RC is an export of K's orders for C with one order never stored (rc-1)."""
from __future__ import annotations

import io

from tests.access.effects import added, row

NOT_NONE = lambda value: value is not None  # noqa: E731


def _export(w, a) -> dict:
    text = ("order_id,kind,session_id,product_id,quantity,amount_fen,occurred_at\n"
            f"up-{a},order,{w.ids['SS_host']},{w.ids['PA1']},1,3990,2026-11-11 20:00:00\n")
    return {"file": (io.BytesIO(text.encode("utf-8-sig")), "orders.csv"), "ingest_key_id": w.key_id}


def reconcile_routes(Route) -> list:
    """The reconciliation API's routes (Route is passed in: routes.py imports this module)."""
    return [
        Route("POST /api/v1/campaigns/<int:campaign_id>/reconciliations", "campaign.change", files=_export, ok=201,
              effect=added("reconciliations", filename="orders.csv", missing_here=1)),
        Route("GET /api/v1/campaigns/<int:campaign_id>/reconciliations", "campaign.read"),
        Route("GET /api/v1/reconciliations/<int:reconciliation_id>", "campaign.read"),
        Route("GET /api/v1/reconciliations/<int:reconciliation_id>/diff.xlsx", "campaign.read"),
        Route("GET /api/v1/reconciliations/<int:reconciliation_id>/diff.csv", "campaign.read"),
        Route("POST /api/v1/reconciliations/<int:reconciliation_id>/apply", "campaign.change",
              effect=row("reconciliations", "RC", accepted=1, applied_at=NOT_NONE)),
    ]
