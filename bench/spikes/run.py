"""Time every spike detector on 3,000 areas x 5 years of daily counts.

Run from the repository root:  python bench/spikes/run.py
(R's timings on the same series: python bench/spikes/r_timing.py, see docs/SPIKES.md.)
Synthetic, seeded data: Poisson counts with a weekday pattern, a yearly wave
and an area-specific level.  EARS, EWMA, regression, switch and the count
threshold run on the daily array; the Farrington detectors, which are weekly
methods, run on the same counts summed into weeks (260 weeks), evaluating
every week that has enough history.
"""

from __future__ import annotations

import os
import platform
import sys
import time
from pathlib import Path

# The detectors' matrix products are small; on a shared 2-core machine a
# multi-threaded BLAS mostly waits for the other core.  Set before numpy loads;
# an explicit OPENBLAS_NUM_THREADS in the environment wins.
os.environ.setdefault("OPENBLAS_NUM_THREADS", "1")

import numpy as np  # noqa: E402

sys.path.insert(0, str(Path(__file__).resolve().parents[2]))

from haven.overdose.spikes import run_method  # noqa: E402

AREAS = 3000
DAYS = 5 * 365
SEED = 20261125


def synthetic_daily_counts(areas=AREAS, days=DAYS, seed=SEED) -> np.ndarray:
    rng = np.random.default_rng(seed)
    day = np.arange(days)
    weekday = np.array([1.15, 0.95, 0.9, 0.9, 1.0, 1.1, 1.2])[day % 7]
    season = 1 + 0.2 * np.sin(2 * np.pi * day / 365)
    level = rng.gamma(2.0, 2.0, size=(areas, 1))
    return rng.poisson(level * weekday * season).astype(float)


def main() -> None:
    daily = synthetic_daily_counts()
    weeks = DAYS // 7
    weekly = daily[:, : weeks * 7].reshape(AREAS, weeks, 7).sum(axis=2)
    print(f"{AREAS} areas x {DAYS} days ({weeks} weeks for Farrington); "
          f"python {platform.python_version()}, numpy {np.__version__}, {os.cpu_count()} cores")
    runs = [
        ("ears-c1", daily, "day", {}),
        ("ears-c2", daily, "day", {}),
        ("ears-c3", daily, "day", {}),
        ("ewma", daily, "day", {}),
        ("regression", daily, "day", {}),
        ("switch", daily, "day", {}),
        ("threshold", daily, "day", {"threshold": 10}),
        ("farrington", weekly, "week", {}),
        ("farrington-noufaily", weekly, "week", {}),
    ]
    total = total_cpu = 0.0
    for method, counts, freq, extra in runs:
        started, started_cpu = time.perf_counter(), time.process_time()
        result = run_method(method, counts, freq=freq, **extra)
        elapsed, cpu = time.perf_counter() - started, time.process_time() - started_cpu
        total += elapsed
        total_cpu += cpu
        evaluated = int((result.status == 0).sum())
        print(f"{method:20s} {elapsed:7.3f} s ({cpu:6.3f} s CPU)  {evaluated:>10,d} points evaluated  "
              f"{int(result.alarm.sum()):>8,d} alarms")
    print(f"{'all methods':20s} {total:7.3f} s ({total_cpu:6.3f} s CPU); load average {os.getloadavg()[0]:.1f}")


if __name__ == "__main__":
    main()
