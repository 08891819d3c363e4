"""Counties and the commissioners assigned to them: admins register and assign, each change audited."""
from __future__ import annotations

from typing import Any

from sqlalchemy import exists, select

from coordinator.domain.access_facts import Actor
from coordinator.domain.enums import Role
from coordinator.domain.errors import Conflict, FieldError, InvalidInput, NotFound
from coordinator.domain.events import AccessChanged, Outcome
from coordinator.extensions import db
from coordinator.models import CommissionerCounty, County, Product, User
from coordinator.services import access, audit
from coordinator.services.listing import Page, paginate

COUNTY_SORTS = {"name": County.name, "province": County.province, "id": County.id}


def county_for(actor: Actor, action: str, county_id: int) -> County:
    """A county the actor may do the action to (NotFound or PermissionDenied otherwise)."""
    county = db.session.get(County, county_id)
    if county is None:
        raise NotFound(f"There is no county {county_id}.")
    access.require(actor, action, access.county_facts(county.id), f"county {county_id}")
    return county


def county_reference(actor: Actor, county_id: int, field: str = "county_id") -> County:
    """A county named in a request body: unknown or not the actor's is a 422 on that field."""
    county = db.session.get(County, county_id)
    if county is None or not access.allowed(actor, "product.create", access.county_facts(county.id)):
        raise InvalidInput("Unknown county.", [FieldError(f"no county {county_id} that you manage", field=field)])
    return county


def _unique_county(name: str, province: str, exclude_id: int | None = None) -> None:
    clash = select(County.id).where(County.name == name, County.province == province)
    if exclude_id is not None:
        clash = clash.where(County.id != exclude_id)
    if db.session.scalar(clash) is not None:
        raise Conflict(f"{province} already has a county named {name}.", [FieldError("already exists", field="name")])


def create_county(actor: Actor, data: dict[str, Any]) -> County:
    """Register a county (admins only; they then assign commissioners to it)."""
    access.require(actor, "county.create")
    _unique_county(data["name"], data["province"])
    county = County(**data)
    db.session.add(county)
    db.session.flush()
    audit.record(actor, "create", county, None, audit.snapshot(county))
    db.session.commit()
    return county


def update_county(actor: Actor, county_id: int, changes: dict[str, Any]) -> County:
    """Change a county's name, province or story."""
    county = county_for(actor, "county.change", county_id)
    before = audit.snapshot(county)
    _unique_county(changes.get("name", county.name), changes.get("province", county.province), county.id)
    for key, value in changes.items():
        setattr(county, key, value)
    audit.record(actor, "update", county, before, audit.changed_fields(before, audit.snapshot(county)))
    db.session.commit()
    return county


def delete_county(actor: Actor, county_id: int) -> None:
    """Delete a county that has no products yet."""
    county = county_for(actor, "county.delete", county_id)
    if db.session.scalar(select(exists().where(Product.county_id == county.id))):
        raise Conflict("The county still has products; delete or move them first.")
    audit.record(actor, "delete", county, audit.snapshot(county), None)
    db.session.delete(county)
    db.session.commit()


def list_counties(actor: Actor, page: int, per_page: int, sort: str | None, q: str | None,
                  province: str | None) -> Page:
    """The counties the actor works on (all for admins)."""
    access.require(actor, "county.list")
    stmt = select(County).where(access.counties_clause(actor))
    if province:
        stmt = stmt.where(County.province == province)
    if q:
        stmt = stmt.where(County.name.contains(q, autoescape=True))
    return paginate(stmt, page, per_page, sort or "name", COUNTY_SORTS, County.id)


def commissioners_of(actor: Actor, county_id: int) -> list[User]:
    """The commissioners assigned to a county, by name."""
    county = county_for(actor, "county.read", county_id)
    return list(db.session.scalars(select(User).join(CommissionerCounty, CommissionerCounty.user_id == User.id)
                                   .where(CommissionerCounty.county_id == county.id).order_by(User.username)))


def assign(actor: Actor, county_id: int, user_id: int) -> Outcome[CommissionerCounty]:
    """Assign a commissioner to a county (admins); 409 when already assigned."""
    county = county_for(actor, "county.assign", county_id)
    user = db.session.get(User, user_id)
    if user is None or user.role != Role.COMMISSIONER:
        raise InvalidInput("Unknown commissioner.", [FieldError(f"no commissioner {user_id}", field="user_id")])
    if db.session.get(CommissionerCounty, (user.id, county.id)) is not None:
        raise Conflict(f"{user.username} is already assigned to {county.name}.")
    row = CommissionerCounty(user_id=user.id, county_id=county.id)
    db.session.add(row)
    audit.record(actor, "assign", county, None, {"user_id": user.id, "username": user.username})
    access.bump_epoch()
    db.session.commit()
    return Outcome(row, [AccessChanged()])


def unassign(actor: Actor, county_id: int, user_id: int) -> Outcome[None]:
    """Take a commissioner off a county (admins): they no longer see or change its products."""
    county = county_for(actor, "county.assign", county_id)
    row = db.session.get(CommissionerCounty, (user_id, county.id))
    if row is None:
        raise NotFound(f"User {user_id} is not assigned to county {county_id}.")
    audit.record(actor, "unassign", county, {"user_id": user_id}, None)
    db.session.delete(row)
    access.bump_epoch()
    db.session.commit()
    return Outcome(None, [AccessChanged()])


def assign_at_creation(user: User, county_ids: list[int]) -> None:
    """Assign a user made on the command line to counties (part of that user's creation)."""
    missing = [cid for cid in county_ids if db.session.get(County, cid) is None]
    if missing:
        raise InvalidInput(f"No county with id {', '.join(map(str, missing))}.",
                           [FieldError("unknown county", field="county")])
    for county_id in dict.fromkeys(county_ids):
        db.session.add(CommissionerCounty(user_id=user.id, county_id=county_id))


def assignable(actor: Actor, county_id: int) -> list[User]:
    """Commissioners an admin could assign to the county, for the county page's picker."""
    county = county_for(actor, "county.assign", county_id)
    taken = select(CommissionerCounty.user_id).where(CommissionerCounty.county_id == county.id)
    return list(db.session.scalars(select(User).where(User.role == Role.COMMISSIONER.value, User.active,
                                                      User.id.not_in(taken)).order_by(User.username)))
