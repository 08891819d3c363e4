"""A national campaign's board, 500 hosts by 100 products: a page of it at a time, light enough for a weak signal."""
from __future__ import annotations

import gzip
import re
import time
from datetime import datetime, timedelta, timezone
from html import unescape

import pytest
from sqlalchemy import func, insert, select

from coordinator.extensions import db
from coordinator.models import CampaignProduct, CampaignStreamer, County, Pairing, Product, Streamer
from coordinator.services import access, campaigns
from tests.factories import make_user

HOSTS, PRODUCTS, COUNTIES, PAIRS_PER_HOST = 500, 100, 10, 8
CATEGORIES = ("fruit", "grain", "tea", "nuts")
BUDGET = 300 * 1024  # the ceiling for the board over the wire: its HTML, CSS and JS, gzipped


def _build() -> int:
    """The campaign, its counties, products, hosts and pairings, inserted in bulk (a second, not minutes)."""
    owner = make_user("national", "commissioner")
    start = datetime(2026, 12, 1, tzinfo=timezone.utc)
    campaign = campaigns.create_campaign(access.actor_for(owner), {
        "name": "全国助农直播月", "starts_at": start, "ends_at": start + timedelta(days=30),
        "min_agri_products_per_session": 1, "max_products_per_session": 5})
    db.session.execute(insert(County), [{"name": f"第{n:02d}县", "province": "陕西"} for n in range(COUNTIES)])
    county_ids = list(db.session.scalars(select(County.id).order_by(County.id)))
    db.session.execute(insert(Product), [
        {"county_id": county_ids[n % COUNTIES], "name": f"农产品{n:03d}", "sku": f"SKU-{n:03d}",
         "category": CATEGORIES[n % len(CATEGORIES)], "price_fen": 1990, "stock": 1000} for n in range(PRODUCTS)])
    db.session.execute(insert(Streamer), [
        {"handle": f"host_{n:03d}", "display_name": f"主播{n:03d}", "platform": "douyin", "followers": 10000 + n,
         "categories": [CATEGORIES[n % len(CATEGORIES)]]} for n in range(HOSTS)])
    product_ids = list(db.session.scalars(select(Product.id).order_by(Product.sku)))
    streamer_ids = list(db.session.scalars(select(Streamer.id).order_by(Streamer.handle)))
    db.session.execute(insert(CampaignProduct), [{"campaign_id": campaign.id, "product_id": p} for p in product_ids])
    db.session.execute(insert(CampaignStreamer), [{"campaign_id": campaign.id, "streamer_id": s} for s in streamer_ids])
    states = ("proposed", "accepted", "declined", "locked")
    db.session.execute(insert(Pairing), [
        {"campaign_id": campaign.id, "streamer_id": s, "product_id": product_ids[(i * 7 + k * 13) % PRODUCTS],
         "status": states[(i + k) % 4], "score": 0.5, "reasons": ["粉丝画像匹配", "同品类经验"],
         "decline_reason": "档期冲突" if states[(i + k) % 4] == "declined" else ""}
        for i, s in enumerate(streamer_ids) for k in range(PAIRS_PER_HOST)])
    db.session.commit()
    return campaign.id


@pytest.fixture
def national(app, client):
    """A logged-in owner of the 500 by 100 campaign, and the campaign's id."""
    with app.app_context():
        campaign_id = _build()
    assert client.post("/login", data={"username": "national", "password": "correct horse"}).status_code == 302
    return client, campaign_id


def _gzipped(response) -> tuple[int, int]:
    """A body's size as sent and as gzip would send it (decompressed first if the app compressed it already)."""
    body = response.get_data()
    if response.headers.get("Content-Encoding") == "gzip":
        body = gzip.decompress(body)
    return len(body), len(gzip.compress(body))


def _rows(page: str) -> list[str]:
    return re.findall(r'<th scope="row"><span id="h-\d+">([^<]+)</span>', page)


def test_the_first_page_of_a_500_by_100_board_weighs_under_300_kb_gzipped(national):
    client, campaign_id = national
    began = time.perf_counter()
    response = client.get(f"/campaigns/{campaign_id}/pairings",
                          headers={"Accept-Encoding": "gzip", "Accept-Language": "en"})
    took = time.perf_counter() - began
    assert response.status_code == 200
    raw, packed = _gzipped(response)
    page = gzip.decompress(response.get_data()).decode() if response.headers.get("Content-Encoding") == "gzip" \
        else response.get_data(as_text=True)
    assets = re.findall(r'<link rel="stylesheet" href="([^"]+)"|<script src="([^"]+)"', page)
    weights = {}
    for url in {a or b for a, b in assets}:
        answer = client.get(url, headers={"Accept-Encoding": "gzip"})
        assert answer.status_code == 200, url
        weights[url] = _gzipped(answer)[1]
        answer.close()
    print(f"\nboard 500x100 in {took:.2f} s: HTML {raw} B raw, {packed} B gzipped; "
          f"assets gzipped {sum(weights.values())} B {weights}")
    assert packed + sum(weights.values()) <= BUDGET
    assert _rows(page) == [f"主播{n:03d}" for n in range(50)]  # the first page of hosts, in handle order
    assert "Hosts 1–50 of 500" in page and "products 1–20 of 100" in page
    assert page.count('<th scope="col" class="product-head">') == 20
    with client.application.app_context():
        proposed = db.session.scalar(select(func.count()).select_from(Pairing).where(Pairing.status == "proposed"))
    # The legend counts the whole campaign, not the page.
    assert re.search(rf'data-total="proposed">Proposed <strong>{proposed}</strong>', page)


def test_filters_pages_and_search_narrow_the_500_by_100_board(national):
    client, campaign_id = national
    board = f"/campaigns/{campaign_id}/pairings"
    page = client.get(board + "?page=2&cols=5", headers={"Accept-Language": "en"}).get_data(as_text=True)
    assert "Hosts 51–100 of 500" in page and "products 81–100 of 100" in page
    assert _rows(page)[0] == "主播050" and 'rel="prev"' in page
    with client.application.app_context():
        county = db.session.scalar(select(County).order_by(County.id))
        county_id, county_name = county.id, county.name
    page = client.get(f"{board}?county={county_id}", headers={"Accept-Language": "en"}).get_data(as_text=True)
    assert "products 1–10 of 10" in page and page.count(f'<small class="muted">{county_name}') == 10
    page = client.get(f"{board}?category=tea&q=农产品00", headers={"Accept-Language": "en"}).get_data(as_text=True)
    heads = re.findall(r'<span id="p-\d+">([^<]+)</span>', page)
    assert heads == ["农产品002", "农产品006"] and "Hosts 1–50 of 500" in page
    page = client.get(f"{board}?q=HOST_123", headers={"Accept-Language": "en"}).get_data(as_text=True)
    assert _rows(page) == ["主播123"] and "products 1–20 of 100" in page
    page = client.get(f"{board}?q=nobody", headers={"Accept-Language": "en"}).get_data(as_text=True)
    assert unescape("No host or product matches &ldquo;nobody&rdquo;.") in unescape(page)
    # An action taken from a narrowed page comes back to that page.
    page = client.get(f"{board}?page=3&county={county_id}", headers={"Accept-Language": "en"}).get_data(as_text=True)
    streamer, product = re.search(r'name="pair" value="(\d+)-(\d+)"', page).groups()
    answer = client.post(f"{board}/add", data={"pair": f"{streamer}-{product}", "page": "3", "county": county_id})
    assert answer.status_code == 302
    assert re.fullmatch(rf"/campaigns/{campaign_id}/pairings\?page=3&county={county_id}#at-\d+", answer.location)
    with client.application.app_context():
        assert db.session.scalar(select(Pairing.source).where(Pairing.streamer_id == int(streamer),
                                                              Pairing.product_id == int(product))) == "manual"
