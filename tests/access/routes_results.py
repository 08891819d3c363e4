"""The results pages in the access matrix: a campaign's page and its downloads follow campaign.read_part (the
team reads all of it, a county partner the totals and their own share), a session's page follows item.read."""
from __future__ import annotations


def results_pages(Route) -> list:
    """The results pages' routes (Route is passed in: routes.py imports this module)."""
    return [
        Route("GET /campaigns/<int:campaign_id>/results", "campaign.read_part"),
        Route("GET /campaigns/<int:campaign_id>/results.xlsx", "campaign.read_part"),
        Route("GET /campaigns/<int:campaign_id>/results.csv", "campaign.read_part", query="table=counties"),
        Route("GET /sessions/<int:session_id>/results", "item.read"),
    ]
