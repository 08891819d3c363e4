"""The pairing board's data: one page of hosts by one page of products, and figures over the whole campaign."""
from __future__ import annotations

from dataclasses import dataclass, field

from sqlalchemy import func, select

from coordinator.domain import board_view
from coordinator.domain.access_facts import Actor
from coordinator.domain.board_view import BoardQuery, Window
from coordinator.domain.errors import NotFound
from coordinator.extensions import db
from coordinator.models import Campaign, County, Pairing, Product, Streamer
from coordinator.services import access, enrolment


@dataclass
class Board:
    """What the pairing board shows the actor: a page of streamers by a page of products, the pairing in each cell,
    the campaign-wide counts, and what it may do."""

    campaign: Campaign
    streamers: list[Streamer]
    products: list[Product]
    cells: dict[tuple[int, int], Pairing]
    may_change: bool
    everything: bool  # the team's board; a county partner's shows only their own products
    query: BoardQuery = field(default_factory=BoardQuery)
    hosts: Window = field(default_factory=lambda: board_view.window(0, 1, 1))
    columns: Window = field(default_factory=lambda: board_view.window(0, 1, 1))
    totals: dict[str, int] = field(default_factory=dict)  # pairings by state over everything the actor sees
    counties: list[tuple[int, str]] = field(default_factory=list)  # to filter by: the enrolled products' counties
    categories: list[str] = field(default_factory=list)
    enrolled: bool = False  # whether the campaign has hosts and products at all, before any filter

    @property
    def total(self) -> int:
        """Every pairing the actor sees in the campaign."""
        return sum(self.totals.values())


def _totals(actor: Actor, facts, campaign_id: int) -> dict[str, int]:
    rows = db.session.execute(select(Pairing.status, func.count()).where(
        Pairing.campaign_id == campaign_id, access.pairings_clause(actor, facts)).group_by(Pairing.status))
    return {status: count for status, count in rows}


def _paired_hosts(actor: Actor, facts, campaign_id: int) -> set[int]:
    return set(db.session.scalars(select(Pairing.streamer_id).where(
        Pairing.campaign_id == campaign_id, access.pairings_clause(actor, facts)).distinct()))


def board(actor: Actor, campaign_id: int, query: BoardQuery | None = None) -> Board:
    """The board in view: the team sees every pairing, a county partner the columns of their own products."""
    query = query or BoardQuery()
    campaign, facts = access.campaign_for(actor, "campaign.read_part", campaign_id)
    everything = access.allowed(actor, "campaign.read", facts)
    products = enrolment.campaign_products(campaign.id, None if everything else actor.county_ids)
    streamers = enrolment.campaign_streamers(campaign.id)
    if not everything:
        paired = _paired_hosts(actor, facts, campaign.id)
        streamers = [s for s in streamers if s.id in paired]
    enrolled = bool(streamers and products)
    county_names = dict(db.session.execute(select(County.id, County.name).where(
        County.id.in_({p.county_id for p in products}))).all())
    categories = sorted({p.category for p in products})
    shown = [p for p in products if query.county in (None, p.county_id) and query.category in ("", p.category)]
    streamers, shown = board_view.narrow(streamers, shown, query.q, lambda s: (s.display_name, s.handle),
                                         lambda p: (p.name,))
    hosts = board_view.window(len(streamers), query.page, board_view.HOSTS_PER_PAGE)
    columns = board_view.window(len(shown), query.cols, board_view.PRODUCTS_PER_PAGE)
    page_hosts, page_products = board_view.cut(streamers, hosts), board_view.cut(shown, columns)
    cells = {}
    if page_hosts and page_products:
        # Only the cells in view are read: a 500 by 100 campaign's other 4,900 cells stay in the database.
        cells = {(p.streamer_id, p.product_id): p for p in db.session.scalars(select(Pairing).where(
            Pairing.campaign_id == campaign.id, access.pairings_clause(actor, facts),
            Pairing.streamer_id.in_([s.id for s in page_hosts]),
            Pairing.product_id.in_([p.id for p in page_products])))}
    return Board(campaign, page_hosts, page_products, cells, access.allowed(actor, "campaign.change", facts),
                 everything, query, hosts, columns, _totals(actor, facts, campaign.id),
                 sorted(county_names.items(), key=lambda item: item[1]), categories, enrolled)


@dataclass
class Cell:
    """One pairing opened from the board, with its host and product."""

    pairing: Pairing
    streamer: Streamer
    product: Product


def cell(actor: Actor, campaign_id: int, pairing_id: int) -> Cell:
    """A pairing of the campaign that the actor sees, to show its reasons and actions; 404 otherwise."""
    _campaign, facts = access.campaign_for(actor, "campaign.read_part", campaign_id)
    pairing = db.session.scalar(select(Pairing).where(
        Pairing.id == pairing_id, Pairing.campaign_id == campaign_id, access.pairings_clause(actor, facts)))
    if pairing is None:
        raise NotFound("No such pairing.")
    return Cell(pairing, db.session.get(Streamer, pairing.streamer_id), db.session.get(Product, pairing.product_id))
