"""Whether a campaign's plan covers its counties and keeps its lineup rules."""
from __future__ import annotations

from dataclasses import dataclass, field


@dataclass
class CountyCoverage:
    """How one county's products are carried in a campaign."""

    county_id: int
    name: str
    products: int
    streamers: set[int] = field(default_factory=set)
    sessions: set[int] = field(default_factory=set)

    @property
    def covered(self) -> bool:
        """A county is covered once some streamer carries one of its products."""
        return bool(self.streamers)


@dataclass
class SessionCheck:
    """A session's lineup against the campaign's rules."""

    session_id: int
    agri_products: int
    products: int
    problems: list[str]

    @property
    def ok(self) -> bool:
        """True when the lineup keeps every rule."""
        return not self.problems


def lineup_problems(agri: int, total: int, min_agri: int, max_products: int) -> list[str]:
    """What a lineup breaks: too few agricultural products, too many products, or none at all."""
    problems = []
    if total == 0:
        problems.append("empty lineup")
    if agri < min_agri:
        problems.append(f"{agri} agricultural product(s), the campaign asks for at least {min_agri}")
    if total > max_products:
        problems.append(f"{total} products, the campaign allows at most {max_products}")
    return problems


def county_coverage(counties: dict[int, str], product_county: dict[int, int],
                    carried: list[tuple[int, int]], scheduled: list[tuple[int, int]]) -> list[CountyCoverage]:
    """Per county: enrolled products, streamers carrying them (pairings), sessions showing them.

    carried holds (streamer_id, product_id) of live pairings, scheduled (session_id, product_id) of lineups.
    """
    rows = {cid: CountyCoverage(cid, name, 0) for cid, name in counties.items()}
    for county_id in product_county.values():
        rows[county_id].products += 1
    for streamer_id, product_id in carried:
        rows[product_county[product_id]].streamers.add(streamer_id)
    for session_id, product_id in scheduled:
        if product_id in product_county:
            rows[product_county[product_id]].sessions.add(session_id)
    return sorted(rows.values(), key=lambda row: (row.covered, row.name))
