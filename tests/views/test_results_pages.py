"""The results pages after sales posted through the signed webhook: the team sees every county, a county partner
the campaign's totals and their own counties' rows only, a host is refused the campaign's page but reads their
session's; the numbers shown are the report service's, in yuan and percentages; the downloads come from the page."""
from __future__ import annotations

import json
import re
from datetime import datetime, timezone

import pytest

from coordinator.domain.access_facts import SYSTEM
from coordinator.domain.ingest import signature_for
from coordinator.edge import settings
from coordinator.extensions import db
from coordinator.models import (
    Campaign, CampaignMember, CampaignProduct, CampaignStreamer, County, LineupItem, LiveSession, Product, User,
)
from coordinator.services import access, keys, report
from tests.access.matrix import logged_in
from tests.factories import assign, make_streamer, make_user

PASSWORD = "correct horse"


def _utc(day: int, hour: int) -> datetime:
    return datetime(2026, 11, day, hour, tzinfo=timezone.utc)


@pytest.fixture
def shop(app):
    """Counties 宜君县 (apples) and 普安县 (tea) in one campaign with two ended sessions; a viewer on the team,
    普安县's partner, and the host of both sessions with a login."""
    with app.app_context():
        yijun, puan = County(name="宜君县", province="陕西省"), County(name="普安县", province="贵州省")
        db.session.add_all([yijun, puan])
        db.session.flush()
        apple = Product(county_id=yijun.id, name="宜君苹果", sku="APPLE", category="fruit", price_fen=3990, stock=100)
        tea = Product(county_id=puan.id, name="普安红茶", sku="TEA", category="tea", price_fen=6800, stock=50)
        host = make_streamer("xiaomei", display_name="小美")
        campaign = Campaign(name="双十一助农", starts_at=datetime(2026, 10, 31, 16, tzinfo=timezone.utc),
                            ends_at=_utc(11, 16), status="live", target_net_fen=50_000)
        db.session.add_all([apple, tea, campaign])
        db.session.flush()
        db.session.add_all([CampaignProduct(campaign_id=campaign.id, product_id=p.id) for p in (apple, tea)]
                           + [CampaignStreamer(campaign_id=campaign.id, streamer_id=host.id)])
        sessions = []
        for day, lineup in ((9, [apple, tea]), (10, [apple])):
            session = LiveSession(campaign_id=campaign.id, streamer_id=host.id, starts_at=_utc(day, 11),
                                  ends_at=_utc(day, 13), status="ended", title=f"夜场{day}")
            session.lineup = [LineupItem(product_id=p.id, position=i) for i, p in enumerate(lineup)]
            db.session.add(session)
            sessions.append(session)
        db.session.commit()
        viewer = make_user("viewer")
        db.session.add(CampaignMember(campaign_id=campaign.id, user_id=viewer.id, role="viewer"))
        db.session.commit()
        assign(make_user("puan"), puan)
        make_user("host", role="streamer", streamer_handle="xiaomei")
        key, secret = keys.create_ingest_key(SYSTEM, "淘宝直播")
        return {"C": campaign.id, "S1": sessions[0].id, "S2": sessions[1].id, "apple": apple.id, "tea": tea.id,
                "key": (key.key_id, secret)}


def _sell(client, clock, shop) -> None:
    """Three orders, a refund and a duplicate through the webhook, as the platform signs them."""
    def sale(order_id, session, product, quantity, amount, kind="order"):
        return {"id": order_id, "kind": kind, "session_id": shop[session], "product_id": shop[product],
                "quantity": quantity, "amount_fen": amount, "occurred_at": "2026-11-09T19:30:00+08:00"}
    events = [sale("o-1", "S1", "apple", 3, 11970), sale("o-2", "S1", "tea", 2, 13600),
              sale("r-1", "S1", "apple", 1, 3990, "refund"), sale("o-3", "S2", "apple", 40, 159600)]
    for batch in (events, events[:1]):
        body = json.dumps({"events": batch}).encode()
        stamp = str(int(clock().timestamp()))
        key_id, secret = shop["key"]
        answer = client.post("/api/v1/sales", data=body, headers={
            "X-Coordinator-Key": key_id, "X-Coordinator-Timestamp": stamp, "Content-Type": "application/json",
            "X-Coordinator-Signature": f"sha256={signature_for(secret, stamp, body)}"})
        assert answer.status_code == 200, answer.get_data(as_text=True)


def _yuan(fen: int) -> str:
    return f"¥{fen / 100:,.2f}"


def _service_report(app, username: str):
    with app.test_request_context():
        user = db.session.query(User).filter_by(username=username).one()
        return report.campaign_report(access.actor_for(user), settings(), _campaign_id(app))


def _campaign_id(app) -> int:
    return db.session.query(Campaign.id).filter_by(name="双十一助农").scalar()


def _rows(page: str, table: str) -> list[str]:
    body = page.split(f'id="{table}"')[1].split("</table>")[0]
    return re.findall(r"<tr data-\w+=\"\d+\">(.*?)</tr>", body, re.S)


def test_the_team_sees_every_county_with_the_services_numbers(app, client, clock, shop):
    _sell(client, clock, shop)
    viewer = logged_in(app, "viewer", PASSWORD)
    page = viewer.get(f"/campaigns/{shop['C']}/results").get_data(as_text=True)
    r = _service_report(app, "viewer")
    net = 11970 + 13600 - 3990 + 159600
    assert r.totals.figures.net_fen == net
    assert f'id="total-net">{_yuan(net)}<' in page and "¥1,811.80" in page
    assert f'id="total-orders">{r.totals.figures.orders}<' in page and r.totals.figures.orders == 3
    assert f'id="target-share">{r.totals.target_share * 100:.1f}%<' in page  # 362.6 % of a ¥500 target
    assert 'id="counties-reached">2' in page
    counties = _rows(page, "county-table")
    assert [("宜君县" in row, "普安县" in row) for row in counties] == [(True, False), (False, True)]
    for line, row in zip(r.counties, counties):
        assert _yuan(line.figures.net_fen) in row and f"{line.share * 100:.1f}%" in row
    agri = f"{r.totals.agricultural_share * 100:.1f}%"
    assert f'id="agri-share">{agri}' in page
    assert len(_rows(page, "product-table")) == 2 and len(_rows(page, "session-table")) == 2
    # Sell-through of apples: 42 units sold less 1 refunded of 100 in stock.
    apple = next(p for p in r.products if p.product_id == shop["apple"])
    assert apple.figures.units == 42 and f"{apple.sell_through * 100:.1f}%" in page
    assert f"/campaigns/{shop['C']}/results.xlsx" in page and f"/campaigns/{shop['C']}/results.csv?table=counties" in page
    assert 'id="chart-data"' in page and "uPlot.iife.min.js" in page
    assert f"/campaigns/{shop['C']}/results" in viewer.get(f"/campaigns/{shop['C']}").get_data(as_text=True)


def test_a_partner_sees_the_totals_and_only_their_counties(app, client, clock, shop):
    _sell(client, clock, shop)
    partner = logged_in(app, "puan", PASSWORD)
    page = partner.get(f"/campaigns/{shop['C']}/results").get_data(as_text=True)
    assert 'id="partial-note"' in page
    assert f'id="total-net">{_yuan(181180)}<' in page  # the campaign's totals
    counties = _rows(page, "county-table")
    assert len(counties) == 1 and "普安县" in counties[0] and _yuan(13600) in counties[0]
    assert "宜君县" not in page.split('id="county-table"')[1] and "宜君苹果" not in page
    assert [len(_rows(page, t)) for t in ("product-table", "session-table")] == [1, 1]
    csv = partner.get(f"/campaigns/{shop['C']}/results.csv?table=counties")
    assert csv.status_code == 200 and "普安县" in csv.data.decode("utf-8-sig") and "宜君县" not in csv.data.decode("utf-8-sig")
    assert partner.get(f"/campaigns/{shop['C']}/results.xlsx").status_code == 200
    assert partner.get(f"/campaigns/{shop['C']}/results.csv?table=nothing").status_code == 404


def test_a_host_is_refused_the_campaign_but_reads_their_session(app, client, clock, shop):
    _sell(client, clock, shop)
    host = logged_in(app, "host", PASSWORD)
    assert host.get(f"/campaigns/{shop['C']}/results").status_code == 403
    assert host.get(f"/campaigns/{shop['C']}/results.xlsx").status_code == 403
    page = host.get(f"/sessions/{shop['S1']}/results").get_data(as_text=True)
    assert f'id="total-net">{_yuan(11970 + 13600 - 3990)}<' in page and "普安红茶" in page
    assert "chart-data" in page and 'id="partial-note"' not in page


def test_pages_speak_english_too(app, client, clock, shop):
    _sell(client, clock, shop)
    viewer = logged_in(app, "viewer", PASSWORD)
    viewer.post("/language", data={"lang": "en"})
    page = viewer.get(f"/campaigns/{shop['C']}/results").get_data(as_text=True)
    assert "By county" in page and "Sell-through" in page
