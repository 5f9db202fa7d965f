"""Small accuracy simulation after Noufaily et al. (2013).

Run from the repository root:  python bench/spikes/accuracy.py
Seven baseline scenarios (Noufaily et al. 2013, table 1 parameter sets: theta,
beta, gamma1, gamma2, phi; one seasonal harmonic, trend on), negative binomial
noise, 624 weeks per series.  One outbreak per series starts at a random week
of the last 52; its size is Poisson(k * sd of the baseline count) with k = 5,
spread over weeks by a lognormal delay (as in the paper).  Every detector runs
at alpha = 0.01 on the last 104 weeks and we report:

* POD: share of outbreaks with at least one alarm while outbreak cases occur,
* FPR: share of alarms among weeks without outbreak cases,
* delay: weeks from outbreak start to first alarm, among detected outbreaks.
"""

from __future__ import annotations

import sys
import time
from pathlib import Path

import numpy as np

sys.path.insert(0, str(Path(__file__).resolve().parents[2]))

from haven.overdose.spikes import run_method  # noqa: E402

SCENARIOS = [  # theta, beta, gamma1, gamma2, phi (Noufaily et al. 2013)
    (0.1, 0.0025, 0.6, 0.6, 1.5),
    (-2.0, 0.005, 0.1, 0.3, 2.0),
    (1.5, 0.003, 0.2, -0.4, 1.0),
    (0.5, 0.002, 0.5, 0.5, 5.0),
    (2.5, 0.001, 1.0, 0.1, 3.0),
    (3.75, 0.001, 0.1, -0.1, 1.1),
    (5.0, 0.0001, 0.05, 0.01, 1.2),
]
SERIES_PER_SCENARIO = 40
WEEKS = 624
EVALUATED = 104
METHODS = ["ears-c1", "ears-c2", "ears-c3", "ewma", "regression", "switch", "farrington", "farrington-noufaily"]


def simulate(scenario, rng):
    theta, beta, g1, g2, phi = scenario
    t = np.arange(1, WEEKS + 1)
    mu = np.exp(theta + beta * t + g1 * np.cos(2 * np.pi * t / 52) + g2 * np.sin(2 * np.pi * t / 52))
    counts = np.empty((SERIES_PER_SCENARIO, WEEKS))
    outbreak = np.zeros((SERIES_PER_SCENARIO, WEEKS))
    starts = rng.integers(WEEKS - 52, WEEKS - 8, size=SERIES_PER_SCENARIO)
    for series in range(SERIES_PER_SCENARIO):
        if phi > 1:
            size = mu / (phi - 1)
            counts[series] = rng.negative_binomial(size, size / (size + mu))
        else:
            counts[series] = rng.poisson(mu)
        start = starts[series]
        cases = rng.poisson(5 * np.sqrt(phi * mu[start]))
        delays = np.minimum(np.floor(rng.lognormal(0, 0.5, size=cases)), 7).astype(int)
        np.add.at(outbreak[series], start + delays, 1)
    return counts + outbreak, outbreak, starts


def main() -> None:
    rng = np.random.default_rng(2013)
    data = [simulate(scenario, rng) for scenario in SCENARIOS]
    print(f"{len(SCENARIOS)} scenarios x {SERIES_PER_SCENARIO} series x {WEEKS} weeks, alpha = 0.01, "
          f"last {EVALUATED} weeks evaluated")
    print(f"{'method':20s} {'POD':>6s} {'FPR':>7s} {'delay':>6s} {'seconds':>8s}")
    for method in METHODS:
        detected = outbreaks = false_alarms = quiet_weeks = 0
        delays = []
        started = time.perf_counter()
        for counts, outbreak, starts in data:
            result = run_method(method, counts, start=WEEKS - EVALUATED, freq="week", alpha=0.01)
            window = slice(WEEKS - EVALUATED, None)
            alarm = result.alarm[:, window]
            in_outbreak = outbreak[:, window] > 0
            false_alarms += int((alarm & ~in_outbreak).sum())
            quiet_weeks += int((~in_outbreak).sum())
            for series in range(counts.shape[0]):
                weeks_with_cases = np.flatnonzero(in_outbreak[series])
                if weeks_with_cases.size == 0:
                    continue
                outbreaks += 1
                hits = weeks_with_cases[alarm[series, weeks_with_cases]]
                if hits.size:
                    detected += 1
                    delays.append(hits[0] - (starts[series] - (WEEKS - EVALUATED)))
        elapsed = time.perf_counter() - started
        delay = np.mean(delays) if delays else float("nan")
        print(f"{method:20s} {detected / outbreaks:6.3f} {false_alarms / quiet_weeks:7.4f} {delay:6.2f} {elapsed:8.2f}")


if __name__ == "__main__":
    main()
