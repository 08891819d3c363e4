"""What a change produced, for the edges to publish once it is committed (services never push by themselves)."""
from __future__ import annotations

from dataclasses import dataclass, field
from datetime import datetime
from typing import Any, Generic, TypeVar

T = TypeVar("T")


@dataclass(frozen=True)
class SessionStatusChanged:
    """A session went live, ended or was cancelled."""

    session_id: int
    campaign_id: int
    status: str


@dataclass(frozen=True)
class SessionTimesChanged:
    """A session was scheduled or moved: the scheduler wakes at its new times."""

    session_id: int
    starts_at: datetime
    ends_at: datetime
    status: str


@dataclass(frozen=True)
class PairingChanged:
    """A pairing was added, answered, locked, unlocked or removed."""

    pairing: dict[str, Any]


@dataclass(frozen=True)
class SampleChanged:
    """A sample was requested or moved along its way."""

    sample: dict[str, Any]


@dataclass(frozen=True)
class PairingsRerun:
    """The engine replaced a campaign's proposals."""

    campaign_id: int
    count: int


@dataclass(frozen=True)
class CampaignStatusChanged:
    """A campaign moved along its lifecycle."""

    campaign_id: int
    status: str


@dataclass(frozen=True)
class ReminderDue:
    """A host is to be reminded of a session."""

    streamer_id: int
    reminder: dict[str, Any]


@dataclass(frozen=True)
class TalliesChanged:
    """Sales changed these (scope, id) tallies."""

    scopes: frozenset[tuple[str, int]]


@dataclass(frozen=True)
class AccessChanged:
    """Who may watch what changed (a revocation, a sign-out, a team change): open /live sockets are re-checked."""


Event = (SessionStatusChanged | SessionTimesChanged | PairingChanged | PairingsRerun | CampaignStatusChanged
         | ReminderDue | TalliesChanged | AccessChanged)


@dataclass
class Outcome(Generic[T]):
    """A use case's result and the events its committed change produced."""

    value: T
    events: list[Any] = field(default_factory=list)
