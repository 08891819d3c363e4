"""The reconciliation pages in the access matrix: the list, a reconciliation and its diff downloads follow
campaign.read; uploading an export (multipart, K's KEY_ID) and applying RC (one order never stored, rc-1) follow
campaign.change."""
from __future__ import annotations

from tests.access.effects import added, row
from tests.access.routes_reconcile import NOT_NONE, _export


def reconcile_pages(Route) -> list:
    """These routes (Route is passed in: routes.py imports this module)."""
    return [
        Route("GET /campaigns/<int:campaign_id>/reconciliations", "campaign.read"),
        Route("POST /campaigns/<int:campaign_id>/reconciliations", "campaign.change", files=_export,
              effect=added("reconciliations", filename="orders.csv", missing_here=1)),
        Route("GET /reconciliations/<int:reconciliation_id>", "campaign.read"),
        Route("POST /reconciliations/<int:reconciliation_id>/apply", "campaign.change",
              effect=row("reconciliations", "RC", accepted=1, applied_at=NOT_NONE)),
        Route("GET /reconciliations/<int:reconciliation_id>/diff.xlsx", "campaign.read"),
        Route("GET /reconciliations/<int:reconciliation_id>/diff.csv", "campaign.read"),
    ]
