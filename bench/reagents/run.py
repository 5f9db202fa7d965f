"""Time the reagent engine and measure how often it ranks the right substance first.

Run from the repository root:  python bench/reagents/run.py [--repeat N]

1. Load time of the reference table (parse and validate the YAML, colours to CIELAB).
2. Time to interpret one observation set, for a few typical sets (one reagent; three; six with a
   sequence; a mixture, which also searches pairs), cold (first call, empty colour-difference
   cache) and warm (median of --repeat calls).
3. Accuracy: top-1 and top-2 rates (ties share a rank) on every substance's own reference
   reactions, and on the separate published-chart test set
   (haven/drugchecking/tests/data/reagent_published_cases.yaml).

The machine is shared: the load average is printed with the run.
"""

from __future__ import annotations

import argparse
import os
import platform
import statistics
import sys
import time
from pathlib import Path

import yaml

ROOT = Path(__file__).resolve().parents[2]
sys.path.insert(0, str(ROOT))

from haven.drugchecking.reagents import engine, interpret  # noqa: E402
from haven.drugchecking.reagents.table import DEFAULT_TABLE, load_table  # noqa: E402
from haven.drugchecking.reagents.vocabulary import NO_REACTION  # noqa: E402

CASES = ROOT / "haven" / "drugchecking" / "tests" / "data" / "reagent_published_cases.yaml"
SETS = {
    "one reagent": {"marquis": "purple, black"},
    "three reagents": {"marquis": "purple, black", "mecke": "green", "simon": "blue"},
    "six reagents": {
        "marquis": "orange, brown", "mecke": "no reaction", "mandelin": "green", "simon": "blue",
        "liebermann": "red", "ehrlich": "no reaction",
    },
    "mixture (pairs searched)": {
        "marquis": "purple, black", "mecke": "green", "simon": "no reaction", "mandelin": "orange",
    },
}


def rank_of(result, key: str) -> int:
    mine = next(candidate for candidate in result.candidates if candidate.key == key)
    return 1 + sum(1 for candidate in result.candidates if candidate.score > mine.score)


def accuracy(pairs) -> tuple[int, int, int]:
    ranks = [rank_of(interpret(observations), truth) for observations, truth in pairs]
    return len(ranks), sum(rank == 1 for rank in ranks), sum(rank <= 2 for rank in ranks)


def main() -> int:
    parser = argparse.ArgumentParser(description=__doc__.splitlines()[0])
    parser.add_argument("--repeat", type=int, default=200, help="warm calls per set (default: 200)")
    args = parser.parse_args()

    print(f"python {platform.python_version()} on {platform.machine()}, load average {os.getloadavg()[0]:.2f}")
    started = time.perf_counter()
    table = load_table(DEFAULT_TABLE)
    print(f"table: {len(table.references)} substances, loaded and validated in "
          f"{(time.perf_counter() - started) * 1000:.1f} ms")

    print(f"\n{'observation set':<26} {'cold ms':>8} {'median ms':>10} {'p95 ms':>8}")
    for name, observations in SETS.items():
        engine._delta_e.cache_clear()
        started = time.perf_counter()
        interpret(observations, table=table)
        cold = (time.perf_counter() - started) * 1000
        times = []
        for _ in range(args.repeat):
            started = time.perf_counter()
            interpret(observations, table=table)
            times.append((time.perf_counter() - started) * 1000)
        times.sort()
        print(f"{name:<26} {cold:>8.2f} {statistics.median(times):>10.2f} {times[int(0.95 * len(times)) - 1]:>8.2f}")

    own = [
        ({reagent: NO_REACTION if not expected.reacts else [step[0] for step in expected.steps]
          for reagent, expected in reference.reactions.items()}, reference.key)
        for reference in table.references
    ]
    published = [(case["observations"], case["truth"]) for case in yaml.safe_load(CASES.read_text())["cases"]]
    print("\naccuracy (ties share a rank)        cases  top-1  top-2")
    for label, pairs in (("own reference reactions", own), ("published-chart test set", published)):
        total, first, second = accuracy(pairs)
        print(f"{label:<35} {total:>5} {first / total:>6.0%} {second / total:>6.0%}")
    return 0


if __name__ == "__main__":
    sys.exit(main())
