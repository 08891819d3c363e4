"""The policy's filter form, for lists: which rows of a kind an actor may see, as plain values the services turn
into SQL. Each filter answers as may() does for the one-object action named in its docstring."""
from __future__ import annotations

from dataclasses import dataclass

from coordinator.domain.access import OPEN_STATUSES, Standing, standing
from coordinator.domain.access_facts import Actor, CampaignFacts


@dataclass(frozen=True)
class CampaignFilter:
    """Which campaigns a list shows an actor (SQL is built from this by the service)."""

    everything: bool = False
    team_user_id: int | None = None
    partner_county_ids: frozenset[int] = frozenset()
    open_statuses: frozenset[str] = frozenset()
    streamer_id: int | None = None


def visible_campaigns(actor: Actor) -> CampaignFilter:
    """The campaigns an actor may list: the filter form of may(actor, "campaign.see", …)."""
    if actor.is_admin:
        return CampaignFilter(everything=True)
    if actor.is_commissioner:
        return CampaignFilter(team_user_id=actor.user_id, partner_county_ids=actor.county_ids,
                              open_statuses=OPEN_STATUSES)
    return CampaignFilter(streamer_id=actor.streamer_id if actor.is_streamer else None)


@dataclass(frozen=True)
class ItemFilter:
    """Which pairings and sessions of one campaign an actor sees."""

    everything: bool = False
    county_ids: frozenset[int] = frozenset()
    streamer_id: int | None = None


def visible_items(actor: Actor, campaign: CampaignFacts) -> ItemFilter:
    """The filter form of may(actor, "item.read", …) within one campaign."""
    where = standing(actor, campaign)
    if where in (Standing.ADMIN, Standing.TEAM):
        return ItemFilter(everything=True)
    if where == Standing.PARTNER:
        return ItemFilter(county_ids=actor.county_ids)
    return ItemFilter(streamer_id=actor.streamer_id if actor.is_streamer else -1)


def visible_county_ids(actor: Actor) -> frozenset[int] | None:
    """The counties whose products an actor sees and changes; None means all (admins)."""
    return None if actor.is_admin else actor.county_ids


@dataclass(frozen=True)
class SessionFilter:
    """Which sessions, across campaigns, an actor sees."""

    everything: bool = False
    team_user_id: int | None = None
    county_ids: frozenset[int] = frozenset()
    streamer_id: int | None = None


def visible_sessions(actor: Actor) -> SessionFilter:
    """The filter form of may(actor, "item.read", …) over every campaign: the team's sessions, a partner's share
    (lineups with their counties' products), a host's own."""
    if actor.is_admin:
        return SessionFilter(everything=True)
    if actor.is_commissioner:
        return SessionFilter(team_user_id=actor.user_id, county_ids=actor.county_ids)
    return SessionFilter(streamer_id=actor.streamer_id if actor.is_streamer else None)


@dataclass(frozen=True)
class ChannelFilter:
    """Which notification channels an actor sees: every one, or their teams' campaigns', their hosts', their own."""

    everything: bool = False
    team_user_id: int | None = None
    manager_id: int | None = None
    streamer_id: int | None = None


def visible_channels(actor: Actor) -> ChannelFilter:
    """The filter form of may(actor, "channel.read", …)."""
    if actor.is_admin:
        return ChannelFilter(everything=True)
    if actor.is_commissioner:
        return ChannelFilter(team_user_id=actor.user_id, manager_id=actor.user_id)
    return ChannelFilter(streamer_id=actor.streamer_id if actor.is_streamer else None)


@dataclass(frozen=True)
class KeyFilter:
    """Which ingest keys an actor sees: every one, or those they made and those for their teams' campaigns."""

    everything: bool = False
    user_id: int | None = None


def visible_keys(actor: Actor) -> KeyFilter:
    """The filter form of may(actor, "key.see", …)."""
    if actor.is_admin:
        return KeyFilter(everything=True)
    return KeyFilter(user_id=actor.user_id if actor.is_commissioner else None)
