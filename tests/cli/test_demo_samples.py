"""`flask demo` shows the whole samples flow: pairings in every state, samples in every state with real-looking
tracking numbers, hosts' addresses, and one session warned for a sample still on its way, whenever it is loaded."""
from __future__ import annotations

from datetime import datetime, timedelta, timezone

import pytest

from coordinator.domain.samples import shipment
from coordinator.edge import settings
from coordinator.extensions import db
from coordinator.models import (
    AuditEntry, Campaign, LiveSession, Pairing, Product, Sample, ShippingAddress, Streamer, User,
)
from coordinator.services import access, sample_board
from coordinator.services.demo_data import CAMPAIGN_NAME
from tests.cli.helpers import last_line


def _actor(username: str):
    return access.actor_for(db.session.query(User).filter_by(username=username).one())


def _late(app, username: str = "commissioner") -> list:
    campaign = db.session.query(Campaign).filter_by(name=CAMPAIGN_NAME).one()
    return sample_board.campaign_samples(_actor(username), settings(app), campaign.id, late=True)


def _audits() -> int:
    return db.session.query(AuditEntry).filter(AuditEntry.entity_type.in_(("pairings", "samples"))).count()


def test_the_demo_has_pairings_in_every_state_across_hosts_and_counties(app, runner, clock):
    last_line(runner.invoke(args=["demo"]))
    with app.app_context():
        pairings = db.session.query(Pairing).all()
        assert {p.status for p in pairings} == {"proposed", "accepted", "declined", "locked"}
        assert all(p.decline_reason for p in pairings if p.status == "declined")
        assert len({p.streamer_id for p in pairings}) >= 10
        counties = {db.session.get(Product, p.product_id).county.name for p in pairings}
        assert counties == {"宜君县", "普安县", "寻乌县", "礼县", "巨鹿县", "巫溪县", "伽师县"}
        host = db.session.query(User).filter_by(username="xiaomei").one()
        own = {p.status for p in pairings if p.streamer_id == host.streamer_id}
        assert own == {"proposed", "accepted", "locked"}  # the demo host has one left to answer on her page
        actions = {a for (a,) in db.session.query(AuditEntry.action).filter(AuditEntry.entity_type == "pairings")}
        assert {"pair", "accept", "decline", "lock"} <= actions


def test_the_demo_has_samples_in_every_state_walked_through_the_real_moves(app, runner, clock):
    last_line(runner.invoke(args=["demo"]))
    with app.app_context():
        samples = db.session.query(Sample).all()
        assert {s.status for s in samples} == {"requested", "approved", "shipped", "received", "rejected", "cancelled"}
        sent = [s for s in samples if s.status in ("shipped", "received")]
        assert {s.carrier for s in sent} >= {"sf", "yto", "zto", "jd"}
        for sample in sent:
            assert shipment(sample.carrier, sample.tracking_number).tracking_number == sample.tracking_number
            assert sample.shipped_at and sample.approved_at
        assert all(s.received_at for s in samples if s.status == "received")
        assert all(s.reason for s in samples if s.status in ("rejected", "cancelled"))
        audited = {(e.entity_id, e.action) for e in db.session.query(AuditEntry).filter_by(entity_type="samples")}
        for sample in samples:
            assert (sample.id, "sample-request") in audited
            if sample.status == "received":
                assert {(sample.id, move) for move in ("sample-approve", "sample-ship", "sample-receive")} <= audited
        host = db.session.query(User).filter_by(username="xiaomei").one()
        received = {s.id for s in samples if s.status == "received" and s.streamer_id == host.streamer_id}
        receipts = db.session.query(AuditEntry).filter(AuditEntry.entity_type == "samples",
                                                       AuditEntry.action == "sample-receive",
                                                       AuditEntry.entity_id.in_(received)).all()
        assert received and {e.user_id for e in receipts} == {host.id}  # she confirmed them herself


def test_most_hosts_have_an_address_and_the_one_without_shows_on_her_request(app, runner, clock):
    last_line(runner.invoke(args=["demo"]))
    with app.app_context():
        addresses = db.session.query(ShippingAddress).all()
        assert len(addresses) == db.session.query(Streamer).count() - 1
        assert all(a.recipient and a.phone.isdigit() and len(a.phone) == 11 and a.address[-1] != " " for a in addresses)
        assert all(any(a.address.startswith(p) for p in ("陕西", "江西", "贵州", "浙江", "上海", "甘肃", "广东", "新疆",
                                                          "重庆")) for a in addresses)
        campaign = db.session.query(Campaign).filter_by(name=CAMPAIGN_NAME).one()
        lines = sample_board.campaign_samples(_actor("commissioner"), settings(app), campaign.id, status="requested")
        assert {line.streamer.handle: line.ship_to is None for line in lines} == {"nongjia_dajie": True,
                                                                                   "health_tea_lin": False}


# 20:00 (the test clock's default), a minute past midnight, just before tonight's sessions, late at night (Shanghai).
@pytest.mark.parametrize("at", [datetime(2026, 11, 11, 12, 0), datetime(2026, 11, 10, 16, 1),
                                datetime(2026, 11, 11, 9, 29), datetime(2026, 11, 11, 11, 55),
                                datetime(2026, 11, 11, 15, 50)])
def test_one_scheduled_session_is_warned_for_a_late_sample_whenever_the_demo_loads(app, runner, clock, at):
    clock.current = at.replace(tzinfo=timezone.utc)
    last_line(runner.invoke(args=["demo"]))
    with app.app_context():
        late = _late(app)
        assert len(late) == 1
        line = late[0]
        assert (line.sample.status, line.streamer.handle, line.product.sku) == (
            "shipped", "yijun_xiaomei", "PA-STIRTEA")
        assert line.tracking_url and line.carrier_name == "顺丰速运"
        (session,) = line.late_sessions
        assert session.status == "scheduled" and clock() < session.starts_at <= clock() + timedelta(days=2)
        assert sample_board.late_by_session(settings(app), [session.id]) == {session.id: [line.product.id]}
        assert [x.sample.id for x in _late(app, "puan")] == [line.sample.id]  # Pu'an's partner shipped it
        own = sample_board.own_samples(_actor("xiaomei"), settings(app))
        assert [x.sample.id for x in own if x.late] == [line.sample.id]


def test_loading_again_adds_no_pairing_sample_or_address_and_keeps_the_warning(app, runner, clock):
    last_line(runner.invoke(args=["demo"]))
    with app.app_context():
        before = [db.session.query(model).count() for model in (Pairing, Sample, ShippingAddress, LiveSession)]
        audits = _audits()
    clock.advance(minutes=5)
    last_line(runner.invoke(args=["demo"]))
    with app.app_context():
        assert [db.session.query(model).count() for model in (Pairing, Sample, ShippingAddress, LiveSession)] == before
        assert _audits() == audits
        assert len(_late(app)) == 1
    clock.advance(days=20)
    last_line(runner.invoke(args=["demo"]))
    with app.app_context():
        assert db.session.query(Sample).count() == before[1]
        (line,) = _late(app)  # still on its way, and the host has a new session with it tomorrow evening
        assert line.late_sessions[0].starts_at > clock()
