"""The streamer's portal: product briefs, the landing page's lineups, the profile, and that each host sees only
their own pairings, sessions and briefs."""
from __future__ import annotations

import json
import re
from datetime import timedelta

import pytest

from coordinator.extensions import db
from coordinator.models import LineupItem, LiveSession, Pairing
from tests.factories import make_streamer, make_user
from tests.ingest.helpers import event, open_shop, signed_headers

EN = {"Accept-Language": "en"}


@pytest.fixture
def shop(app, clock):
    """Xiaomei is on air with apples and grits and is proposed the gift box; Laowang has a session of his own."""
    with app.app_context():
        shop = open_shop(clock())
        make_user("xiaomei", "streamer", streamer_handle="xiaomei")
        other = make_streamer("laowang", display_name="老王")
        make_user("laowang", "streamer", streamer_handle="laowang")
        make_user("chief", "commissioner")
        db.session.add(Pairing(campaign_id=shop.campaign_id, streamer_id=shop.streamer_id,
                               product_id=shop.other_product_id, status="proposed"))
        theirs = LiveSession(campaign_id=shop.campaign_id, streamer_id=other.id, starts_at=clock() + timedelta(hours=2),
                             ends_at=clock() + timedelta(hours=3), title="老王专场")
        theirs.lineup = [LineupItem(product_id=shop.grits_id, position=0)]
        db.session.add(theirs)
        db.session.add(Pairing(campaign_id=shop.campaign_id, streamer_id=other.id, product_id=shop.apple_id))
        db.session.commit()
        shop.other_session_id = theirs.id
        shop.other_pairing_id = db.session.query(Pairing).filter_by(streamer_id=other.id).one().id
        shop.laowang_id = other.id
        from coordinator.models import County

        db.session.get(County, shop.county_id).story = "宜君县的玉米糁一年网上卖出50多万公斤。"
        db.session.commit()
        return shop


def login(app, username):
    client = app.test_client()
    assert client.post("/login", data={"username": username, "password": "correct horse"}).status_code == 302
    return client


def test_brief_shows_picture_price_stock_left_season_origin_points_and_story(app, client, shop, clock):
    with app.app_context():
        from coordinator.models import Product

        apple = db.session.get(Product, shop.apple_id)
        apple.selling_points, apple.shipping_origin = ["海拔1200米的红富士", "剪纸礼盒"], "宜君县电商物流配送中心"
        apple.available_from, apple.available_to = clock().date().replace(month=9, day=20), clock().date().replace(month=12, day=31)
        db.session.commit()
    body = json.dumps(event(shop, "o-1", quantity=950, amount_fen=100)).encode()
    assert client.post("/api/v1/sales", data=body,
                       headers=signed_headers(shop, body, int(clock().timestamp()))).status_code == 200
    page = login(app, "xiaomei").get(f"/my/products/{shop.apple_id}", headers=EN).get_data(as_text=True)
    assert "宜君苹果" in page and "¥39.90" in page
    assert re.search(r'id="stock-left">50<', page) and "Nearly sold out" in page
    assert "/static/img/products/fruit.svg" in page
    assert "09-20" in page and "12-31" in page and "宜君县电商物流配送中心" in page
    assert '<ol class="on-air"><li>海拔1200米的红富士</li><li>剪纸礼盒</li></ol>' in page
    assert "一年网上卖出50多万公斤" in page
    assert f"/my/sessions/{shop.session_id}/live" in page  # back to the session it is sold in


def test_a_paired_product_not_yet_scheduled_opens_too(app, shop):
    page = login(app, "xiaomei").get(f"/my/products/{shop.other_product_id}", headers=EN).get_data(as_text=True)
    assert "礼盒" in page and "Not in any of your coming sessions yet." in page
    assert "/static/img/products/other.svg" in page


def test_landing_lists_each_sessions_lineup_in_order_with_a_countdown_and_brief_links(app, shop):
    page = login(app, "xiaomei").get("/", headers=EN).get_data(as_text=True)
    session = page.split(f'data-session="{shop.session_id}"', 1)[1].split("</li>\n    \n", 1)[0]
    assert session.index("宜君苹果") < session.index("玉米糁")
    assert f"/my/products/{shop.apple_id}" in session and f"/my/products/{shop.grits_id}" in session
    assert 'class="countdown is-live" data-starts=' in session and "on air now" in session
    assert f'href="/my/products/{shop.other_product_id}"' in page  # the proposed product links its brief
    assert 'id="enable-notifications"' in page and 'data-brief-url="/my/sessions/0/live"' in page
    assert "js/portal.js" in page


def test_live_page_links_each_products_brief_and_takes_reminders(app, shop):
    page = login(app, "xiaomei").get(f"/my/sessions/{shop.session_id}/live").get_data(as_text=True)
    assert f'href="/my/products/{shop.apple_id}"' in page and f'href="/my/products/{shop.grits_id}"' in page
    assert 'id="reminders"' in page and page.index("js/portal.js") < page.index("js/host-live.js")


def test_stock_left_counts_sales_in_every_campaign(app, shop, clock):
    """One warehouse: what another campaign sold is gone for this one too."""
    with app.app_context():
        from coordinator.models import TallyCounter

        for campaign_id in (shop.campaign_id, shop.campaign_id + 100):
            db.session.add(TallyCounter(scope="campaign", scope_id=campaign_id, dimension="product",
                                        dimension_id=shop.apple_id, orders=1, units=300, gross_fen=0, refunded_fen=0,
                                        seq=1, updated_at=clock()))
        db.session.commit()
    host = login(app, "xiaomei")
    assert 'id="stock-left">400<' in host.get(f"/my/products/{shop.apple_id}").get_data(as_text=True)
    assert 'data-left="400"' in host.get(f"/my/sessions/{shop.session_id}/live").get_data(as_text=True)


# Every portal page and action of one host, tried by another host (404: not disclosed) and by a commissioner (403).
def foreign_requests(shop):
    return [
        ("get", f"/my/products/{shop.apple_id}", "laowang", 200),  # paired with him: his to read as well
        ("get", f"/my/products/{shop.other_product_id}", "laowang", 404),  # only Xiaomei's pairing
        ("get", "/my/products/999999", "xiaomei", 404),
        ("get", f"/my/sessions/{shop.session_id}/live", "laowang", 404),
        ("get", f"/my/sessions/{shop.other_session_id}/live", "xiaomei", 404),
        ("post", f"/my/pairings/{shop.other_pairing_id}/accept", "xiaomei", 404),  # another host's: not disclosed
        ("post", f"/my/pairings/{shop.other_pairing_id}/decline", "xiaomei", 404),
        ("get", f"/my/products/{shop.apple_id}", "chief", 403),
        ("get", "/my/profile", "chief", 403),
        ("get", f"/my/sessions/{shop.session_id}/live", "chief", 403),
    ]


def test_hosts_reach_only_their_own_briefs_sessions_and_pairings(app, shop):
    for method, path, username, status in foreign_requests(shop):
        client = login(app, username)
        response = getattr(client, method)(path, data={"reason": "不是我的"})
        assert response.status_code == status, (method, path, username)
    with app.app_context():
        assert db.session.get(Pairing, shop.other_pairing_id).status == "proposed"


def test_a_brief_not_paired_nor_scheduled_is_not_found_even_in_the_same_campaign(app, shop):
    """Laowang's session carries grits only; the gift box is enrolled in the campaign but not his."""
    response = login(app, "laowang").get(f"/my/products/{shop.other_product_id}")
    assert response.status_code == 404 and "礼盒" not in response.get_data(as_text=True)


def test_portal_pages_need_a_login(app, shop):
    anonymous = app.test_client()
    for path in (f"/my/products/{shop.apple_id}", "/my/profile"):
        assert anonymous.get(path).status_code == 302


def test_hosts_read_their_portal_in_chinese_unless_they_ask_for_english(app, shop):
    host = login(app, "xiaomei")
    assert '<html lang="zh-Hans">' in host.get(f"/my/products/{shop.apple_id}").get_data(as_text=True)
    host.post("/language", data={"lang": "en"})
    assert '<html lang="en">' in host.get(f"/my/products/{shop.apple_id}").get_data(as_text=True)


def test_portal_pages_carry_no_inline_script_or_style(app, shop):
    host = login(app, "xiaomei")
    for path in ("/", f"/my/products/{shop.apple_id}", f"/my/sessions/{shop.session_id}/live", "/my/profile",
                 "/login/link/lcc_link_unknown"):
        html = host.get(path).get_data(as_text=True)
        assert not re.search(r"<script(?![^>]*\bsrc=)[^>]*>", html), path
        assert not re.search(r"\sstyle=", html) and "<style" not in html, path
