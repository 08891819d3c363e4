"""Pairing engine benchmark: 10,000 streamers x 2,000 products, 50 counties, capacity-tight, seeds 1-3.

Run by hand: `.venv/bin/python bench/pairing.py` (about 6 minutes on 2 cores, 2 GB for each exact
solve). Each solve runs in its own child process so its time and peak RSS are its own. For each
scenario and seed: the production solve (pruned candidates, run three times for the time), the exact
solve of the same full-size instance (every pair in the network), and a greedy over all pairs; an
independent checker verifies the hard rules and recomputes every objective from the pairs alone.
`--child MODE SEED MIN_AGRI` runs one solve and prints JSON (used internally).
"""
from __future__ import annotations

import json
import os
import resource
import statistics
import subprocess
import sys
import time
from datetime import date, timedelta

import numpy as np

sys.path.insert(0, os.path.join(os.path.dirname(os.path.abspath(__file__)), ".."))

from coordinator.domain.catalog import season_overlaps  # noqa: E402
from coordinator.domain.pairing import (PairingProblem, PairingRules, PairingWeights, ProductIn,  # noqa: E402
                                        SolverOptions, StreamerIn, solve)
from coordinator.domain.pairing_scores import build_tables, milli_scores, score_matrix  # noqa: E402

N_STREAMERS, N_PRODUCTS, N_COUNTIES = 10_000, 2_000, 50
MAX_PRODUCTS, TIGHTNESS = 5, 1.02
# (title, agricultural products each streamer must get): slots tight in both, agricultural sessions too in the second
SCENARIOS = [("slots tight, at least 2 agricultural of 5", 2), ("slots and agriculture tight, at least 3 of 5", 3)]
PRODUCTION_RUNS = 3
START, END = date(2024, 10, 20), date(2024, 11, 11)
# category: (agricultural, weight among products, weight among hosts)
CATEGORIES = {"fruit": (True, 16, 14), "vegetables": (True, 7, 5), "tea": (True, 9, 7), "grains": (True, 8, 5),
              "mushrooms": (True, 6, 4), "meat": (True, 6, 6), "honey": (True, 5, 4), "nuts": (True, 8, 6),
              "snacks": (False, 14, 16), "handicrafts": (False, 8, 6), "textiles": (False, 6, 7),
              "cosmetics": (False, 7, 20)}
PROVINCES = ["Shanxi", "Hunan", "Guizhou", "Gansu", "Shaanxi", "Jiangxi", "Hebei", "Yunnan", "Sichuan",
             "Guangxi", "Chongqing", "Xinjiang", "Henan"]
HOST_REGIONS = PROVINCES + ["Zhejiang", "Guangdong", "Beijing", "Shanghai", "Jiangsu"]
PLATFORMS = ["taobao", "douyin", "kuaishou"]


def instance(seed: int, min_agri: int = 2) -> PairingProblem:
    """A realistic, capacity-tight instance: total sessions barely above streamers' slots."""
    rng = np.random.default_rng(seed)
    names = list(CATEGORIES)
    p_weight = np.array([CATEGORIES[c][1] for c in names], float)
    h_weight = np.array([CATEGORIES[c][2] for c in names], float)
    county_size = 1.0 / np.arange(1, N_COUNTIES + 1) ** 0.9  # uneven: a few big counties, many small
    county_of = np.concatenate([np.arange(N_COUNTIES),  # every county enrolls at least one product
                                rng.choice(N_COUNTIES, N_PRODUCTS - N_COUNTIES, p=county_size / county_size.sum())])
    province = rng.choice(PROVINCES, N_COUNTIES)
    specialty = [rng.choice(len(names), 3, replace=False, p=p_weight / p_weight.sum()) for _ in range(N_COUNTIES)]
    products = []
    for j in range(N_PRODUCTS):
        k = int(county_of[j])
        anywhere = int(rng.choice(len(names), p=p_weight / p_weight.sum()))
        cat = int(rng.choice(specialty[k])) if rng.random() < 0.8 else anywhere
        stock = int(np.clip(rng.lognormal(np.log(3000), 1.2), 200, 50_000))
        begin = end = None
        if rng.random() < 0.55:  # fresh produce: mostly autumn harvests, some any time of year
            offset = int(rng.integers(-75, 20)) if rng.random() < 0.75 else int(rng.integers(-300, 60))
            begin = START + timedelta(days=offset)
            end = begin + timedelta(days=int(rng.integers(30, 120)))
        products.append(ProductIn(
            id=j + 1, county_id=k + 1, county_name=f"County {k + 1:02d}", category=names[cat],
            is_agricultural=CATEGORIES[names[cat]][0], stock=stock, available_from=begin, available_to=end,
            platforms=(str(rng.choice(PLATFORMS)),) if rng.random() < 0.15 else (),
            regions=(str(province[k]),) if rng.random() < 0.10 else ()))
    streamers = []
    for i in range(N_STREAMERS):
        followers = int(np.clip(rng.lognormal(np.log(20_000), 1.6), 1000, 5_000_000))
        picks = rng.choice(len(names), int(rng.integers(1, 4)), replace=False, p=h_weight / h_weight.sum())
        cats = () if rng.random() < 0.05 else tuple(names[c] for c in picks)
        streamers.append(StreamerIn(id=i + 1, followers=followers, categories=cats,
                                    platform=str(rng.choice(PLATFORMS, p=[0.5, 0.35, 0.15])),
                                    region=str(rng.choice(HOST_REGIONS))))
    live = [p for p in products if season_overlaps(p.available_from, p.available_to, START, END)]
    # Capacity-tight: the smallest units per session at which all sessions fit in 102% of the slots.
    need = TIGHTNESS * N_STREAMERS * MAX_PRODUCTS
    units = next(u for u in range(1, 50_000) if sum(p.stock // u for p in live) <= need)
    rules = PairingRules(START, END, min_agri, MAX_PRODUCTS, units)
    declined = {(int(rng.integers(N_STREAMERS)) + 1, int(rng.integers(N_PRODUCTS)) + 1) for _ in range(20_000)}
    pool = [p.id for p in live if p.stock // units > 0]
    fixed = {(int(rng.integers(N_STREAMERS)) + 1, int(rng.choice(pool))) for _ in range(300)} - declined
    return PairingProblem(streamers, products, rules, sorted(fixed), sorted(declined))


def check(problem: PairingProblem, pairs: list[tuple[int, int]]) -> dict:
    """Independent check of the hard rules and recomputation of the objective from the pairs alone."""
    rules, weights = problem.rules, problem.weights
    prod = {p.id: p for p in problem.products}
    fixed, declined = set(problem.fixed), set(problem.declined)
    chosen = set(pairs)
    per_s, agri_s, per_p, per_c = {}, {}, {}, {}
    for s, p in chosen:
        per_s[s] = per_s.get(s, 0) + 1
        agri_s[s] = agri_s.get(s, 0) + prod[p].is_agricultural
        per_p[p] = per_p.get(p, 0) + 1
        per_c[prod[p].county_id] = per_c.get(prod[p].county_id, 0) + 1
    fixed_on = {}
    for _s, p in fixed:
        fixed_on[p] = fixed_on.get(p, 0) + 1
    live = {p.id for p in problem.products
            if season_overlaps(p.available_from, p.available_to, rules.starts_on, rules.ends_on)}
    cap = {p.id: max(p.stock // rules.expected_units_per_session, fixed_on.get(p.id, 0)) for p in problem.products}
    coverable = {p.county_id for p in problem.products if p.id in live and cap[p.id] > 0}
    agri_ok = all(agri_s.get(s.id, 0) >= rules.min_agri for s in problem.streamers)
    max_ok = all(n <= rules.max_products for n in per_s.values())
    cap_ok = all(n <= cap[p] for p, n in per_p.items())
    season_ok = all(p in live for s, p in chosen - fixed)
    decided_ok = fixed <= chosen and not (chosen & declined)
    t = build_tables(problem.streamers, problem.products, rules.starts_on, rules.ends_on)
    s_pos = {s.id: i for i, s in enumerate(problem.streamers)}
    p_pos = {p.id: j for j, p in enumerate(problem.products)}
    si = np.array([s_pos[s] for s, _ in chosen])
    pj = np.array([p_pos[p] for _, p in chosen])
    milli = int(milli_scores(t, weights, si, pj).astype(np.int64).sum()) if len(chosen) else 0
    bonus = [round(b * 1000) for b in weights.county_bonus]
    milli += sum(sum(bonus[:n]) for n in per_c.values())
    agri_need = sum(max(0, rules.min_agri - sum(prod[p].is_agricultural for t_, p in fixed if t_ == s.id))
                    for s in problem.streamers)
    return {"objective": milli / 1000, "agri_min": agri_ok, "max_products": max_ok, "capacity": cap_ok,
            "season": season_ok, "decided": decided_ok, "covered": len(per_c), "coverable": len(coverable),
            "pairings": len(chosen), "unique": len(chosen) == len(pairs),
            "sessions": sum(cap[p] for p in live), "slots": rules.max_products * len(problem.streamers),
            "agri_sessions": sum(cap[p] for p in live if prod[p].is_agricultural), "agri_need": agri_need}


def greedy(problem: PairingProblem) -> list[tuple[int, int]]:
    """Baseline: fixed pairs, then best agricultural pairs until each minimum is met, then best pairs overall.

    Relies on this bench's ids: streamer and product ids are positions + 1."""
    rules = problem.rules
    n_s = len(problem.streamers)
    t = build_tables(problem.streamers, problem.products, rules.starts_on, rules.ends_on)
    live = np.array([season_overlaps(p.available_from, p.available_to, START, END) for p in problem.products])
    fixed_on = np.bincount([p - 1 for _, p in problem.fixed], minlength=N_PRODUCTS)
    cap = np.maximum(np.array([p.stock // rules.expected_units_per_session for p in problem.products]), fixed_on)
    cap = (cap - fixed_on).tolist()
    cols = np.flatnonzero(live)
    matrix = score_matrix(t, problem.weights, cols)
    for s, p in list(problem.declined) + list(problem.fixed):
        hit = np.searchsorted(cols, p - 1)
        if hit < len(cols) and cols[hit] == p - 1:
            matrix[s - 1, hit] = -1
    room = [rules.max_products] * n_s
    need = [rules.min_agri] * n_s
    agri = [p.is_agricultural for p in problem.products]
    chosen = list(problem.fixed)
    for s, p in problem.fixed:
        room[s - 1] -= 1
        need[s - 1] -= agri[p - 1]
    order = np.argsort(-matrix, axis=None, kind="stable")
    order = order[matrix.ravel()[order] >= 0]
    col_agri = np.array(agri)[cols]
    missing = sum(1 for n in need if n > 0)
    for phase in ("agri", "all"):
        todo = order[col_agri[order % len(cols)]] if phase == "agri" else order[matrix.ravel()[order] >= 0]
        for flat in todo.tolist():
            i, c = divmod(flat, len(cols))
            j = int(cols[c])
            if room[i] <= 0 or cap[j] <= 0 or (phase == "agri" and need[i] <= 0):
                continue
            room[i] -= 1
            need[i] -= agri[j]
            missing -= phase == "agri" and need[i] == 0
            cap[j] -= 1
            matrix[i, c] = -1
            chosen.append((i + 1, j + 1))
            if phase == "agri" and missing == 0:
                break
    return chosen


def child(mode: str, seed: int, min_agri: int) -> dict:
    """One solve in this process: its wall time, peak RSS and the checked result."""
    problem = instance(seed, min_agri)
    if mode == "exact":
        problem.options = SolverOptions(prune_above_pairs=10**15)
    started = time.perf_counter()
    if mode == "greedy":
        pairs, stats = greedy(problem), {}
    else:
        result = solve(problem)
        pairs, stats = [(p.streamer_id, p.product_id) for p in result.pairings], result.stats
    seconds = time.perf_counter() - started
    out = {"mode": mode, "seed": seed, "seconds": round(seconds, 2), "stats": stats,
           "units": problem.rules.expected_units_per_session,
           "rss_mb": round(resource.getrusage(resource.RUSAGE_SELF).ru_maxrss / 1024)}
    out.update(check(problem, pairs))
    if mode != "greedy":
        out["reported_objective"] = result.objective
    return out


def run(mode: str, seed: int, min_agri: int) -> dict:
    """Run one child process and read its JSON line."""
    done = subprocess.run([sys.executable, os.path.abspath(__file__), "--child", mode, str(seed), str(min_agri)],
                          capture_output=True, text=True, check=True)
    return json.loads(done.stdout.strip().splitlines()[-1])


RULES = ("agri_min", "max_products", "capacity", "season", "decided", "unique")


def _rules(r: dict) -> str:
    broken = [k for k in RULES if not r[k]] + (["coverage"] if r["covered"] < r["coverable"] else [])
    return "all hold" if not broken else "BROKEN: " + ", ".join(broken)


def scenario(title: str, min_agri: int) -> None:
    """Three seeds of one scenario: production (several runs), exact and greedy; two Markdown tables."""
    rows = []
    for seed in (1, 2, 3):
        prods = [run("production", seed, min_agri) for _ in range(PRODUCTION_RUNS)]
        exact, base = run("exact", seed, min_agri), run("greedy", seed, min_agri)
        for r in prods + [exact, base]:
            print(json.dumps(r), flush=True)
        assert len({p["objective"] for p in prods}) == 1, "the production solve must be deterministic"
        rows.append((seed, prods, exact, base))
    print(f"\n{title} (min_agri={min_agri}, max_products={MAX_PRODUCTS})")
    print("\n| seed | units/session | sessions / slots | agri sessions / agri need | production s (median, max of"
          f" {PRODUCTION_RUNS}) | production peak RSS (max) | arcs | hard rules (production) | counties covered |")
    print("|" + "---|" * 9)
    for seed, prods, _exact, _base in rows:
        p, times = prods[0], sorted(r["seconds"] for r in prods)
        print(f"| {seed} | {p['units']} | {p['sessions']:,} / {p['slots']:,} | {p['agri_sessions']:,} /"
              f" {p['agri_need']:,} | {statistics.median(times):.2f}, {times[-1]:.2f} |"
              f" {max(r['rss_mb'] for r in prods)} MB | {p['stats']['candidate_arcs']:,} | {_rules(p)} |"
              f" {p['covered']} of {p['coverable']} |")
    print("\n| seed | production objective | exact objective | gap to exact | exact s | exact peak RSS |"
          " greedy objective | greedy below exact | greedy hard rules |")
    print("|" + "---|" * 9)
    for seed, prods, exact, base in rows:
        prod = prods[0]
        gap = 100 * (exact["objective"] - prod["objective"]) / exact["objective"]
        ggap = 100 * (exact["objective"] - base["objective"]) / exact["objective"]
        print(f"| {seed} | {prod['objective']:,.3f} | {exact['objective']:,.3f} | {gap:.4f} % |"
              f" {exact['seconds']:.1f} | {exact['rss_mb']:,} MB | {base['objective']:,.3f} | {ggap:.2f} % |"
              f" {_rules(base)} |", flush=True)


def main() -> None:
    """Every scenario, every seed, every mode."""
    print(f"cpus={os.cpu_count()} python={sys.version.split()[0]}", flush=True)
    for title, min_agri in SCENARIOS:
        scenario(title, min_agri)


if __name__ == "__main__":
    if len(sys.argv) == 5 and sys.argv[1] == "--child":
        print(json.dumps(child(sys.argv[2], int(sys.argv[3]), int(sys.argv[4]))))
    else:
        main()
