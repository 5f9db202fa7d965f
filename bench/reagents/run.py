"""Time the reagent engine and measure its accuracy on data held out from what it is built from.

Run from the repository root:

    python bench/reagents/run.py            # timing, held-out accuracy, the independent set (about a minute)
    python bench/reagents/run.py --cv       # also five-fold cross-validation of the model constants (minutes)

1. Load time of the reference table (756 substances, 15 reagents).
2. Time to interpret one observation set over the whole table: wall time (median and p95 of --repeat
   calls) and CPU time of this process, which is what the engine costs when the shared machine is busy.
   "cold" clears the colour caches first (a colour never seen before, e.g. a hex code from a photo).
3. Held-out accuracy: PsychonautWiki's *written* descriptions parsed as observations and scored against
   the table built from its *colour ids* (the engine never reads the descriptions), on the classes drug
   checking services see most; with every reagent described and with the Marquis/Mecke/Mandelin/Froehde
   kit. Top-k counts groups (substances the reagents cannot tell apart), with the group sizes.
4. The accuracy for other grouping factors (how the numbers depend on what "cannot tell apart" means).
5. Reliability of the confidence bands on the held-out cases.
6. The independent published-chart set (25 cases worded by other sources), on the whole table.

The machine is shared: the load average is printed with the run.
"""

from __future__ import annotations

import argparse
import math
import os
import platform
import statistics
import sys
import time
from pathlib import Path

import yaml

ROOT = Path(__file__).resolve().parents[2]
sys.path.insert(0, str(ROOT))

from haven.drugchecking.reagents import engine, evaluation  # noqa: E402
from haven.drugchecking.reagents.table import DEFAULT_TABLE, load_table, only_source  # noqa: E402

CASES = ROOT / "haven" / "drugchecking" / "tests" / "data" / "reagent_published_cases.yaml"
SETS = {
    "one reagent": {"marquis": "purple, black"},
    "kit of four": {"marquis": "purple, black", "mecke": "green, black", "mandelin": "purple, black",
                    "froehde": "purple, black"},
    "all 14 reagents (+4-AP)": {
        "marquis": "purple, black", "mecke": "blue-green, black", "mandelin": "dark purple", "simon": "blue",
        "froehde": "purple, black", "liebermann": "black", "ehrlich": "no reaction", "robadope": "no reaction",
        "gallic_acid": "green", "hofmann": "no reaction", "zimmermann": "pink", "morris": "no reaction",
        "scott": "no reaction", "folin": "no reaction", "4_ap": "no reaction",
    },
    "all 14, hex codes from a photo": {
        "marquis": ["#4a2a6e", "#222222"], "mecke": ["#2f6f5a", "#1a1a1a"], "mandelin": "#3b2350",
        "simon": "#2440a0", "froehde": ["#552a7a", "#202020"], "liebermann": "#161616", "ehrlich": "no reaction",
        "robadope": "no reaction", "gallic_acid": "#3f8a3a", "hofmann": "no reaction", "zimmermann": "#e08ab0",
        "morris": "no reaction", "scott": "no reaction", "folin": "no reaction",
    },
}


def timing(table, repeat: int) -> None:
    print(f"\n{'observation set (ms)':<32} {'cold':>8} {'cold cpu':>8} {'warm med':>10} {'warm p95':>8} "
          f"{'warm cpu':>8}")
    for name, observations in SETS.items():
        engine.interpret(observations, table=table)  # the table's index is built once per process
        cold, cold_cpu = [], []
        for _ in range(max(5, repeat // 10)):
            # Cold: colours never seen before (no cached colour differences or likelihoods).
            engine._delta_e.cache_clear()
            engine._colour_distance.cache_clear()
            engine._step_fit.cache_clear()
            engine._index(table).memo.clear()
            started, started_cpu = time.perf_counter(), time.process_time()
            engine.interpret(observations, table=table)
            cold.append((time.perf_counter() - started) * 1000)
            cold_cpu.append((time.process_time() - started_cpu) * 1000)
        times, cpu = [], []
        for _ in range(repeat):
            started, started_cpu = time.perf_counter(), time.process_time()
            engine.interpret(observations, table=table)
            times.append((time.perf_counter() - started) * 1000)
            cpu.append((time.process_time() - started_cpu) * 1000)
        times.sort()
        print(f"{name:<32} {statistics.median(cold):>8.2f} {statistics.median(cold_cpu):>8.2f} "
              f"{statistics.median(times):>10.2f} {times[int(0.95 * len(times)) - 1]:>8.2f} "
              f"{statistics.median(cpu):>8.2f}")


def held_out(published) -> dict:
    references = {reference.key: reference for reference in published.references}
    sets = {
        "every reagent described": [c for c in evaluation.load_cases(published)
                                    if evaluation.common_class(references[c.key])],
        "Marquis/Mecke/Mandelin/Froehde": [c for c in evaluation.load_cases(published, reagents=evaluation.KIT)
                                           if evaluation.common_class(references[c.key])],
    }
    print("\nheld-out: written descriptions vs the table built from colour ids (common classes)")
    print(f"{'reagents':<32} {'cases':>5} {'top-1':>6} {'top-2':>6} {'names in top-2 groups: median':>30} {'mean':>6}")
    scored = {}
    for name, cases in sets.items():
        rows = [(case.key, engine.scores(case.observations, table=published)[0]) for case in cases]
        scored[name] = rows
        _report(name, rows, published)
    for name, rows in scored.items():
        print(f"\n  by class ({name}):")
        by_class: dict = {}
        for key, totals in rows:
            by_class.setdefault(evaluation.common_class(references[key]), []).append((key, totals))
        for label, class_rows in sorted(by_class.items()):
            _report(f"    {label}", class_rows, published)
    return scored


def _report(label, rows, table) -> None:
    keys = [reference.key for reference in table.references]
    ranks, sizes = [], []
    for key, totals in rows:
        groups = engine.group_order(totals)
        position = keys.index(key)
        ranks.append(next(rank for rank, members in enumerate(groups, 1) if position in members))
        sizes.append(sum(len(members) for members in groups[:2]))
    n = len(rows)
    print(f"{label:<32} {n:>5} {sum(r <= 1 for r in ranks) / n:>6.1%} {sum(r <= 2 for r in ranks) / n:>6.1%} "
          f"{sorted(sizes)[n // 2]:>30} {sum(sizes) / n:>6.1f}")


def grouping_curve(scored, table) -> None:
    print("\ntop-2 by grouping factor (likelihoods within this factor of a group's best are one group)")
    saved = engine.GROUP_WITHIN
    try:
        for factor in (1.0, 1.05, 1.25, 1.5, 2.0, 3.0):
            engine.GROUP_WITHIN = math.log(factor) if factor > 1 else 1e-9
            print(f"  factor {factor}:")
            for name, rows in scored.items():
                _report(f"    {name}", rows, table)
    finally:
        engine.GROUP_WITHIN = saved


def reliability(scored, table) -> None:
    keys = [reference.key for reference in table.references]
    print("\nreliability of the confidence bands (held-out, both sets): the best group holds the truth")
    print(f"{'band':<10} {'posterior':>12} {'answers':>8} {'right':>7}")
    rows = [row for rows in scored.values() for row in rows]
    bands = engine.BANDS
    for index, (name, low) in enumerate(bands):
        high = bands[index - 1][1] if index else 1.0
        inside = []
        for key, totals in rows:
            top = max(totals)
            weights = [math.exp(total - top) for total in totals]
            groups = engine.group_order(totals)
            probability = sum(weights[i] for i in groups[0]) / sum(weights)
            band = engine.band(probability)
            if band == name:
                inside.append(keys.index(key) in groups[0])
        right = f"{sum(inside) / len(inside):.1%}" if inside else "-"
        print(f"{name:<10} {low:>5.2f}-{high:<5.2f} {len(inside):>8} {right:>7}")


def independent(table) -> None:
    cases = yaml.safe_load(CASES.read_text(encoding="utf-8"))["cases"]
    keys = [reference.key for reference in table.references]
    ranks = []
    for case in cases:
        totals, _used = engine.scores(case["observations"], table=table)
        ranks.append(evaluation.rank_of(case["truth"], totals, keys))
    n = len(ranks)
    print(f"\nindependent published-chart set, whole table: {n} cases, top-1 {sum(r <= 1 for r in ranks) / n:.0%}, "
          f"top-2 {sum(r <= 2 for r in ranks) / n:.0%}")
    published = only_source(table, "psychonautwiki")
    keys = [reference.key for reference in published.references]
    ranks = []
    for case in cases:
        if case["truth"] in keys:
            totals, _used = engine.scores(case["observations"], table=published)
            ranks.append(evaluation.rank_of(case["truth"], totals, keys))
    n = len(ranks)
    print(f"  same set, PsychonautWiki's reports only: {n} cases, top-1 {sum(r <= 1 for r in ranks) / n:.0%}, "
          f"top-2 {sum(r <= 2 for r in ranks) / n:.0%}")


def main() -> int:
    parser = argparse.ArgumentParser(description=__doc__.splitlines()[0])
    parser.add_argument("--repeat", type=int, default=100, help="warm calls per set (default: 100)")
    parser.add_argument("--cv", action="store_true", help="also run the five-fold cross-validation (slow)")
    args = parser.parse_args()

    print(f"python {platform.python_version()} on {platform.machine()}, {os.cpu_count()} cores, "
          f"load average {os.getloadavg()[0]:.2f}")
    started = time.perf_counter()
    table = load_table(DEFAULT_TABLE)
    print(f"table: {len(table.references)} substances, loaded and validated in "
          f"{(time.perf_counter() - started) * 1000:.0f} ms; constants {engine.constants()}")
    timing(table, args.repeat)
    published = only_source(table, "psychonautwiki")
    scored = held_out(published)
    grouping_curve(scored, published)
    reliability(scored, published)
    independent(table)
    if args.cv:
        print("\nfive-fold cross-validation over substances (constants chosen on four folds, scored on the fifth)")
        result = evaluation.cross_validate(published, log=lambda line: print("  " + line))
        for name, rows in result["held_out"].items():
            n = len(rows)
            print(f"  held out, {name}: {n} cases, top-1 {sum(r['rank'] <= 1 for r in rows) / n:.1%}, "
                  f"top-2 {sum(r['rank'] <= 2 for r in rows) / n:.1%}")
    return 0


if __name__ == "__main__":
    sys.exit(main())
