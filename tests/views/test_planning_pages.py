"""Planning pages: a commissioner creates what a campaign needs from the pages alone."""
from __future__ import annotations

import io

import pytest
from openpyxl import Workbook

from coordinator.extensions import db
from coordinator.models import Campaign, CampaignProduct, County, Product, Streamer
from tests.factories import make_user


@pytest.fixture
def commissioner(app, client):
    with app.app_context():
        make_user("chief", "commissioner", is_admin=True)
    response = client.post("/login", data={"username": "chief", "password": "correct horse"})
    assert response.status_code == 302
    return client


def test_county_product_streamer_and_campaign_from_the_pages(app, commissioner):
    client = commissioner
    assert client.post("/counties", data={"name": "宜君县", "province": "陕西"}).status_code == 302
    with app.app_context():
        county_id = db.session.query(County).one().id
    response = client.post("/products/new", data={
        "county_id": county_id, "name": "宜君玉米糁", "sku": "YJ-GRITS", "category": "grain", "price_yuan": "5.80",
        "stock": "5000", "unit": "袋", "is_agricultural": "y", "available_from": "2026-09-01",
        "available_to": "2027-06-30", "shipping_origin": "宜君县电商配送中心", "selling_points": "包邮\n剪纸包装"})
    assert response.status_code == 302
    response = client.post("/streamers/new", data={
        "handle": "yijun_xiaomei", "display_name": "宜君小美", "platform": "taobao", "followers": "52000",
        "categories": "grain, fruit", "availability": "周五 19:00-24:00"})
    assert response.status_code == 302
    response = client.post("/campaigns/new", data={
        "name": "多一件农产品 · 双十一", "starts_at": "2026-11-01T00:00", "ends_at": "2026-11-12T00:00",
        "min_agri_products_per_session": "1", "max_products_per_session": "5", "target_yuan": "100000"})
    assert response.status_code == 302
    with app.app_context():
        product = db.session.query(Product).one()
        streamer = db.session.query(Streamer).one()
        campaign = db.session.query(Campaign).one()
        assert (product.price_fen, product.selling_points) == (580, ["包邮", "剪纸包装"])
        assert [(w.weekday, w.start_minute, w.end_minute) for w in streamer.availability] == [(4, 1140, 1440)]
        # Typed in Asia/Shanghai: midnight there is 16:00 UTC the day before.
        assert campaign.starts_at.isoformat() == "2026-10-31T16:00:00+00:00" and campaign.target_net_fen == 10_000_000
        ids = (campaign.id, product.id, streamer.id)
    assert client.post(f"/campaigns/{ids[0]}/enrol/product", data={"product-item_id": ids[1]}).status_code == 302
    assert client.post(f"/campaigns/{ids[0]}/enrol/streamer", data={"streamer-item_id": ids[2]}).status_code == 302
    page = client.get(f"/campaigns/{ids[0]}").get_data(as_text=True)
    assert "宜君玉米糁" in page and "宜君小美" in page and "¥5.80" in page
    assert "enrol" in page and "宜君县" in page  # the audit trail and the coverage list


def test_form_errors_appear_beside_the_fields_and_store_nothing(app, commissioner):
    client = commissioner
    client.post("/counties", data={"name": "宜君县", "province": "陕西"})
    with app.app_context():
        county_id = db.session.query(County).one().id
    response = client.post("/products/new", data={
        "county_id": county_id, "name": "苹果", "sku": "bad sku!", "category": "fruit", "price_yuan": "-1",
        "stock": "10", "unit": "箱", "available_from": "2026-12-01", "available_to": "2026-11-01"})
    assert response.status_code == 200
    text = response.get_data(as_text=True)
    assert text.count('class="field-error"') >= 2
    with app.app_context():
        assert db.session.query(Product).count() == 0


def test_reversed_window_is_shown_beside_the_field(app, commissioner):
    client = commissioner
    client.post("/counties", data={"name": "宜君县", "province": "陕西"})
    with app.app_context():
        county_id = db.session.query(County).one().id
    response = client.post("/products/new", data={
        "county_id": county_id, "name": "苹果", "sku": "YJ-APPLE", "category": "fruit", "price_yuan": "69.9",
        "stock": "10", "unit": "箱", "available_from": "2026-12-01", "available_to": "2026-11-01"})
    assert response.status_code == 200 and "field-error" in response.get_data(as_text=True)
    with app.app_context():
        assert db.session.query(Product).count() == 0


def test_import_preview_then_valid_rows(app, commissioner):
    client = commissioner
    client.post("/counties", data={"name": "Yijun", "province": "Shaanxi"})
    workbook = Workbook()
    workbook.active.append(["县域", "名称", "SKU", "品类", "价格（元）", "库存"])
    workbook.active.append(["Yijun", "玉米糁", "G-1", "grain", "5.8", "100"])
    workbook.active.append(["Yijun", "苹果", "A-1", "fruit", "abc", "100"])
    data = io.BytesIO()
    workbook.save(data)
    preview = client.post("/import/products", data={"file": (io.BytesIO(data.getvalue()), "p.xlsx")},
                          content_type="multipart/form-data")
    text = preview.get_data(as_text=True)
    assert preview.status_code == 200 and "价格（元）" in text
    with app.app_context():
        assert db.session.query(Product).count() == 0
    upload_id = text.split('name="upload_id" value="')[1].split('"')[0]
    done = client.post("/import/products/confirm", data={"upload_id": upload_id, "mode": "valid_rows"})
    assert done.status_code == 302
    with app.app_context():
        assert [p.sku for p in db.session.query(Product)] == ["G-1"]
    again = client.post("/import/products/confirm", data={"upload_id": upload_id, "mode": "valid_rows"})
    assert again.status_code == 302
    with app.app_context():
        assert db.session.query(Product).count() == 1


def test_the_import_report_speaks_the_pages_language(app, commissioner):
    client = commissioner
    client.post("/counties", data={"name": "Yijun", "province": "Shaanxi"})
    workbook = Workbook()
    workbook.active.append(["县域", "名称", "SKU", "品类", "价格（元）", "库存", "农产品"])
    workbook.active.append(["Yijun", "苹果", "A-1", "fruit", "abc", "100", "是"])  # not an amount
    workbook.active.append(["Yijun", "玉米糁", "G-1", "grain", "5.8", "-3", "是"])  # negative stock
    workbook.active.append(["Atlantis", "茶", "T-1", "tea", "5.8", "1", "是"])  # no such county
    workbook.active.append(["Yijun", "蜂蜜", "H-1", "honey", "5.8", "1", "maybe"])  # not yes or no
    data = io.BytesIO()
    workbook.save(data)

    def report(language: str) -> str:
        page = client.post("/import/products", data={"file": (io.BytesIO(data.getvalue()), "p.xlsx")},
                           content_type="multipart/form-data", headers={"Accept-Language": language})
        assert page.status_code == 200
        return page.get_data(as_text=True)

    zh = report("zh-CN")
    for message in ("应为以元计的金额，例如 5.80", "不能小于 0", "未知县域（或不在您负责的范围内）", "应为 是/否"):
        assert message in zh, message
    assert "greater than or equal" not in zh and "expected" not in zh
    en = report("en")
    assert "must be at least 0" in en and "unknown county" in en and "expected yes/no" in en


def test_streamers_cannot_open_planning_pages(app, client):
    with app.app_context():
        db.session.add(Streamer(handle="host", display_name="Host", platform="douyin", followers=1, categories=[]))
        db.session.commit()
        make_user("host", "streamer", streamer_handle="host")
    client.post("/login", data={"username": "host", "password": "correct horse"})
    for path in ("/counties", "/products", "/streamers", "/campaigns/new", "/import/products"):
        assert client.get(path).status_code == 403, path


def test_campaign_page_marks_uncovered_counties_and_out_of_season_products(app, commissioner):
    from datetime import date, datetime, timezone

    with app.app_context():
        county = County(name="寻乌县", province="江西")
        db.session.add(county)
        db.session.flush()
        fruit = Product(county_id=county.id, name="百香果", sku="XW-PASSION", category="fruit", price_fen=3990, stock=100,
                        available_from=date(2026, 6, 1), available_to=date(2026, 10, 15))
        campaign = Campaign(name="双十一", starts_at=datetime(2026, 11, 1, tzinfo=timezone.utc),
                            ends_at=datetime(2026, 11, 12, tzinfo=timezone.utc))
        db.session.add_all([fruit, campaign])
        db.session.flush()
        db.session.add(CampaignProduct(campaign_id=campaign.id, product_id=fruit.id))
        db.session.commit()
        campaign_id = campaign.id
    page = commissioner.get(f"/campaigns/{campaign_id}", headers={"Accept-Language": "en"}).get_data(as_text=True)
    assert "Out of season" in page and "no streamer yet" in page
