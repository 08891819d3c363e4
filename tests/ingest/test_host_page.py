"""The host's own page during a session: its tally and the stock left of each product."""
from __future__ import annotations

import json

import pytest

from tests.factories import make_streamer, make_user
from tests.ingest.helpers import event, open_shop, signed_headers


@pytest.fixture
def shop(app, clock):
    with app.app_context():
        shop = open_shop(clock())
        make_user("xiaomei", "streamer", streamer_handle="xiaomei")
        make_streamer("other_host")
        make_user("other", "streamer", streamer_handle="other_host")
        make_user("chief", "commissioner")
        return shop


def login(app, username):
    client = app.test_client()
    client.post("/login", data={"username": username, "password": "correct horse"})
    return client


def test_host_sees_their_tally_and_stock_left(app, client, shop, clock):
    body = json.dumps({"events": [event(shop, "o-1", quantity=95, amount_fen=379050),
                                  event(shop, "o-2", product="grits", quantity=3, amount_fen=1740)]}).encode()
    assert client.post("/api/v1/sales", data=body, headers=signed_headers(shop, body, int(clock().timestamp()))).status_code == 200
    host = login(app, "xiaomei")
    page = host.get(f"/my/sessions/{shop.session_id}/live", headers={"Accept-Language": "en"}).get_data(as_text=True)
    assert "¥3,807.90" in page and "宜君苹果" in page
    assert 'data-left="905"' in page and 'data-left="8997"' in page
    assert page.count('class="lineup-item"') == 2  # nothing is running low yet
    body = json.dumps(event(shop, "o-3", quantity=850, amount_fen=10)).encode()
    client.post("/api/v1/sales", data=body, headers=signed_headers(shop, body, int(clock().timestamp())))
    page = host.get(f"/my/sessions/{shop.session_id}/live").get_data(as_text=True)
    assert 'class="lineup-item low"' in page and 'data-left="55"' in page


def test_only_the_host_opens_the_page(app, shop):
    assert login(app, "other").get(f"/my/sessions/{shop.session_id}/live").status_code == 404
    assert login(app, "chief").get(f"/my/sessions/{shop.session_id}/live").status_code == 403
    assert app.test_client().get(f"/my/sessions/{shop.session_id}/live").status_code == 302


def test_dashboard_shows_each_campaigns_net_sales(app, client, shop, clock):
    body = json.dumps({"events": [event(shop, "o-1", quantity=2, amount_fen=7980),
                                  event(shop, "r-1", kind="refund", amount_fen=3990)]}).encode()
    client.post("/api/v1/sales", data=body, headers=signed_headers(shop, body, int(clock().timestamp())))
    with app.app_context():
        from coordinator.extensions import db
        from coordinator.models import User

        db.session.query(User).filter_by(username="chief").one().is_admin = True
        db.session.commit()
    page = login(app, "chief").get("/").get_data(as_text=True)
    assert "¥39.90" in page  # 79.80 sold, 39.90 refunded
