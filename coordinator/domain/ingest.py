"""Sales ingest rules: webhook signatures, and the counter deltas a batch of new events adds."""
from __future__ import annotations

import hashlib
import hmac
import re
from collections import defaultdict
from dataclasses import dataclass
from datetime import datetime, timezone
from typing import Any, Sequence

from coordinator.domain.enums import CampaignStatus, SessionStatus
from coordinator.domain.errors import Conflict, FieldError, InvalidInput

MAX_CLOCK_SKEW_S = 300


@dataclass(frozen=True)
class SaleFacts:
    """One accepted event with what it counts towards."""

    kind: str
    quantity: int
    amount_fen: int
    occurred_at: datetime
    campaign_id: int
    session_id: int
    county_id: int
    streamer_id: int
    product_id: int


def signature_for(secret: str, timestamp: str, body: bytes) -> str:
    """The hex HMAC-SHA256 of '<timestamp>.<raw body>' under a secret."""
    return hmac.new(secret.encode(), timestamp.encode() + b"." + body, hashlib.sha256).hexdigest()


def timestamp_problem(timestamp: str | None, now: datetime) -> str | None:
    """Why a timestamp header is unacceptable, or None when it is within 300 s of now."""
    # ASCII digits only: str.isdigit() also accepts "²", and an unbounded run of digits is not a time.
    if not timestamp or not re.fullmatch(r"[0-9]{1,12}", timestamp.strip()):
        return "X-Coordinator-Timestamp must be unix seconds"
    if abs(now.timestamp() - int(timestamp)) > MAX_CLOCK_SKEW_S:
        return "X-Coordinator-Timestamp is more than 300 s from the server's clock"
    return None


def signature_matches(header: str | None, secrets: list[str], timestamp: str, body: bytes) -> bool:
    """True when any 'sha256=<hex>' in the header matches any currently valid secret (constant-time compare)."""
    offered = [part.strip()[len("sha256="):] for part in (header or "").split(",") if part.strip().startswith("sha256=")]
    expected = [signature_for(secret, timestamp, body) for secret in secrets]
    matched = False
    for candidate in offered:
        for value in expected:
            # Compare every pair so the time taken does not depend on which one matched.
            matched |= hmac.compare_digest(candidate.encode(), value.encode())
    return matched


def minute_of(moment: datetime) -> datetime:
    """The UTC minute a moment falls in."""
    return moment.astimezone(timezone.utc).replace(second=0, microsecond=0)


Counts = list[int]  # orders, units, gross_fen, refunded_fen


def counter_deltas(events: list[SaleFacts]) -> tuple[dict[tuple[str, int, str, int], Counts], dict[tuple[str, int, datetime], Counts]]:
    """What new events add to each counter row (scope, id, dimension, id) and to each per-minute row."""
    # Events are first summed per (campaign, session, county, streamer, product, minute): a batch has far fewer
    # of those than events, and each group then adds to its ten counter rows once.
    groups: dict[tuple[int, int, int, int, int, float], Counts] = {}
    for event in events:
        stamp = event.occurred_at.timestamp()
        key = (event.campaign_id, event.session_id, event.county_id, event.streamer_id, event.product_id,
               stamp - stamp % 60)
        counts = groups.get(key)
        if counts is None:
            counts = groups[key] = [0, 0, 0, 0]
        if event.kind == "order":
            counts[0] += 1
            counts[1] += event.quantity
            counts[2] += event.amount_fen
        else:
            counts[1] -= event.quantity
            counts[3] += event.amount_fen
    rows: dict[tuple[str, int, str, int], Counts] = defaultdict(lambda: [0, 0, 0, 0])
    minutes: dict[tuple[str, int, datetime], Counts] = defaultdict(lambda: [0, 0, 0, 0])
    for (campaign_id, session_id, county_id, streamer_id, product_id, minute_stamp), delta in groups.items():
        minute = datetime.fromtimestamp(minute_stamp, timezone.utc)
        for scope, scope_id in (("campaign", campaign_id), ("session", session_id)):
            keys = [(scope, scope_id, "total", 0), (scope, scope_id, "county", county_id),
                    (scope, scope_id, "streamer", streamer_id), (scope, scope_id, "product", product_id)]
            for key in keys:
                _add(rows[key], delta)
            _add(minutes[(scope, scope_id, minute)], delta)
    return dict(rows), dict(minutes)


def _add(target: Counts, delta: Counts) -> None:
    for index, value in enumerate(delta):
        target[index] += value


def facts_for_events(rows: Sequence[tuple], events: Sequence[Any], batch: bool) -> list[SaleFacts]:
    """Each event's facts from the fact rows read with the key; any problem rejects the whole body.

    A fact row is (session id, campaign id, streamer id, session status, campaign status, product id, county id),
    one per lineup item of each session the events name (product and county None for an empty lineup).
    """
    sessions = {row[0]: row[1:5] for row in rows if row[0] is not None}
    lineup = {(row[0], row[5]): row[6] for row in rows if row[5] is not None}
    errors, closed, facts = [], set(), []
    for index, event in enumerate(events):
        where = {"index": index} if batch else {}
        session = sessions.get(event.session_id)
        if session is None:
            errors.append(FieldError(f"no session {event.session_id}", field="session_id", **where))
            continue
        campaign_id, streamer_id, status, campaign_status = session
        if status == SessionStatus.CANCELLED.value:
            errors.append(FieldError(f"session {event.session_id} is cancelled", field="session_id", **where))
        elif (event.session_id, event.product_id) not in lineup:
            errors.append(FieldError(f"product {event.product_id} is not in session {event.session_id}'s lineup",
                                     field="product_id", **where))
        elif campaign_status == CampaignStatus.CLOSED.value:
            closed.add(campaign_id)
        else:
            facts.append(SaleFacts(event.kind, event.quantity, event.amount_fen, event.occurred_at, campaign_id,
                                   event.session_id, lineup[(event.session_id, event.product_id)], streamer_id,
                                   event.product_id))
    if errors:
        raise InvalidInput("Some events are invalid; nothing was stored.", errors)
    if closed:
        raise Conflict(f"Campaign {', '.join(map(str, sorted(closed)))} is closed; it takes no more sales.")
    return facts
