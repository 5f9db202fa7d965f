"""EARS C1, C2 and C3 (Hutwagner et al. 2003), as implemented in R's
``surveillance::earsC`` so that results can be checked against it.

All three compare today's count with the mean and standard deviation of a
short moving baseline of ``baseline`` (7) points:

* C1: the baseline is the 7 points right before today (lag 1..7).
* C2: the baseline skips two points (lag 3..9), a "guard band" so that the
  start of an outbreak does not inflate its own baseline.
* C3: adds up the C2 statistics of the two previous points (each reduced by
  one, floored at zero) and alarms when that, together with today, exceeds
  the threshold.

Bound for C1/C2: mean + z(1 - alpha) * max(sd, min_sigma), sd with n - 1.
Bound for C3 (R's formulation): count + sd * (z - lag_sum), floored at 0.

Everything is computed with rolling sums over the whole 2-D array, no loop
per area or per point.
"""

from __future__ import annotations

import numpy as np
from scipy.stats import norm

from .result import (
    EVALUATED,
    NO_BASELINE_VARIATION,
    SpikeResult,
    as_area_by_time,
    empty_result,
)

# R's earsC refuses baselines shorter than 3 points.
MINIMUM_BASELINE = 3


def rolling_baseline_stats(counts: np.ndarray, baseline: int, gap: int):
    """Mean and sd (n - 1 denominator) of the ``baseline`` points that end
    ``gap`` points before each time point: for point t the window is
    t - gap - baseline + 1 .. t - gap (inclusive).  NaN where the window
    would start before the series does.

    Uses running sums; for integer counts, n * sum(x^2) - sum(x)^2 is an
    exact integer in float64, so the variance has no cancellation error.
    """
    areas, length = counts.shape
    zero = np.zeros((areas, 1))
    running_sum = np.concatenate([zero, np.cumsum(counts, axis=1)], axis=1)
    running_squares = np.concatenate([zero, np.cumsum(counts * counts, axis=1)], axis=1)
    mean = np.full((areas, length), np.nan)
    sd = np.full((areas, length), np.nan)
    first = gap + baseline - 1  # first t whose window starts at index 0
    if first >= length:
        return mean, sd
    window_end = np.arange(first, length) - gap + 1  # exclusive end in running arrays
    window_start = window_end - baseline
    total = running_sum[:, window_end] - running_sum[:, window_start]
    squares = running_squares[:, window_end] - running_squares[:, window_start]
    mean[:, first:] = total / baseline
    variance = (baseline * squares - total * total) / (baseline * (baseline - 1))
    sd[:, first:] = np.sqrt(np.maximum(variance, 0.0))
    return mean, sd


def check_ears_parameters(baseline: int, alpha: float, min_sigma: float) -> None:
    if baseline < MINIMUM_BASELINE:
        raise ValueError(f"EARS needs a baseline of at least {MINIMUM_BASELINE} points")
    if not 0.0 < alpha < 1.0:
        raise ValueError("alpha must be between 0 and 1")
    if min_sigma < 0:
        raise ValueError("min_sigma must not be negative")


def ears_c1(counts, *, start: int = 0, baseline: int = 7, alpha: float = 0.001, min_sigma: float = 0.0) -> SpikeResult:
    """EARS C1: baseline is the ``baseline`` points just before each point."""
    return _ears_c1_or_c2("ears-c1", counts, start, baseline, alpha, min_sigma, gap=1)


def ears_c2(counts, *, start: int = 0, baseline: int = 7, alpha: float = 0.001, min_sigma: float = 0.0) -> SpikeResult:
    """EARS C2: like C1 but the baseline ends 3 points back (two-point guard band)."""
    return _ears_c1_or_c2("ears-c2", counts, start, baseline, alpha, min_sigma, gap=3)


def _ears_c1_or_c2(method, counts, start, baseline, alpha, min_sigma, gap) -> SpikeResult:
    check_ears_parameters(baseline, alpha, min_sigma)
    observed = as_area_by_time(counts)
    parameters = {"baseline": baseline, "alpha": alpha, "min_sigma": min_sigma, "start": start}
    result = empty_result(method, observed, start, parameters)
    z_alpha = norm.ppf(1.0 - alpha)
    mean, sd = rolling_baseline_stats(observed, baseline, gap)
    first_evaluable = max(start, gap + baseline - 1)
    evaluated = slice(first_evaluable, None)
    spread = np.maximum(sd, min_sigma)
    upperbound = mean + z_alpha * spread
    result.upperbound[:, evaluated] = upperbound[:, evaluated]
    result.expected[:, evaluated] = mean[:, evaluated]
    result.alarm[:, evaluated] = observed[:, evaluated] > upperbound[:, evaluated]
    result.status[:, evaluated] = EVALUATED
    result.details["baseline_sd"] = np.where(result.status == EVALUATED, sd, np.nan)
    return result


def ears_c3(counts, *, start: int = 0, baseline: int = 7, alpha: float = 0.001, min_sigma: float = 0.0) -> SpikeResult:
    """EARS C3: C2 statistics of the two previous points push the bound down.

    Follows R's earsC: with C2_t = (y_t - mean_t) / max(sd_t, min_sigma) on the
    lag 3..9 baseline, the bound is
    y_t + max(sd_t, min_sigma) * (z - max(0, C2_{t-2} - 1) - max(0, C2_{t-1} - 1)),
    floored at 0.  Where the baseline has no variation and min_sigma is 0 the
    bound is undefined (R returns NA); such points do not alarm.
    """
    check_ears_parameters(baseline, alpha, min_sigma)
    observed = as_area_by_time(counts)
    parameters = {"baseline": baseline, "alpha": alpha, "min_sigma": min_sigma, "start": start}
    result = empty_result("ears-c3", observed, start, parameters)
    z_alpha = norm.ppf(1.0 - alpha)
    mean, sd = rolling_baseline_stats(observed, baseline, gap=3)
    spread = np.maximum(sd, min_sigma)
    with np.errstate(divide="ignore", invalid="ignore"):
        c2_statistic = (observed - mean) / spread
        excess = np.maximum(0.0, c2_statistic - 1.0)
        lag_sum = np.full(observed.shape, np.nan)
        lag_sum[:, 2:] = excess[:, :-2] + excess[:, 1:-1]
        upperbound = np.maximum(0.0, observed + spread * (z_alpha - lag_sum))
    first_evaluable = max(start, baseline + 4)
    evaluated = np.zeros(observed.shape, dtype=bool)
    evaluated[:, first_evaluable:] = True
    undefined = evaluated & np.isnan(upperbound)
    usable = evaluated & ~undefined
    result.status[usable] = EVALUATED
    result.status[undefined] = NO_BASELINE_VARIATION
    result.upperbound[usable] = upperbound[usable]
    result.expected[usable] = mean[usable]
    result.alarm[usable] = observed[usable] > upperbound[usable]
    result.details["baseline_sd"] = np.where(usable, sd, np.nan)
    result.details["c2_lag_sum"] = np.where(usable, lag_sum, np.nan)
    return result
