"""Campaigns, their teams, enrolments, coverage, pages and exports, used by services alone."""
from __future__ import annotations

import io
from datetime import timedelta

import pytest
from openpyxl import load_workbook

from coordinator import clock
from coordinator.domain.errors import Conflict, NotFound, PermissionDenied
from coordinator.domain.events import AccessChanged, CampaignStatusChanged
from coordinator.extensions import db
from coordinator.models import AuditEntry, Campaign
from coordinator.services import (
    audit, campaign_page, campaigns, coverage, enrolment, exports, overview, teams,
)
from tests.services.conftest import actor


def test_a_campaign_from_creation_to_its_end(env, settings):
    viewer, outsider = actor(env, "viewer"), actor(env, "outsider")
    campaigns.may_create(viewer)
    now = clock.now()
    rules = {"min_agri_products_per_session": 1, "max_products_per_session": 5}
    made = campaigns.create_campaign(viewer, {"name": "年货节", "starts_at": now + timedelta(days=1),
                                              "ends_at": now + timedelta(days=9), **rules})
    assert made.owner_id == env.ids["user:viewer"]
    assert campaigns.campaign_for(viewer, "campaign.manage_team", made.id).id == made.id
    assert campaigns.changeable(viewer, made.id).id == made.id
    with pytest.raises(NotFound):
        campaigns.read_campaign(outsider, made.id)  # a draft
    assert campaigns.update_campaign(viewer, made.id, {"name": "年货节 · 腊月"}).name == "年货节 · 腊月"
    moved = campaigns.transition(viewer, settings, made.id, "published")
    assert moved.events == [CampaignStatusChanged(made.id, "published")]
    assert campaigns.read_campaign(outsider, made.id)[1].status == "published"
    assert made.id in {c.id for c in campaigns.list_campaigns(outsider, 1, 50, None, "年货", None).items}
    assert [row.entry.action for row in campaigns.campaign_audit(viewer, made.id)] == ["status", "update", "create"]
    campaigns.transition(viewer, settings, made.id, "closed")
    with pytest.raises(Conflict):
        campaigns.open_campaign(db.session.get(Campaign, made.id))
    other = campaigns.create_campaign(viewer, {"name": "删", "starts_at": now, "ends_at": now + timedelta(days=1),
                                               **rules})
    campaigns.delete_campaign(viewer, other.id)
    assert db.session.get(Campaign, other.id) is None


def test_the_owner_builds_the_team(env):
    owner, editor = actor(env, "owner"), actor(env, "editor")
    assert [m.role for m in teams.members(owner, env.ids["C"])] == ["owner", "editor", "viewer"]
    assert [u.username for u in teams.commissioner_choices(owner, env.ids["C"])] == [
        "admin", "manager", "outsider", "partner"]
    added = teams.add_member(owner, env.ids["C"], env.ids["user:partner"], "editor")
    assert added.value.role == "editor" and added.events == [AccessChanged()]
    with pytest.raises(PermissionDenied):
        teams.add_member(editor, env.ids["C"], env.ids["user:manager"], "viewer")
    teams.remove_member(owner, env.ids["C"], env.ids["user:partner"])
    with pytest.raises(NotFound):
        teams.remove_member(owner, env.ids["C"], env.ids["user:partner"])


def test_enrolments_and_what_each_actor_sees_of_them(env):
    owner, partner, outsider = actor(env, "owner"), actor(env, "partner"), actor(env, "outsider")
    enrolment.enrol_product(outsider, env.ids["C"], env.ids["PZ"])  # C is published: anyone joins with their own
    enrolment.enrol_product(partner, env.ids["C"], env.ids["PB3"])
    assert {p.id for p in enrolment.products_seen(partner, env.ids["C"])} == {
        env.ids["PB1"], env.ids["PB2"], env.ids["PB3"]}
    assert len(enrolment.campaign_products(env.ids["C"])) == 5
    assert enrolment.unenrol_product(partner, env.ids["C"], env.ids["PB3"]).events == [AccessChanged()]
    enrolment.enrol_streamer(owner, env.ids["C"], env.ids["S5"])
    assert [s.handle for s in enrolment.streamers_seen(owner, env.ids["C"])] == ["s1", "s4", "s5"]
    assert [s.handle for s in enrolment.campaign_streamers(env.ids["C"])] == ["s1", "s4", "s5"]
    enrolment.unenrol_streamer(owner, env.ids["C"], env.ids["S5"])
    with pytest.raises(PermissionDenied):
        enrolment.streamers_seen(partner, env.ids["C"])


def test_coverage_and_the_campaign_page_for_the_team_and_a_partner(env):
    owner, partner = actor(env, "owner"), actor(env, "partner")
    assert {c.name for c in coverage.counties(owner, env.ids["C"])} == {"宜君县", "普安县"}
    assert [s.session_id for s in coverage.sessions(owner, env.ids["C"])] == [env.ids["SS_host"]]
    team_view = campaign_page.campaign_page(owner, env.ids["C"])
    assert team_view.full and team_view.may_manage_team and len(team_view.entries) >= 0
    share = campaign_page.campaign_page(partner, env.ids["C"])
    assert not share.full and share.standing == "partner" and [s.id for s in share.own_sessions] == [env.ids["SS_host"]]
    assert {p.id for p in share.products} == {env.ids["PB1"], env.ids["PB2"]} and share.product_choices


def test_the_plan_exports_in_the_injected_zone(env, settings):
    owner = actor(env, "owner")
    tables = exports.plan_tables(owner, settings, env.ids["C"])
    start = tables["sessions"][1][0][2]
    assert start.hour == 6  # 11:00 UTC in New York (the injected zone), not 19:00 in Shanghai
    book = load_workbook(io.BytesIO(exports.plan_xlsx(owner, settings, env.ids["C"]).data))
    assert book.sheetnames == ["产品", "主播", "配对", "直播场次"]
    assert exports.plan_csv(owner, settings, env.ids["C"], "pairings").filename.endswith("-pairings.csv")


def test_overviews_and_the_audit_trail(env):
    summary = overview.commissioner_summary(actor(env, "partner"))
    assert [row["standing"] for row in summary.campaigns if row["campaign"].id == env.ids["C"]] == ["partner"]
    host = overview.streamer_summary(actor(env, "host"))
    assert [s.id for s in host.upcoming] == [env.ids["SS_host"]]
    campaign = db.session.get(Campaign, env.ids["C"])
    before = audit.snapshot(campaign)
    campaign.name = "改"
    assert audit.changed_fields(before, audit.snapshot(campaign)) == {"name": "改"}
    audit.record(actor(env, "owner"), "update", campaign, before, {"name": "改"}, campaign_id=campaign.id)
    db.session.commit()
    assert audit.entries_for_campaign(campaign.id)[0].action == "update"
    assert db.session.query(AuditEntry).filter_by(user_id=env.ids["user:owner"], action="update").count() == 1
