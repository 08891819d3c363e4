"""The demo's pairings in every state, its hosts' addresses and samples walked through every move, made through the
services with the demo's people so that audit rows and notices are the real ones."""
from __future__ import annotations

from sqlalchemy import select

from coordinator.domain import lifecycle
from coordinator.domain.access_facts import Actor
from coordinator.domain.enums import Role
from coordinator.domain.settings import Settings
from coordinator.extensions import db
from coordinator.models import Campaign, Pairing, Product, ShippingAddress, Streamer, User
from coordinator.services import access, addresses, pairings, samples
from coordinator.services import demo_data as data

# The moves that take a requested sample to each state.
PATHS = {"requested": (), "approved": ("approve",), "shipped": ("approve", "ship"),
         "received": ("approve", "ship", "receive"), "rejected": ("reject",), "cancelled": ("cancel",)}


def _host(streamer: Streamer) -> Actor:
    """The host answering: their login when they have one, otherwise the host as the demo stands in for them."""
    user = db.session.scalar(select(User).filter_by(streamer_id=streamer.id))
    return access.actor_for(user) if user is not None else Actor(role=Role.STREAMER.value, streamer_id=streamer.id)


def load_addresses(commissioner: Actor, streamers: dict[str, Streamer]) -> None:
    """Give each host the demo knows an address, once: a host's own later edit stays."""
    for handle, (recipient, phone, address) in data.ADDRESSES.items():
        if db.session.get(ShippingAddress, streamers[handle].id) is None:
            addresses.put(commissioner, streamers[handle].id, recipient, phone, address)


def _walk_sample(settings: Settings, pairing: Pairing, spec: tuple, host: Actor, handler: Actor,
                 commissioner: Actor) -> None:
    """Request a sample as the host, then make the moves that lead to the spec's state."""
    status, quantity, carrier, number, reason = spec
    sample = samples.request(host, settings, pairing.id, quantity).value
    for move in PATHS[status]:
        actor = host if move == "receive" else commissioner if move == "cancel" else handler
        samples.move(actor, settings, sample.id, move, carrier=carrier, tracking_number=number, reason=reason)


def _answer(settings: Settings, pairing: Pairing, state: str, reason: str, host: Actor, commissioner: Actor) -> None:
    """Take a proposed pairing to its state: the host accepts or declines, the commissioner locks."""
    if state in ("accepted", "declined"):
        pairings.respond(host, settings, pairing.id, state == "accepted", reason)
    elif state == "locked":
        pairings.set_locked(commissioner, pairing.id, True)


def load_pairings(settings: Settings, campaign: Campaign, commissioner: Actor, partner: Actor,
                  streamers: dict[str, Streamer], products: dict[str, Product]) -> int:
    """Pair, answer and sample each demo pair that is not paired yet (so loading again adds nothing); how many."""
    paired = set(db.session.execute(select(Pairing.streamer_id, Pairing.product_id)
                                    .where(Pairing.campaign_id == campaign.id)).all())
    made = 0
    for handle, sku, state, reason, sample in data.PAIRINGS:
        streamer, product = streamers[handle], products[sku]
        if (streamer.id, product.id) in paired:
            continue
        host = _host(streamer)
        # Samples of the partner's county are handled by its partner, the rest by the campaign's commissioner.
        handler = partner if product.county_id in partner.county_ids else commissioner
        pairing = pairings.add_manual(commissioner, settings, campaign.id, streamer.id, product.id).value
        _answer(settings, pairing, state, reason, host, commissioner)
        if sample is not None:
            _walk_sample(settings, pairing, sample, host, handler, commissioner)
        made += 1
    return made


def load(settings: Settings, campaign: Campaign, commissioner: User, partner: User) -> None:
    """Addresses, then pairings and their samples, for an open demo campaign."""
    if not lifecycle.accepts_changes(campaign.status):
        return
    by_handle = {s.handle: s for s in db.session.scalars(select(Streamer).where(
        Streamer.handle.in_({handle for handle, *_ in data.PAIRINGS} | set(data.ADDRESSES))))}
    by_sku = {p.sku: p for p in db.session.scalars(select(Product).where(
        Product.sku.in_({sku for _, sku, *_ in data.PAIRINGS})))}
    owner = access.actor_for(commissioner)
    load_addresses(owner, by_handle)
    load_pairings(settings, campaign, owner, access.actor_for(partner), by_handle, by_sku)
