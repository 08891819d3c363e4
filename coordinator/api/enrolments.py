"""Enrolments: /api/v1/campaigns/{id}/products and /streamers."""
from __future__ import annotations

from datetime import datetime

from pydantic import BaseModel
from spectree import Response

from coordinator.api import bp
from coordinator.api.auth import actor
from coordinator.api.common import dump
from coordinator.api.products import ProductOut
from coordinator.api.spec import api_spec
from coordinator.api.streamers import StreamerOut, streamer_body
from coordinator.api.validation import RequestModel, StrictInt
from coordinator.edge import done
from coordinator.services import enrolment


class ProductRef(RequestModel):
    """The product to enrol."""

    product_id: StrictInt


class StreamerRef(RequestModel):
    """The streamer to enrol."""

    streamer_id: StrictInt


class ProductEnrolment(BaseModel):
    """A product enrolled in a campaign."""

    campaign_id: int
    product_id: int
    enrolled_at: datetime


class StreamerEnrolment(BaseModel):
    """A streamer enrolled in a campaign."""

    campaign_id: int
    streamer_id: int
    enrolled_at: datetime


class EnrolledProducts(BaseModel):
    """The products of a campaign."""

    items: list[ProductOut]


class EnrolledStreamers(BaseModel):
    """The streamers of a campaign."""

    items: list[StreamerOut]


@bp.post("/campaigns/<int:campaign_id>/products")
@api_spec.validate(resp=Response(HTTP_201=ProductEnrolment), tags=["enrolments"])
def enrol_product(campaign_id: int, json: ProductRef):
    """Enrol one of the caller's counties' products (the team, or anyone while the campaign is published or live)."""
    return dump(ProductEnrolment, enrolment.enrol_product(actor(), campaign_id, json.product_id)), 201


@bp.get("/campaigns/<int:campaign_id>/products")
@api_spec.validate(resp=Response(HTTP_200=EnrolledProducts), tags=["enrolments"])
def campaign_products(campaign_id: int):
    """The products enrolled in a campaign (a county partner sees their own counties')."""
    return {"items": [dump(ProductOut, p) for p in enrolment.products_seen(actor(), campaign_id)]}


@bp.delete("/campaigns/<int:campaign_id>/products/<int:product_id>")
@api_spec.validate(resp=Response("HTTP_204"), tags=["enrolments"])
def unenrol_product(campaign_id: int, product_id: int):
    """Take a product out of a campaign (409 while sessions or settled pairings use it)."""
    done(enrolment.unenrol_product(actor(), campaign_id, product_id))
    return "", 204


@bp.post("/campaigns/<int:campaign_id>/streamers")
@api_spec.validate(resp=Response(HTTP_201=StreamerEnrolment), tags=["enrolments"])
def enrol_streamer(campaign_id: int, json: StreamerRef):
    """Enrol a streamer in a campaign (409 if already enrolled or the campaign is closed)."""
    return dump(StreamerEnrolment, enrolment.enrol_streamer(actor(), campaign_id, json.streamer_id)), 201


@bp.get("/campaigns/<int:campaign_id>/streamers")
@api_spec.validate(resp=Response(HTTP_200=EnrolledStreamers), tags=["enrolments"])
def campaign_streamers(campaign_id: int):
    """The streamers enrolled in a campaign (its team)."""
    return {"items": [streamer_body(s) for s in enrolment.streamers_seen(actor(), campaign_id)]}


@bp.delete("/campaigns/<int:campaign_id>/streamers/<int:streamer_id>")
@api_spec.validate(resp=Response("HTTP_204"), tags=["enrolments"])
def unenrol_streamer(campaign_id: int, streamer_id: int):
    """Take a streamer out of a campaign (409 while sessions or settled pairings use them)."""
    done(enrolment.unenrol_streamer(actor(), campaign_id, streamer_id))
    return "", 204
