"""`flask demo` also loads last year's Double 11: a closed campaign whose report adds up to its stored sales, with
sessions on every day of its window, in the evening, across counties, products and hosts; loading again changes
no figure, and a load cut short posts the same orders again as duplicates."""
from __future__ import annotations

from datetime import date, datetime, timedelta
from zoneinfo import ZoneInfo

from sqlalchemy import case, func

from coordinator.edge import settings
from coordinator.extensions import db
from coordinator.models import (
    Campaign, CampaignProduct, CampaignStreamer, IngestKeyCampaign, LiveSession, Pairing, Product, SaleEvent, User,
)
from coordinator.services import access, demo_results, report
from tests.cli.helpers import last_line

SHANGHAI = ZoneInfo("Asia/Shanghai")
NAME = demo_results.NAME.format(year=2025)  # the test clock's today is 11 November 2026


def _finished() -> Campaign:
    return db.session.query(Campaign).filter_by(name=NAME).one()


def _commissioner():
    return access.actor_for(db.session.query(User).filter_by(username="commissioner").one())


def _stored(campaign_id: int, *group) -> list[tuple]:
    """Orders, net units, gross and refunded fen of the campaign's stored sale events, by the columns given."""
    is_order = SaleEvent.kind == "order"
    return db.session.query(*group, func.sum(case((is_order, 1), else_=0)),
                            func.sum(case((is_order, SaleEvent.quantity), else_=-SaleEvent.quantity)),
                            func.sum(case((is_order, SaleEvent.amount_fen), else_=0)),
                            func.sum(case((is_order, 0), else_=SaleEvent.amount_fen))).filter(
        SaleEvent.campaign_id == campaign_id).group_by(*group).all()


def _figures(f) -> tuple[int, int, int, int]:
    return f.orders, f.units, f.gross_fen, f.refunded_fen


def _snapshot(app, campaign_id: int) -> dict:
    r = report.campaign_report(_commissioner(), settings(app), campaign_id)
    rows = {model.__name__: db.session.query(model).filter_by(campaign_id=campaign_id).count()
            for model in (CampaignProduct, CampaignStreamer, IngestKeyCampaign, LiveSession, Pairing, SaleEvent)}
    return {"totals": _figures(r.totals.figures), "rows": rows,
            "days": [(day, _figures(f)) for day, f in r.days], "hosts": {h.handle: _figures(h.figures) for h in r.hosts}}


def test_last_years_double_11_is_closed_and_its_report_adds_up_to_its_sales(app, runner, client, clock):
    result = runner.invoke(args=["demo"])
    last_line(result)
    with app.app_context():
        campaign = _finished()
        assert campaign.status == "closed" and campaign.owner_id == db.session.query(User.id).filter_by(
            username="commissioner").scalar()
        assert (campaign.starts_at, campaign.ends_at) == (datetime(2025, 11, 1, tzinfo=SHANGHAI),
                                                          datetime(2025, 11, 12, tzinfo=SHANGHAI))
        r = report.campaign_report(_commissioner(), settings(app), campaign.id)
        ((orders, units, gross, refunded),) = _stored(campaign.id)
        assert _figures(r.totals.figures) == (orders, units, gross, refunded)
        assert 2_000 <= orders <= 10_000 and refunded > 0 and r.totals.target_fen and r.totals.target_share > 0.5
        by_county = {county: tuple(f) for county, *f in _stored(campaign.id, SaleEvent.county_id)}
        assert {c.county_id: _figures(c.figures) for c in r.counties} == by_county and len(by_county) == 7
        assert len([p for p in r.products if p.figures.orders]) == 10 and len(r.hosts) == 11
        assert all(h.sessions and h.figures.orders for h in r.hosts)
        assert [day for day, f in r.days if f.orders] == [date(2025, 11, 1) + timedelta(days=n) for n in range(11)]
        assert max(r.days, key=lambda d: d[1].net_fen)[0] == date(2025, 11, 11)  # the peak night
        assert {hour for hour, f in enumerate(r.hours) if not f.empty} <= set(range(19, 24))
        ids = [order_id for (order_id,) in db.session.query(SaleEvent.order_id).filter_by(campaign_id=campaign.id)]
        assert "D11-2025-000001" in ids and any(order_id.endswith("-R") for order_id in ids)
        token = next(line.split()[-1] for line in result.stdout.splitlines() if line.startswith("Commissioner API"))
    body = client.get(f"/api/v1/campaigns/{campaign.id}/report", headers={"Authorization": f"Bearer {token}"}).json
    assert (body["status"], body["totals"]["net_fen"]) == ("closed", gross - refunded)
    assert f"/campaigns/{campaign.id}/results" in result.stdout


def test_its_sessions_ended_in_the_evenings_of_its_window_with_lineups_their_hosts_accepted(app, runner, clock):
    last_line(runner.invoke(args=["demo"]))
    with app.app_context():
        campaign = _finished()
        sessions = db.session.query(LiveSession).filter_by(campaign_id=campaign.id).all()
        assert {s.status for s in sessions} == {"ended"} and len(sessions) >= 40
        kept = {(p.streamer_id, p.product_id) for p in db.session.query(Pairing).filter_by(campaign_id=campaign.id)
                if p.status in ("accepted", "locked")}
        agricultural = {p.id for p in db.session.query(Product).filter_by(is_agricultural=True)}
        for s in sessions:
            start, end = s.starts_at.astimezone(SHANGHAI), s.ends_at.astimezone(SHANGHAI)
            assert campaign.starts_at <= s.starts_at < s.ends_at <= campaign.ends_at
            assert start.hour >= 19 and (end.date() == start.date() or end.time() == datetime.min.time())
            products = [item.product_id for item in s.lineup]
            assert 1 <= len(products) <= 5 and agricultural & set(products)
            assert all((s.streamer_id, product) in kept for product in products)
        for s in sessions:  # no host is on air twice at once
            assert not any(o.id != s.id and o.streamer_id == s.streamer_id and o.starts_at < s.ends_at
                           and s.starts_at < o.ends_at for o in sessions)
        assert len({s.streamer_id for s in sessions}) == 11  # all but the demo's host login


def test_loading_again_changes_no_figure_and_a_load_cut_short_posts_duplicates(app, runner, clock):
    last_line(runner.invoke(args=["demo"]))
    with app.app_context():
        campaign_id = _finished().id
        before = _snapshot(app, campaign_id)
    clock.advance(days=1)
    last_line(runner.invoke(args=["demo"]))
    with app.app_context():
        assert _snapshot(app, campaign_id) == before
        _finished().status = "live"  # as if the last load had stopped after posting, before closing
        db.session.commit()
        again = demo_results.load(settings(app), db.session.query(User).filter_by(username="commissioner").one())
        assert (again.campaign_id, again.accepted) == (campaign_id, 0) and _finished().status == "closed"
        assert db.session.query(SaleEvent).filter_by(ingest_key_id=again.key_row_id).count() == \
            before["rows"]["SaleEvent"]
        assert _snapshot(app, campaign_id) == before


def test_its_results_page_shows_the_report(app, runner, client, clock):
    from coordinator.services.demo_data import COMMISSIONER

    last_line(runner.invoke(args=["demo"]))
    with app.app_context():
        campaign_id = _finished().id
    name, password = COMMISSIONER
    assert client.post("/login", data={"username": name, "password": password}).status_code == 302
    page = client.get(f"/campaigns/{campaign_id}/results")
    assert page.status_code == 200
    text = page.get_data(as_text=True)
    assert all(word in text for word in ("2025双十一助农", "普安县", "伽师瓜", "头部主播薇姐"))


def test_its_reconciliation_lists_each_kind_of_difference_and_is_made_once(app, runner, clock):
    from coordinator.models import Reconciliation, ReconciliationRow

    last_line(runner.invoke(args=["demo"]))
    last_line(runner.invoke(args=["demo"]))
    with app.app_context():
        campaign = _finished()
        (rec,) = db.session.query(Reconciliation).filter_by(campaign_id=campaign.id).all()
        kinds = dict(db.session.query(ReconciliationRow.kind, func.count()).filter_by(
            reconciliation_id=rec.id).group_by(ReconciliationRow.kind).all())
        assert kinds == {"matched": rec.matched, "different": 2, "missing_here": 4, "missing_there": 3,
                         "unknown": 1}
        assert rec.matched + 2 + 3 == db.session.query(SaleEvent).filter_by(campaign_id=campaign.id).count()
