"""The policy's edge in the services: actors, facts, refusals and the SQL filters, outside any request."""
from __future__ import annotations

import pytest
from sqlalchemy import select

from coordinator.domain.access_facts import ANONYMOUS, SYSTEM
from coordinator.domain.enums import TeamRole
from coordinator.domain.errors import NotFound, PermissionDenied
from coordinator.extensions import db
from coordinator.models import (
    Campaign, County, IngestKey, LiveSession, Pairing, Product, ScreenToken, Streamer,
)
from coordinator.services import access, access_messages
from tests.services.conftest import actor


def test_actors_carry_their_counties_and_screens_their_campaign(env):
    owner, partner = actor(env, "owner"), actor(env, "partner")
    assert owner.county_ids == {env.ids["A"], env.ids["E0"]} and partner.county_ids == {env.ids["B"]}
    assert access.actor_for(None) is ANONYMOUS
    screen = access.screen_actor(db.session.get(ScreenToken, env.ids["SC"]))
    assert screen.is_screen and screen.campaign_id == env.ids["C"] and screen.user_id is None


def test_facts_say_how_each_actor_stands_to_a_campaign(env):
    campaign = db.session.get(Campaign, env.ids["C"])
    facts = {name: access.campaign_facts(actor(env, name), campaign) for name in ("owner", "editor", "partner", "host")}
    assert facts["owner"].team_role is TeamRole.OWNER and facts["editor"].team_role is TeamRole.EDITOR
    assert facts["partner"].partner and facts["partner"].team_role is None and facts["host"].enrolled
    many = access.campaign_facts_many(actor(env, "viewer"), list(db.session.scalars(select(Campaign))))
    assert {cid: f.team_role for cid, f in many.items() if f.team_role} == {
        env.ids["C"]: TeamRole.VIEWER, env.ids["D"]: TeamRole.VIEWER}


def test_require_raises_what_the_policy_answers(env):
    outsider = actor(env, "outsider")
    with pytest.raises(PermissionDenied) as refused:
        access.campaign_for(outsider, "campaign.change", env.ids["C"])
    assert refused.value.detail == access_messages.refusal_text("campaign.change")
    with pytest.raises(NotFound):
        access.campaign_for(outsider, "campaign.see", env.ids["D"])  # a draft
    with pytest.raises(NotFound):
        access.campaign_for(outsider, "campaign.see", 999_999)
    assert access.campaign_for(outsider, "campaign.see", env.ids["C"])[0].id == env.ids["C"]
    access.require(SYSTEM, "county.create")
    assert not access.allowed(outsider, "county.create") and access.allowed(SYSTEM, "county.create")
    assert access_messages.refusal_text("no.such.action") == access_messages.ROLE_ONLY


def test_object_facts_for_pairings_sessions_products_streamers_keys(env):
    partner, host, owner = actor(env, "partner"), actor(env, "host"), actor(env, "owner")
    pairing = access.pairing_facts(partner, db.session.get(Pairing, env.ids["P_host"]))
    session = access.session_facts(partner, db.session.get(LiveSession, env.ids["SS_host"]))
    assert pairing.county_ids == {env.ids["A"]} and session.county_ids == {env.ids["A"], env.ids["B"]}
    assert access.product_facts(host, db.session.get(Product, env.ids["PA1"])).carried_by_actor
    assert not access.product_facts(host, db.session.get(Product, env.ids["PZ"])).carried_by_actor
    assert access.streamer_facts(db.session.get(Streamer, env.ids["S1"])).manager_id == env.ids["user:manager"]
    assert access.county_facts(env.ids["A"]).id == env.ids["A"]
    key = access.key_facts(owner, db.session.get(IngestKey, env.ids["K"]))
    assert key.created_by_id == env.ids["user:owner"] and [c.team_role for c in key.campaigns] == [TeamRole.OWNER]


def test_the_sql_filters_list_what_the_policy_lets_each_actor_see(env):
    def campaigns(name):
        return {c.id for c in db.session.scalars(select(Campaign).where(access.campaigns_clause(actor(env, name))))}

    c, d, e = env.ids["C"], env.ids["D"], env.ids["E"]
    assert campaigns("admin") == {c, d, e} and campaigns("viewer") == {c, d, e}  # E is published
    assert campaigns("host") == {c} and campaigns("other_host") == {e}
    assert campaigns("outsider") == {c, e}  # open ones; never the draft
    partner = actor(env, "partner")
    facts = access.campaign_facts(partner, db.session.get(Campaign, c))
    assert set(db.session.scalars(select(Pairing.id).where(access.pairings_clause(partner, facts)))) == {
        env.ids["P_hostB1"], env.ids["P_hostB2"]}  # the host's pairings with the partner's products
    assert list(db.session.scalars(select(LiveSession.id).where(access.sessions_clause(partner, facts)))) == [
        env.ids["SS_host"]]
    assert set(db.session.scalars(select(LiveSession.id).where(access.all_sessions_clause(actor(env, "owner"))))) == {
        env.ids["SS_host"], env.ids["SS_other"]}  # C's as owner, E's as the partner of PA4
    assert set(db.session.scalars(select(Product.county_id).where(access.products_clause(partner)))) == {env.ids["B"]}
    assert set(db.session.scalars(select(County.id).where(access.counties_clause(partner)))) == {env.ids["B"]}
    assert len(db.session.scalars(select(County.id).where(access.counties_clause(actor(env, "admin")))).all()) == 4


def test_each_sees_the_keys_they_made_and_those_of_their_teams_campaigns(env):
    def keys(name: str) -> set[str]:
        return set(db.session.scalars(select(IngestKey.name).where(access.keys_clause(actor(env, name)))))

    assert keys("admin") == {"淘宝直播", "every campaign"}
    assert keys("owner") == keys("editor") == keys("viewer") == {"淘宝直播"}  # the owner's key for C
    assert keys("partner") == keys("outsider") == keys("host") == set()


def test_the_access_epoch_moves_inside_the_change(env):
    before = access.current_epoch()
    access.bump_epoch()
    db.session.rollback()
    assert access.current_epoch() == before
    access.bump_epoch()
    db.session.commit()
    assert access.current_epoch() == before + 1
