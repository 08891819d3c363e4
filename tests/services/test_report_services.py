"""The results report used by services alone: figures from the counters, days in the injected zone (New York),
a partner's share, the workbook and the CSVs, and who may read them."""
from __future__ import annotations

import io
import json
import zipfile
from dataclasses import replace
from datetime import date
from decimal import Decimal
from zoneinfo import ZoneInfo

import pytest
from openpyxl import Workbook

from coordinator import clock
from coordinator.domain.errors import NotFound, PermissionDenied
from coordinator.domain.ingest import signature_for
from coordinator.extensions import db
from coordinator.models import Campaign
from coordinator.services import (
    access, ingest, ingest_parse, keys, report, report_tables, report_xlsx, spreadsheet_writing,
)
from tests.services.conftest import actor


def _post(env, events: list[dict]) -> tuple[int, int]:
    key, secret = keys.create_ingest_key(actor(env, "owner"), "淘宝", [env.ids["C"]])
    body = json.dumps({"events": events}).encode()
    stamp = str(int(clock.now().timestamp()))
    signed = ingest.authenticate(key.key_id, stamp, f"sha256={signature_for(secret, stamp, body)}", body)
    db.session.commit()  # end the read before the webhook's write transaction (SQLite's write lock)
    result = ingest.store(signed, *ingest_parse.parse_events(body))
    return result.accepted, result.duplicates


def _sale(env, order_id: str, product: str, quantity: int, amount_fen: int, at: str, kind: str = "order") -> dict:
    return {"id": order_id, "kind": kind, "session_id": env.ids["SS_host"], "product_id": env.ids[product],
            "quantity": quantity, "amount_fen": amount_fen, "occurred_at": at}


@pytest.fixture
def sold(env):
    """Three orders and a refund in the host's session, one order sent twice; New York days Nov 10 and 11."""
    events = [_sale(env, "o-1", "PA1", 2, 5980, "2026-11-11T03:30:00Z"),  # 22:30 on Nov 10 in New York
              _sale(env, "o-2", "PB1", 1, 2990, "2026-11-11T06:00:00Z"),  # 01:00 on Nov 11
              _sale(env, "o-3", "PB1", 3, 8970, "2026-11-11T15:10:00Z"),  # 10:10 on Nov 11
              _sale(env, "r-1", "PA1", 1, 2990, "2026-11-11T15:20:00Z", kind="refund"),
              _sale(env, "o-1", "PA1", 2, 5980, "2026-11-11T03:30:00Z")]
    assert _post(env, events) == (4, 1)
    db.session.get(Campaign, env.ids["C"]).target_net_fen = 100_000
    db.session.commit()
    return env


def test_the_team_report_adds_up_to_the_sales_with_days_and_hours_in_the_zone(sold, settings):
    r = report.campaign_report(actor(sold, "viewer"), settings, sold.ids["C"])
    t = r.totals
    assert (t.figures.orders, t.figures.units, t.figures.gross_fen, t.figures.refunded_fen) == (3, 5, 17940, 2990)
    assert (t.figures.net_fen, t.target_fen, t.target_share) == (14950, 100_000, 0.1495)
    assert (t.sessions, t.sessions_held, t.counties_reached, t.counties_enrolled) == (1, 0, 2, 2)
    assert (t.products_enrolled, t.products_sold, t.agricultural_net_fen, t.agricultural_share) == (3, 2, 14950, 1.0)
    assert not r.partial and r.zone == "America/New_York"
    counties = {line.county_id: line for line in r.counties}
    assert counties[sold.ids["B"]].figures.net_fen == 11960 and counties[sold.ids["A"]].figures.net_fen == 2990
    assert [line.county_id for line in r.counties] == [sold.ids["B"], sold.ids["A"]]  # largest first
    assert counties[sold.ids["B"]].share == 0.8 and counties[sold.ids["B"]].products_sold == 1
    assert sum(line.figures.net_fen for line in r.counties) == t.figures.net_fen
    products = {line.product_id: line for line in r.products}
    assert set(products) == {sold.ids["PA1"], sold.ids["PB1"], sold.ids["PB2"]}  # enrolled, one not sold
    assert products[sold.ids["PA1"]].figures.refund_rate == 0.5 and products[sold.ids["PB2"]].figures.empty
    assert products[sold.ids["PB1"]].sell_through == round(4 / 5000, 4) and products[sold.ids["PB1"]].sessions == 1
    hosts = {line.streamer_id: line for line in r.hosts}
    assert set(hosts) == {sold.ids["S1"], sold.ids["S4"]} and hosts[sold.ids["S1"]].figures == t.figures
    assert hosts[sold.ids["S1"]].sessions == 1 and hosts[sold.ids["S4"]].sessions == 0
    assert [(s.session_id, s.figures.net_fen) for s in r.sessions] == [(sold.ids["SS_host"], 14950)]
    days = dict(r.days)
    assert days[date(2026, 11, 10)].net_fen == 5980 and days[date(2026, 11, 11)].net_fen == 8970
    assert [d for d, _ in r.days][0] == date(2026, 11, 10) and len(r.days) == 15  # the window, day by day
    assert sum(f.orders for _, f in r.days) == 3 and sum(f.net_fen for f in r.hours) == t.figures.net_fen
    assert (r.hours[22].orders, r.hours[1].orders, r.hours[10].net_fen) == (1, 1, 5980)


def test_a_zone_half_an_hour_off_utc_buckets_by_its_own_hours(sold, settings):
    r = report.campaign_report(actor(sold, "owner"), replace(settings, zone=ZoneInfo("Asia/Kolkata")), sold.ids["C"])
    assert [day for day, f in r.days if not f.empty] == [date(2026, 11, 11)]
    assert [(hour, f.orders) for hour, f in enumerate(r.hours) if not f.empty] == [(9, 1), (11, 1), (20, 1)]


def test_a_partner_sees_the_totals_and_their_own_counties_share_only(sold, settings):
    partner = actor(sold, "partner")
    r = report.campaign_report(partner, settings, sold.ids["C"])
    assert r.partial and r.totals.figures.net_fen == 14950  # the campaign's totals
    assert [line.county_id for line in r.counties] == [sold.ids["B"]]
    assert {line.product_id for line in r.products} == {sold.ids["PB1"], sold.ids["PB2"]}
    assert [(s.session_id, s.figures.net_fen, s.figures.orders) for s in r.sessions] == [(sold.ids["SS_host"], 11960, 2)]
    assert [(h.streamer_id, h.figures.net_fen) for h in r.hosts] == [(sold.ids["S1"], 11960)]
    assert sum(f.net_fen for _, f in r.days) == 14950
    campaign, facts = access.campaign_for(partner, "campaign.read_part", sold.ids["C"])
    assert report.partner_counties(partner, facts) == frozenset({sold.ids["B"]})
    session = report.session_report(partner, sold.ids["SS_host"])
    assert session.partial and session.figures.net_fen == 14950
    assert [line.product_id for line in session.products] == [sold.ids["PB1"]]


def test_a_session_report_for_its_host(sold):
    r = report.session_report(actor(sold, "host"), sold.ids["SS_host"])
    assert not r.partial and (r.figures.orders, r.figures.net_fen, r.minutes_live) == (3, 14950, 0)
    assert [(line.product_id, line.position) for line in r.products] == [(sold.ids["PB1"], 1), (sold.ids["PA1"], 0)]
    assert sum(f.net_fen for _, f in r.minutes) == 14950 and len(r.minutes) == 4
    assert {line.county_id: line.share for line in r.counties} == {sold.ids["B"]: 0.8, sold.ids["A"]: 0.2}
    with pytest.raises(NotFound):
        report.session_report(actor(sold, "host"), 999_999)


def test_refusals_follow_campaign_read_part(sold, settings):
    for name in ("host", "outsider", "manager"):
        with pytest.raises(PermissionDenied):
            report.campaign_report(actor(sold, name), settings, sold.ids["C"])
    with pytest.raises(NotFound):
        report_xlsx.report_xlsx(actor(sold, "other_host"), settings, sold.ids["C"])
    with pytest.raises(PermissionDenied):
        report.session_report(actor(sold, "outsider"), sold.ids["SS_host"])


def test_the_workbook_and_the_csvs(sold, settings):
    owner = actor(sold, "owner")
    download = report_xlsx.report_xlsx(owner, settings, sold.ids["C"])
    with zipfile.ZipFile(io.BytesIO(download.data)) as archive:
        assert len([n for n in archive.namelist() if n.startswith("xl/charts/chart")]) == 4
    assert download.filename == f"campaign-{sold.ids['C']}-report.xlsx"
    again = report_xlsx.report_workbook(report.campaign_report(owner, settings, sold.ids["C"]), settings.zone)
    assert again == download.data  # the same report gives the same bytes
    text = report_xlsx.report_csv(owner, settings, sold.ids["C"], "days").data.decode("utf-8-sig")
    assert text.splitlines()[0] == "日期,订单数,件数,销售额（元）,退款（元）,净销售额（元）"
    assert "2026-11-10,1,2,59.80,0.00,59.80" in text.splitlines()
    with pytest.raises(NotFound):
        report_xlsx.report_csv(owner, settings, sold.ids["C"], "secrets")
    tables = report_tables.report_tables(report.campaign_report(owner, settings, sold.ids["C"]), settings.zone)
    assert list(tables) == list(report_tables.TABLES) and report_tables.yuan(14950) == Decimal("149.50")
    assert dict(tables["totals"][1])["净销售额（元）"] == Decimal("149.50")


def test_sheets_added_one_by_one_keep_text_as_text():
    def saved() -> bytes:
        workbook = Workbook()
        sheet = spreadsheet_writing.add_sheet(workbook, "表", ["名称"], [["=1+1"]])
        assert sheet["A2"].data_type == "s"
        return spreadsheet_writing.workbook_bytes(workbook)

    assert saved() == saved()  # stamped with a fixed time, not the moment of saving
