"""The samples board as pages show it: rows by county with the moves the caller may make on each, and the late
warnings the pairing board and the calendar carry (each caller counting only the samples they see)."""
from __future__ import annotations

from dataclasses import dataclass, field
from itertools import groupby

from coordinator.domain import samples as rules
from coordinator.domain.access_facts import Actor, CampaignFacts, ItemFacts
from coordinator.domain.enums import SampleStatus
from coordinator.domain.settings import Settings
from coordinator.models import Campaign, County, Sample
from coordinator.services import access, sample_board, samples
from coordinator.services.sample_access import sample_facts
from coordinator.services.sample_board import SampleLine

# The moves a page offers, in the order its buttons stand; "receive" is the host's, on their own pages.
PAGE_MOVES = ("approve", "ship", "reject", "cancel")
RULE_OF = {"approve": "sample.handle", "ship": "sample.handle", "reject": "sample.handle", "cancel": "sample.cancel"}


@dataclass
class Row:
    """One sample on the board and the moves the caller may make on it now."""

    line: SampleLine
    moves: tuple[str, ...] = ()

    @property
    def sample(self) -> Sample:
        """The sample itself."""
        return self.line.sample

    @property
    def selectable(self) -> bool:
        """Ticked for "approve selected": requested and the caller's to approve."""
        return "approve" in self.moves


@dataclass
class CountyGroup:
    """A county's samples, with the counts its heading shows."""

    county: County
    rows: list[Row] = field(default_factory=list)

    @property
    def late(self) -> int:
        """How many of the county's samples are late."""
        return sum(1 for row in self.rows if row.line.late)

    @property
    def by_status(self) -> dict[str, int]:
        """How many samples are in each state, in the states' order, leaving out empty ones."""
        counts = {status.value: 0 for status in SampleStatus}
        for row in self.rows:
            counts[row.sample.status] += 1
        return {status: n for status, n in counts.items() if n}


@dataclass
class Board:
    """A campaign's samples board as the caller sees it."""

    campaign: Campaign
    groups: list[CountyGroup]
    may_bulk: bool  # may approve many at once (and import shipments)
    late_total: int  # late samples the caller sees, whatever the filter shows

    @property
    def selectable(self) -> bool:
        """Some row can be ticked for "approve selected"."""
        return any(row.selectable for group in self.groups for row in group.rows)


def _moves(actor: Actor, facts: ItemFacts, status: str) -> tuple[str, ...]:
    """The moves the state allows that the policy lets the actor make."""
    verdicts: dict[str, bool] = {}
    out = []
    for move in PAGE_MOVES:
        if status not in {s.value for s in rules.MOVES[move][0]}:
            continue
        rule = RULE_OF[move]
        if rule not in verdicts:
            verdicts[rule] = access.allowed(actor, rule, facts)
        if verdicts[rule]:
            out.append(move)
    return tuple(out)


def _row(actor: Actor, facts: CampaignFacts, line: SampleLine) -> Row:
    item = ItemFacts(facts, line.sample.streamer_id, frozenset({line.county.id}))
    return Row(line, _moves(actor, item, line.sample.status))


def board(actor: Actor, settings: Settings, campaign_id: int, status: str | None = None,
          late: bool | None = None) -> Board:
    """The samples board of a campaign (campaign.read_part): the team sees every county, a partner their own."""
    campaign, facts = access.campaign_for(actor, "campaign.read_part", campaign_id)
    lines = sample_board.campaign_samples(actor, settings, campaign.id, status, late)
    groups = [CountyGroup(county, [_row(actor, facts, line) for line in members])
              for county, members in groupby(lines, key=lambda line: line.county)]
    shown_late = sum(group.late for group in groups)
    total = shown_late if status is None and late is None else len(late_lines(actor, settings, campaign.id))
    return Board(campaign, groups, access.allowed(actor, "campaign.samples", facts), total)


def row(actor: Actor, settings: Settings, sample_id: int) -> Row:
    """One sample's row as the board shows it to the actor (sample.read), for a live update."""
    sample = samples.get(actor, sample_id)
    line = sample_board.line(actor, settings, sample)
    return Row(line, _moves(actor, sample_facts(actor, sample), sample.status))


def late_lines(actor: Actor, settings: Settings, campaign_id: int) -> list[SampleLine]:
    """The late samples of a campaign the actor sees."""
    return sample_board.campaign_samples(actor, settings, campaign_id, late=True)


def late_count(actor: Actor, settings: Settings, campaign: Campaign, everything: bool) -> int:
    """How many late samples the pairing board's banner names: all of them for the team, a partner's own."""
    if everything:
        return sample_board.late_count(settings, campaign)
    return len(late_lines(actor, settings, campaign.id))


def late_by_session(actor: Actor, settings: Settings, campaign_id: int,
                    session_ids: list[int]) -> dict[int, list[str]]:
    """For each of these sessions with late samples the actor sees, the names of those samples' products."""
    if not session_ids:
        return {}
    reported = sample_board.late_by_session(settings, session_ids)
    if not reported:
        return {}
    seen = {(session.id, line.product.id): line.product.name
            for line in late_lines(actor, settings, campaign_id) for session in line.late_sessions}
    out: dict[int, list[str]] = {}
    for session_id, product_ids in reported.items():
        names = [seen[(session_id, pid)] for pid in dict.fromkeys(product_ids) if (session_id, pid) in seen]
        if names:
            out[session_id] = names
    return out
