"""Samples (CONTRACT section 7): requests, their moves, a campaign's list with lateness, bulk approval, and the
shipping address a host keeps."""
from __future__ import annotations

from datetime import datetime
from typing import Annotated, Optional

from flask import request
from pydantic import BaseModel, Field, StringConstraints
from spectree import Response

from coordinator.api import bp
from coordinator.api.auth import actor
from coordinator.api.spec import api_spec
from coordinator.api.validation import RequestModel, StrictInt, field_errors
from coordinator.domain.errors import InvalidInput
from coordinator.edge import done, settings
from coordinator.services import addresses, sample_board, samples

Text500 = Annotated[str, StringConstraints(strict=True, strip_whitespace=True, max_length=500)]


class ShipToOut(BaseModel):
    """Where a sample on its way goes."""

    recipient: str
    phone: str
    address: str


class SampleOut(BaseModel):
    """A sample (CONTRACT section 7), with its tracking link, lateness and, while on its way, its destination."""

    id: int
    pairing_id: Optional[int]
    campaign_id: int
    streamer_id: int
    product_id: int
    quantity: int
    status: str
    carrier: Optional[str]
    tracking_number: Optional[str]
    tracking_url: Optional[str]
    reason: str
    late: bool
    late_session_ids: list[int]
    ship_to: Optional[ShipToOut]
    requested_at: datetime
    approved_at: Optional[datetime]
    shipped_at: Optional[datetime]
    received_at: Optional[datetime]
    updated_at: datetime


class SampleList(BaseModel):
    """A campaign's samples the caller sees."""

    samples: list[SampleOut]


class SampleIn(RequestModel):
    """A request for a pairing's sample."""

    pairing_id: StrictInt
    quantity: StrictInt = 1


class ReasonIn(RequestModel):
    """Why a sample is rejected or cancelled (optional)."""

    reason: Text500 = ""


class ShipIn(RequestModel):
    """The parcel: a carrier (sf, ems, jd, zto, yto, sto, yunda, best, or its name) and its tracking number."""

    carrier: Annotated[str, StringConstraints(strict=True, min_length=1, max_length=40)]
    tracking_number: Annotated[str, StringConstraints(strict=True, min_length=1, max_length=40)]


class BulkApproveIn(RequestModel):
    """The samples to approve at once."""

    sample_ids: list[StrictInt] = Field(min_length=1, max_length=1000)


class BulkApproveOut(BaseModel):
    """The samples this call approved (those approved already are left as they were)."""

    approved: list[int]


class SamplesQuery(BaseModel):
    """Filter a campaign's samples by state and by lateness."""

    status: Optional[str] = Field(None, max_length=16)
    late: Optional[bool] = None


class AddressIn(RequestModel):
    """A host's shipping address: who receives, their phone, and the full address."""

    recipient: Annotated[str, StringConstraints(strict=True, max_length=60)]
    phone: Annotated[str, StringConstraints(strict=True, max_length=32)]
    address: Annotated[str, StringConstraints(strict=True, max_length=300)]


class AddressOut(BaseModel):
    """A host's shipping address, or nulls while they have given none."""

    streamer_id: int
    recipient: Optional[str]
    phone: Optional[str]
    address: Optional[str]
    updated_at: Optional[datetime]


def sample_body(line: sample_board.SampleLine) -> dict:
    """A sample line as the API answers it."""
    body = samples.as_dict(line.sample)
    body.update(late=line.late, late_session_ids=[s.id for s in line.late_sessions],
                ship_to=None if line.ship_to is None else {"recipient": line.ship_to.recipient,
                                                          "phone": line.ship_to.phone,
                                                          "address": line.ship_to.address})
    return SampleOut.model_validate(body).model_dump(mode="json")


def _one(sample) -> dict:
    return sample_body(sample_board.line(actor(), settings(), sample))


def _optional_reason() -> str:
    """The reason of an optional body (an empty body is no reason)."""
    if not request.get_data(cache=True).strip():
        return ""
    try:
        return ReasonIn.model_validate(request.get_json()).reason
    except ValueError as error:
        raise InvalidInput("Some values are invalid.", field_errors(error)) from error


@bp.post("/samples")
@api_spec.validate(resp=Response(HTTP_201=SampleOut), tags=["samples"])
def request_sample(json: SampleIn):
    """Ask for a sample of a pairing's product (the host, the campaign's team or the product's county); 409 for a
    declined pairing or while one is already on its way."""
    return _one(done(samples.request(actor(), settings(), json.pairing_id, json.quantity))), 201


@bp.get("/samples/<int:sample_id>")
@api_spec.validate(resp=Response(HTTP_200=SampleOut), tags=["samples"])
def get_sample(sample_id: int):
    """One sample."""
    return _one(samples.get(actor(), sample_id))


@bp.post("/samples/<int:sample_id>/approve")
@api_spec.validate(resp=Response(HTTP_200=SampleOut), tags=["samples"])
def approve_sample(sample_id: int):
    """Approve a requested sample (the team's editors or the product's county); 409 from any other state."""
    return _one(done(samples.move(actor(), settings(), sample_id, "approve")))


@bp.post("/samples/<int:sample_id>/reject")
@api_spec.validate(resp=Response(HTTP_200=SampleOut), tags=["samples"])
def reject_sample(sample_id: int):
    """Reject a requested or approved sample, optionally saying why (JSON {"reason"})."""
    return _one(done(samples.move(actor(), settings(), sample_id, "reject", reason=_optional_reason())))


@bp.post("/samples/<int:sample_id>/ship")
@api_spec.validate(resp=Response(HTTP_200=SampleOut), tags=["samples"])
def ship_sample(sample_id: int, json: ShipIn):
    """Ship an approved sample with its carrier and tracking number."""
    return _one(done(samples.move(actor(), settings(), sample_id, "ship", json.carrier, json.tracking_number)))


@bp.post("/samples/<int:sample_id>/receive")
@api_spec.validate(resp=Response(HTTP_200=SampleOut), tags=["samples"])
def receive_sample(sample_id: int):
    """The host confirms a shipped sample arrived."""
    return _one(done(samples.move(actor(), settings(), sample_id, "receive")))


@bp.post("/samples/<int:sample_id>/cancel")
@api_spec.validate(resp=Response(HTTP_200=SampleOut), tags=["samples"])
def cancel_sample(sample_id: int):
    """Cancel a requested or approved sample (the host their own, the team, the product's county)."""
    return _one(done(samples.move(actor(), settings(), sample_id, "cancel", reason=_optional_reason())))


@bp.get("/campaigns/<int:campaign_id>/samples")
@api_spec.validate(resp=Response(HTTP_200=SampleList), tags=["samples"])
def list_samples(campaign_id: int, query: SamplesQuery):
    """A campaign's samples by county and product: all for its team, a partner's counties', a host's own;
    `late=true` keeps those not received while a session with the product starts within SAMPLE_LEAD_DAYS."""
    lines = sample_board.campaign_samples(actor(), settings(), campaign_id, query.status, query.late)
    return {"samples": [sample_body(line) for line in lines]}


@bp.post("/campaigns/<int:campaign_id>/samples/approve")
@api_spec.validate(resp=Response(HTTP_200=BulkApproveOut), tags=["samples"])
def approve_samples(campaign_id: int, json: BulkApproveIn):
    """Approve many requested samples at once; one that cannot be makes it 422 and nothing changes."""
    approved = done(samples.approve_many(actor(), settings(), campaign_id, json.sample_ids))
    return {"approved": [s.id for s in approved]}


def _address_body(streamer_id: int, row) -> dict:
    return {"streamer_id": streamer_id, "recipient": row.recipient if row else None,
            "phone": row.phone if row else None, "address": row.address if row else None,
            "updated_at": row.updated_at.isoformat() if row else None}


@bp.get("/streamers/<int:streamer_id>/address")
@api_spec.validate(resp=Response(HTTP_200=AddressOut), tags=["samples"])
def get_address(streamer_id: int):
    """A host's shipping address: for the host, their manager, and whoever handles a sample on its way to them."""
    return _address_body(streamer_id, addresses.get(actor(), streamer_id))


@bp.put("/streamers/<int:streamer_id>/address")
@api_spec.validate(resp=Response(HTTP_200=AddressOut), tags=["samples"])
def put_address(streamer_id: int, json: AddressIn):
    """Set a host's shipping address (the host or their manager)."""
    return _address_body(streamer_id, addresses.put(actor(), streamer_id, json.recipient, json.phone, json.address))
