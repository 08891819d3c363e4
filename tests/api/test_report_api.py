"""The results report of CONTRACT section 8 over HTTP: sales posted through the signed webhook add up in every
list, a duplicate counts once, days fall in COORDINATOR_TIMEZONE, a partner sees their share, and the workbook
(read back with python-calamine, a reader the service does not write with) and the CSVs say the same."""
from __future__ import annotations

import csv
import io
import json
import re
import zipfile
from datetime import date, datetime, timezone

import pytest
from python_calamine import CalamineWorkbook

from coordinator.domain.access_facts import SYSTEM
from coordinator.domain.ingest import signature_for
from coordinator.extensions import db
from coordinator.models import (
    Campaign, CampaignProduct, CampaignStreamer, County, LineupItem, LiveSession, Product, Streamer,
)
from coordinator.services import keys
from tests.api.test_foundation_api import assert_problem
from tests.factories import api_token, assign, bearer, make_user


def _utc(day: int, hour: int, minute: int = 0) -> datetime:
    return datetime(2026, 11, day, hour, minute, tzinfo=timezone.utc)


@pytest.fixture
def world(app):
    """Counties A (apple, a gift box), B (tea) and C (potatoes, never sold); two hosts and an idle one; sessions
    S1 and S2 ended, S3 live since 11:00 UTC (the clock says 12:00), S4 cancelled."""
    with app.app_context():
        counties = [County(name=n, province=p) for n, p in (("宜君县", "陕西省"), ("普安县", "贵州省"), ("礼县", "甘肃省"))]
        db.session.add_all(counties)
        db.session.flush()
        a, b, c = (county.id for county in counties)
        products = {"apple": Product(county_id=a, name="宜君苹果", sku="APPLE", category="fruit", price_fen=3990,
                                     stock=1000),
                    "gift": Product(county_id=a, name="=1+1 礼盒", sku="GIFT", category="gift", price_fen=9900,
                                    stock=10, is_agricultural=False),
                    "tea": Product(county_id=b, name="普安红茶", sku="TEA", category="tea", price_fen=6800, stock=500),
                    "potato": Product(county_id=c, name="礼县土豆", sku="POTATO", category="veg", price_fen=990,
                                      stock=200)}
        hosts = {h: Streamer(handle=h, display_name=f"{h}!", platform="douyin", followers=1000, categories=["fruit"])
                 for h in ("xiaomei", "laozhong", "idle")}
        # Nov 1 to Nov 11 in Shanghai: 16:00 UTC is midnight there.
        campaign = Campaign(name="双十一助农", starts_at=datetime(2026, 10, 31, 16, tzinfo=timezone.utc),
                            ends_at=_utc(11, 16), status="live", target_net_fen=100_000)
        db.session.add_all([*products.values(), *hosts.values(), campaign])
        db.session.flush()
        db.session.add_all([CampaignProduct(campaign_id=campaign.id, product_id=p.id) for p in products.values()]
                           + [CampaignStreamer(campaign_id=campaign.id, streamer_id=h.id) for h in hosts.values()])
        plan = {"S1": ("xiaomei", _utc(10, 11), "ended", ["apple", "tea"]),
                "S2": ("laozhong", _utc(10, 15, 30), "ended", ["gift", "tea"]),
                "S3": ("xiaomei", _utc(11, 11), "live", ["apple"]),
                "S4": ("laozhong", _utc(11, 14), "cancelled", ["potato"])}
        sessions = {}
        for key, (host, start, status, lineup) in plan.items():
            session = LiveSession(campaign_id=campaign.id, streamer_id=hosts[host].id, starts_at=start,
                                  ends_at=start.replace(hour=start.hour + 2), status=status, title=key)
            session.lineup = [LineupItem(product_id=products[p].id, position=i) for i, p in enumerate(lineup)]
            db.session.add(session)
            sessions[key] = session
        db.session.commit()
        key, secret = keys.create_ingest_key(SYSTEM, "淘宝直播")
        partner = make_user("puan")
        assign(partner, counties[1])
        ids = {"C": campaign.id, "A": a, "B": b, "Cc": c, **{k: p.id for k, p in products.items()},
               **{k: h.id for k, h in hosts.items()}, **{k: s.id for k, s in sessions.items()}}
        return {"ids": ids, "key": (key.key_id, secret), "partner": {"Authorization": f"Bearer {api_token(partner)}"}}


def _post(client, clock, world, events: list[dict]):
    body = json.dumps({"events": events}).encode()
    stamp = str(int(clock().timestamp()))
    key_id, secret = world["key"]
    return client.post("/api/v1/sales", data=body, headers={
        "X-Coordinator-Key": key_id, "X-Coordinator-Timestamp": stamp, "Content-Type": "application/json",
        "X-Coordinator-Signature": f"sha256={signature_for(secret, stamp, body)}"})


def _sale(world, order_id: str, session: str, product: str, quantity: int, amount_fen: int, at: str,
          kind: str = "order") -> dict:
    ids = world["ids"]
    return {"id": order_id, "kind": kind, "session_id": ids[session], "product_id": ids[product], "quantity": quantity,
            "amount_fen": amount_fen, "occurred_at": at}


@pytest.fixture
def sold(client, clock, world):
    """Five orders and a refund through the webhook, then the first order delivered again."""
    events = [_sale(world, "o-1", "S1", "apple", 2, 7980, "2026-11-10T19:05:00+08:00"),
              _sale(world, "o-2", "S1", "tea", 1, 6800, "2026-11-10T19:30:00+08:00"),
              _sale(world, "r-1", "S1", "apple", 1, 3990, "2026-11-10T20:00:00+08:00", kind="refund"),
              _sale(world, "o-3", "S2", "gift", 1, 9900, "2026-11-10T23:50:00+08:00"),
              # Ten past midnight in Shanghai is still Nov 10 in UTC: it counts on Nov 11.
              _sale(world, "o-4", "S2", "tea", 3, 20400, "2026-11-10T16:10:00+00:00"),
              _sale(world, "o-5", "S3", "apple", 1, 3990, "2026-11-11T19:10:00+08:00")]
    assert _post(client, clock, world, events).get_json() == {"accepted": 6, "duplicates": 0}
    assert _post(client, clock, world, events[:1]).get_json() == {"accepted": 0, "duplicates": 1}
    return world


@pytest.fixture
def admin(app):
    return bearer(app, "chief", is_admin=True)


def _get(client, path: str, headers: dict):
    response = client.get(path, headers=headers)
    assert response.status_code == 200, response.get_data(as_text=True)
    return response


def test_every_total_and_list_adds_up_to_the_sales_posted(client, sold, admin):
    ids = sold["ids"]
    body = _get(client, f"/api/v1/campaigns/{ids['C']}/report", admin).get_json()
    totals = body["totals"]
    assert {k: totals[k] for k in ("orders", "units", "gross_fen", "refunded_fen", "net_fen", "target_fen", "sessions",
                                   "counties_reached")} == {
        "orders": 5, "units": 7, "gross_fen": 49070, "refunded_fen": 3990, "net_fen": 45080, "target_fen": 100_000,
        "sessions": 3, "counties_reached": 2}
    assert (totals["counties_enrolled"], totals["agricultural_net_fen"], totals["minutes_live"]) == (3, 35180, 300)
    for name, key in (("by_county", "county_id"), ("by_product", "product_id"), ("by_streamer", "streamer_id"),
                      ("by_session", "session_id"), ("by_day", "day"), ("by_hour", "hour")):
        rows = body[name]
        assert sum(r["net_fen"] for r in rows) == 45080, name
        if "orders" in rows[0]:
            assert sum(r["orders"] for r in rows) == 5, name
        assert len({r[key] for r in rows}) == len(rows), name
    counties = {r["county_id"]: r for r in body["by_county"]}
    assert (counties[ids["A"]]["net_fen"], counties[ids["A"]]["units"], counties[ids["B"]]["net_fen"]) == (17880, 3, 27200)
    assert counties[ids["Cc"]]["orders"] == 0 and counties[ids["B"]]["sessions"] == 2
    products = {r["product_id"]: r for r in body["by_product"]}
    assert products[ids["apple"]]["refund_rate"] == 0.3333 and products[ids["potato"]]["units"] == 0
    hosts = {r["streamer_id"]: r for r in body["by_streamer"]}
    assert (hosts[ids["xiaomei"]]["net_fen"], hosts[ids["xiaomei"]]["sessions"], hosts[ids["xiaomei"]]["minutes_live"]
            ) == (14780, 2, 180)
    assert hosts[ids["laozhong"]]["sessions"] == 1 and hosts[ids["idle"]]["orders"] == 0
    assert hosts[ids["xiaomei"]]["net_per_live_hour_fen"] == round(14780 * 60 / 180)
    assert [r["session_id"] for r in body["by_session"]] == [ids["S1"], ids["S2"], ids["S3"]]  # S4 cancelled
    days = {r["day"]: r for r in body["by_day"]}
    assert len(days) == 11 and (days["2026-11-10"]["net_fen"], days["2026-11-11"]["net_fen"]) == (20690, 24390)
    assert days["2026-11-10"]["orders"] == 3 and days["2026-11-01"]["orders"] == 0
    hours = body["by_hour"]
    assert (hours[19]["orders"], hours[20]["net_fen"], hours[0]["net_fen"], hours[23]["net_fen"]) == (3, -3990, 20400, 9900)


def test_a_session_report_and_a_partner_share(client, sold, admin):
    ids = sold["ids"]
    session = _get(client, f"/api/v1/sessions/{ids['S2']}/report", admin).get_json()
    assert (session["totals"]["orders"], session["totals"]["net_fen"], session["totals"]["minutes_live"]) == (2, 30300, 120)
    assert [r["product_id"] for r in session["by_product"]] == [ids["tea"], ids["gift"]]
    assert [r["minute"] for r in session["by_minute"]] == ["2026-11-10T15:50:00+00:00", "2026-11-10T16:10:00+00:00"]
    partner = sold["partner"]
    body = _get(client, f"/api/v1/campaigns/{ids['C']}/report", partner).get_json()
    assert body["partial"] and body["totals"]["net_fen"] == 45080
    assert [r["county_id"] for r in body["by_county"]] == [ids["B"]]
    assert [r["product_id"] for r in body["by_product"]] == [ids["tea"]]
    assert [(r["session_id"], r["net_fen"]) for r in body["by_session"]] == [(ids["S1"], 6800), (ids["S2"], 20400)]
    assert {r["streamer_id"]: r["net_fen"] for r in body["by_streamer"]} == {ids["laozhong"]: 20400, ids["xiaomei"]: 6800}
    assert sum(r["net_fen"] for r in body["by_day"]) == 45080
    shared = _get(client, f"/api/v1/sessions/{ids['S2']}/report", partner).get_json()
    assert shared["totals"]["net_fen"] == 30300 and [r["product_id"] for r in shared["by_product"]] == [ids["tea"]]
    assert_problem(client.get(f"/api/v1/sessions/{ids['S3']}/report", headers=partner), 403)  # apples only
    sheet = _get(client, f"/api/v1/campaigns/{ids['C']}/report.csv?table=counties", partner).data.decode("utf-8-sig")
    assert len(list(csv.reader(io.StringIO(sheet)))) == 2 and "普安县" in sheet


def test_the_workbook_reads_back_with_numbers_dates_and_charts(client, sold, admin):
    ids = sold["ids"]
    response = _get(client, f"/api/v1/campaigns/{ids['C']}/report.xlsx", admin)
    assert response.mimetype.endswith("spreadsheetml.sheet") and "attachment" in response.headers["Content-Disposition"]
    workbook = CalamineWorkbook.from_filelike(io.BytesIO(response.data))
    assert workbook.sheet_names == ["总计", "图表", "县域", "产品", "主播", "场次", "按日", "按小时"]
    totals = dict(row[:2] for row in workbook.get_sheet_by_name("总计").to_python())
    assert totals["净销售额（元）"] == 450.8 and totals["订单数"] == 5
    assert totals["统计时间"] == datetime(2026, 11, 11, 20, 0)  # a date-time cell, the clock in Shanghai
    days = workbook.get_sheet_by_name("按日").to_python()
    assert days[0][0] == "日期" and days[10][0] == date(2026, 11, 10) and days[10][5] == 206.9
    products = workbook.get_sheet_by_name("产品").to_python()
    gift = next(row for row in products if row[1] == "GIFT")
    assert gift[2] == "=1+1 礼盒" and gift[7] == 10  # text stays text, stock a number
    sessions = workbook.get_sheet_by_name("场次").to_python()
    assert sessions[1][5] == datetime(2026, 11, 10, 19, 0)  # Shanghai wall time, a date-time cell
    with zipfile.ZipFile(io.BytesIO(response.data)) as archive:
        charts = [name for name in archive.namelist() if name.startswith("xl/charts/chart")]
        kinds = "".join(archive.read(name).decode() for name in charts)
        styles = archive.read("xl/styles.xml").decode()
    assert len(charts) == 4 and all(re.search(f"<(c:)?{k}[ >]", kinds) for k in ("lineChart", "barChart", "pieChart"))
    assert "'按日'!$F$2:$F$12" in kinds and "'按小时'!$F$2:$F$25" in kinds  # drawn from the sheets' own cells
    assert "¥" in styles and "0.0%" in styles


def test_csv_tables_and_refusals(client, sold, admin, app):
    ids = sold["ids"]
    text = _get(client, f"/api/v1/campaigns/{ids['C']}/report.csv?table=products", admin).data
    assert text.startswith(b"\xef\xbb\xbf")
    rows = list(csv.reader(io.StringIO(text.decode("utf-8-sig"))))
    assert rows[0][:3] == ["产品ID", "SKU", "产品"] and len(rows) == 5
    assert next(r for r in rows if r[1] == "GIFT")[2] == "'=1+1 礼盒"  # never a formula
    hours = _get(client, f"/api/v1/campaigns/{ids['C']}/report.csv?table=hours", admin).data.decode("utf-8-sig")
    assert hours.splitlines()[20] == "19,3,4,187.70,0.00,187.70"
    assert_problem(client.get(f"/api/v1/campaigns/{ids['C']}/report.csv?table=secrets", headers=admin), 422)
    assert_problem(client.get(f"/api/v1/campaigns/{ids['C']}/report.csv", headers=admin), 422)
    assert_problem(client.get("/api/v1/campaigns/999999/report", headers=admin), 404)
    outsider = bearer(app, "stranger")
    assert_problem(client.get(f"/api/v1/campaigns/{ids['C']}/report.xlsx", headers=outsider), 403)
    assert client.get(f"/api/v1/campaigns/{ids['C']}/report").status_code == 401
