"""Nested cross-validation of the reagent engine: every constant (the grouping factor included) chosen
on four folds of substances, the fifth scored once (evaluation.nested_cross_validate).

    python bench/reagents/nested.py     # about ten minutes on a quiet 2-core machine

Then, with --all, the same tuning on every case: the constants Haven ships.
"""

from __future__ import annotations

import argparse
import os
import platform
import sys
import time
from pathlib import Path

ROOT = Path(__file__).resolve().parents[2]
sys.path.insert(0, str(ROOT))

from haven.drugchecking.reagents import engine, evaluation  # noqa: E402
from haven.drugchecking.reagents.table import DEFAULT_TABLE, load_table, only_source  # noqa: E402


def main() -> int:
    parser = argparse.ArgumentParser(description=__doc__.splitlines()[0])
    parser.add_argument("--all", action="store_true", help="also tune on every case (the shipped constants)")
    args = parser.parse_args()
    print(f"python {platform.python_version()} on {platform.machine()}, {os.cpu_count()} cores, "
          f"load average {os.getloadavg()[0]:.2f}")
    published = only_source(load_table(DEFAULT_TABLE), "psychonautwiki")
    started = time.perf_counter()
    result = evaluation.nested_cross_validate(published, log=lambda line: print("  " + line, flush=True))
    print(f"\nnested five-fold cross-validation ({time.perf_counter() - started:.0f} s)")
    for label, name in (("all", "every reagent described"), ("kit", "Marquis/Mecke/Mandelin/Froehde")):
        ranks, names = result["held_out"][label], sorted(result["names"][label])
        n = len(ranks)
        print(f"  held out, {name}: {n} cases, top-1 {sum(r <= 1 for r in ranks) / n:.1%}, "
              f"top-2 {sum(r <= 2 for r in ranks) / n:.1%}, names in the first two groups: "
              f"median {names[n // 2]}, mean {sum(names) / n:.1f}")
    for fold, values in enumerate(result["chosen"], 1):
        print(f"  fold {fold}: {values}")
    if args.all:
        references = {reference.key: reference for reference in published.references}
        sets = [[c for c in evaluation.load_cases(published) if evaluation.common_class(references[c.key])],
                [c for c in evaluation.load_cases(published, reagents=evaluation.KIT)
                 if evaluation.common_class(references[c.key])]]
        saved = engine.constants()
        try:
            print(f"\non every case: {evaluation.tune(sets, published)}")
        finally:
            engine.set_constants(**saved)
    return 0


if __name__ == "__main__":
    sys.exit(main())
