"""What the host's own pages show of samples: each pairing's sample, the pairings a sample may be asked for, the
sessions with late samples, and whether the host still owes an address for a sample on its way."""
from __future__ import annotations

from dataclasses import dataclass, field

from sqlalchemy import select

from coordinator.domain import lifecycle
from coordinator.domain import samples as rules
from coordinator.domain.access_facts import Actor
from coordinator.domain.enums import PairingStatus
from coordinator.domain.settings import Settings
from coordinator.extensions import db
from coordinator.models import Campaign, LiveSession, Pairing, Product, ShippingAddress
from coordinator.services import sample_board
from coordinator.services.sample_board import SampleLine

# Pairings a host may still ask a sample for (a declined one is refused by the rules).
ASKABLE = frozenset({PairingStatus.PROPOSED.value, PairingStatus.ACCEPTED.value, PairingStatus.LOCKED.value})


@dataclass
class HostSamples:
    """The host's samples with what their pages need around them."""

    lines: list[SampleLine]
    campaigns: dict[int, Campaign]
    by_pairing: dict[int, SampleLine] = field(default_factory=dict)
    needs_address: bool = False
    late_by_session: dict[int, list[int]] = field(default_factory=dict)

    def on_the_way(self, pairing_id: int) -> bool:
        """Whether the pairing has a sample requested, approved or shipped (a second one is refused)."""
        line = self.by_pairing.get(pairing_id)
        return line is not None and line.sample.status in rules.ON_THE_WAY


def _pick(lines: list[SampleLine]) -> dict[int, SampleLine]:
    """Each pairing's sample to show: the one on its way, else the newest (lines come newest first)."""
    out: dict[int, SampleLine] = {}
    for line in lines:
        pairing_id = line.sample.pairing_id
        if pairing_id is None:
            continue
        shown = out.get(pairing_id)
        if shown is None or (line.sample.status in rules.ON_THE_WAY and shown.sample.status not in rules.ON_THE_WAY):
            out[pairing_id] = line
    return out


def for_host(actor: Actor, settings: Settings, sessions: list[LiveSession] | None = None) -> HostSamples:
    """The calling host's samples (host.portal), each pairing's, the late products of the given sessions, and
    whether a sample waits for an address the host has not given."""
    lines = sample_board.own_samples(actor, settings)
    ids = {line.sample.campaign_id for line in lines}
    campaigns = {c.id: c for c in db.session.scalars(select(Campaign).where(Campaign.id.in_(ids)))} if ids else {}
    waiting = any(line.sample.status in rules.CANCELLABLE for line in lines)
    has_address = actor.streamer_id is not None and db.session.get(ShippingAddress, actor.streamer_id) is not None
    late = sample_board.late_by_session(settings, [s.id for s in sessions or []])
    return HostSamples(lines, campaigns, _pick(lines), waiting and not has_address, late)


def askable(actor: Actor, view: HostSamples) -> list[tuple[Pairing, Product, Campaign]]:
    """The host's pairings a sample may be asked for now: not declined, campaign open, none on its way."""
    rows = db.session.execute(
        select(Pairing, Product, Campaign).join(Product, Product.id == Pairing.product_id)
        .join(Campaign, Campaign.id == Pairing.campaign_id)
        .where(Pairing.streamer_id == actor.streamer_id, Pairing.status.in_(ASKABLE))
        .order_by(Campaign.starts_at.desc(), Product.name)).all()
    return [(p, product, c) for p, product, c in rows
            if lifecycle.accepts_changes(c.status) and not view.on_the_way(p.id)]


def may_ask(pairing: Pairing, campaign: Campaign) -> bool:
    """Whether the start page offers a sample request on this pairing (shown or hidden by what is on its way)."""
    return pairing.status in ASKABLE and lifecycle.accepts_changes(campaign.status)
