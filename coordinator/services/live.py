"""What a host sees during their own session: the tally and the stock left of each product in the lineup."""
from __future__ import annotations

from dataclasses import dataclass

from sqlalchemy import select

from coordinator.domain.errors import NotFound
from coordinator.extensions import db
from coordinator.models import Campaign, LiveSession, Product, TallyCounter, User
from coordinator.services import tallies

LOW_STOCK_SHARE = 0.1


@dataclass
class LineupRow:
    """A product on air: its stock, what the campaign has sold of it so far, and what is left."""

    product: Product
    sold_in_campaign: int

    @property
    def left(self) -> int:
        """Stock not yet sold in this campaign (never below zero)."""
        return max(0, self.product.stock - self.sold_in_campaign)

    @property
    def running_low(self) -> bool:
        """Less than a tenth of the stock is left."""
        return self.left <= self.product.stock * LOW_STOCK_SHARE


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
    sold = dict(db.session.execute(select(TallyCounter.dimension_id, TallyCounter.units).where(
        TallyCounter.scope == "campaign", TallyCounter.scope_id == session.campaign_id,
        TallyCounter.dimension == "product", TallyCounter.dimension_id.in_(products))).all())
    rows = [LineupRow(products[item.product_id], sold.get(item.product_id, 0)) for item in session.lineup]
    return HostView(session, db.session.get(Campaign, session.campaign_id), rows,
                    tallies.read_snapshot("session", session.id))
