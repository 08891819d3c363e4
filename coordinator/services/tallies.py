"""Reading tally snapshots from the counters kept beside the sales."""
from __future__ import annotations

from sqlalchemy import select

from coordinator import clock
from coordinator.domain.access_facts import Actor
from coordinator.domain.errors import NotFound
from coordinator.domain.tallies import CounterRow, snapshot
from coordinator.extensions import db
from coordinator.models import County, LiveSession, Product, Streamer, TallyCounter
from coordinator.services import access

NAME_SOURCES = {"county": (County, "name"), "streamer": (Streamer, "display_name"), "product": (Product, "name")}


def read_snapshot(scope: str, scope_id: int) -> dict:
    """The current snapshot of a campaign or session, named for people."""
    counters = db.session.scalars(select(TallyCounter).where(TallyCounter.scope == scope,
                                                             TallyCounter.scope_id == scope_id)).all()
    rows = [CounterRow(c.dimension, c.dimension_id, c.orders, c.units, c.gross_fen, c.refunded_fen) for c in counters]
    seq = next((c.seq for c in counters if c.dimension == "total"), 0)
    names: dict[tuple[str, int], str] = {}
    for dimension, (model, attribute) in NAME_SOURCES.items():
        ids = [r.dimension_id for r in rows if r.dimension == dimension]
        if ids:
            for row_id, name in db.session.execute(select(model.id, getattr(model, attribute)).where(model.id.in_(ids))):
                names[(dimension, row_id)] = name
    return snapshot(scope, scope_id, seq, rows, names, clock.now())


def campaign_tally(actor: Actor, campaign_id: int) -> dict:
    """A campaign's snapshot, for its team, partners, hosts and screens."""
    access.campaign_for(actor, "campaign.tally", campaign_id)
    return read_snapshot("campaign", campaign_id)


def session_tally(actor: Actor, session_id: int) -> dict:
    """A session's snapshot, for whoever may watch it."""
    session = db.session.get(LiveSession, session_id)
    if session is None:
        raise NotFound(f"There is no session {session_id}.")
    access.require(actor, "item.tally", access.session_facts(actor, session), f"session {session_id}")
    return read_snapshot("session", session_id)
