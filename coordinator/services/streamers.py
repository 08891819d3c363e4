"""Streamers and their weekly availability, each change audited."""
from __future__ import annotations

from typing import Any

from sqlalchemy import String, cast, exists, func, or_, select

from coordinator import clock
from coordinator.domain.catalog import availability_errors
from coordinator.domain.errors import Conflict, FieldError, InvalidInput, NotFound
from coordinator.extensions import db
from coordinator.models import AvailabilityWindow, CampaignStreamer, LiveSession, Pairing, SaleEvent, Streamer, User
from coordinator.services import audit, scope
from coordinator.services.listing import Page, paginate

STREAMER_SORTS = {
    "handle": Streamer.handle, "display_name": Streamer.display_name, "followers": Streamer.followers,
    "platform": Streamer.platform, "id": Streamer.id,
}


def _snapshot(streamer: Streamer) -> dict:
    data = audit.snapshot(streamer)
    data["availability"] = [[w.weekday, w.start_minute, w.end_minute] for w in streamer.availability]
    return data


def _set_availability(streamer: Streamer, windows: list[tuple[int, int, int]]) -> None:
    errors = availability_errors(windows)
    if errors:
        raise InvalidInput("The availability windows are inconsistent.", errors)
    streamer.availability = [AvailabilityWindow(weekday=w, start_minute=s, end_minute=e) for w, s, e in windows]


def _unique_handle(handle: str, exclude_id: int | None = None) -> None:
    clash = select(Streamer.id).where(func.lower(Streamer.handle) == handle.lower())
    if exclude_id is not None:
        clash = clash.where(Streamer.id != exclude_id)
    if db.session.scalar(clash) is not None:
        raise Conflict(f"The handle {handle} is taken.", [FieldError("already taken", field="handle")])


def create_streamer(user: User, data: dict[str, Any], availability: list[tuple[int, int, int]]) -> Streamer:
    """Register a streamer with their weekly availability."""
    _unique_handle(data["handle"])
    streamer = Streamer(**data)
    _set_availability(streamer, availability)
    db.session.add(streamer)
    db.session.flush()
    audit.record(user, "create", streamer, None, _snapshot(streamer))
    db.session.commit()
    return streamer


def streamer_for_read(user: User, streamer_id: int) -> Streamer:
    """A streamer the caller may see: any for commissioners, only itself for a streamer account."""
    streamer = db.session.get(Streamer, streamer_id)
    if streamer is None:
        raise NotFound(f"There is no streamer {streamer_id}.")
    scope.require_own_streamer(user, streamer.id)
    return streamer


def update_streamer(user: User, streamer_id: int, changes: dict[str, Any],
                    availability: list[tuple[int, int, int]] | None) -> Streamer:
    """Change a streamer's profile; a streamer may edit their own."""
    streamer = streamer_for_read(user, streamer_id)
    if "handle" in changes:
        _unique_handle(changes["handle"], streamer.id)
    before = _snapshot(streamer)
    for key, value in changes.items():
        setattr(streamer, key, value)
    if availability is not None:
        _set_availability(streamer, availability)
    audit.record(user, "update", streamer, before, audit.changed_fields(before, _snapshot(streamer)))
    db.session.commit()
    return streamer


def streamer_in_use(streamer_id: int) -> bool:
    """True when campaigns, pairings, sessions or sales refer to the streamer."""
    return any(db.session.scalar(select(exists().where(column == streamer_id))) for column in (
        CampaignStreamer.streamer_id, Pairing.streamer_id, LiveSession.streamer_id, SaleEvent.streamer_id,
    )) or db.session.scalar(select(exists().where(User.streamer_id == streamer_id)))


def delete_streamer(user: User, streamer_id: int) -> None:
    """Delete a streamer nothing refers to; otherwise archive (409)."""
    streamer = streamer_for_read(user, streamer_id)
    if streamer_in_use(streamer.id):
        raise Conflict("The streamer is enrolled, paired, scheduled, sold or has an account; archive instead.")
    audit.record(user, "delete", streamer, _snapshot(streamer), None)
    db.session.delete(streamer)
    db.session.commit()


def set_streamer_archived(user: User, streamer_id: int, archived: bool) -> Streamer:
    """Archive a streamer (left out of new plans) or bring them back."""
    streamer = streamer_for_read(user, streamer_id)
    before = _snapshot(streamer)
    streamer.archived_at = clock.now() if archived else None
    audit.record(user, "archive" if archived else "unarchive", streamer, before, _snapshot(streamer))
    db.session.commit()
    return streamer


def list_streamers(page: int, per_page: int, sort: str | None, q: str | None, filters: dict[str, Any]) -> Page:
    """Streamers, filtered by platform, category, region and archive state."""
    stmt = select(Streamer)
    if filters.get("platform"):
        stmt = stmt.where(Streamer.platform == filters["platform"])
    if filters.get("region"):
        stmt = stmt.where(Streamer.region.contains(filters["region"], autoescape=True))
    if filters.get("category"):
        # JSON lists differ between SQLite and PostgreSQL; a quoted substring match works on both.
        stmt = stmt.where(cast(Streamer.categories, String).contains(f'"{filters["category"]}"', autoescape=True))
    if filters.get("min_followers") is not None:
        stmt = stmt.where(Streamer.followers >= filters["min_followers"])
    if not filters.get("include_archived"):
        stmt = stmt.where(Streamer.archived_at.is_(None))
    if q:
        stmt = stmt.where(or_(Streamer.handle.contains(q, autoescape=True),
                              Streamer.display_name.contains(q, autoescape=True)))
    return paginate(stmt, page, per_page, sort or "handle", STREAMER_SORTS, Streamer.id)
