"""Sales ingest rules: webhook signatures, and the counter deltas a batch of new events adds."""
from __future__ import annotations

import hashlib
import hmac
import re
from collections import defaultdict
from dataclasses import dataclass
from datetime import datetime, timezone

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
    rows: dict[tuple[str, int, str, int], Counts] = defaultdict(lambda: [0, 0, 0, 0])
    minutes: dict[tuple[str, int, datetime], Counts] = defaultdict(lambda: [0, 0, 0, 0])
    for event in events:
        order = event.kind == "order"
        delta = (1, event.quantity, event.amount_fen, 0) if order else (0, -event.quantity, 0, event.amount_fen)
        for scope, scope_id in (("campaign", event.campaign_id), ("session", event.session_id)):
            keys = [(scope, scope_id, "total", 0), (scope, scope_id, "county", event.county_id),
                    (scope, scope_id, "streamer", event.streamer_id), (scope, scope_id, "product", event.product_id)]
            for key in keys:
                _add(rows[key], delta)
            _add(minutes[(scope, scope_id, minute_of(event.occurred_at))], delta)
    return dict(rows), dict(minutes)


def _add(target: Counts, delta: tuple[int, int, int, int]) -> None:
    for index, value in enumerate(delta):
        target[index] += value
