"""Score parts of (streamer, product) pairs, vectorized over numpy index arrays."""
from __future__ import annotations

from dataclasses import dataclass
from datetime import date

import numpy as np

from coordinator.domain.pairing_model import PairingWeights, ProductIn, StreamerIn

F32 = np.float32
MILLI = 1000  # scores are quantized to 0.001 so the flow solver works on exact integers
PARTS = ("category", "audience", "season", "platform", "region")


@dataclass
class Tables:
    """Streamers and products as arrays, with categories, platforms and regions as codes."""

    followers: np.ndarray
    cats: np.ndarray
    generalist: np.ndarray
    s_platform: np.ndarray
    s_region: np.ndarray
    p_cat: np.ndarray
    stock: np.ndarray
    season: np.ndarray
    agri: np.ndarray
    p_platforms: np.ndarray
    p_platform_any: np.ndarray
    p_regions: np.ndarray
    p_region_any: np.ndarray


def _key(text: str) -> str:
    return text.strip().casefold()


def _codes(values: list[str], vocab: dict[str, int]) -> np.ndarray:
    return np.array([vocab.setdefault(_key(v), len(vocab)) for v in values], dtype=np.int64)


def _memberships(lists: list[tuple[str, ...]], vocab: dict[str, int], width: int) -> np.ndarray:
    out = np.zeros((len(lists), width), dtype=bool)
    for row, values in enumerate(lists):
        for value in values:
            out[row, vocab[_key(value)]] = True
    return out


def season_share(product: ProductIn, start: date, end: date) -> float:
    """Share of the campaign days [start, end] the product is in season (0 when never)."""
    first = max(start, product.available_from or start)
    last = min(end, product.available_to or end)
    return max(0, (last - first).days + 1) / ((end - start).days + 1)


def build_tables(streamers: list[StreamerIn], products: list[ProductIn], start: date, end: date) -> Tables:
    """Encode the inputs once; every later score is array arithmetic on these tables."""
    cat_vocab: dict[str, int] = {}
    p_cat = _codes([p.category for p in products], cat_vocab)
    for s in streamers:
        _codes(list(s.categories), cat_vocab)
    plat_vocab: dict[str, int] = {}
    s_platform = _codes([s.platform for s in streamers], plat_vocab)
    for p in products:
        _codes(list(p.platforms), plat_vocab)
    reg_vocab: dict[str, int] = {}
    s_region = _codes([s.region for s in streamers], reg_vocab)
    for p in products:
        _codes(list(p.regions), reg_vocab)
    return Tables(
        followers=np.array([max(1, s.followers) for s in streamers], dtype=np.float64),
        cats=_memberships([s.categories for s in streamers], cat_vocab, max(1, len(cat_vocab))),
        generalist=np.array([not s.categories for s in streamers], dtype=bool),
        s_platform=s_platform,
        s_region=s_region,
        p_cat=p_cat,
        stock=np.array([max(1, p.stock) for p in products], dtype=np.float64),
        season=np.array([season_share(p, start, end) for p in products], dtype=np.float64),
        agri=np.array([p.is_agricultural for p in products], dtype=bool),
        p_platforms=_memberships([p.platforms for p in products], plat_vocab, max(1, len(plat_vocab))),
        p_platform_any=np.array([not p.platforms for p in products], dtype=bool),
        p_regions=_memberships([p.regions for p in products], reg_vocab, max(1, len(reg_vocab))),
        p_region_any=np.array([not p.regions for p in products], dtype=bool),
    )


def _pick(table: np.ndarray, rows: np.ndarray, cols: np.ndarray) -> np.ndarray:
    """table[rows, cols]; an outer (column x row vector) request gathers rows then columns, much faster."""
    if rows.ndim == 2 and cols.ndim == 2 and rows.shape[1] == 1 and cols.shape[0] == 1:
        return table[rows[:, 0]][:, cols[0]]
    return table[rows, cols]


def stock_decades(t: Tables, w: PairingWeights, si: np.ndarray, pj: np.ndarray) -> np.ndarray:
    """Powers of ten by which stock exceeds (positive) or falls short of (negative) the audience's demand."""
    return np.log10(t.stock[pj]).astype(F32) - np.log10(t.followers[si] * w.units_per_follower).astype(F32)


def parts(t: Tables, w: PairingWeights, si: np.ndarray, pj: np.ndarray) -> dict[str, np.ndarray]:
    """Each score part in 0..1 for streamer positions si and product positions pj (numpy broadcasting).

    Float32 and the same operations for a whole matrix or for a list of pairs, so both give the same
    scores to the last bit."""
    cat = np.where(t.generalist[si], F32(w.generalist_share), _pick(t.cats, si, t.p_cat[pj]).astype(F32))
    decades = stock_decades(t, w, si, pj)
    miss = np.maximum(decades * F32(-1.0 / w.shortfall_decades), decades * F32(1.0 / w.surplus_decades))
    platform = np.where(t.p_platform_any[pj], F32(w.neutral_share), _pick(t.p_platforms.T, t.s_platform[si], pj))
    region = np.where(t.p_region_any[pj], F32(w.neutral_share), _pick(t.p_regions.T, t.s_region[si], pj))
    return {"category": cat, "audience": np.clip(F32(1.0) - miss, F32(0.0), F32(1.0)),
            "season": t.season[pj].astype(F32), "platform": platform.astype(F32), "region": region.astype(F32)}


def points(w: PairingWeights, name: str, share: np.ndarray | float) -> np.ndarray | float:
    """A part's share times its weight: the points it adds to the score."""
    return share * getattr(w, name)


def milli_scores(t: Tables, w: PairingWeights, si: np.ndarray, pj: np.ndarray) -> np.ndarray:
    """The pair scores (sum of points) in integer thousandths."""
    shares = parts(t, w, si, pj)
    total = shares["category"] * F32(w.category)
    for name in PARTS[1:]:
        total = total + shares[name] * F32(getattr(w, name))
    return np.rint(total * F32(MILLI)).astype(np.int32)


def score_matrix(t: Tables, w: PairingWeights, columns: np.ndarray, block: int = 400_000) -> np.ndarray:
    """Every streamer against the given product columns, int32 thousandths; rows computed in blocks."""
    n = len(t.followers)
    out = np.empty((n, len(columns)), dtype=np.int32)
    step = max(1, block // max(1, len(columns)))
    cols = columns[np.newaxis, :]
    for start in range(0, n, step):
        rows = np.arange(start, min(n, start + step))[:, np.newaxis]
        out[start:start + len(rows)] = milli_scores(t, w, rows, cols)
    return out
