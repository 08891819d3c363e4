"""The delivery log (CONTRACT section 6): every message of the caller's channels with each attempt, and replays."""
from __future__ import annotations

from datetime import datetime
from typing import Literal, Optional

from pydantic import BaseModel, Field
from spectree import Response

from coordinator.api import bp
from coordinator.api.auth import actor
from coordinator.api.common import PageOut, page_body
from coordinator.api.spec import api_spec
from coordinator.api.validation import AwareTime, RequestModel, StrictInt
from coordinator.schemas.common import MAX_INT32, QueryInt, text
from coordinator.services import deliveries
from coordinator.services.listing import MAX_PER_PAGE


class DeliveryQuery(BaseModel):
    """Filters of the delivery log."""

    channel_id: Optional[QueryInt] = None
    state: Optional[Literal["pending", "delivered", "failed"]] = None
    event: Optional[text(40)] = None
    page: int = Field(1, ge=1, le=MAX_INT32)
    per_page: int = Field(50, ge=1, le=MAX_PER_PAGE)


class AttemptOut(BaseModel):
    """One try: when, the answer's status code (none if no answer came), what went wrong."""

    at: datetime
    status_code: Optional[int]
    error: str
    latency_ms: int


class DeliveryOut(BaseModel):
    """One message to one channel."""

    id: int
    channel_id: int
    event: str
    state: str
    message_id: str
    created_at: datetime
    next_attempt_at: Optional[datetime]
    delivered_at: Optional[datetime]
    attempts: list[AttemptOut]


class DeliveryPage(PageOut):
    """A page of the log, newest first."""

    items: list[DeliveryOut]


class ReplayIn(RequestModel):
    """Which failed deliveries to send again."""

    since: AwareTime
    channel_id: Optional[StrictInt] = None


class Replayed(BaseModel):
    """How many deliveries were queued again."""

    count: int


class ReplayQueued(BaseModel):
    """The delivery queued again."""

    delivery_id: int
    state: str


def delivery_body(row) -> dict:
    """A log row as the API shows it."""
    d = row.delivery
    return DeliveryOut(id=d.id, channel_id=d.channel_id, event=d.event, state=d.state, message_id=d.message_id,
                       created_at=d.created_at, next_attempt_at=d.next_attempt_at if d.state == "pending" else None,
                       delivered_at=d.delivered_at,
                       attempts=[AttemptOut(at=a.at, status_code=a.status_code, error=a.error,
                                            latency_ms=a.latency_ms) for a in row.attempts]).model_dump(mode="json")


@bp.get("/deliveries")
@api_spec.validate(resp=Response(HTTP_200=DeliveryPage), tags=["notifications"])
def list_deliveries(query: DeliveryQuery):
    """Messages of the channels the caller sees, newest first, by channel, state and event."""
    page = deliveries.log(actor(), query.page, query.per_page, query.channel_id, query.state, query.event)
    return page_body(delivery_body, page)


@bp.post("/deliveries/<int:delivery_id>/replay")
@api_spec.validate(resp=Response(HTTP_202=ReplayQueued), tags=["notifications"])
def replay_delivery(delivery_id: int):
    """Send one delivery again from the start of the retry schedule (its webhook-id stays the same)."""
    row = deliveries.replay(actor(), delivery_id)
    return {"delivery_id": row.id, "state": row.state}, 202


@bp.post("/deliveries/replay")
@api_spec.validate(resp=Response(HTTP_202=Replayed), tags=["notifications"])
def replay_failed(json: ReplayIn):
    """Send again every failed delivery since a time, of one channel or of every channel the caller changes."""
    return {"count": deliveries.replay_failed(actor(), json.since, json.channel_id)}, 202
