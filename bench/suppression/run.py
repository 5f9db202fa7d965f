"""Time small-cell suppression of random 50 x 12 (sites x months) tables with margins.

Run from the repository root:  python bench/suppression/run.py [--tables N] [--seed S]

Site sizes are drawn log-normally so that a realistic share of sites has
monthly counts under 11; each month's count is Poisson around the site's mean.
The LP audit (the reference auditor the tests use) is timed separately on a
few tables: it is not part of publishing, but shows what the fast check saves.
"""

from __future__ import annotations

import argparse
import os
import platform
import statistics
import sys
import time
from collections import Counter
from pathlib import Path

import numpy as np

sys.path.insert(0, str(Path(__file__).resolve().parents[2]))

from haven.reports.suppression import (  # noqa: E402
    COMPLEMENTARY,
    PRIMARY,
    SuppressionPolicy,
    find_exposures,
    suppress_table,
)


def random_sites_by_months(
    rng: np.random.Generator, *, sites: int, months: int, median: float
) -> list[list[int]]:
    site_means = rng.lognormal(mean=np.log(median), sigma=1.0, size=sites)
    return rng.poisson(site_means[:, None] * np.ones(months)).tolist()


def main() -> None:
    parser = argparse.ArgumentParser(description=__doc__.splitlines()[0])
    parser.add_argument("--tables", type=int, default=30)
    parser.add_argument("--audited", type=int, default=1, help="tables also checked by the LP auditor")
    parser.add_argument("--seed", type=int, default=20261125)
    args = parser.parse_args()

    print(
        f"python {platform.python_version()}, {os.cpu_count()} cpus, {args.tables} tables of 50 x 12 per scenario"
    )
    print(
        f"{'scenario':<28}{'median ms':>10}{'p90 ms':>9}{'max ms':>9}{'primary':>9}{'compl.':>8}{'LP audit s':>12}",
        flush=True,
    )
    for label, median, policy in [
        ("median site 12/month", 12.0, SuppressionPolicy()),
        ("median site 30/month", 30.0, SuppressionPolicy()),
        ("median site 5/month", 5.0, SuppressionPolicy()),
        ("median 12, zeros hidden", 12.0, SuppressionPolicy(suppress_zeros=True)),
    ]:
        rng = np.random.default_rng(args.seed)
        timings, primary, complementary, audit_seconds = [], [], [], []
        for index in range(args.tables):
            rows = random_sites_by_months(rng, sites=50, months=12, median=median)
            started = time.perf_counter()
            result = suppress_table(rows, policy=policy)
            timings.append(time.perf_counter() - started)
            reasons = Counter(result.pattern.values())
            primary.append(reasons[PRIMARY])
            complementary.append(reasons[COMPLEMENTARY])
            if index < args.audited:
                started = time.perf_counter()
                assert find_exposures(result.table, result.pattern, policy=policy) == []
                audit_seconds.append(time.perf_counter() - started)
        ms = sorted(1000 * t for t in timings)
        print(
            f"{label:<28}{statistics.median(ms):>10.1f}{ms[int(0.9 * (len(ms) - 1))]:>9.1f}{ms[-1]:>9.1f}"
            f"{statistics.mean(primary):>9.1f}{statistics.mean(complementary):>8.1f}"
            f"{statistics.mean(audit_seconds) if audit_seconds else float('nan'):>12.2f}"
        )


if __name__ == "__main__":
    main()
