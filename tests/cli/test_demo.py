"""`flask demo`: the real counties and hosts of DOMAIN.md, a campaign usable now, logins that work, twice over."""
from __future__ import annotations

from datetime import date, datetime, timedelta, timezone
from zoneinfo import ZoneInfo

from coordinator.domain.secrets import token_digest
from coordinator.extensions import db
from coordinator.models import (
    AvailabilityWindow, Campaign, CampaignProduct, CampaignStreamer, CommissionerCounty, County, IngestKey, LiveSession,
    Pairing, Product, Sample, ScreenToken, ShippingAddress, Streamer, User,
)
from coordinator.services.demo_data import CAMPAIGN_NAME
from tests.cli.helpers import last_line, refused
from tests.factories import make_streamer, make_user

SHANGHAI = ZoneInfo("Asia/Shanghai")


def printed(result) -> dict[str, str]:
    """The demo's 'Label: value' lines."""
    return {label.strip(): value.strip() for label, _, value in
            (line.partition(":") for line in result.stdout.splitlines()) if value}


def demo_campaign() -> Campaign:
    """The demo's campaign of now (last year's finished one is tests/cli/test_demo_results.py's)."""
    return db.session.query(Campaign).filter_by(name=CAMPAIGN_NAME).one()


def counts() -> dict[str, int]:
    """Rows of each model, leaving out the other campaigns than the demo's of now and what is theirs."""
    others = db.session.query(Campaign.id).filter(Campaign.name != CAMPAIGN_NAME).scalar_subquery()
    models = (County, Product, Streamer, AvailabilityWindow, Campaign, CampaignProduct, CampaignStreamer, User,
              CommissionerCounty, LiveSession, Pairing, Sample, ShippingAddress)
    mine = {Campaign: Campaign.id.not_in(others)} | {m: m.campaign_id.not_in(others) for m in models
                                                     if m is not Campaign and hasattr(m, "campaign_id")}
    return {model.__name__: db.session.query(model).filter(mine.get(model, True)).count() for model in models}


def test_demo_loads_the_real_counties_products_and_hosts(app, runner, clock):
    last_line(runner.invoke(args=["demo"]))
    with app.app_context():
        loaded = counts()
        assert loaded.pop("AvailabilityWindow") >= 12
        assert loaded == {"County": 7, "Product": 10, "Streamer": 12, "Campaign": 1, "CampaignProduct": 10,
                          "CampaignStreamer": 12, "User": 3, "CommissionerCounty": 8, "LiveSession": 4,
                          "Pairing": 20, "Sample": 15, "ShippingAddress": 11}
        provinces = {c.province for c in db.session.query(County)}
        assert {"陕西省", "贵州省", "江西省", "甘肃省", "河北省", "重庆市", "新疆维吾尔自治区"} == provinces
        assert all(c.story for c in db.session.query(County))
        grits = db.session.query(Product).filter_by(sku="YJ-GRITS-500G").one()
        assert (grits.name, grits.price_fen, grits.county.name) == ("宜君玉米糁（500克）", 580, "宜君县")
        assert "配送中心" in grits.shipping_origin and any("包邮" in point for point in grits.selling_points)
        products = db.session.query(Product).all()
        assert all(p.selling_points and p.shipping_origin and p.stock > 0 and p.unit for p in products)
        assert any("剪纸" in point for p in products for point in p.selling_points)
        streamers = db.session.query(Streamer).all()
        assert {s.platform for s in streamers} == {"taobao", "douyin", "kuaishou"}
        assert min(s.followers for s in streamers) < 10_000 and max(s.followers for s in streamers) >= 1_000_000
        assert all(s.availability and s.categories and s.bio for s in streamers)
        assert all(19 * 60 <= w.start_minute < w.end_minute <= 24 * 60 for s in streamers for w in s.availability)


def test_the_campaign_is_usable_now_with_every_product_and_host_enrolled(app, runner, clock):
    last_line(runner.invoke(args=["demo"]))
    with app.app_context():
        campaign = demo_campaign()
        assert "One More Agriproduct" in campaign.name and campaign.status == "published"
        assert (campaign.min_agri_products_per_session, campaign.max_products_per_session) == (1, 5)
        assert campaign.starts_at == datetime(2026, 11, 11, tzinfo=SHANGHAI) <= clock() < campaign.ends_at
        assert campaign.ends_at - campaign.starts_at == timedelta(days=14)
        first, last = campaign.starts_at.astimezone(SHANGHAI).date(), (campaign.ends_at - timedelta(seconds=1)).date()
        season = {p.sku: (p.available_from, p.available_to) for p in db.session.query(Product)}
        for sku in ("YJ-APPLE-5J", "XW-NAVEL-10J", "PA-BLACKTEA-250G", "PA-STIRTEA"):
            start, end = season[sku]
            assert (start or first) <= first and last <= (end or last), sku  # in season all campaign
        passion_start, passion_end = season["XW-PASSION-3J"]
        assert passion_start <= first <= passion_end < last  # its season ends during the campaign
        live = db.session.query(LiveSession).filter_by(status="live").one()
        assert live.starts_at <= clock() < live.ends_at and live.lineup


def test_demo_twice_duplicates_nothing_and_its_logins_and_secrets_work(app, runner, client, clock):
    runner.invoke(args=["demo"])
    with app.app_context():
        before = counts()
    clock.advance(minutes=5)
    result = runner.invoke(args=["demo"])
    screen_path = last_line(result)
    lines = printed(result)
    with app.app_context():
        assert counts() == before
        commissioner = db.session.query(User).filter_by(username="commissioner").one()
        assert commissioner.is_admin
        assert db.session.query(CommissionerCounty).filter_by(user_id=commissioner.id).count() == 7
        host = db.session.query(User).filter_by(role="streamer").one()
        assert db.session.get(Streamer, host.streamer_id).handle == "yijun_xiaomei"
        key_id, secret = lines["Ingest key"].split(" ")
        assert db.session.query(IngestKey).filter_by(key_id=key_id).one().secret == secret
        digest = token_digest(screen_path.removeprefix("/screen/"))
        screen = db.session.query(ScreenToken).filter_by(token_hash=digest).one()
        assert screen.campaign_id == demo_campaign().id
    base = f"http://{app.config['HOST']}:{app.config['PORT']}"
    assert lines["Open"] == f"{base}/" and lines["Tally screen"] == base + screen_path
    for label, username in (("Commissioner login", commissioner.username), ("Streamer login", host.username),
                            ("County partner login", "puan")):
        name, password = (part.strip() for part in lines[label].split("/"))
        assert name == username
        assert app.test_client().post("/login", data={"username": name, "password": password}).status_code == 302, label
        wrong = app.test_client().post("/login", data={"username": name, "password": "wrong-password"})
        assert wrong.status_code != 302, label
    token = lines["Commissioner API token"]
    assert client.get("/api/v1/me", headers={"Authorization": f"Bearer {token}"}).status_code == 200


def test_demo_on_a_later_day_extends_the_campaign_and_adds_sessions_for_now(app, runner, clock):
    runner.invoke(args=["demo"])
    clock.advance(days=20)
    last_line(runner.invoke(args=["demo"]))
    with app.app_context():
        campaign = demo_campaign()
        assert campaign.ends_at == datetime(2026, 12, 15, tzinfo=SHANGHAI)
        sessions = db.session.query(LiveSession).filter_by(campaign_id=campaign.id).all()
        assert len(sessions) == 8 and len({s.starts_at for s in sessions}) == 8
        assert [s.starts_at.date() for s in sessions if s.starts_at <= clock() < s.ends_at] == [date(2026, 12, 1)]


def test_demo_refuses_when_its_host_belongs_to_someone_else_and_stores_nothing(app, runner):
    with app.app_context():
        make_streamer("yijun_xiaomei")
        make_user("xiaomei_real", "streamer", streamer_handle="yijun_xiaomei")
    assert "xiaomei_real" in refused(runner.invoke(args=["demo"]))
    with app.app_context():
        assert [db.session.query(model).count() for model in (County, Product, Campaign, User)] == [0, 0, 0, 1]
        assert db.session.query(IngestKey).count() == 0


def test_the_demo_campaign_starts_at_midnight_in_the_configured_zone(app, runner, clock):
    clock.current = datetime(2026, 11, 10, 17, 0, tzinfo=timezone.utc)  # 01:00 on 11 November in Shanghai
    last_line(runner.invoke(args=["demo"]))
    with app.app_context():
        assert demo_campaign().starts_at == datetime(2026, 11, 10, 16, 0, tzinfo=timezone.utc)
