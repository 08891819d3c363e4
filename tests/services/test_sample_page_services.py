"""What the samples' pages read, used by services alone: the board's rows and moves, the host's view, and the
demo's samples loaded again adding nothing."""
from __future__ import annotations

from sqlalchemy import func, select

from coordinator.extensions import db
from coordinator.models import Campaign, LiveSession, Pairing, Product, Sample, Streamer, User
from coordinator.services import access, demo, demo_samples, host_samples, sample_rows, samples
from tests.services.conftest import actor


def test_the_board_offers_each_reader_the_moves_the_policy_allows(env, settings):
    owner, partner, viewer = actor(env, "owner"), actor(env, "partner"), actor(env, "viewer")
    board = sample_rows.board(owner, settings, env.ids["C"])
    moves = {row.sample.id: row.moves for group in board.groups for row in group.rows}
    assert "approve" in moves[env.ids["SM_req"]] and "ship" in moves[env.ids["SM_app"]]
    assert all(not row.moves for group in sample_rows.board(viewer, settings, env.ids["C"]).groups for row in group.rows)
    assert sample_rows.row(partner, settings, env.ids["SM_req"]).selectable
    late = samples.request(actor(env, "host"), settings, env.ids["P_hostB1"]).value  # PB1 is in SS_host
    assert [line.sample.id for line in sample_rows.late_lines(partner, settings, env.ids["C"])] == [late.id]
    campaign = db.session.get(Campaign, env.ids["C"])
    assert sample_rows.late_count(owner, settings, campaign, True) == 1
    assert sample_rows.late_count(partner, settings, campaign, False) == 1
    assert sample_rows.late_by_session(owner, settings, env.ids["C"], [env.ids["SS_host"]]) == {
        env.ids["SS_host"]: [db.session.get(Product, env.ids["PB1"]).name]}


def test_the_hosts_view_knows_what_may_be_asked_for_and_what_waits_for_an_address(env, settings):
    host = actor(env, "host")
    view = host_samples.for_host(host, settings, [db.session.get(LiveSession, env.ids["SS_host"])])
    assert view.on_the_way(env.ids["P_hostB2"]) and not view.needs_address  # the world's host has an address
    asked = {pairing.id for pairing, _product, _campaign in host_samples.askable(host, view)}
    assert env.ids["P_hostB1"] in asked and env.ids["P_hostB2"] not in asked
    pairing = db.session.get(Pairing, env.ids["P_hostB1"])
    assert host_samples.may_ask(pairing, db.session.get(Campaign, pairing.campaign_id))


def test_the_demos_samples_load_once(app, clock, settings):
    clock.current = clock.current.replace(day=22)
    with app.app_context():
        demo.load(settings)
        before = db.session.scalar(select(func.count()).select_from(Sample))
        campaign = db.session.scalars(select(Campaign).order_by(Campaign.id)).first()
        commissioner = db.session.scalars(select(User).where(User.is_admin.is_(True))).first()
        demo_samples.load(settings, campaign, commissioner, commissioner)
        owner = access.actor_for(commissioner)
        streamers = {s.handle: s for s in db.session.scalars(select(Streamer))}
        demo_samples.load_addresses(owner, streamers)
        products = {p.sku: p for p in db.session.scalars(select(Product))}
        assert demo_samples.load_pairings(settings, campaign, owner, owner, streamers, products) == 0
        assert db.session.scalar(select(func.count()).select_from(Sample)) == before > 0
