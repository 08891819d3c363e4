"""Short English reasons that add up to a pairing's score, one per score part."""
from __future__ import annotations

import numpy as np

from coordinator.domain.pairing_model import PairingWeights, ProductIn, StreamerIn
from coordinator.domain.pairing_scores import PARTS, Tables, parts, points, stock_decades

AUDIENCE_FITS = 0.75  # an audience part at or above this share reads as "fits"


def audience_text(followers: int) -> str:
    """5,000,000 as '5.0M', 52,300 as '52k', 800 as '800'."""
    if followers >= 1_000_000:
        return f"{followers / 1_000_000:.1f}M"
    if followers >= 10_000:
        return f"{followers / 1000:.0f}k"
    if followers >= 1000:
        return f"{followers / 1000:.1f}k"
    return str(followers)


def _pts(value: float) -> str:
    return f"(+{value:.2f})"


def _day(value) -> str:
    return value.strftime("%m-%d")


def _category(s: StreamerIn, p: ProductIn, share: float, pts: float) -> str:
    if not s.categories:
        return f"host lists no categories, {p.category} is acceptable {_pts(pts)}"
    if share >= 1.0:
        return f"category {p.category} matches {_pts(pts)}"
    return f"category {p.category} is not among the host's ({', '.join(s.categories)}) {_pts(pts)}"


def _audience(s: StreamerIn, p: ProductIn, share: float, decades: float, pts: float) -> str:
    audience = audience_text(s.followers)
    if share >= AUDIENCE_FITS:
        return f"audience {audience} fits stock {p.stock:,} {_pts(pts)}"
    if decades < 0:
        return f"audience {audience} is large for stock {p.stock:,} {_pts(pts)}"
    return f"stock {p.stock:,} is more than audience {audience} will buy {_pts(pts)}"


def _season(p: ProductIn, share: float, pts: float) -> str:
    if p.available_from is None and p.available_to is None:
        return f"available all year {_pts(pts)}"
    start = _day(p.available_from) if p.available_from else "…"
    end = _day(p.available_to) if p.available_to else "…"
    if share >= 1.0:
        return f"in season {start}→{end} {_pts(pts)}"
    if share <= 0.0:
        return f"out of season {start}→{end} for the whole campaign {_pts(pts)}"
    return f"in season {start}→{end}, {share:.0%} of the campaign {_pts(pts)}"


def _preference(kind: str, mine: str, wanted: tuple[str, ...], share: float, pts: float) -> str:
    if not wanted:
        return f"any {kind} suits the product {_pts(pts)}"
    where = "on" if kind == "platform" else "from"
    if share >= 1.0:
        return f"host {where} {mine}, as the product prefers {_pts(pts)}"
    return f"product prefers {', '.join(wanted)}, host is {where} {mine or 'unknown'} {_pts(pts)}"


def pair_reasons(t: Tables, w: PairingWeights, streamers: list[StreamerIn],
                 products: list[ProductIn], si: np.ndarray, pj: np.ndarray) -> list[list[str]]:
    """For positions (si[k], pj[k]) the reasons behind each pair's score, in score-part order."""
    shares = parts(t, w, si, pj)
    columns = zip(si.tolist(), pj.tolist(), *(shares[name].tolist() for name in PARTS),
                  stock_decades(t, w, si, pj).tolist())
    cache: dict[tuple, str] = {}  # the same product's texts repeat across hosts: format each once
    out: list[list[str]] = []
    for i, j, cat, aud, season, plat, reg, decades in columns:
        s, p = streamers[i], products[j]
        keys = (("c", j, cat, s.categories if cat < 1.0 else ()), ("s", j), ("p", j, s.platform), ("r", j, s.region))
        texts = [cache.get(key) for key in keys]
        if None in texts:
            texts = [_category(s, p, cat, points(w, "category", cat)), _season(p, season, points(w, "season", season)),
                     _preference("platform", s.platform, p.platforms, plat, points(w, "platform", plat)),
                     _preference("region", s.region, p.regions, reg, points(w, "region", reg))]
            cache.update(zip(keys, texts))
        out.append([texts[0], _audience(s, p, aud, decades, points(w, "audience", aud)), *texts[1:]])
    return out


def county_reason(county_name: str, level: int, bonus: float) -> str:
    """The fairness bonus a pairing earned as the level-th (0-based) pairing of its county."""
    if level == 0:
        return f"first streamer for {county_name} county (+{bonus:.2f})"
    if bonus <= 0:
        return f"{county_name} county already has {level} pairings, no fairness bonus (+0.00)"
    return f"pairing {level + 1} for {county_name} county, fairness bonus (+{bonus:.2f})"
