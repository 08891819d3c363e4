"""Notification channels (CONTRACT section 6): /api/v1/channels, their test messages, and the delivery log."""
from __future__ import annotations

from datetime import datetime
from typing import Annotated, Literal, Optional

from pydantic import BaseModel, Field
from spectree import Response

from coordinator.api import bp
from coordinator.api.auth import actor
from coordinator.api.common import patch_changes
from coordinator.api.spec import api_spec
from coordinator.api.validation import RequestModel, StrictBool, StrictInt
from coordinator.domain import notices
from coordinator.domain.enums import ChannelKind
from coordinator.edge import settings
from coordinator.schemas.common import QueryInt, text
from coordinator.services import channels

EventName = Literal[notices.EVENTS]  # type: ignore[valid-type]
Events = Annotated[list[EventName], Field(min_length=1, max_length=len(notices.EVENTS))]
Locale = Literal["zh-CN", "zh_Hans", "en"]


class ChannelIn(RequestModel):
    """A destination for a campaign's (campaign_id) or a host's (streamer_id) messages."""

    kind: ChannelKind
    name: text(120, 1)
    events: Optional[Events] = Field(None, description="events to send; leave out for all of them")
    campaign_id: Optional[StrictInt] = None
    streamer_id: Optional[StrictInt] = None
    url: Optional[text(2000)] = Field(None, description="webhook, wecom, dingtalk, feishu: where to POST")
    secret: Optional[text(200)] = Field(None, description="dingtalk (SEC…) and feishu: the robot's signing secret")
    address: Optional[text(320)] = Field(None, description="email: the recipient")
    locale: Optional[Locale] = Field(None, description="the messages' language; zh-CN unless set")


class ChannelPatch(RequestModel):
    """What to change in a channel; enabled=true switches a disabled channel back on."""

    name: Optional[text(120, 1)] = None
    events: Optional[Events] = None
    enabled: Optional[StrictBool] = None
    url: Optional[text(2000)] = None
    secret: Optional[text(200)] = None
    address: Optional[text(320)] = None
    locale: Optional[Locale] = None


class ChannelOut(BaseModel):
    """A channel; its secret and full URL are never shown again after creation."""

    id: int
    kind: str
    name: str
    events: list[str]
    campaign_id: Optional[int]
    streamer_id: Optional[int]
    enabled: bool
    destination: str
    locale: str
    disabled_reason: str
    failing_since: Optional[datetime]
    last_success_at: Optional[datetime]
    created_at: datetime


class ChannelCreated(ChannelOut):
    """A new channel; a webhook's signing secret is answered this once."""

    secret: Optional[str] = None


class ChannelList(BaseModel):
    """Channels the caller sees."""

    items: list[ChannelOut]


class ChannelQuery(BaseModel):
    """Which channels to list."""

    campaign_id: Optional[QueryInt] = None
    streamer_id: Optional[QueryInt] = None


class Queued(BaseModel):
    """A delivery queued for the workers."""

    delivery_id: int


def channel_body(row) -> dict:
    """A channel as the API shows it."""
    return ChannelOut(id=row.id, kind=row.kind, name=row.name, events=row.events or list(notices.EVENTS),
                      campaign_id=row.campaign_id, streamer_id=row.streamer_id, enabled=row.enabled,
                      destination=channels.masked(row), locale="zh-CN" if row.locale == "zh_Hans" else row.locale,
                      disabled_reason=row.disabled_reason, failing_since=row.failing_since,
                      last_success_at=row.last_success_at, created_at=row.created_at).model_dump(mode="json")


@bp.post("/channels")
@api_spec.validate(resp=Response(HTTP_201=ChannelCreated), tags=["notifications"])
def create_channel(json: ChannelIn):
    """Make a channel (422 for a destination on a private address); a webhook's secret is shown this once."""
    row, secret = channels.create(actor(), settings(), json.model_dump(exclude_none=True) | {
        "events": json.events, "campaign_id": json.campaign_id, "streamer_id": json.streamer_id})
    return {**channel_body(row), **({"secret": secret} if secret else {})}, 201


@bp.get("/channels")
@api_spec.validate(resp=Response(HTTP_200=ChannelList), tags=["notifications"])
def list_channels(query: ChannelQuery):
    """The channels of the caller's teams' campaigns, of the hosts they manage, or a host's own."""
    return {"items": [channel_body(row) for row in channels.list_channels(actor(), query.campaign_id,
                                                                          query.streamer_id)]}


@bp.get("/channels/<int:channel_id>")
@api_spec.validate(resp=Response(HTTP_200=ChannelOut), tags=["notifications"])
def get_channel(channel_id: int):
    """One channel."""
    return channel_body(channels.channel_for(actor(), channel_id))


@bp.patch("/channels/<int:channel_id>")
@api_spec.validate(resp=Response(HTTP_200=ChannelOut), tags=["notifications"])
def update_channel(channel_id: int, json: ChannelPatch):
    """Rename, re-point, pick events, switch off or back on."""
    return channel_body(channels.update(actor(), settings(), channel_id, patch_changes(json)))


@bp.delete("/channels/<int:channel_id>")
@api_spec.validate(resp=Response("HTTP_204"), tags=["notifications"])
def delete_channel(channel_id: int):
    """Remove a channel and its delivery log."""
    channels.delete(actor(), channel_id)
    return "", 204


@bp.post("/channels/<int:channel_id>/test")
@api_spec.validate(resp=Response(HTTP_202=Queued), tags=["notifications"])
def test_channel(channel_id: int):
    """Queue a test message to the channel; follow it in GET /deliveries."""
    return {"delivery_id": channels.send_test(actor(), settings(), channel_id).id}, 202
