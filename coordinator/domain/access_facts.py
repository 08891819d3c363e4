"""What the access policy knows: who is asking, and the facts of the object as they concern that actor."""
from __future__ import annotations

from dataclasses import dataclass

from coordinator.domain.enums import Role, TeamRole


@dataclass(frozen=True)
class Actor:
    """A caller: a user (by login cookie or API token) or a tally screen bound to one campaign."""

    user_id: int | None = None
    role: str | None = None
    is_admin: bool = False
    streamer_id: int | None = None
    county_ids: frozenset[int] = frozenset()
    campaign_id: int | None = None  # a screen's campaign

    @property
    def is_commissioner(self) -> bool:
        """A commissioner plans campaigns."""
        return self.role == Role.COMMISSIONER

    @property
    def is_streamer(self) -> bool:
        """A host's account, bound to one streamer."""
        return self.role == Role.STREAMER and self.streamer_id is not None

    @property
    def is_screen(self) -> bool:
        """A tally screen, which only watches."""
        return self.user_id is None and self.campaign_id is not None


ANONYMOUS = Actor()
# The operator at the command line (flask create-user, ingest-key, screen-token, demo): trusted like an admin.
SYSTEM = Actor(role=Role.COMMISSIONER.value, is_admin=True)


@dataclass(frozen=True)
class CampaignFacts:
    """A campaign as it concerns one actor."""

    id: int
    status: str
    team_role: TeamRole | None = None  # the actor's place on its team
    partner: bool = False  # a product of the actor's counties is enrolled
    enrolled: bool = False  # the actor's streamer is enrolled


@dataclass(frozen=True)
class ItemFacts:
    """A pairing or a session: its campaign, its host and the counties of the products it involves."""

    campaign: CampaignFacts
    streamer_id: int
    county_ids: frozenset[int] = frozenset()


@dataclass(frozen=True)
class CountyFacts:
    """A county."""

    id: int


@dataclass(frozen=True)
class ProductFacts:
    """A product: its county, and whether the acting host carries it (paired or in one of their sessions)."""

    id: int
    county_id: int
    carried_by_actor: bool = False


@dataclass(frozen=True)
class StreamerFacts:
    """A streamer profile and the commissioner who manages it."""

    id: int
    manager_id: int | None = None


@dataclass(frozen=True)
class KeyFacts:
    """An ingest key: who made it and the campaigns it posts for (as they concern the actor)."""

    created_by_id: int | None
    all_campaigns: bool
    campaigns: tuple[CampaignFacts, ...] = ()


@dataclass(frozen=True)
class ChannelFacts:
    """A notification channel: a campaign's (judged by the campaign) or a host's own (by the streamer)."""

    campaign: CampaignFacts | None = None
    streamer: StreamerFacts | None = None


@dataclass(frozen=True)
class ScreenFacts:
    """A screen link, judged by its campaign."""

    campaign: CampaignFacts


@dataclass(frozen=True)
class AddressFacts:
    """A host's shipping address: the host, and whether the actor may read a sample on its way to them."""

    streamer: StreamerFacts
    ships_to: bool = False
