"""Who may do what to which object: one policy, asked by the API, the pages and /live alike.

`may(actor, action, facts)` answers ALLOW, FORBID (403: the actor may know the object exists) or HIDE (404: the
actor may not). The facts are plain values a service loads about the object as it concerns this actor; nothing
here reads a database. The README's "Who may do what" table is this module in words, and tests/access checks both.
Lists ask the same rules in their filter form (domain/access_filters.py).
"""
from __future__ import annotations

from enum import Enum

from coordinator.domain.access_facts import (
    Actor, AddressFacts, CampaignFacts, ChannelFacts, CountyFacts, ItemFacts, KeyFacts, ProductFacts, ScreenFacts, StreamerFacts,
)
from coordinator.domain.enums import CampaignStatus, TeamRole

# While a campaign is published or live any commissioner sees its summary and may join with their own products.
OPEN_STATUSES = frozenset({CampaignStatus.PUBLISHED.value, CampaignStatus.LIVE.value})
CHANGERS = frozenset({TeamRole.OWNER, TeamRole.EDITOR})


class Verdict(Enum):
    """The policy's answer."""

    ALLOW = "allow"
    FORBID = "forbid"
    HIDE = "hide"


ALLOW, FORBID, HIDE = Verdict.ALLOW, Verdict.FORBID, Verdict.HIDE


class Standing(Enum):
    """How an actor stands towards a campaign, from most to least."""

    ADMIN = "admin"
    TEAM = "team"
    PARTNER = "partner"
    HOST = "host"
    SCREEN = "screen"
    PUBLIC = "public"
    NONE = "none"


def standing(actor: Actor, campaign: CampaignFacts) -> Standing:
    """The actor's standing towards a campaign: what it may know of it at all."""
    if actor.is_screen:
        return Standing.SCREEN if actor.campaign_id == campaign.id else Standing.NONE
    if actor.is_admin:
        return Standing.ADMIN
    if actor.is_commissioner:
        if campaign.team_role is not None:
            return Standing.TEAM
        if campaign.partner:
            return Standing.PARTNER
        return Standing.PUBLIC if campaign.status in OPEN_STATUSES else Standing.NONE
    if actor.is_streamer and campaign.enrolled:
        return Standing.HOST
    return Standing.NONE


def _known(actor: Actor, campaign: CampaignFacts) -> Verdict:
    """FORBID when the actor may know the campaign exists, else HIDE: the refusal for anything under it."""
    return HIDE if standing(actor, campaign) in (Standing.NONE, Standing.SCREEN) else FORBID


def _team_can(actor: Actor, campaign: CampaignFacts, roles: frozenset[TeamRole]) -> Verdict:
    if actor.is_admin or (actor.is_commissioner and campaign.team_role in roles):
        return ALLOW
    return _known(actor, campaign)


def _campaign(actor: Actor, action: str, campaign: CampaignFacts) -> Verdict:
    where = standing(actor, campaign)
    if action == "campaign.see":
        return HIDE if where in (Standing.NONE, Standing.SCREEN) else ALLOW
    if action == "campaign.read":
        return ALLOW if where in (Standing.ADMIN, Standing.TEAM) else _known(actor, campaign)
    if action == "campaign.read_part":  # the partner's share: their products, pairings, sessions
        return ALLOW if where in (Standing.ADMIN, Standing.TEAM, Standing.PARTNER) else _known(actor, campaign)
    if action == "campaign.items":  # pairings and sessions, each actor seeing their own share
        allowed = (Standing.ADMIN, Standing.TEAM, Standing.PARTNER, Standing.HOST)
        return ALLOW if where in allowed else _known(actor, campaign)
    if action == "campaign.tally":
        allowed = (Standing.ADMIN, Standing.TEAM, Standing.PARTNER, Standing.HOST, Standing.SCREEN)
        return ALLOW if where in allowed else _known(actor, campaign)
    if action == "campaign.change":
        return _team_can(actor, campaign, CHANGERS)
    if action == "campaign.samples":  # handle samples in bulk: the team's changers, a partner their county's
        return ALLOW if actor.is_commissioner and campaign.partner else _team_can(actor, campaign, CHANGERS)
    if action == "campaign.manage_team":
        return _team_can(actor, campaign, frozenset({TeamRole.OWNER}))
    if action == "campaign.join":  # enrol one's own counties' products
        if actor.is_commissioner and (campaign.status in OPEN_STATUSES or actor.is_admin
                                      or campaign.team_role in CHANGERS):
            return ALLOW
        return _known(actor, campaign)
    raise KeyError(action)


def _item(actor: Actor, action: str, item: ItemFacts) -> Verdict:
    """Pairings and sessions: the team sees all, a partner those with their products, a host their own."""
    campaign = item.campaign
    where = standing(actor, campaign)
    own_host = actor.is_streamer and actor.streamer_id == item.streamer_id
    sees = (where in (Standing.ADMIN, Standing.TEAM) or own_host
            or (where == Standing.PARTNER and bool(item.county_ids & actor.county_ids)))
    refusal = FORBID if sees or where in (Standing.PARTNER, Standing.PUBLIC) else HIDE
    if action == "item.read":
        return ALLOW if sees else refusal
    if action == "item.tally":
        return ALLOW if sees or where == Standing.SCREEN else refusal
    if action == "item.change":
        return ALLOW if _team_can(actor, campaign, CHANGERS) is ALLOW else refusal
    if action == "item.answer":  # the paired host accepts or declines, nobody else
        return ALLOW if own_host else refusal
    if action == "item.host_view":  # the host's own page of a session on air
        return ALLOW if own_host else refusal
    raise KeyError(action)


def _sample(actor: Actor, action: str, sample: ItemFacts) -> Verdict:
    """Samples are seen as their pairing is; the team's changers and the product's county handle them (approve,
    reject, ship); the host asks for them, cancels their own, and alone confirms receipt."""
    verdict = _item(actor, "item.read", sample)
    own_host = actor.is_streamer and actor.streamer_id == sample.streamer_id
    handler = verdict is ALLOW and (_team_can(actor, sample.campaign, CHANGERS) is ALLOW or (
        actor.is_commissioner and bool(sample.county_ids & actor.county_ids)))
    refusal = FORBID if verdict is ALLOW else verdict
    if action == "sample.read":
        return verdict
    if action == "sample.handle":
        return ALLOW if handler else refusal
    if action in ("sample.request", "sample.cancel"):
        return ALLOW if handler or own_host else refusal
    if action == "sample.receive":
        return ALLOW if own_host else refusal
    raise KeyError(action)


def _address(actor: Actor, action: str, address: AddressFacts) -> Verdict:
    """A host's shipping address: theirs and their manager's to keep; read by whoever handles a sample to them."""
    if action == "address.read" and actor.is_commissioner and address.ships_to:
        return ALLOW
    return _streamer(actor, "streamer.change" if actor.is_commissioner else "streamer.edit_profile", address.streamer)


def _county(actor: Actor, action: str, county: CountyFacts | None) -> Verdict:
    if not actor.is_commissioner:
        return FORBID
    if action == "county.list":
        return ALLOW
    if action == "county.create":
        return ALLOW if actor.is_admin else FORBID
    assigned = actor.is_admin or (county is not None and county.id in actor.county_ids)
    if action in ("county.read", "county.change", "product.create"):
        return ALLOW if assigned else HIDE
    if action in ("county.delete", "county.assign"):
        return ALLOW if actor.is_admin else FORBID if assigned else HIDE
    raise KeyError(action)


def _product(actor: Actor, action: str, product: ProductFacts | None) -> Verdict:
    if action == "product.brief":  # a host reads what they carry
        return ALLOW if actor.is_streamer and product is not None and product.carried_by_actor else HIDE
    if not actor.is_commissioner:
        return FORBID
    if action == "product.list":
        return ALLOW
    return ALLOW if actor.is_admin or (product is not None and product.county_id in actor.county_ids) else HIDE


def _streamer(actor: Actor, action: str, streamer: StreamerFacts | None) -> Verdict:
    own = actor.is_streamer and streamer is not None and actor.streamer_id == streamer.id
    if actor.is_streamer:
        if action in ("streamer.read", "streamer.edit_profile", "streamer.renew_calendar", "streamer.channels"):
            return ALLOW if own else HIDE
        return FORBID if own or streamer is None else HIDE
    if not actor.is_commissioner:
        return FORBID
    if action in ("streamer.list", "streamer.create", "streamer.read"):
        return ALLOW
    if action == "streamer.edit_profile":  # the host's own form: commissioners use streamer.change
        return FORBID
    manages = actor.is_admin or (streamer is not None and streamer.manager_id == actor.user_id)
    # A host's own channels (email, a personal robot) are theirs and their manager's.
    if action in ("streamer.change", "streamer.login_access", "streamer.renew_calendar", "streamer.channels"):
        return ALLOW if manages else FORBID
    if action == "streamer.set_manager":
        return ALLOW if actor.is_admin else FORBID
    raise KeyError(action)


def _key(actor: Actor, action: str, key: KeyFacts | None) -> Verdict:
    if not actor.is_commissioner:
        return FORBID
    if action == "key.list":
        return ALLOW
    if action == "key.create_for_all":
        return ALLOW if actor.is_admin else FORBID
    assert key is not None
    sees = actor.is_admin or key.created_by_id == actor.user_id or any(c.team_role is not None for c in key.campaigns)
    if action == "key.see":
        return ALLOW if sees else HIDE
    if action == "key.change":
        # Whoever changes all of a key's campaigns changes the key (a maker who has left the team no longer does).
        changes_all = bool(key.campaigns) and not key.all_campaigns and all(
            _campaign(actor, "campaign.change", c) is ALLOW for c in key.campaigns)
        return ALLOW if actor.is_admin or changes_all else FORBID if sees else HIDE
    raise KeyError(action)


def _channel(actor: Actor, action: str, channel: ChannelFacts) -> Verdict:
    """A campaign's channels are its team's (viewers read them); a host's are the host's and their manager's."""
    if channel.campaign is not None:
        return _campaign(actor, "campaign.read" if action == "channel.read" else "campaign.change", channel.campaign)
    if action not in ("channel.read", "channel.change"):
        raise KeyError(action)
    return _streamer(actor, "streamer.channels", channel.streamer)


def may(actor: Actor, action: str, facts: object = None) -> Verdict:
    """The policy's answer for an actor doing an action to an object described by its facts."""
    family = action.split(".", 1)[0]
    if family == "campaign":
        if action in ("campaign.create", "campaign.list"):
            return ALLOW if actor.is_commissioner or (action == "campaign.list" and actor.is_streamer) else FORBID
        assert isinstance(facts, CampaignFacts)
        return _campaign(actor, action, facts)
    if family == "item":
        assert isinstance(facts, ItemFacts)
        return _item(actor, action, facts)
    if family == "sample":
        assert isinstance(facts, ItemFacts)
        return _sample(actor, action, facts)
    if family == "address":
        assert isinstance(facts, AddressFacts)
        return _address(actor, action, facts)
    if family == "screen":
        assert isinstance(facts, ScreenFacts)
        return _campaign(actor, "campaign.read" if action == "screen.list" else "campaign.change", facts.campaign)
    if family == "county" or action == "product.create":
        return _county(actor, action, facts if isinstance(facts, CountyFacts) else None)
    if family == "product":
        return _product(actor, action, facts if isinstance(facts, ProductFacts) else None)
    if family == "streamer":
        return _streamer(actor, action, facts if isinstance(facts, StreamerFacts) else None)
    if family == "channel":
        assert isinstance(facts, ChannelFacts)
        return _channel(actor, action, facts)
    if family == "key":
        return _key(actor, action, facts if isinstance(facts, KeyFacts) else None)
    if family == "host":  # the streamer's own pages and lists (/my, /me)
        return ALLOW if actor.is_streamer else FORBID
    if family == "user":  # any logged-in person's own account: tokens, sign-outs, language
        return ALLOW if actor.user_id is not None else FORBID
    raise KeyError(action)
