"""Which campaign status changes make sense."""
from __future__ import annotations

from coordinator.domain.enums import CampaignStatus as S
from coordinator.domain.errors import Conflict

ALLOWED = {
    S.DRAFT: {S.PUBLISHED, S.CLOSED},
    S.PUBLISHED: {S.DRAFT, S.LIVE, S.CLOSED},
    S.LIVE: {S.CLOSED},
    S.CLOSED: set(),
}


def check_transition(current: str, target: str) -> None:
    """Raise Conflict unless a campaign may go from current to target."""
    if S(target) not in ALLOWED[S(current)]:
        allowed = ", ".join(sorted(s.value for s in ALLOWED[S(current)])) or "none"
        raise Conflict(f"A {current} campaign cannot become {target}; allowed next: {allowed}.")


def accepts_changes(status: str) -> bool:
    """Every status but closed takes enrolments, sessions and sales."""
    return S(status) is not S.CLOSED
