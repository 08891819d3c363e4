"""Samples as spreadsheets in the access matrix: the shipping import (sample.handle at C: a CSV shipping SM_app, a
sample of the partner's product PB2) and the board's export (campaign.read_part: a partner their counties' rows)."""
from __future__ import annotations

import io

from tests.access.effects import row


def _shipping_csv(w, a) -> dict:
    text = f"样品编号,快递公司,快递单号\n{w.ids['SM_app']},顺丰,SF1234567890128\n"
    return {"file": (io.BytesIO(text.encode("utf-8-sig")), "shipping.csv")}


SHIPPED = row("samples", "SM_app", status="shipped", carrier="sf", tracking_number="SF1234567890128")


def sample_sheets(Route) -> list:
    """These routes (Route is passed in: routes.py imports this module)."""
    return [
        Route("POST /api/v1/campaigns/<int:campaign_id>/samples/shipments", "sample.handle", files=_shipping_csv,
              query="mode=all_or_nothing", effect=SHIPPED),
        Route("GET /api/v1/campaigns/<int:campaign_id>/samples.xlsx", "campaign.read_part"),
        Route("GET /api/v1/campaigns/<int:campaign_id>/samples.csv", "campaign.read_part"),
        Route("GET /campaigns/<int:campaign_id>/samples/import", "sample.handle"),
        Route("POST /campaigns/<int:campaign_id>/samples/import", "sample.handle", files=_shipping_csv, page_ok=200),
        Route("POST /campaigns/<int:campaign_id>/samples/import/confirm", "sample.handle",
              form=lambda w, a: {"upload_id": "0" * 32, "mode": "valid_rows"}),
        Route("GET /campaigns/<int:campaign_id>/samples/import/template.csv", "sample.handle"),
        Route("GET /campaigns/<int:campaign_id>/samples.<any(xlsx, csv):fmt>", "campaign.read_part",
              choice={"fmt": "xlsx"}),
        Route("GET /campaigns/<int:campaign_id>/samples.<any(xlsx, csv):fmt> [csv]", "campaign.read_part",
              choice={"fmt": "csv"}),
    ]
