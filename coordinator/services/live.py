"""What a host sees during their own session: the tally and the stock left of each product in the lineup."""
from __future__ import annotations

from dataclasses import dataclass

from sqlalchemy import select

from coordinator.domain import portal
from coordinator.domain.errors import NotFound
from coordinator.extensions import db
from coordinator.models import Campaign, LiveSession, Product, User
from coordinator.services import briefs, tallies


@dataclass
class LineupRow:
    """A product on air: its stock, what has been sold of it so far, and what is left."""

    product: Product
    sold: int

    @property
    def left(self) -> int:
        """Stock not yet sold, in any campaign (never below zero)."""
        return portal.stock_left(self.product.stock, self.sold)

    @property
    def running_low(self) -> bool:
        """A tenth of the stock or less is left."""
        return portal.running_low(self.left, self.product.stock)


@dataclass
class HostView:
    """Everything the host's live page needs."""

    session: LiveSession
    campaign: Campaign
    lineup: list[LineupRow]
    snapshot: dict


def host_view(user: User, session_id: int) -> HostView:
    """A streamer's own session (others' are not found)."""
    session = db.session.get(LiveSession, session_id)
    if session is None or session.streamer_id != user.streamer_id:
        raise NotFound(f"There is no session {session_id}.")
    products = {p.id: p for p in db.session.scalars(select(Product).where(
        Product.id.in_([item.product_id for item in session.lineup])))}
    sold = briefs.units_sold(list(products))
    rows = [LineupRow(products[item.product_id], sold.get(item.product_id, 0)) for item in session.lineup]
    return HostView(session, db.session.get(Campaign, session.campaign_id), rows,
                    tallies.read_snapshot("session", session.id))
