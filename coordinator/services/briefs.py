"""What a host reads before and during a session: each product's brief and each session's lineup."""
from __future__ import annotations

from dataclasses import dataclass

from sqlalchemy import func, select

from coordinator.domain import portal
from coordinator.domain.access_facts import Actor
from coordinator.domain.enums import SessionStatus
from coordinator.domain.errors import NotFound
from coordinator.extensions import db
from coordinator.models import County, LineupItem, LiveSession, Pairing, Product, TallyCounter
from coordinator.services import access

ACTIVE = (SessionStatus.SCHEDULED.value, SessionStatus.LIVE.value)


@dataclass
class ProductBrief:
    """A product as its host presents it: price, stock left, season, origin, selling points, county story."""

    product: Product
    county: County
    left: int
    running_low: bool
    sessions: list[LiveSession]
    pairing: Pairing | None


def units_sold(product_ids: list[int]) -> dict[int, int]:
    """Units sold of each product across every campaign (one stock, however many campaigns sell it)."""
    if not product_ids:
        return {}
    return dict(db.session.execute(
        select(TallyCounter.dimension_id, func.sum(TallyCounter.units)).where(
            TallyCounter.scope == "campaign", TallyCounter.dimension == "product",
            TallyCounter.dimension_id.in_(product_ids)).group_by(TallyCounter.dimension_id)).all())


def _own_sessions_with(streamer_id: int, product_id: int) -> list[LiveSession]:
    return list(db.session.scalars(
        select(LiveSession).join(LineupItem, LineupItem.session_id == LiveSession.id).where(
            LiveSession.streamer_id == streamer_id, LineupItem.product_id == product_id)
        .order_by(LiveSession.starts_at)))


def product_brief(actor: Actor, product_id: int) -> ProductBrief:
    """A product paired with the host or in one of their sessions; any other is not found."""
    access.require(actor, "host.portal")
    product = db.session.get(Product, product_id)
    if product is None:
        raise NotFound(f"There is no product {product_id}.")
    access.require(actor, "product.brief", access.product_facts(actor, product), f"product {product_id}")
    pairing = db.session.scalar(select(Pairing).where(
        Pairing.streamer_id == actor.streamer_id, Pairing.product_id == product.id)
        .order_by(Pairing.updated_at.desc()).limit(1))
    sessions = _own_sessions_with(actor.streamer_id, product.id)
    left = portal.stock_left(product.stock, units_sold([product.id]).get(product.id, 0))
    return ProductBrief(product, db.session.get(County, product.county_id), left,
                        portal.running_low(left, product.stock),
                        [s for s in sessions if s.status in ACTIVE], pairing)


def lineups(sessions: list[LiveSession]) -> dict[int, list[Product]]:
    """Each session's products in running order, in one query."""
    if not sessions:
        return {}
    rows = db.session.execute(
        select(LineupItem.session_id, Product).join(Product, Product.id == LineupItem.product_id)
        .where(LineupItem.session_id.in_([s.id for s in sessions]))
        .order_by(LineupItem.session_id, LineupItem.position)).all()
    out: dict[int, list[Product]] = {s.id: [] for s in sessions}
    for session_id, product in rows:
        out[session_id].append(product)
    return out
