"""Streamers: /api/v1/streamers."""
from __future__ import annotations

from datetime import datetime
from typing import Optional

from pydantic import BaseModel, Field
from spectree import Response

from coordinator.api import bp
from coordinator.api.auth import actor
from coordinator.api.common import ListQuery, PageOut, dump, page_body, patch_changes
from coordinator.api.spec import api_spec
from coordinator.domain.catalog import format_clock
from coordinator.edge import settings
from coordinator.schemas.catalog import StreamerIn, StreamerPatch, WindowIn
from coordinator.schemas.common import MAX_INT32
from coordinator.services import ical, streamers


class WindowOut(BaseModel):
    """A weekly availability window."""

    weekday: int
    start: str
    end: str


class StreamerOut(BaseModel):
    """A streamer."""

    id: int
    handle: str
    display_name: str
    platform: str
    followers: int
    categories: list[str]
    region: str
    bio: str
    availability: list[WindowOut]
    manager_id: Optional[int]
    archived_at: Optional[datetime]
    created_at: datetime


class StreamerQuery(ListQuery):
    """Filters of the streamer list."""

    platform: Optional[str] = Field(None, max_length=32)
    category: Optional[str] = Field(None, max_length=64)
    region: Optional[str] = Field(None, max_length=120)
    min_followers: Optional[int] = Field(None, ge=0, le=MAX_INT32)
    include_archived: bool = False
    managed_by_me: bool = False


class StreamerPage(PageOut):
    """A page of streamers."""

    items: list[StreamerOut]


def streamer_body(streamer) -> dict:
    """A streamer with availability as 'HH:MM' windows."""
    return dump(StreamerOut, {
        **{key: getattr(streamer, key) for key in StreamerOut.model_fields if key != "availability"},
        "availability": [{"weekday": w.weekday, "start": format_clock(w.start_minute), "end": format_clock(w.end_minute)}
                         for w in streamer.availability],
    })


class CalendarOut(BaseModel):
    """The host's new calendar link; the old one stops working."""

    path: str


@bp.post("/streamers")
@api_spec.validate(resp=Response(HTTP_201=StreamerOut), tags=["streamers"])
def create_streamer(json: StreamerIn):
    """Register a streamer; the caller becomes their manager."""
    data = json.model_dump(exclude={"availability"})
    streamer = streamers.create_streamer(actor(), data, [w.as_tuple() for w in json.availability])
    return streamer_body(streamer), 201


@bp.get("/streamers")
@api_spec.validate(resp=Response(HTTP_200=StreamerPage), tags=["streamers"])
def list_streamers(query: StreamerQuery):
    """Streamers, filtered and paginated (commissioners)."""
    filters = query.model_dump(include={"platform", "category", "region", "min_followers", "include_archived",
                                        "managed_by_me"})
    page = streamers.list_streamers(actor(), query.page, query.per_page, query.sort, query.q, filters)
    return page_body(streamer_body, page)


@bp.get("/streamers/<int:streamer_id>")
@api_spec.validate(resp=Response(HTTP_200=StreamerOut), tags=["streamers"])
def get_streamer(streamer_id: int):
    """One streamer; a streamer account may read only its own."""
    return streamer_body(streamers.streamer_for(actor(), streamer_id))


@bp.patch("/streamers/<int:streamer_id>")
@api_spec.validate(resp=Response(HTTP_200=StreamerOut), tags=["streamers"])
def update_streamer(streamer_id: int, json: StreamerPatch):
    """Change a streamer (their manager or an admin; manager_id only an admin); a host edits their own profile."""
    changes = patch_changes(json, nullable=frozenset({"manager_id"}))
    windows = changes.pop("availability", None)
    availability = [WindowIn(**w).as_tuple() for w in windows] if windows is not None else None
    return streamer_body(streamers.update_streamer(actor(), streamer_id, changes, availability))


@bp.post("/streamers/<int:streamer_id>/archive")
@api_spec.validate(resp=Response(HTTP_200=StreamerOut), tags=["streamers"])
def archive_streamer(streamer_id: int):
    """Archive a streamer: kept for history, left out of new plans."""
    return streamer_body(streamers.set_streamer_archived(actor(), streamer_id, True))


@bp.post("/streamers/<int:streamer_id>/unarchive")
@api_spec.validate(resp=Response(HTTP_200=StreamerOut), tags=["streamers"])
def unarchive_streamer(streamer_id: int):
    """Bring an archived streamer back."""
    return streamer_body(streamers.set_streamer_archived(actor(), streamer_id, False))


@bp.delete("/streamers/<int:streamer_id>")
@api_spec.validate(resp=Response("HTTP_204"), tags=["streamers"])
def delete_streamer(streamer_id: int):
    """Delete a streamer nothing refers to (409 otherwise: archive)."""
    streamers.delete_streamer(actor(), streamer_id)
    return "", 204


@bp.post("/streamers/<int:streamer_id>/calendar/renew")
@api_spec.validate(resp=Response(HTTP_200=CalendarOut), tags=["streamers"])
def renew_calendar(streamer_id: int):
    """A new calendar link for the host (the host, their manager or an admin); copies of the old one stop working."""
    return {"path": f"/calendar/{ical.renew(actor(), settings(), streamer_id)}.ics"}
