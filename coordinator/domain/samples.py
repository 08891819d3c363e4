"""The rules of product samples: which move leads where, who the move is for, and when a sample is late.

requested → approved → shipped → received, and requested | approved → rejected | cancelled (CONTRACT section 7).
Nothing here reads a database; services load the sample, ask these rules, then store the answer.
"""
from __future__ import annotations

from dataclasses import dataclass
from datetime import datetime, timedelta

from coordinator.domain import carriers
from coordinator.domain.enums import PairingStatus, SampleStatus
from coordinator.domain.errors import Conflict, FieldError, InvalidInput

S = SampleStatus
MOVES: dict[str, tuple[frozenset[SampleStatus], SampleStatus]] = {
    "approve": (frozenset({S.REQUESTED}), S.APPROVED),
    "reject": (frozenset({S.REQUESTED, S.APPROVED}), S.REJECTED),
    "ship": (frozenset({S.APPROVED}), S.SHIPPED),
    "receive": (frozenset({S.SHIPPED}), S.RECEIVED),
    "cancel": (frozenset({S.REQUESTED, S.APPROVED}), S.CANCELLED),
}
# Not yet in the host's hands: such a sample can be late, and it gives its handlers the host's address.
ON_THE_WAY = frozenset({S.REQUESTED.value, S.APPROVED.value, S.SHIPPED.value})
# What a declined or removed pairing cancels: a parcel already sent cannot be called back.
CANCELLABLE = frozenset({S.REQUESTED.value, S.APPROVED.value})
# Counted as sent out on the product page (samples do not reduce sale stock).
SENT = frozenset({S.SHIPPED.value, S.RECEIVED.value})
MAX_QUANTITY = 20
DEFAULT_LEAD_DAYS = 2
_WORDS = {S.REQUESTED: "requested", S.APPROVED: "approved", S.SHIPPED: "shipped", S.RECEIVED: "received",
          S.REJECTED: "rejected", S.CANCELLED: "cancelled"}


def next_status(current: str, move: str) -> SampleStatus:
    """The state a move leads to from the current one; Conflict (409) for any move the rules do not allow."""
    if move not in MOVES:
        raise KeyError(move)
    sources, target = MOVES[move]
    if current not in sources:
        raise Conflict(f"A sample that is {current} cannot be {_WORDS[target]}.")
    return target


def check_request(pairing_status: str, quantity: int, on_the_way: int) -> None:
    """Refuse a request for a declined pairing (409), a second one while one is on the way (409), or a bad quantity."""
    if pairing_status == PairingStatus.DECLINED.value:
        raise Conflict("The host declined this pairing; no sample is sent for it.")
    if on_the_way:
        raise Conflict("A sample of this product is already on its way to this host.")
    if not 1 <= quantity <= MAX_QUANTITY:
        raise InvalidInput("Ask for 1 to 20 units.", [FieldError(f"must be 1 to {MAX_QUANTITY}", field="quantity")])


@dataclass(frozen=True)
class Shipment:
    """A carrier and a tracking number, checked."""

    carrier: str
    tracking_number: str


def shipment(carrier_text: str, number_text: str) -> Shipment:
    """The carrier and tracking number of a shipment, or InvalidInput naming the field that is wrong."""
    carrier = carriers.find_carrier(carrier_text)
    if carrier is None:
        codes = ", ".join(c.code for c in carriers.CARRIERS)
        raise InvalidInput("Unknown carrier.", [FieldError(f"use one of {codes}", field="carrier")])
    number = carriers.normalized_number(number_text)
    problem = carriers.tracking_problem(carrier, number)
    if problem:
        raise InvalidInput("That tracking number does not fit the carrier.", [FieldError(problem, field="tracking_number")])
    return Shipment(carrier.code, number)


def late_window(now: datetime, lead_days: int) -> tuple[datetime, datetime]:
    """Sessions starting before the second moment and not yet ended at the first make an unreceived sample late."""
    return now, now + timedelta(days=lead_days)


def is_late(status: str, session_starts: list[datetime], session_ends: list[datetime], now: datetime,
            lead_days: int) -> bool:
    """True when a sample still on the way has a session of its host and product starting within the lead days."""
    if status not in ON_THE_WAY:
        return False
    _start, horizon = late_window(now, lead_days)
    return any(start <= horizon and end > now for start, end in zip(session_starts, session_ends))
