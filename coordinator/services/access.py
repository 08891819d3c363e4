"""The access policy's edge in the services: actors and facts read from the database, refusals raised as errors.

Every service asks domain.access.may() through require() here, and builds list queries from the policy's
filters with the *_clause helpers; no service decides access by itself.
"""
from __future__ import annotations

from sqlalchemy import ColumnElement, exists, false, or_, select, true
from sqlalchemy.dialects import postgresql, sqlite

from coordinator.domain import access, access_filters
from coordinator.domain.access_facts import (
    ANONYMOUS, Actor, CampaignFacts, ChannelFacts, CountyFacts, ItemFacts, KeyFacts, ProductFacts, StreamerFacts,
)
from coordinator.domain.enums import TeamRole
from coordinator.domain.errors import NotFound, PermissionDenied
from coordinator.extensions import db
from coordinator.models import (
    AccessEpoch, Campaign, CampaignMember, CampaignProduct, CampaignStreamer, Channel, CommissionerCounty, County,
    IngestKey,
    IngestKeyCampaign, LineupItem, LiveSession, Pairing, Product, ScreenToken, Streamer, User,
)
from coordinator.services.access_messages import refusal_text


def actor_for(user: User | None) -> Actor:
    """The actor behind a logged-in user (anonymous for None), with the counties they are assigned to."""
    if user is None:
        return ANONYMOUS
    counties = frozenset(db.session.scalars(select(CommissionerCounty.county_id).where(
        CommissionerCounty.user_id == user.id))) if user.is_commissioner else frozenset()
    return Actor(user.id, user.role, user.is_admin, user.streamer_id, counties)


def screen_actor(screen: ScreenToken) -> Actor:
    """The actor behind a screen link: it watches its one campaign."""
    return Actor(campaign_id=screen.campaign_id)


def require(actor: Actor, action: str, facts: object = None, name: str = "") -> None:
    """Raise NotFound or PermissionDenied unless the policy allows the action."""
    verdict = access.may(actor, action, facts)
    if verdict is access.ALLOW:
        return
    if verdict is access.HIDE:
        raise NotFound(f"There is no {name}." if name else "Not found.")
    raise PermissionDenied(refusal_text(action))


def allowed(actor: Actor, action: str, facts: object = None) -> bool:
    """True when the policy allows the action (for pages deciding which buttons to show)."""
    return access.may(actor, action, facts) is access.ALLOW


def campaign_facts(actor: Actor, campaign: Campaign) -> CampaignFacts:
    """A loaded campaign's facts as they concern the actor."""
    return campaign_facts_many(actor, [campaign])[campaign.id]


def campaign_facts_many(actor: Actor, campaigns: list[Campaign]) -> dict[int, CampaignFacts]:
    """Facts of several campaigns for one actor, in three queries whatever their number."""
    ids = [c.id for c in campaigns]
    roles: dict[int, str] = {}
    partners: set[int] = set()
    enrolled: set[int] = set()
    if ids and actor.user_id is not None:
        roles = dict(db.session.execute(select(CampaignMember.campaign_id, CampaignMember.role).where(
            CampaignMember.user_id == actor.user_id, CampaignMember.campaign_id.in_(ids))).all())
    if ids and actor.county_ids:
        partners = set(db.session.scalars(select(CampaignProduct.campaign_id).join(
            Product, Product.id == CampaignProduct.product_id).where(
            CampaignProduct.campaign_id.in_(ids), Product.county_id.in_(actor.county_ids))))
    if ids and actor.streamer_id is not None:
        enrolled = set(db.session.scalars(select(CampaignStreamer.campaign_id).where(
            CampaignStreamer.streamer_id == actor.streamer_id, CampaignStreamer.campaign_id.in_(ids))))
    out = {}
    for campaign in campaigns:
        role = TeamRole.OWNER if actor.user_id is not None and campaign.owner_id == actor.user_id else (
            TeamRole(roles[campaign.id]) if campaign.id in roles else None)
        out[campaign.id] = CampaignFacts(campaign.id, campaign.status, role, campaign.id in partners,
                                         campaign.id in enrolled)
    return out


def campaign_for(actor: Actor, action: str, campaign_id: int) -> tuple[Campaign, CampaignFacts]:
    """A campaign the actor may do the action to, with its facts; NotFound or PermissionDenied otherwise."""
    campaign = db.session.get(Campaign, campaign_id)
    if campaign is None:
        raise NotFound(f"There is no campaign {campaign_id}.")
    facts = campaign_facts(actor, campaign)
    require(actor, action, facts, f"campaign {campaign_id}")
    return campaign, facts


def pairing_facts(actor: Actor, pairing: Pairing) -> ItemFacts:
    """A pairing's facts: its campaign's, its host and its product's county."""
    campaign = db.session.get(Campaign, pairing.campaign_id)
    county = db.session.scalar(select(Product.county_id).where(Product.id == pairing.product_id))
    return ItemFacts(campaign_facts(actor, campaign), pairing.streamer_id, frozenset({county}))


def session_facts(actor: Actor, session: LiveSession) -> ItemFacts:
    """A session's facts: its campaign's, its host and the counties of its lineup."""
    campaign = db.session.get(Campaign, session.campaign_id)
    counties = frozenset(db.session.scalars(select(Product.county_id).join(
        LineupItem, LineupItem.product_id == Product.id).where(LineupItem.session_id == session.id)))
    return ItemFacts(campaign_facts(actor, campaign), session.streamer_id, counties)


def county_facts(county_id: int) -> CountyFacts:
    """A county's facts."""
    return CountyFacts(county_id)


def product_facts(actor: Actor, product: Product) -> ProductFacts:
    """A product's facts; for a host, whether they carry it (paired, or in one of their sessions)."""
    carried = False
    if actor.streamer_id is not None:
        carried = bool(db.session.scalar(select(or_(
            exists().where(Pairing.streamer_id == actor.streamer_id, Pairing.product_id == product.id),
            exists().where(LineupItem.product_id == product.id, LineupItem.session_id == LiveSession.id,
                           LiveSession.streamer_id == actor.streamer_id)))))
    return ProductFacts(product.id, product.county_id, carried)


def streamer_facts(streamer: Streamer) -> StreamerFacts:
    """A streamer's facts."""
    return StreamerFacts(streamer.id, streamer.manager_id)


def key_facts(actor: Actor, key: IngestKey) -> KeyFacts:
    """An ingest key's facts, its campaigns as they concern the actor."""
    campaigns = list(db.session.scalars(select(Campaign).join(
        IngestKeyCampaign, IngestKeyCampaign.campaign_id == Campaign.id).where(IngestKeyCampaign.key_id == key.id)))
    facts = campaign_facts_many(actor, campaigns)
    return KeyFacts(key.created_by_id, key.all_campaigns, tuple(facts[c.id] for c in campaigns))


def channel_facts(actor: Actor, channel: Channel) -> ChannelFacts:
    """A channel's facts: its campaign's as they concern the actor, or its streamer's."""
    if channel.campaign_id is not None:
        return ChannelFacts(campaign=campaign_facts(actor, db.session.get(Campaign, channel.campaign_id)))
    return ChannelFacts(streamer=streamer_facts(db.session.get(Streamer, channel.streamer_id)))


def channels_clause(actor: Actor) -> ColumnElement[bool]:
    """SQL for "the actor sees this channel", from the policy's filter."""
    rule = access_filters.visible_channels(actor)
    if rule.everything:
        return true()
    parts = []
    if rule.team_user_id is not None:
        parts.append(Channel.campaign_id.in_(select(Campaign.id).where(_on_team(rule.team_user_id))))
    if rule.manager_id is not None:
        parts.append(Channel.streamer_id.in_(select(Streamer.id).where(Streamer.manager_id == rule.manager_id)))
    if rule.streamer_id is not None:
        parts.append(Channel.streamer_id == rule.streamer_id)
    return or_(*parts) if parts else false()


def campaigns_clause(actor: Actor) -> ColumnElement[bool]:
    """SQL for "the campaign is visible to the actor", from the policy's filter."""
    rule = access_filters.visible_campaigns(actor)
    if rule.everything:
        return true()
    parts = []
    if rule.team_user_id is not None:
        parts.append(_on_team(rule.team_user_id))
    if rule.partner_county_ids:
        parts.append(Campaign.id.in_(select(CampaignProduct.campaign_id).join(
            Product, Product.id == CampaignProduct.product_id).where(Product.county_id.in_(rule.partner_county_ids))))
    if rule.open_statuses:
        parts.append(Campaign.status.in_(rule.open_statuses))
    if rule.streamer_id is not None:
        parts.append(Campaign.id.in_(select(CampaignStreamer.campaign_id).where(
            CampaignStreamer.streamer_id == rule.streamer_id)))
    return or_(*parts) if parts else false()


def pairings_clause(actor: Actor, facts: CampaignFacts) -> ColumnElement[bool]:
    """SQL for "the actor sees this pairing" within one campaign."""
    rule = access_filters.visible_items(actor, facts)
    if rule.everything:
        return true()
    if rule.county_ids:
        return Pairing.product_id.in_(select(Product.id).where(Product.county_id.in_(rule.county_ids)))
    return Pairing.streamer_id == rule.streamer_id


def sessions_clause(actor: Actor, facts: CampaignFacts) -> ColumnElement[bool]:
    """SQL for "the actor sees this session" within one campaign."""
    rule = access_filters.visible_items(actor, facts)
    if rule.everything:
        return true()
    if rule.county_ids:
        return LiveSession.id.in_(select(LineupItem.session_id).join(Product, Product.id == LineupItem.product_id)
                                  .where(Product.county_id.in_(rule.county_ids)))
    return LiveSession.streamer_id == rule.streamer_id


def all_sessions_clause(actor: Actor) -> ColumnElement[bool]:
    """SQL for "the actor sees this session" across campaigns: the team's, a partner's share, a host's own."""
    rule = access_filters.visible_sessions(actor)
    if rule.everything:
        return true()
    parts = []
    if rule.team_user_id is not None:
        parts.append(LiveSession.campaign_id.in_(select(Campaign.id).where(_on_team(rule.team_user_id))))
    if rule.county_ids:
        parts.append(LiveSession.id.in_(select(LineupItem.session_id).join(Product, Product.id == LineupItem.product_id)
                                        .where(Product.county_id.in_(rule.county_ids))))
    if rule.streamer_id is not None:
        parts.append(LiveSession.streamer_id == rule.streamer_id)
    return or_(*parts) if parts else false()


def keys_clause(actor: Actor) -> ColumnElement[bool]:
    """SQL for "the actor sees this ingest key": one they made, or one for a campaign of their team."""
    rule = access_filters.visible_keys(actor)
    if rule.everything:
        return true()
    if rule.user_id is None:
        return false()
    return or_(IngestKey.created_by_id == rule.user_id, IngestKey.id.in_(
        select(IngestKeyCampaign.key_id).join(Campaign, Campaign.id == IngestKeyCampaign.campaign_id)
        .where(_on_team(rule.user_id))))


def _on_team(user_id: int) -> ColumnElement[bool]:
    """SQL for "the user owns the campaign or is on its team"."""
    return or_(Campaign.owner_id == user_id, Campaign.id.in_(
        select(CampaignMember.campaign_id).where(CampaignMember.user_id == user_id)))


def products_clause(actor: Actor) -> ColumnElement[bool]:
    """SQL for "the product is in one of the actor's counties" (all for admins)."""
    return _in_counties(actor, Product.county_id)


def counties_clause(actor: Actor) -> ColumnElement[bool]:
    """SQL for "the county is one the actor works on" (all for admins)."""
    return _in_counties(actor, County.id)


def _in_counties(actor: Actor, column: ColumnElement[int]) -> ColumnElement[bool]:
    counties = access_filters.visible_county_ids(actor)
    return true() if counties is None else column.in_(counties) if counties else false()


def bump_epoch() -> None:
    """Move the access epoch on inside the caller's transaction: every process re-checks its /live sockets."""
    insert = postgresql.insert if db.engine.dialect.name == "postgresql" else sqlite.insert
    # An upsert: the row the migration made may be gone (a database emptied by hand) and must come back.
    db.session.execute(insert(AccessEpoch).values(id=1, epoch=1).on_conflict_do_update(
        index_elements=[AccessEpoch.id], set_={"epoch": AccessEpoch.epoch + 1}))


def current_epoch() -> int:
    """The access epoch now."""
    return db.session.scalar(select(AccessEpoch.epoch).where(AccessEpoch.id == 1)) or 0
