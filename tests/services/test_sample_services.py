"""Samples used by services alone with injected settings (SAMPLE_LEAD_DAYS 3 here): requests, moves and their
refusals, what a pairing's end does to its samples, lateness and sample.late once, addresses and who reads them."""
from __future__ import annotations

from datetime import timedelta

import pytest
from sqlalchemy import select

from coordinator import clock
from coordinator.domain import samples as rules
from coordinator.domain.errors import Conflict, InvalidInput, NotFound, PermissionDenied
from coordinator.domain.events import SampleChanged
from coordinator.domain.samples import Shipment
from coordinator.extensions import db
from coordinator.models import (
    AuditEntry, Campaign, Delivery, LineupItem, LiveSession, Pairing, Product, Sample, SampleLateNotice,
    ShippingAddress, Streamer,
)
from coordinator.services import (
    access, addresses, outbox, pairings, sample_access, sample_board, sample_late, samples,
)
from tests.services.conftest import actor


def _status(world, key: str) -> str:
    db.session.expire_all()
    return db.session.get(Sample, world.ids[key]).status


def test_a_host_asks_for_a_sample_of_their_pairing_once_while_it_is_on_its_way(env, settings):
    host = actor(env, "host")
    outcome = samples.request(host, settings, env.ids["P_hostB1"], 2)
    sample = outcome.value
    assert (sample.status, sample.quantity, sample.streamer_id) == ("requested", 2, env.ids["S1"])
    assert isinstance(outcome.events[0], SampleChanged) and outcome.events[0].sample["county_id"] == env.ids["B"]
    assert db.session.scalar(select(AuditEntry.action).where(AuditEntry.entity_type == "samples",
                                                             AuditEntry.entity_id == sample.id)) == "sample-request"
    with pytest.raises(Conflict, match="already on its way"):
        samples.request(actor(env, "partner"), settings, env.ids["P_hostB1"])
    with pytest.raises(InvalidInput):  # a pairing another host cannot know is an unknown one
        samples.request(actor(env, "other_host"), settings, env.ids["P_hostB1"])
    with pytest.raises(PermissionDenied):
        samples.request(actor(env, "viewer"), settings, env.ids["P_hostB1"])
    with pytest.raises(InvalidInput):
        samples.request(host, settings, 999_999)


def test_no_sample_is_sent_for_a_declined_pairing(env, settings):
    host = actor(env, "host")
    pairings.respond(host, settings, env.ids["P_hostB1"], False, "不卖茶")
    with pytest.raises(Conflict, match="declined"):
        samples.request(host, settings, env.ids["P_hostB1"])
    assert db.session.scalar(select(Sample.id).where(Sample.pairing_id == env.ids["P_hostB1"])) is None


def test_the_county_partner_approves_ships_and_the_host_alone_confirms_receipt(env, settings):
    partner, host, admin = actor(env, "partner"), actor(env, "host"), actor(env, "admin")
    assert samples.move(partner, settings, env.ids["SM_req"], "approve").value.approved_at == clock.now()
    shipped = samples.move(partner, settings, env.ids["SM_app"], "ship", "中通", "7312 3456 7890").value
    assert (shipped.carrier, shipped.tracking_number) == ("zto", "731234567890")
    with pytest.raises(PermissionDenied):
        samples.move(admin, settings, env.ids["SM_ship"], "receive")
    with pytest.raises(PermissionDenied):
        samples.move(host, settings, env.ids["SM_req"], "ship", "sf", "SF1234567890123")
    assert samples.move(host, settings, env.ids["SM_ship"], "receive").value.status == "received"
    assert samples.get(host, env.ids["SM_ship"]).received_at == clock.now()
    with pytest.raises(NotFound):
        samples.get(actor(env, "other_host"), env.ids["SM_ship"])


def test_a_move_the_state_forbids_is_409_and_a_bad_tracking_number_422_and_neither_changes_anything(env, settings):
    partner = actor(env, "partner")
    with pytest.raises(Conflict):
        samples.move(partner, settings, env.ids["SM_req"], "ship", "sf", "SF1234567890123")
    with pytest.raises(InvalidInput) as bad:
        samples.move(partner, settings, env.ids["SM_app"], "ship", "sf", "YT1234567890123")
    assert bad.value.errors[0].field == "tracking_number"
    db.session.rollback()
    assert (_status(env, "SM_req"), _status(env, "SM_app")) == ("requested", "approved")
    assert db.session.get(Sample, env.ids["SM_app"]).tracking_number is None


def test_shipping_and_receipt_are_told_to_the_campaigns_channels_and_shipping_to_the_host_too(env, settings):
    partner, host = actor(env, "partner"), actor(env, "host")
    samples.move(partner, settings, env.ids["SM_app"], "ship", "sf", "SF1234567890123")
    samples.move(host, settings, env.ids["SM_ship"], "receive")
    sent = [(d.channel_id, d.event) for d in db.session.scalars(select(Delivery).where(
        Delivery.event.like("sample.%")).order_by(Delivery.id))]
    assert sent == [(env.ids["CH"], "sample.shipped"), (env.ids["HCH"], "sample.shipped"),
                    (env.ids["CH"], "sample.received")]
    message = db.session.scalars(select(Delivery).where(Delivery.event == "sample.shipped")).first()
    assert message.payload["data"]["tracking_url"].endswith("nu=SF1234567890123")
    assert message.payload["data"]["sample_id"] == env.ids["SM_app"]
    assert "SF1234567890123" in " ".join(message.message["lines"])
    assert message.message["link"].endswith(f"/campaigns/{env.ids['C']}/samples")


def test_a_declined_or_removed_pairing_cancels_its_unsent_samples_and_a_parcel_on_the_road_stays(env, settings):
    host, owner = actor(env, "host"), actor(env, "owner")
    outcome = pairings.respond(host, settings, env.ids["P_hostB2"], False, "档期冲突")
    assert {e.sample["id"] for e in outcome.events if isinstance(e, SampleChanged)} == {env.ids["SM_req"],
                                                                                      env.ids["SM_app"]}
    assert (_status(env, "SM_req"), _status(env, "SM_app"), _status(env, "SM_ship")) == (
        "cancelled", "cancelled", "shipped")
    assert db.session.get(Sample, env.ids["SM_req"]).reason == "pairing declined"
    request = samples.request(host, settings, env.ids["P_hostB1"]).value
    pairings.remove(owner, env.ids["P_hostB1"])
    db.session.expire_all()
    gone = db.session.get(Sample, request.id)
    assert (gone.status, gone.pairing_id, gone.reason) == ("cancelled", None, "pairing removed")
    assert len(samples.cancel_for_pairing(owner, db.session.get(Pairing, env.ids["P_hostB2"]), "again")) == 0


def test_an_engine_run_keeps_the_proposals_a_sample_was_asked_for(env, settings):
    owner = actor(env, "owner")
    assert env.ids["P_hostB2"] in samples.pairings_with_samples(env.ids["C"])
    pairings.run(owner, settings, env.ids["C"])
    assert db.session.get(Pairing, env.ids["P_hostB2"]) is not None


def test_approving_many_is_all_or_nothing_and_a_partner_approves_only_their_county(env, settings):
    owner, partner = actor(env, "owner"), actor(env, "partner")
    other = samples.request(owner, settings, env.ids["P_host"]).value  # county A: the owner's, not the partner's
    with pytest.raises(InvalidInput) as bad:
        samples.approve_many(partner, settings, env.ids["C"], [env.ids["SM_req"], other.id])
    assert [e.index for e in bad.value.errors] == [1]
    with pytest.raises(InvalidInput):
        samples.approve_many(owner, settings, env.ids["C"], [env.ids["SM_req"], env.ids["SM_ship"]])
    assert (_status(env, "SM_req"), db.session.get(Sample, other.id).status) == ("requested", "requested")
    done = samples.approve_many(owner, settings, env.ids["C"], [env.ids["SM_req"], other.id, env.ids["SM_app"]])
    assert {s.id for s in done.value} == {env.ids["SM_req"], other.id}  # SM_app was approved already
    with pytest.raises(PermissionDenied):
        samples.approve_many(actor(env, "viewer"), settings, env.ids["C"], [env.ids["SM_req"]])


def test_shipping_many_stores_every_parcel_in_one_go(env, settings):
    partner = actor(env, "partner")
    samples.move(partner, settings, env.ids["SM_req"], "approve")
    outcome = samples.ship_many(partner, settings, env.ids["C"], [(env.ids["SM_req"], Shipment("yto", "YT1234567890123")),
                                                                  (env.ids["SM_app"], Shipment("sf", "SF1234567890123"))])
    assert [s.status for s in outcome.value] == ["shipped", "shipped"] and len(outcome.events) == 2
    with pytest.raises(NotFound):
        samples.ship_many(partner, settings, env.ids["C"], [(999_999, Shipment("sf", "SF1234567890123"))])


def _late_setup(env, settings):
    """A sample of PB1 (in the host's session two days ahead) requested by the host: late with 3 lead days."""
    return samples.request(actor(env, "host"), settings, env.ids["P_hostB1"]).value


def test_a_sample_not_with_the_host_within_the_lead_days_of_their_session_is_late_and_told_once(env, settings):
    sample = _late_setup(env, settings)
    owner = actor(env, "owner")
    late = sample_board.campaign_samples(owner, settings, env.ids["C"], late=True)
    assert [line.sample.id for line in late] == [sample.id] and late[0].late_sessions[0].id == env.ids["SS_host"]
    assert sample_board.late_by_session(settings, [env.ids["SS_host"]]) == {env.ids["SS_host"]: [env.ids["PB1"]]}
    assert sample_board.late_count(settings, db.session.get(Campaign, env.ids["C"])) == 1
    assert sample_late.stage_late(settings) == 1
    assert sample_late.stage_late(settings) == 0  # once per sample and session
    told = db.session.scalars(select(Delivery).where(Delivery.event == "sample.late")).all()
    assert {d.channel_id for d in told} == {env.ids["CH"], env.ids["HCH"]}
    assert told[0].payload["data"]["session_id"] == env.ids["SS_host"]
    second = LiveSession(campaign_id=env.ids["C"], streamer_id=env.ids["S1"], status="scheduled",
                         starts_at=clock.now() + timedelta(days=1), ends_at=clock.now() + timedelta(days=1, hours=2))
    second.lineup = [LineupItem(product_id=env.ids["PB1"], position=0)]
    db.session.add(second)
    db.session.commit()
    assert sample_late.stage_late(settings) == 1  # a new session it is late for is told again
    assert db.session.query(SampleLateNotice).count() == 2


def test_lateness_ends_on_receipt_and_is_the_domain_rule_in_sql(env, settings):
    sample = _late_setup(env, settings)
    partner, host = actor(env, "partner"), actor(env, "host")
    session = db.session.get(LiveSession, env.ids["SS_host"])
    for move, args in (("approve", ()), ("ship", ("jd", "JD1234567890123"))):
        samples.move(partner, settings, sample.id, move, *args)
        pairs = sample_board.late_pairs(clock.now(), settings.sample_lead_days, Sample.id == sample.id)
        assert bool(pairs) is rules.is_late(db.session.get(Sample, sample.id).status, [session.starts_at],
                                            [session.ends_at], clock.now(), settings.sample_lead_days) is True
    samples.move(host, settings, sample.id, "receive")
    assert sample_board.late_pairs(clock.now(), settings.sample_lead_days, Sample.id == sample.id) == []
    assert not sample_board.line(host, settings, db.session.get(Sample, sample.id)).late
    assert sample_board.late_pairs(clock.now() - timedelta(days=5), 1, Sample.id == sample.id) == []


def test_the_board_shows_a_partner_their_county_and_a_host_their_own_with_where_each_goes(env, settings):
    owner, partner, host = actor(env, "owner"), actor(env, "partner"), actor(env, "host")
    mine = samples.request(owner, settings, env.ids["P_host"]).value
    assert {line.sample.id for line in sample_board.campaign_samples(owner, settings, env.ids["C"])} == {
        env.ids["SM_req"], env.ids["SM_app"], env.ids["SM_ship"], mine.id}
    partner_lines = sample_board.campaign_samples(partner, settings, env.ids["C"])
    assert mine.id not in {line.sample.id for line in partner_lines}
    assert partner_lines[0].ship_to.recipient == "王小明"
    assert [line.sample.id for line in sample_board.campaign_samples(owner, settings, env.ids["C"], "shipped")] == [
        env.ids["SM_ship"]]
    with pytest.raises(InvalidInput):
        sample_board.campaign_samples(owner, settings, env.ids["C"], "lost")
    own = sample_board.own_samples(host, settings)
    assert {line.sample.id for line in own} == {env.ids["SM_req"], env.ids["SM_app"], env.ids["SM_ship"], mine.id}
    assert own[0].tracking_url is None or own[0].tracking_url.startswith("https://")
    with pytest.raises(PermissionDenied):
        sample_board.campaign_samples(actor(env, "outsider"), settings, env.ids["C"])


def test_samples_sent_out_are_counted_beside_stock_never_taken_from_it(env, settings):
    stock = db.session.get(Product, env.ids["PB2"]).stock
    assert sample_board.units_sent([env.ids["PB2"], env.ids["PA1"]]) == {env.ids["PB2"]: 2}
    samples.move(actor(env, "partner"), settings, env.ids["SM_app"], "ship", "sf", "SF1234567890123")
    assert sample_board.units_sent([env.ids["PB2"]]) == {env.ids["PB2"]: 4}
    assert db.session.get(Product, env.ids["PB2"]).stock == stock


def test_an_address_is_kept_by_the_host_and_read_by_whoever_handles_a_sample_on_its_way(env, settings):
    host, partner, outsider, manager = (actor(env, n) for n in ("host", "partner", "outsider", "manager"))
    row = addresses.put(host, env.ids["S1"], " 张三 ", "138 0000 0000", "贵州省普安县江西坡镇")
    assert (row.recipient, addresses.get(partner, env.ids["S1"]).address) == ("张三", "贵州省普安县江西坡镇")
    entry = db.session.scalars(select(AuditEntry).where(AuditEntry.action == "address")).one()
    assert entry.after == {"changed": ["address", "phone", "recipient"]}  # names, never the values
    assert addresses.get(manager, env.ids["S1"]).phone == "138 0000 0000"
    with pytest.raises(PermissionDenied):
        addresses.get(outsider, env.ids["S1"])
    with pytest.raises(PermissionDenied):
        addresses.put(partner, env.ids["S1"], "x", "1", "y")
    with pytest.raises(InvalidInput) as bad:
        addresses.put(host, env.ids["S1"], "", "phone?", "y")
    assert {e.field for e in bad.value.errors} == {"recipient", "phone"}
    for key in ("SM_req", "SM_app"):
        samples.move(partner, settings, env.ids[key], "cancel")
    samples.move(host, settings, env.ids["SM_ship"], "receive")
    assert not sample_access.address_facts(partner, db.session.get(Streamer, env.ids["S1"])).ships_to
    with pytest.raises(PermissionDenied):  # nothing of theirs is on its way to this host any more
        addresses.get(partner, env.ids["S1"])
    assert db.session.get(ShippingAddress, env.ids["S1"]).recipient == "张三"


def test_the_access_helpers_and_payloads_agree_with_the_policy(env, settings):
    partner = actor(env, "partner")
    sample = sample_access.sample_for(partner, "sample.handle", env.ids["SM_req"])
    assert sample_access.sample_facts(partner, sample).county_ids == frozenset({env.ids["B"]})
    facts = access.campaign_facts(partner, db.session.get(Campaign, env.ids["C"]))
    assert db.session.scalar(select(Sample.id).where(sample_access.samples_clause(partner, facts),
                                                     Sample.id == sample.id)) == sample.id
    body = samples.as_dict(sample)
    assert set(body) >= {"id", "pairing_id", "campaign_id", "streamer_id", "product_id", "quantity", "status",
                         "carrier", "tracking_number"}
    assert samples.changed(sample).sample["requested_at"].endswith("+00:00")
    assert outbox.stage_sample("sample.received", sample, settings) == 1
