"""The start pages, the error pages and the page rules every template keeps (no inline code, translated)."""
from __future__ import annotations

import re
from datetime import datetime, timedelta, timezone

import pytest

from coordinator.domain.errors import NotFound
from coordinator.extensions import db
from coordinator.models import (
    Campaign, CampaignProduct, CampaignStreamer, CommissionerCounty, LiveSession, Product, User,
)
from tests.factories import make_county, make_streamer, make_user

EN = {"Accept-Language": "en"}


def log_in(client, username: str) -> None:
    response = client.post("/login", data={"username": username, "password": "correct horse"})
    assert response.status_code == 302


def product(county_id: int, sku: str, name: str) -> Product:
    row = Product(county_id=county_id, name=name, sku=sku, category="fruit", price_fen=3990, stock=800)
    db.session.add(row)
    db.session.flush()
    return row


@pytest.fixture
def planned(app):
    """Wang works on Yijun only: two of its products, three streamers (one archived), one campaign."""
    with app.app_context():
        wang = make_user("wang", "commissioner")
        yijun, xunwu = make_county("宜君县", "陕西省"), make_county("寻乌县", "江西省")
        db.session.add(CommissionerCounty(user_id=wang.id, county_id=yijun.id))
        apples = product(yijun.id, "YJ-APPLE", "宜君苹果")
        product(yijun.id, "YJ-GRITS", "宜君玉米糁")
        product(xunwu.id, "XW-ORANGE", "寻乌脐橙")
        hosts = [make_streamer(handle) for handle in ("xiaomei", "laowang", "gone")]
        hosts[2].archived_at = datetime(2026, 1, 1, tzinfo=timezone.utc)
        campaign = Campaign(name="多一件农产品 · 双十一", status="published",
                            starts_at=datetime(2026, 11, 10, 12, 0, tzinfo=timezone.utc),
                            ends_at=datetime(2026, 11, 12, 16, 0, tzinfo=timezone.utc))
        db.session.add(campaign)
        db.session.flush()
        db.session.add(CampaignProduct(campaign_id=campaign.id, product_id=apples.id))
        db.session.add_all([CampaignStreamer(campaign_id=campaign.id, streamer_id=s.id) for s in hosts[:2]])
        db.session.commit()


def test_dashboard_counts_what_the_commissioner_sees_and_lists_campaigns(planned, app, client):
    log_in(client, "wang")
    page = client.get("/").get_data(as_text=True)
    assert re.findall(r'class="stat-value">(\d+)<', page) == ["1", "2", "2", "1"]  # counties, products, streamers, campaigns
    assert "多一件农产品 · 双十一" in page and "已发布" in page
    # 12:00 UTC is 20:00 in Asia/Shanghai, the configured zone; the window ends at midnight there.
    assert "2026-11-10 20:00" in page and "2026-11-13 00:00" in page
    row = page.split("多一件农产品 · 双十一", 1)[1].split("</tr>", 1)[0]
    # Wang is a partner (his apples are enrolled): how many products and hosts it has is for its team.
    assert re.findall(r'class="num" data-label="[^"]+">([^<]+)<', row)[:2] == ["—", "—"]
    assert "宜君县 · 陕西省" in page and "寻乌县" not in page
    with app.app_context():
        db.session.query(Campaign).update({"owner_id": db.session.query(User).filter_by(username="wang").one().id})
        db.session.commit()
    row = client.get("/").get_data(as_text=True).split("多一件农产品 · 双十一", 1)[1].split("</tr>", 1)[0]
    assert re.findall(r'class="num" data-label="[^"]+">(\d+)<', row) == ["1", "2"]  # enrolled products, streamers


def test_dashboard_without_campaigns_says_what_to_do_first(app, client):
    with app.app_context():
        make_user("wang", "commissioner")
    log_in(client, "wang")
    page = client.get("/", headers=EN).get_data(as_text=True)
    assert "No campaigns yet." in page and "<table" not in page


def test_streamer_home_shows_profile_campaigns_and_only_coming_sessions(planned, app, client, clock):
    with app.app_context():
        xiaomei = make_streamer("yijun_xiaomei", display_name="宜君小美", platform="douyin", followers=1234567,
                                categories=["fruit", "茶叶"])
        make_user("xiaomei_user", "streamer", streamer_handle="yijun_xiaomei")
        campaign = db.session.query(Campaign).one()
        db.session.add(CampaignStreamer(campaign_id=campaign.id, streamer_id=xiaomei.id))
        for title, start in (("苹果专场", clock() + timedelta(hours=3)), ("昨天的专场", clock() - timedelta(days=1))):
            db.session.add(LiveSession(campaign_id=campaign.id, streamer_id=xiaomei.id, title=title,
                                       starts_at=start, ends_at=start + timedelta(hours=2)))
        db.session.commit()
    log_in(client, "xiaomei_user")
    page = client.get("/").get_data(as_text=True)
    assert "宜君小美" in page and "抖音" in page and "1,234,567" in page and "水果" in page and "茶叶" in page
    assert "多一件农产品 · 双十一" in page
    assert "苹果专场" in page and "11-11 23:00" in page and "昨天的专场" not in page


def test_streamer_home_empty_states(app, client):
    with app.app_context():
        make_streamer("newcomer", display_name="新主播")
        make_user("newcomer_user", "streamer", streamer_handle="newcomer")
    log_in(client, "newcomer_user")
    page = client.get("/", headers=EN).get_data(as_text=True)
    assert "No sessions scheduled for you yet." in page and "You are not enrolled in a campaign yet." in page
    assert "No products proposed to you yet." in page


def test_login_errors_sit_beside_their_fields(client):
    response = client.post("/login", data={"username": "", "password": ""}, headers=EN)
    page = response.get_data(as_text=True)
    assert response.status_code == 400
    assert page.count('class="field-error"') == 2 and page.count('aria-invalid="true"') == 2


@pytest.mark.parametrize("app_config", [{"WTF_CSRF_ENABLED": True}])
def test_an_expired_login_form_says_so(client, app_config):
    response = client.post("/login", data={"username": "wang", "password": "correct horse"}, headers=EN)
    assert response.status_code == 400 and "The page had expired" in response.get_data(as_text=True)
    assert client.get("/", headers=EN).status_code == 302  # and nobody is logged in


@pytest.mark.parametrize("target", ["//evil.example/", "https://evil.example/", "javascript:alert(1)"])
def test_language_switch_returns_only_to_local_pages(client, target):
    response = client.post("/language", data={"lang": "en", "next": target})
    assert response.status_code == 302 and response.headers["Location"] == "/"
    assert client.post("/language", data={"lang": "en", "next": "/login"}).headers["Location"] == "/login"


def test_errors_are_friendly_pages_in_the_visitors_language(app, client):
    def explode():
        raise RuntimeError("secret internals")

    def missing_county():
        raise NotFound("There is no county 5.")

    app.add_url_rule("/explode", view_func=explode)
    app.add_url_rule("/county-gone", view_func=missing_county)
    crash = client.get("/explode")
    assert crash.status_code == 500 and crash.mimetype == "text/html"
    assert "出错了" in crash.get_data(as_text=True) and "secret internals" not in crash.get_data(as_text=True)
    assert "页面不存在" in client.get("/no/such/page").get_data(as_text=True)
    gone = client.get("/county-gone").get_data(as_text=True)
    assert "There is no county 5." not in gone and "页面不存在" in gone  # no English detail on a Chinese page
    assert "There is no county 5." in client.get("/county-gone", headers=EN).get_data(as_text=True)
    api = client.get("/api/v1/no-such-thing")
    assert api.status_code == 404 and api.get_json()["status"] == 404


def test_token_page_offers_a_copy_button_for_the_new_token(app, client):
    with app.app_context():
        make_user("wang", "commissioner")
    log_in(client, "wang")
    page = client.post("/account/tokens", data={"name": "报表机器人"}, headers=EN).get_data(as_text=True)
    assert re.search(r'id="new-token"[^>]*value="lcc_api_', page) and 'data-copy="new-token"' in page
    assert "shown only this once" in page and "js/copy.js" in page
    assert "报表机器人" in page


def test_pages_carry_no_inline_script_or_style(planned, client):
    pages = [client.get("/login"), client.get("/nowhere")]
    log_in(client, "wang")
    pages += [client.get("/"), client.get("/account/tokens")]
    for response in pages:
        html = response.get_data(as_text=True)
        assert "'unsafe-inline'" not in response.headers["Content-Security-Policy"]
        assert not re.search(r"<script(?![^>]*\bsrc=)[^>]*>", html), response.request.path
        assert not re.search(r"\sstyle=", html) and "<style" not in html, response.request.path
