"""The policy itself, with no database: its list filters agree with its answers, and its refusals follow the rule
"403 when the caller may know the object exists, 404 when not"."""
from __future__ import annotations

import itertools

import pytest

from coordinator.domain import access, access_filters
from coordinator.domain.access import ALLOW, FORBID, HIDE
from coordinator.domain.access_facts import Actor, CampaignFacts, ChannelFacts, ItemFacts, KeyFacts, StreamerFacts
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


def sees(rule: access_filters.CampaignFilter, facts: CampaignFacts) -> bool:
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
        assert sees(access_filters.visible_campaigns(actor), facts) == (access.may(actor, "campaign.see", facts) is ALLOW), facts


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
    assert access_filters.visible_items(partner, campaign).county_ids == {10}
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


def _consistent(actor: Actor, facts: CampaignFacts) -> bool:
    """Facts that can be true of this actor (the list tests skip the rest)."""
    return (actor.is_commissioner or facts.team_role is None) and (bool(actor.county_ids) or not facts.partner) and (
        actor.is_streamer or not facts.enrolled)


@pytest.mark.parametrize("name", [n for n in ACTORS if n != "screen"])
def test_the_session_list_filter_keeps_exactly_the_sessions_the_actor_may_read(name):
    actor, checked = ACTORS[name], 0
    rule = access_filters.visible_sessions(actor)
    for facts, streamer_id, counties in itertools.product(CAMPAIGNS, (40, 41), (frozenset(), frozenset({10}))):
        if not _consistent(actor, facts) or (bool(counties & actor.county_ids) and not facts.partner) or (
                streamer_id == actor.streamer_id and not facts.enrolled):
            continue  # a lineup with one's product means a partner; a host's session means they are enrolled
        item = ItemFacts(facts, streamer_id, counties)
        kept = rule.everything or (rule.team_user_id is not None and facts.team_role is not None) or bool(
            rule.county_ids & counties) or (rule.streamer_id is not None and rule.streamer_id == streamer_id)
        assert kept == (access.may(actor, "item.read", item) is ALLOW), (facts, streamer_id, counties)
        checked += 1
    assert checked > 20


@pytest.mark.parametrize("name", [n for n in ACTORS if n != "screen"])
def test_the_key_list_filter_keeps_exactly_the_keys_the_actor_may_see(name):
    actor = ACTORS[name]
    rule = access_filters.visible_keys(actor)
    for made_by, campaigns in itertools.product((actor.user_id, 99), ((), *((c,) for c in CAMPAIGNS))):
        if campaigns and not _consistent(actor, campaigns[0]):
            continue
        key = KeyFacts(made_by, not campaigns, campaigns)
        kept = rule.everything or (rule.user_id is not None and (
            made_by == rule.user_id or any(c.team_role is not None for c in campaigns)))
        if not actor.is_commissioner:
            assert not kept and access.may(actor, "key.see", key) is FORBID
            continue
        assert kept == (access.may(actor, "key.see", key) is ALLOW), key


@pytest.mark.parametrize("name", [n for n in ACTORS if n != "screen"])
def test_the_channel_list_filter_keeps_exactly_the_channels_the_actor_may_read(name):
    actor, checked = ACTORS[name], 0
    rule = access_filters.visible_channels(actor)
    owners = [ChannelFacts(campaign=c) for c in CAMPAIGNS if _consistent(actor, c)] + [
        ChannelFacts(streamer=StreamerFacts(streamer, manager)) for streamer in (40, 41) for manager in (2, 3, None)]
    for channel in owners:
        if channel.campaign is not None:
            kept = rule.everything or (rule.team_user_id is not None and channel.campaign.team_role is not None)
        else:
            kept = rule.everything or rule.streamer_id == channel.streamer.id or (
                rule.manager_id is not None and rule.manager_id == channel.streamer.manager_id)
        assert kept == (access.may(actor, "channel.read", channel) is ALLOW), channel
        checked += 1
    assert checked > 10


def test_a_campaigns_viewers_read_its_channels_and_only_changers_change_them():
    viewer, editor = (CampaignFacts(7, "published", role) for role in (TeamRole.VIEWER, TeamRole.EDITOR))
    commissioner = ACTORS["commissioner"]
    assert access.may(commissioner, "channel.read", ChannelFacts(campaign=viewer)) is ALLOW
    assert access.may(commissioner, "channel.change", ChannelFacts(campaign=viewer)) is FORBID
    assert access.may(commissioner, "channel.change", ChannelFacts(campaign=editor)) is ALLOW
    # A host's own channels: the host and their manager, nobody else; another host does not learn they exist.
    own, managed = ChannelFacts(streamer=StreamerFacts(40, 2)), ChannelFacts(streamer=StreamerFacts(41, 2))
    assert access.may(ACTORS["host"], "channel.change", own) is ALLOW
    assert access.may(ACTORS["host"], "channel.read", managed) is HIDE
    assert access.may(commissioner, "channel.change", managed) is ALLOW
    assert access.may(ACTORS["without county"], "channel.read", managed) is FORBID
