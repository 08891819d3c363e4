"""What a user may see and change: commissioners their counties (admins all), streamers themselves."""
from __future__ import annotations

from sqlalchemy import select

from coordinator.domain.errors import FieldError, InvalidInput, NotFound, PermissionDenied
from coordinator.extensions import db
from coordinator.models import Campaign, CampaignStreamer, CommissionerCounty, County, User


def visible_county_ids(user: User) -> set[int] | None:
    """The county ids a commissioner works on; None means every county (admins)."""
    if user.is_admin:
        return None
    return set(db.session.scalars(select(CommissionerCounty.county_id).where(CommissionerCounty.user_id == user.id)))


def can_see_county(user: User, county_id: int) -> bool:
    """True when the user may see and change the county's data."""
    visible = visible_county_ids(user)
    return visible is None or county_id in visible


def county_for_read(user: User, county_id: int) -> County:
    """A county the user may see, or NotFound (others' counties are not disclosed)."""
    county = db.session.get(County, county_id)
    if county is None or not can_see_county(user, county.id):
        raise NotFound(f"There is no county {county_id}.")
    return county


def county_reference(user: User, county_id: int, field: str = "county_id") -> County:
    """A county named in a request body: unknown or not the user's is a 422 on that field."""
    county = db.session.get(County, county_id)
    if county is None or not can_see_county(user, county.id):
        raise InvalidInput("Unknown county.", [FieldError(f"no county {county_id} that you manage", field=field)])
    return county


def assign_county(user: User, county: County) -> None:
    """Give a non-admin commissioner the county they just created."""
    if not user.is_admin and db.session.get(CommissionerCounty, (user.id, county.id)) is None:
        db.session.add(CommissionerCounty(user_id=user.id, county_id=county.id))


def require_own_streamer(user: User, streamer_id: int) -> None:
    """A streamer account may only touch its own profile."""
    if not user.is_commissioner and user.streamer_id != streamer_id:
        raise PermissionDenied("A streamer account may only use its own streamer's data.")


def campaign_for_read(user: User, campaign_id: int) -> Campaign:
    """A campaign the user may read: any for commissioners, enrolled ones for a streamer account."""
    campaign = db.session.get(Campaign, campaign_id)
    if campaign is None:
        raise NotFound(f"There is no campaign {campaign_id}.")
    if not user.is_commissioner and db.session.get(CampaignStreamer, (campaign.id, user.streamer_id)) is None:
        raise NotFound(f"There is no campaign {campaign_id}.")
    return campaign
