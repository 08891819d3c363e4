"""The results report in the access matrix (CONTRACT section 8): a campaign's report follows campaign.read_part
(the team reads all of it, a county partner the totals and their own share), a session's follows item.read."""
from __future__ import annotations


def report_routes(Route) -> list:
    """The report API's routes (Route is passed in: routes.py imports this module)."""
    return [
        Route("GET /api/v1/campaigns/<int:campaign_id>/report", "campaign.read_part"),
        Route("GET /api/v1/campaigns/<int:campaign_id>/report.xlsx", "campaign.read_part"),
        Route("GET /api/v1/campaigns/<int:campaign_id>/report.csv", "campaign.read_part", query="table=counties"),
        Route("GET /api/v1/sessions/<int:session_id>/report", "item.read"),
    ]
