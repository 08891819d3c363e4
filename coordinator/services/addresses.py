"""A host's shipping address: kept by the host (or their manager), read by whoever handles a sample to them."""
from __future__ import annotations

from coordinator import clock
from coordinator.domain.access_facts import Actor
from coordinator.domain.errors import FieldError, InvalidInput, NotFound
from coordinator.extensions import db
from coordinator.models import ShippingAddress, Streamer
from coordinator.services import access, audit
from coordinator.services.sample_access import address_facts

LIMITS = {"recipient": 60, "phone": 32, "address": 300}


def _streamer(actor: Actor, streamer_id: int, action: str) -> Streamer:
    streamer = db.session.get(Streamer, streamer_id)
    if streamer is None:
        raise NotFound(f"There is no streamer {streamer_id}.")
    access.require(actor, action, address_facts(actor, streamer), f"streamer {streamer_id}")
    return streamer


def get(actor: Actor, streamer_id: int) -> ShippingAddress | None:
    """A host's address (None while they have given none)."""
    _streamer(actor, streamer_id, "address.read")
    return db.session.get(ShippingAddress, streamer_id)


def put(actor: Actor, streamer_id: int, recipient: str, phone: str, address: str) -> ShippingAddress:
    """Set a host's address; every field is needed. The audit names the fields changed, never their values."""
    _streamer(actor, streamer_id, "address.change")
    values = {"recipient": recipient.strip(), "phone": phone.strip(), "address": address.strip()}
    errors = [FieldError("required", field=k) for k, v in values.items() if not v]
    errors += [FieldError(f"at most {LIMITS[k]} characters", field=k) for k, v in values.items() if len(v) > LIMITS[k]]
    if values["phone"] and not all(c.isdigit() or c in "+- " for c in values["phone"]):
        errors.append(FieldError("digits, spaces, + and - only", field="phone"))
    if errors:
        raise InvalidInput("The shipping address is incomplete.", errors)
    row = db.session.get(ShippingAddress, streamer_id)
    changed = sorted(k for k, v in values.items() if row is None or getattr(row, k) != v)
    if row is None:
        row = ShippingAddress(streamer_id=streamer_id, **values)
        db.session.add(row)
    else:
        for key, value in values.items():
            setattr(row, key, value)
    row.updated_at = clock.now()
    audit.record(actor, "address", row, None, {"changed": changed}, entity_type="streamers", entity_id=streamer_id)
    db.session.commit()
    return row
