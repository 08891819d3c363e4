"""The policy itself, with no database: its list filters agree with its answers, and its refusals follow the rule
"403 when the caller may know the object exists, 404 when not"."""
from __future__ import annotations

import itertools

import pytest

from coordinator.domain import access
from coordinator.domain.access import ALLOW, FORBID, HIDE
from coordinator.domain.access_facts import Actor, CampaignFacts, ItemFacts, StreamerFacts
from coordinator.domain.enums import TeamRole

ACTORS = {
    "admin": Actor(1, "commissioner", is_admin=True),
    "commissioner": Actor(2, "commissioner", county_ids=frozenset({10})),
    "without county": Actor(3, "commissioner"),
    "host": Actor(4, "streamer", streamer_id=40),
    "screen": Actor(campaign_id=7),
}
CAMPAIGNS = [CampaignFacts(7, status, role, partner, enrolled)
             for status, role, partner, enrolled in itertools.product(
                 ("draft", "published", "live", "closed"), (None, *TeamRole), (False, True), (False, True))]


def sees(rule: access.CampaignFilter, facts: CampaignFacts) -> bool:
    """What the SQL built from a filter keeps, applied to one campaign's facts."""
    return rule.everything or (rule.team_user_id is not None and facts.team_role is not None) or (
        bool(rule.partner_county_ids) and facts.partner) or facts.status in rule.open_statuses or (
        rule.streamer_id is not None and facts.enrolled)


@pytest.mark.parametrize("name", [n for n in ACTORS if n != "screen"])
def test_the_campaign_list_filter_keeps_exactly_the_campaigns_the_actor_may_see(name):
    actor = ACTORS[name]
    for facts in CAMPAIGNS:
        if not actor.is_commissioner and facts.team_role is not None:
            continue  # only commissioners are on teams
        if not actor.county_ids and facts.partner:
            continue  # a partner has a county
        if not actor.is_streamer and facts.enrolled:
            continue  # only a host is enrolled
        assert sees(access.visible_campaigns(actor), facts) == (access.may(actor, "campaign.see", facts) is ALLOW), facts


def test_a_draft_is_hidden_from_everyone_off_its_team_and_an_open_one_forbidden():
    outsider = ACTORS["commissioner"]
    draft, open_ = CampaignFacts(7, "draft"), CampaignFacts(7, "published")
    for action in ("campaign.see", "campaign.read", "campaign.change", "campaign.tally", "campaign.join"):
        assert access.may(outsider, action, draft) is HIDE, action
    assert access.may(outsider, "campaign.see", open_) is ALLOW
    assert access.may(outsider, "campaign.join", open_) is ALLOW
    for action in ("campaign.read", "campaign.change", "campaign.tally", "campaign.manage_team"):
        assert access.may(outsider, action, open_) is FORBID, action


def test_each_team_role_does_what_its_name_says():
    roles = {role: CampaignFacts(7, "draft", role) for role in TeamRole}
    assert [access.may(ACTORS["without county"], "campaign.change", f) for f in roles.values()] == [ALLOW, ALLOW, FORBID]
    assert [access.may(ACTORS["without county"], "campaign.manage_team", f) for f in roles.values()] == [
        ALLOW, FORBID, FORBID]
    assert all(access.may(ACTORS["without county"], "campaign.read", f) is ALLOW for f in roles.values())


def test_items_a_partner_sees_are_those_of_their_counties_and_a_host_their_own():
    campaign = CampaignFacts(7, "published", partner=True)
    mine, theirs = ItemFacts(campaign, 41, frozenset({10})), ItemFacts(campaign, 41, frozenset({11}))
    partner = ACTORS["commissioner"]
    assert access.may(partner, "item.read", mine) is ALLOW and access.may(partner, "item.read", theirs) is FORBID
    assert access.visible_items(partner, campaign).county_ids == {10}
    host_campaign = CampaignFacts(7, "published", enrolled=True)
    host = ACTORS["host"]
    assert access.may(host, "item.read", ItemFacts(host_campaign, 40)) is ALLOW
    assert access.may(host, "item.read", ItemFacts(host_campaign, 41)) is HIDE  # another host's: not disclosed
    assert access.may(host, "item.change", ItemFacts(host_campaign, 40)) is FORBID
    assert access.may(ACTORS["screen"], "item.tally", ItemFacts(CampaignFacts(7, "live"), 41)) is ALLOW
    assert access.may(ACTORS["screen"], "item.read", ItemFacts(CampaignFacts(7, "live"), 41)) is HIDE


def test_only_the_manager_or_an_admin_may_log_in_as_a_host():
    streamer = StreamerFacts(40, manager_id=2)
    assert access.may(ACTORS["commissioner"], "streamer.login_access", streamer) is ALLOW
    assert access.may(ACTORS["without county"], "streamer.login_access", streamer) is FORBID
    assert access.may(ACTORS["admin"], "streamer.login_access", streamer) is ALLOW
    assert access.may(ACTORS["host"], "streamer.login_access", streamer) is FORBID  # their own: no link to self
    assert access.may(ACTORS["host"], "streamer.login_access", StreamerFacts(41, 2)) is HIDE


def test_an_unknown_action_is_an_error_not_a_permission():
    with pytest.raises(KeyError):
        access.may(ACTORS["admin"], "campaign.teleport", CAMPAIGNS[0])
