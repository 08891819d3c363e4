"""A campaign's team: its owner, who adds and removes editors and viewers; every change audited."""
from __future__ import annotations

from dataclasses import dataclass

from sqlalchemy import select

from coordinator.domain.access_facts import Actor
from coordinator.domain.enums import Role, TeamRole
from coordinator.domain.errors import Conflict, FieldError, InvalidInput, NotFound
from coordinator.domain.events import AccessChanged, Outcome
from coordinator.extensions import db
from coordinator.models import CampaignMember, User
from coordinator.services import access, audit
from coordinator.services.campaigns import campaign_for

MEMBER_ROLES = (TeamRole.EDITOR.value, TeamRole.VIEWER.value)


@dataclass(frozen=True)
class Member:
    """Someone on a campaign's team."""

    user_id: int
    username: str
    role: str


def members(actor: Actor, campaign_id: int) -> list[Member]:
    """The owner first, then editors and viewers by name."""
    campaign = campaign_for(actor, "campaign.read", campaign_id)
    out = []
    if campaign.owner_id is not None:
        owner = db.session.get(User, campaign.owner_id)
        out.append(Member(owner.id, owner.username, TeamRole.OWNER.value))
    rows = db.session.execute(select(CampaignMember.role, User).join(User, User.id == CampaignMember.user_id)
                              .where(CampaignMember.campaign_id == campaign.id).order_by(User.username)).all()
    return out + [Member(user.id, user.username, role) for role, user in rows]


def add_member(actor: Actor, campaign_id: int, user_id: int, role: str) -> Outcome[Member]:
    """Put a commissioner on the team as editor or viewer (a member already there changes role)."""
    campaign = campaign_for(actor, "campaign.manage_team", campaign_id)
    if role not in MEMBER_ROLES:
        raise InvalidInput("Unknown role.", [FieldError("editor or viewer", field="role")])
    user = db.session.get(User, user_id)
    if user is None or user.role != Role.COMMISSIONER or not user.active:
        raise InvalidInput("Unknown commissioner.", [FieldError(f"no commissioner {user_id}", field="user_id")])
    if user.id == campaign.owner_id:
        raise Conflict("The owner is on the team already.")
    row = db.session.get(CampaignMember, (campaign.id, user.id))
    before = {"user_id": user.id, "role": row.role} if row else None
    if row is None:
        row = CampaignMember(campaign_id=campaign.id, user_id=user.id)
        db.session.add(row)
    row.role = role
    audit.record(actor, "member", campaign, before, {"user_id": user.id, "username": user.username, "role": role},
                 campaign_id=campaign.id)
    access.bump_epoch()
    db.session.commit()
    return Outcome(Member(user.id, user.username, role), [AccessChanged()])


def remove_member(actor: Actor, campaign_id: int, user_id: int) -> Outcome[None]:
    """Take an editor or viewer off the team; their open pages of the campaign stop following it."""
    campaign = campaign_for(actor, "campaign.manage_team", campaign_id)
    row = db.session.get(CampaignMember, (campaign.id, user_id))
    if row is None:
        raise NotFound(f"User {user_id} is not on the team of campaign {campaign_id}.")
    audit.record(actor, "unmember", campaign, {"user_id": user_id, "role": row.role}, None, campaign_id=campaign.id)
    db.session.delete(row)
    access.bump_epoch()
    db.session.commit()
    return Outcome(None, [AccessChanged()])


def commissioner_choices(actor: Actor, campaign_id: int) -> list[User]:
    """Commissioners the owner could add, for the team page's picker."""
    campaign = campaign_for(actor, "campaign.manage_team", campaign_id)
    taken = set(db.session.scalars(select(CampaignMember.user_id).where(CampaignMember.campaign_id == campaign.id)))
    taken.add(campaign.owner_id)
    return [u for u in db.session.scalars(select(User).where(User.role == Role.COMMISSIONER.value, User.active)
                                          .order_by(User.username)) if u.id not in taken]
