"""Streamers, their weekly availability and their manager; each change audited."""
from __future__ import annotations

from typing import Any

from sqlalchemy import String, cast, exists, func, or_, select

from coordinator import clock
from coordinator.domain.access_facts import Actor
from coordinator.domain.catalog import SELF_EDITABLE, availability_errors
from coordinator.domain.cells import format_windows
from coordinator.domain.enums import Role
from coordinator.domain.errors import Conflict, FieldError, InvalidInput, NotFound, PermissionDenied
from coordinator.extensions import db
from coordinator.models import AvailabilityWindow, CampaignStreamer, LiveSession, Pairing, SaleEvent, Streamer, User
from coordinator.services import access, audit
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


def create_streamer(actor: Actor, data: dict[str, Any], availability: list[tuple[int, int, int]]) -> Streamer:
    """Register a streamer with their weekly availability; the registering commissioner manages them."""
    access.require(actor, "streamer.create")
    _unique_handle(data["handle"])
    streamer = Streamer(**data, manager_id=actor.user_id)
    _set_availability(streamer, availability)
    db.session.add(streamer)
    db.session.flush()
    audit.record(actor, "create", streamer, None, _snapshot(streamer))
    db.session.commit()
    return streamer


def streamer_for(actor: Actor, streamer_id: int, action: str = "streamer.read") -> Streamer:
    """A streamer the actor may do the action to (NotFound or PermissionDenied otherwise)."""
    streamer = db.session.get(Streamer, streamer_id)
    if streamer is None:
        raise NotFound(f"There is no streamer {streamer_id}.")
    access.require(actor, action, access.streamer_facts(streamer), f"streamer {streamer_id}")
    return streamer


def _manager(actor: Actor, manager_id: int | None) -> int | None:
    access.require(actor, "streamer.set_manager")
    user = db.session.get(User, manager_id) if manager_id is not None else None
    if manager_id is not None and (user is None or user.role != Role.COMMISSIONER):
        raise InvalidInput("Unknown commissioner.", [FieldError(f"no commissioner {manager_id}", field="manager_id")])
    return manager_id


def update_streamer(actor: Actor, streamer_id: int, changes: dict[str, Any],
                    availability: list[tuple[int, int, int]] | None) -> Streamer:
    """Change a profile: its manager (or an admin) all of it, the host their own SELF_EDITABLE fields."""
    own = actor.is_streamer
    streamer = streamer_for(actor, streamer_id, "streamer.edit_profile" if own else "streamer.change")
    fields = set(changes) | ({"availability"} if availability is not None else set())
    if own and not fields <= SELF_EDITABLE:
        raise PermissionDenied(f"A streamer may change only {', '.join(sorted(SELF_EDITABLE))}.")
    if "manager_id" in changes:
        changes = {**changes, "manager_id": _manager(actor, changes["manager_id"])}
    if "handle" in changes:
        _unique_handle(changes["handle"], streamer.id)
    before = _snapshot(streamer)
    for key, value in changes.items():
        setattr(streamer, key, value)
    if availability is not None:
        _set_availability(streamer, availability)
    audit.record(actor, "update", streamer, before, audit.changed_fields(before, _snapshot(streamer)))
    db.session.commit()
    return streamer


def form_values(streamer: Streamer) -> dict[str, Any]:
    """A profile as a form shows it: categories comma-separated, availability as text."""
    return {"handle": streamer.handle, "display_name": streamer.display_name, "platform": streamer.platform,
            "followers": streamer.followers, "categories": ", ".join(streamer.categories), "region": streamer.region,
            "bio": streamer.bio,
            "availability": format_windows([(w.weekday, w.start_minute, w.end_minute) for w in streamer.availability])}


def streamer_in_use(streamer_id: int) -> bool:
    """True when campaigns, pairings, sessions or sales refer to the streamer."""
    return any(db.session.scalar(select(exists().where(column == streamer_id))) for column in (
        CampaignStreamer.streamer_id, Pairing.streamer_id, LiveSession.streamer_id, SaleEvent.streamer_id,
    )) or db.session.scalar(select(exists().where(User.streamer_id == streamer_id)))


def delete_streamer(actor: Actor, streamer_id: int) -> None:
    """Delete a streamer nothing refers to; otherwise archive (409)."""
    streamer = streamer_for(actor, streamer_id, "streamer.change")
    if streamer_in_use(streamer.id):
        raise Conflict("The streamer is enrolled, paired, scheduled, sold or has an account; archive instead.")
    audit.record(actor, "delete", streamer, _snapshot(streamer), None)
    db.session.delete(streamer)
    db.session.commit()


def set_streamer_archived(actor: Actor, streamer_id: int, archived: bool) -> Streamer:
    """Archive a streamer (left out of new plans) or bring them back."""
    streamer = streamer_for(actor, streamer_id, "streamer.change")
    before = _snapshot(streamer)
    streamer.archived_at = clock.now() if archived else None
    audit.record(actor, "archive" if archived else "unarchive", streamer, before, _snapshot(streamer))
    db.session.commit()
    return streamer


def list_streamers(actor: Actor, page: int, per_page: int, sort: str | None, q: str | None,
                   filters: dict[str, Any]) -> Page:
    """Streamers, filtered by platform, category, region, manager and archive state."""
    access.require(actor, "streamer.list")
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
    if filters.get("managed_by_me"):
        stmt = stmt.where(Streamer.manager_id == actor.user_id)
    if not filters.get("include_archived"):
        stmt = stmt.where(Streamer.archived_at.is_(None))
    if q:
        stmt = stmt.where(or_(Streamer.handle.contains(q, autoescape=True),
                              Streamer.display_name.contains(q, autoescape=True)))
    return paginate(stmt, page, per_page, sort or "handle", STREAMER_SORTS, Streamer.id)


def own_profile(actor: Actor) -> Streamer:
    """The host's own streamer profile."""
    access.require(actor, "host.portal")
    return streamer_for(actor, actor.streamer_id, "streamer.edit_profile")


def may_create(actor: Actor) -> None:
    """Refuse the new-streamer form to anyone who may not register streamers."""
    access.require(actor, "streamer.create")


def may_manage(actor: Actor, streamer: Streamer) -> bool:
    """Whether the actor sends this streamer's login links (their manager, or an admin)."""
    return access.allowed(actor, "streamer.login_access", access.streamer_facts(streamer))
