"""The pairing engine's inputs and outputs as plain dataclasses, and the checks on them."""
from __future__ import annotations

from dataclasses import dataclass, field
from datetime import date

from coordinator.domain.errors import FieldError, InvalidInput


@dataclass(frozen=True)
class StreamerIn:
    """An enrolled streamer as the engine sees them."""

    id: int
    followers: int
    categories: tuple[str, ...] = ()
    platform: str = ""
    region: str = ""


@dataclass(frozen=True)
class ProductIn:
    """An enrolled product; platforms and regions list what it prefers (empty: it does not care)."""

    id: int
    county_id: int
    county_name: str
    category: str
    is_agricultural: bool
    stock: int
    available_from: date | None = None
    available_to: date | None = None
    platforms: tuple[str, ...] = ()
    regions: tuple[str, ...] = ()


@dataclass(frozen=True)
class PairingRules:
    """The campaign's window and lineup rules; capacity of a product = stock // expected units."""

    starts_on: date
    ends_on: date
    min_agri: int = 1
    max_products: int = 5
    expected_units_per_session: int = 50


@dataclass(frozen=True)
class PairingWeights:
    """What a pairing's score is made of: each part is worth 0..1 times its weight.

    category: the product's category is one the host lists (a host listing none gets generalist_share).
    audience: the stock can serve the host's audience; a session sells about units_per_follower units per
      follower (5M followers: 10,000 units); stock shortfall_decades powers of ten short of that scores 0,
      stock surplus_decades powers of ten beyond it scores 0, linearly in between.
    season: the share of the campaign window the product is in season.
    platform, region: the host is on a platform / from a region the product prefers; a product without a
      preference gives neutral_share of the weight to every host.
    county_bonus: the k-th pairing of a county earns county_bonus[k-1], later ones nothing; non-increasing,
      so every county gets streamers before any county gets many. Coverage itself is a hard goal, not this.
    """

    category: float = 3.0
    generalist_share: float = 0.3
    audience: float = 2.0
    units_per_follower: float = 0.002
    shortfall_decades: float = 1.5
    surplus_decades: float = 4.0
    season: float = 1.0
    platform: float = 0.5
    region: float = 0.5
    neutral_share: float = 0.5
    county_bonus: tuple[float, ...] = (2.0, 1.4, 1.0, 0.7, 0.5, 0.35, 0.25)


@dataclass(frozen=True)
class SolverOptions:
    """Candidate pruning (pairing_candidates). Up to prune_above_pairs (streamer, product) pairs, every
    pair enters the network and the answer is exact. Above, each streamer keeps its best
    candidates_per_streamer arcs and agri_candidates_per_streamer agricultural arcs, plus
    spread_agri_candidates_per_streamer agricultural and spread_other_candidates_per_streamer other
    arcs drawn in proportion to capacity; each product keeps its
    best candidates_per_product_slot * sessions + extra_candidates_per_product hosts. A pruned network
    that cannot keep every hard rule, coverage included, is redone on every pair, so pruning may cost
    score (measured at full size in bench/README.md) but never a hard rule."""

    prune_above_pairs: int = 1_000_000
    candidates_per_streamer: int = 5
    agri_candidates_per_streamer: int = 5
    spread_agri_candidates_per_streamer: int = 6
    spread_other_candidates_per_streamer: int = 6
    candidates_per_product_slot: int = 16
    extra_candidates_per_product: int = 40


@dataclass
class PairingProblem:
    """Everything one run needs; fixed pairs (locked or accepted) stay, declined pairs never appear."""

    streamers: list[StreamerIn]
    products: list[ProductIn]
    rules: PairingRules
    fixed: list[tuple[int, int]] = field(default_factory=list)
    declined: list[tuple[int, int]] = field(default_factory=list)
    weights: PairingWeights = field(default_factory=PairingWeights)
    options: SolverOptions = field(default_factory=SolverOptions)


@dataclass(frozen=True)
class Pairing:
    """A streamer carrying a product: its score and the reasons that add up to it."""

    streamer_id: int
    product_id: int
    score: float
    reasons: tuple[str, ...]
    fixed: bool = False


@dataclass(frozen=True)
class UncoveredCounty:
    """An enrolled county no streamer carries, and why."""

    county_id: int
    county_name: str
    reason: str


@dataclass
class PairingResult:
    """The plan: pairings (fixed ones included), counties left out, the objective and how it was found."""

    pairings: list[Pairing]
    uncovered_counties: list[UncoveredCounty]
    objective: float
    warnings: list[str] = field(default_factory=list)
    stats: dict = field(default_factory=dict)


def validate(problem: PairingProblem) -> None:
    """Raise InvalidInput when the problem is inconsistent before any solving."""
    errors: list[FieldError] = []
    rules, weights = problem.rules, problem.weights
    if rules.ends_on < rules.starts_on:
        errors.append(FieldError("must not be before starts_on", field="rules.ends_on"))
    if rules.max_products < 1:
        errors.append(FieldError("at least 1", field="rules.max_products"))
    if not 0 <= rules.min_agri <= rules.max_products:
        errors.append(FieldError("between 0 and max_products", field="rules.min_agri"))
    if rules.expected_units_per_session < 1:
        errors.append(FieldError("at least 1", field="rules.expected_units_per_session"))
    for name in ("category", "audience", "season", "platform", "region", "generalist_share", "neutral_share"):
        if getattr(weights, name) < 0:
            errors.append(FieldError("must not be negative", field=f"weights.{name}"))
    if weights.units_per_follower <= 0 or weights.shortfall_decades <= 0 or weights.surplus_decades <= 0:
        errors.append(FieldError("units_per_follower and the decades must be positive", field="weights"))
    bonus = weights.county_bonus
    # The parallel county arcs model a concave bonus only if it never grows (see pairing_flow).
    if any(b < 0 for b in bonus) or any(later > earlier for earlier, later in zip(bonus, bonus[1:])):
        errors.append(FieldError("must be non-negative and non-increasing", field="weights.county_bonus"))
    errors += _id_errors(problem)
    if errors:
        raise InvalidInput("The pairing problem is inconsistent.", errors)


def _id_errors(problem: PairingProblem) -> list[FieldError]:
    """Unique ids, known ids in fixed and declined pairs, and no pair both fixed and declined."""
    errors: list[FieldError] = []
    streamers = [s.id for s in problem.streamers]
    products = [p.id for p in problem.products]
    if len(set(streamers)) != len(streamers):
        errors.append(FieldError("streamer ids must be unique", field="streamers"))
    if len(set(products)) != len(products):
        errors.append(FieldError("product ids must be unique", field="products"))
    known_s, known_p = set(streamers), set(products)
    for name in ("fixed", "declined"):
        for index, (sid, pid) in enumerate(getattr(problem, name)):
            if sid not in known_s or pid not in known_p:
                errors.append(FieldError(f"streamer {sid} or product {pid} is not enrolled", field=name, index=index))
    declined = set(problem.declined)
    for index, pair in enumerate(problem.fixed):
        if pair in declined:
            errors.append(FieldError(f"pair {pair} is both kept and declined", field="fixed", index=index))
    for product in problem.products:
        if product.stock < 0:
            errors.append(FieldError(f"product {product.id} has negative stock", field="products"))
    return errors
