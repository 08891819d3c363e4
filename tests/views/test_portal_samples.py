"""The host's samples on the phone: asking for one from a pairing, refusals that change nothing, "I received it",
cancelling, the shipping address on the profile page, another host kept out, and the start page's late warning
coming within SAMPLE_LEAD_DAYS and going once the sample arrives."""
from __future__ import annotations

import re
from dataclasses import dataclass
from datetime import datetime, timedelta, timezone

import pytest

from coordinator.domain.access_facts import SYSTEM
from coordinator.edge import done, settings
from coordinator.extensions import db, socketio
from coordinator.models import (
    Campaign, CampaignProduct, CampaignStreamer, LineupItem, LiveSession, Pairing, Product, Sample, ShippingAddress,
)
from coordinator.services import samples
from tests.factories import make_county, make_streamer, make_user

EN = {"Accept-Language": "en"}


@dataclass
class Shop:
    """Xiaomei carries apples (accepted, in her session four days on) and declined the grits; Laowang is there too."""

    host_id: int
    other_id: int
    apples: int
    declined: int
    session_id: int


@pytest.fixture
def shop(app, clock) -> Shop:
    with app.app_context():
        county = make_county("宜君县", "陕西省")
        apple = Product(county_id=county.id, name="宜君苹果", sku="YJ-APPLE", category="fruit", price_fen=3990,
                        stock=1000, unit="箱")
        grits = Product(county_id=county.id, name="玉米糁", sku="YJ-GRITS", category="grain", price_fen=580, stock=900)
        host = make_streamer("xiaomei", display_name="宜君小美")
        other = make_streamer("laowang", display_name="老王")
        campaign = Campaign(name="双十一", status="published", starts_at=datetime(2026, 11, 1, tzinfo=timezone.utc),
                            ends_at=datetime(2026, 11, 30, tzinfo=timezone.utc))
        db.session.add_all([apple, grits, campaign])
        db.session.flush()
        db.session.add_all([CampaignProduct(campaign_id=campaign.id, product_id=p.id) for p in (apple, grits)]
                           + [CampaignStreamer(campaign_id=campaign.id, streamer_id=s.id) for s in (host, other)])
        pairings = [Pairing(campaign_id=campaign.id, streamer_id=host.id, product_id=apple.id, status="accepted"),
                    Pairing(campaign_id=campaign.id, streamer_id=host.id, product_id=grits.id, status="declined",
                            decline_reason="档期冲突")]
        starts = clock() + timedelta(days=4)
        session = LiveSession(campaign_id=campaign.id, streamer_id=host.id, starts_at=starts,
                              ends_at=starts + timedelta(hours=2), title="苹果专场")
        session.lineup = [LineupItem(product_id=apple.id, position=0)]
        db.session.add_all([*pairings, session])
        db.session.commit()
        for handle in ("xiaomei", "laowang"):
            make_user(handle, "streamer", streamer_handle=handle)
        return Shop(host.id, other.id, pairings[0].id, pairings[1].id, session.id)


def login(app, username: str):
    client = app.test_client()
    assert client.post("/login", data={"username": username, "password": "correct horse"}).status_code == 302
    return client


def page(client, url: str) -> str:
    response = client.get(url, headers=EN)
    assert response.status_code == 200, url
    return response.get_data(as_text=True)


def flashes(html: str) -> list[str]:
    return re.findall(r'<p class="flash flash-\w+" role="status">([^<]*)</p>', html)


def ask(client, pairing_id: int, quantity: str = "1", next_url: str = "/my/samples"):
    return client.post("/my/samples", data={"pairing_id": str(pairing_id), "quantity": quantity, "next": next_url},
                       headers=EN)


def rows(app) -> list[tuple]:
    with app.app_context():
        return [(s.pairing_id, s.status, s.quantity) for s in db.session.query(Sample).order_by(Sample.id)]


def only_sample(app) -> int:
    with app.app_context():
        return db.session.query(Sample.id).scalar()


def county_moves(app, sample_id: int, *moves: str) -> None:
    """The county approves and ships the sample (SF Express), as its commissioner's page would (events pushed)."""
    with app.app_context():
        for move in moves:
            carrier = ("sf", "SF1234567890123") if move == "ship" else ("", "")
            done(samples.move(SYSTEM, settings(), sample_id, move, *carrier))


def card(html: str, sample_id: int) -> str:
    return html.split(f'id="sample-{sample_id}"', 1)[1].split("</li>", 1)[0]


def pairing_item(html: str, pairing_id: int) -> str:
    return html.split(f'id="pairing-{pairing_id}"', 1)[1].split('<li class="pairing-item"', 1)[0]


def test_a_host_asks_for_a_sample_from_the_start_page_and_follows_it(app, shop):
    host = login(app, "xiaomei")
    start = page(host, "/")
    assert 'name="pairing_id" value="%d"' % shop.apples in pairing_item(start, shop.apples)
    assert 'action="/my/samples"' not in pairing_item(start, shop.declined)  # nothing to ask of a declined one
    live = socketio.test_client(app, namespace="/live", flask_test_client=host)

    answer = ask(host, shop.apples, "2", f"/#pairing-{shop.apples}")
    assert answer.status_code == 302 and answer.headers["Location"] == f"/#pairing-{shop.apples}"
    assert rows(app) == [(shop.apples, "requested", 2)]
    pushed = [e for e in live.get_received("/live") if e["name"] == "sample"]
    assert [(e["args"][0]["status"], e["args"][0]["pairing_id"]) for e in pushed] == [("requested", shop.apples)]

    start = page(host, "/")
    assert "Sample requested" in " ".join(flashes(start))
    item = pairing_item(start, shop.apples)
    assert "Requested" in item and re.search(r'class="ask-inline"[^>]*\shidden', item)  # asked once, not twice
    sample_id = only_sample(app)
    entry = card(page(host, "/my/samples"), sample_id)
    assert "宜君苹果" in entry and "双十一" in entry and "2 箱" in entry and "Requested" in entry
    assert 'action="/my/samples/%d/cancel"' % sample_id in entry


def test_refusals_flash_why_and_change_nothing(app, shop):
    host = login(app, "xiaomei")
    declined = page(host, ask(host, shop.declined).headers["Location"])
    assert "You declined this pairing" in " ".join(flashes(declined)) and rows(app) == []
    too_many = page(host, ask(host, shop.apples, "21").headers["Location"])
    assert "Ask for 1 to 20 units." in " ".join(flashes(too_many)) and rows(app) == []
    assert ask(host, shop.apples).status_code == 302
    again = page(host, ask(host, shop.apples, "3").headers["Location"])
    assert "already on its way to you" in " ".join(flashes(again))
    assert rows(app) == [(shop.apples, "requested", 1)]


def test_a_shipped_sample_shows_its_tracking_and_one_tap_receipt(app, shop):
    host = login(app, "xiaomei")
    ask(host, shop.apples)
    sample_id = only_sample(app)
    live = socketio.test_client(app, namespace="/live", flask_test_client=host)
    county_moves(app, sample_id, "approve", "ship")
    assert [e["args"][0]["status"] for e in live.get_received("/live") if e["name"] == "sample"] == [
        "approved", "shipped"]

    entry = card(page(host, "/my/samples"), sample_id)
    assert "On its way" in entry and "SF Express" in entry and "SF1234567890123" in entry
    assert re.search(r'class="tracking-link" target="_blank" rel="noopener" href="[^"]*SF1234567890123', entry)
    assert "hidden" not in re.search(r'<form method="post" action="/my/samples/%d/receive"[^>]*>' % sample_id, entry)[0]
    assert re.search(r'<details class="sample-cancel"[^>]*hidden', entry)  # a parcel sent cannot be called back
    start = pairing_item(page(host, "/"), shop.apples)
    assert "On its way" in start and "SF1234567890123" in start

    answer = host.post(f"/my/samples/{sample_id}/receive", data={"next": f"/my/samples#sample-{sample_id}"})
    assert answer.status_code == 302 and answer.headers["Location"] == f"/my/samples#sample-{sample_id}"
    with app.app_context():
        sample = db.session.get(Sample, sample_id)
        assert sample.status == "received" and sample.received_at is not None
    entry = card(page(host, "/my/samples"), sample_id)
    assert "Received" in entry
    assert re.search(r'<form method="post" action="/my/samples/%d/receive"[^>]*hidden' % sample_id, entry)
    again = page(host, host.post(f"/my/samples/{sample_id}/receive").headers["Location"])
    assert flashes(again) and rows(app)[0][1] == "received"  # a second tap changes nothing


def test_cancelling_a_sample_not_yet_sent(app, shop):
    host = login(app, "xiaomei")
    ask(host, shop.apples)
    sample_id = only_sample(app)
    assert host.post(f"/my/samples/{sample_id}/cancel").status_code == 302
    assert rows(app) == [(shop.apples, "cancelled", 1)]
    start = pairing_item(page(host, "/"), shop.apples)
    assert "Cancelled" in start and not re.search(r'class="ask-inline"[^>]*\shidden', start)  # may ask again

    ask(host, shop.apples)
    with app.app_context():
        second = db.session.query(Sample).filter_by(status="requested").one().id
    county_moves(app, second, "approve", "ship")
    refused = page(host, host.post(f"/my/samples/{second}/cancel").headers["Location"])
    assert flashes(refused) and [r[1] for r in rows(app)] == ["cancelled", "shipped"]


def test_the_shipping_address_is_asked_for_saved_and_shown(app, shop):
    host = login(app, "xiaomei")
    assert "address-prompt" not in page(host, "/")  # nothing waits for it yet
    ask(host, shop.apples)
    for url in ("/", "/my/samples"):
        assert 'id="address-prompt"' in page(host, url) and 'href="/my/profile#shipping-address"' in page(host, url)

    incomplete = host.post("/my/address", data={"recipient": "王小明", "phone": "abc", "address": ""}, headers=EN)
    assert incomplete.status_code == 422
    html = incomplete.get_data(as_text=True)
    assert 'id="profile-form"' in html and "This field is required." in html.split('name="address"')[1]
    with app.app_context():
        assert db.session.get(ShippingAddress, shop.host_id) is None

    saved = host.post("/my/address", data={"recipient": "王小明", "phone": "138 0000 0000",
                                           "address": "陕西省铜川市宜君县城关镇1号"})
    assert saved.status_code == 302 and saved.headers["Location"] == "/my/profile#shipping-address"
    profile = page(host, "/my/profile")
    assert 'value="王小明"' in profile and "宜君县城关镇1号" in profile and 'value="宜君小美"' in profile
    assert "宜君县城关镇1号" in page(host, "/my/samples")
    assert 'id="address-prompt"' not in page(host, "/") and 'id="address-prompt"' not in page(host, "/my/samples")
    with app.app_context():
        assert db.session.get(ShippingAddress, shop.other_id) is None  # only the caller's own


def test_another_host_neither_sees_nor_touches_the_sample(app, shop):
    host = login(app, "xiaomei")
    ask(host, shop.apples)
    sample_id = only_sample(app)
    other = login(app, "laowang")
    watching = socketio.test_client(app, namespace="/live", flask_test_client=other)
    assert "宜君苹果" not in page(other, "/my/samples").split('id="sample-list"')[1].split("</section>")[0]
    assert other.post(f"/my/samples/{sample_id}/cancel").status_code == 404
    county_moves(app, sample_id, "approve", "ship")
    assert other.post(f"/my/samples/{sample_id}/receive").status_code == 404
    refused = page(other, ask(other, shop.apples).headers["Location"])  # her pairing, named in the body
    assert "Unknown pairing" in " ".join(flashes(refused)) and rows(app) == [(shop.apples, "shipped", 1)]
    host.post(f"/my/samples/{sample_id}/receive")
    assert rows(app) == [(shop.apples, "received", 1)]
    assert [e for e in watching.get_received("/live") if e["name"] == "sample"] == []  # not pushed to him either


def test_the_late_warning_comes_within_the_lead_days_and_goes_on_receipt(app, shop, clock):
    host = login(app, "xiaomei")
    ask(host, shop.apples)
    sample_id = only_sample(app)
    assert "late-samples" not in page(host, "/")  # four days ahead: not late yet

    clock.advance(days=2, hours=1)  # the session now starts within SAMPLE_LEAD_DAYS (2)
    start = page(host, "/")
    session = start.split(f'data-session="{shop.session_id}"', 1)[1].split('<li class="session-item"', 1)[0]
    assert "The sample of 宜君苹果 has not arrived." in session
    entry = card(page(host, "/my/samples"), sample_id)
    assert "Not here yet" in entry and "苹果专场" in entry
    county_moves(app, sample_id, "approve", "ship")
    assert "late-samples" in page(host, "/")  # shipped is not in hand
    host.post(f"/my/samples/{sample_id}/receive")
    assert "late-samples" not in page(host, "/")
    assert "Not here yet" not in card(page(host, "/my/samples"), sample_id)
