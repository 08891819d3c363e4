"""The closed vocabularies of the domain, shared by models, schemas and rules."""
from __future__ import annotations

from enum import StrEnum


class Role(StrEnum):
    """Who a user is to the coordinator."""

    COMMISSIONER = "commissioner"
    STREAMER = "streamer"


class TeamRole(StrEnum):
    """A commissioner's place on a campaign's team."""

    OWNER = "owner"
    EDITOR = "editor"
    VIEWER = "viewer"


class CampaignStatus(StrEnum):
    """Where a campaign is in its life."""

    DRAFT = "draft"
    PUBLISHED = "published"
    LIVE = "live"
    CLOSED = "closed"


class PairingStatus(StrEnum):
    """What people decided about a streamer carrying a product."""

    PROPOSED = "proposed"
    ACCEPTED = "accepted"
    DECLINED = "declined"
    LOCKED = "locked"


class PairingSource(StrEnum):
    """Who proposed a pairing."""

    ENGINE = "engine"
    MANUAL = "manual"


class SessionStatus(StrEnum):
    """A livestream session's state, driven by the clock."""

    SCHEDULED = "scheduled"
    LIVE = "live"
    ENDED = "ended"
    CANCELLED = "cancelled"


class SampleStatus(StrEnum):
    """Where a product sample is on its way from the county to the host (CONTRACT section 7)."""

    REQUESTED = "requested"
    APPROVED = "approved"
    SHIPPED = "shipped"
    RECEIVED = "received"
    REJECTED = "rejected"
    CANCELLED = "cancelled"


class SaleKind(StrEnum):
    """An order adds to a tally, a refund takes from it."""

    ORDER = "order"
    REFUND = "refund"


class TallyScope(StrEnum):
    """The scopes a tally is kept for."""

    CAMPAIGN = "campaign"
    SESSION = "session"


class TallyDimension(StrEnum):
    """The breakdowns kept inside each scope."""

    TOTAL = "total"
    COUNTY = "county"
    STREAMER = "streamer"
    PRODUCT = "product"


class ChannelKind(StrEnum):
    """Where a channel's messages go (CONTRACT section 6)."""

    WEBHOOK = "webhook"
    WECOM = "wecom"
    DINGTALK = "dingtalk"
    FEISHU = "feishu"
    EMAIL = "email"


class DeliveryState(StrEnum):
    """An outbox message's state: waiting (to be tried or retried), delivered, or given up on."""

    PENDING = "pending"
    DELIVERED = "delivered"
    FAILED = "failed"


def sql_in(column: str, enum: type[StrEnum]) -> str:
    """A CHECK expression that limits a column to an enum's values."""
    values = ", ".join(f"'{member.value}'" for member in enum)
    return f"{column} IN ({values})"
