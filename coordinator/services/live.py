"""What a host sees during their own session: the tally and the stock left of each product in the lineup."""
from __future__ import annotations

from dataclasses import dataclass

from sqlalchemy import select

from coordinator.domain import portal
from coordinator.domain.access_facts import Actor
from coordinator.extensions import db
from coordinator.models import Campaign, LiveSession, Product
from coordinator.services import access, briefs, tallies
from coordinator.services.sessions import session_for


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


def host_view(actor: Actor, session_id: int) -> HostView:
    """A host's own session (others' are not found)."""
    access.require(actor, "host.portal")
    session = session_for(actor, session_id, "item.host_view")
    products = {p.id: p for p in db.session.scalars(select(Product).where(
        Product.id.in_([item.product_id for item in session.lineup])))}
    sold = briefs.units_sold(list(products))
    rows = [LineupRow(products[item.product_id], sold.get(item.product_id, 0)) for item in session.lineup]
    return HostView(session, db.session.get(Campaign, session.campaign_id), rows,
                    tallies.read_snapshot("session", session.id))
