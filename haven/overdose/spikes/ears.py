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

Everything is computed with rolling sums over blocks of areas (``blocks``),
no loop per area or per point.
"""

from __future__ import annotations

from dataclasses import dataclass

import numpy as np

from .blocks import AreaBlock, run_plans
from .distributions import norm_ppf
from .result import (
    EVALUATED,
    NO_BASELINE_VARIATION,
    SpikeResult,
    as_area_by_time,
)

# R's earsC refuses baselines shorter than 3 points.
MINIMUM_BASELINE = 3


def rolling_baseline_stats(counts: np.ndarray, baseline: int, gap: int, running=None):
    """Mean and sd (n - 1 denominator) of the ``baseline`` points that end
    ``gap`` points before each time point: for point t the window is
    t - gap - baseline + 1 .. t - gap (inclusive).  NaN where the window
    would start before the series does.

    Uses running sums (``running``: precomputed (sum, sum of squares) with a
    leading zero column, as ``AreaBlock.running_sums``); for integer counts,
    n * sum(x^2) - sum(x)^2 is an exact integer in float64, so the variance
    has no cancellation error.
    """
    areas, length = counts.shape
    if running is None:
        running = AreaBlock(counts).running_sums()
    running_sum, running_squares = running
    mean = np.full((areas, length), np.nan)
    sd = np.full((areas, length), np.nan)
    first = gap + baseline - 1  # first t whose window starts at index 0
    if first >= length:
        return mean, sd
    # exclusive window ends t - gap + 1 for t = first .. length - 1: contiguous, so slices
    end = slice(first - gap + 1, length - gap + 1)
    begin = slice(first - gap + 1 - baseline, length - gap + 1 - baseline)
    total = running_sum[:, end] - running_sum[:, begin]
    squares = running_squares[:, end] - running_squares[:, begin]
    mean[:, first:] = total / baseline
    variance = (baseline * squares - total * total) / (baseline * (baseline - 1))
    sd[:, first:] = np.sqrt(np.maximum(variance, 0.0))
    return mean, sd


def block_baseline_stats(block: AreaBlock, baseline: int, gap: int):
    """``rolling_baseline_stats`` for a block, computed once per block and shared."""
    return block.memo(("baseline_stats", baseline, gap),
                      lambda: rolling_baseline_stats(block.observed, baseline, gap, block.running_sums()))


def check_ears_parameters(baseline: int, alpha: float, min_sigma: float) -> None:
    if baseline < MINIMUM_BASELINE:
        raise ValueError(f"EARS needs a baseline of at least {MINIMUM_BASELINE} points")
    if not 0.0 < alpha < 1.0:
        raise ValueError("alpha must be between 0 and 1")
    if min_sigma < 0:
        raise ValueError("min_sigma must not be negative")


@dataclass(frozen=True)
class EarsPlan:
    """One EARS variant with its parameters, run block by block (``blocks.run_plans``)."""

    method: str  # "ears-c1", "ears-c2" or "ears-c3"
    start: int = 0
    baseline: int = 7
    alpha: float = 0.001
    min_sigma: float = 0.0

    def __post_init__(self):
        check_ears_parameters(self.baseline, self.alpha, self.min_sigma)
        if self.method not in ("ears-c1", "ears-c2", "ears-c3"):
            raise ValueError(f"unknown EARS variant {self.method!r}")

    @property
    def details(self):
        return ("baseline_sd", "c2_lag_sum") if self.method == "ears-c3" else ("baseline_sd",)

    def parameters(self) -> dict:
        return {"baseline": self.baseline, "alpha": self.alpha, "min_sigma": self.min_sigma, "start": self.start}

    def fill(self, result: SpikeResult, rows: slice, block: AreaBlock) -> None:
        if self.method == "ears-c3":
            _fill_c3(self, result, rows, block)
        else:
            _fill_c1_or_c2(self, result, rows, block, gap=1 if self.method == "ears-c1" else 3)


def ears_c1(counts, *, start: int = 0, baseline: int = 7, alpha: float = 0.001, min_sigma: float = 0.0) -> SpikeResult:
    """EARS C1: baseline is the ``baseline`` points just before each point."""
    plan = EarsPlan("ears-c1", start, baseline, alpha, min_sigma)
    return run_plans([plan], as_area_by_time(counts))[0]


def ears_c2(counts, *, start: int = 0, baseline: int = 7, alpha: float = 0.001, min_sigma: float = 0.0) -> SpikeResult:
    """EARS C2: like C1 but the baseline ends 3 points back (two-point guard band)."""
    plan = EarsPlan("ears-c2", start, baseline, alpha, min_sigma)
    return run_plans([plan], as_area_by_time(counts))[0]


def _fill_c1_or_c2(plan: EarsPlan, result, rows, block, gap) -> None:
    observed = block.observed
    z_alpha = norm_ppf(1.0 - plan.alpha)
    mean, sd = block_baseline_stats(block, plan.baseline, gap)
    first_evaluable = max(plan.start, gap + plan.baseline - 1)
    if first_evaluable >= observed.shape[1]:
        return
    part = slice(first_evaluable, None)
    mean, sd = mean[:, part], sd[:, part]
    upperbound = np.maximum(sd, plan.min_sigma)
    upperbound *= z_alpha
    upperbound += mean
    result.upperbound[rows, part] = upperbound
    result.expected[rows, part] = mean
    np.greater(observed[:, part], upperbound, out=result.alarm[rows, part])
    result.status[rows, part] = EVALUATED
    result.details["baseline_sd"][rows, part] = sd


def ears_c3(counts, *, start: int = 0, baseline: int = 7, alpha: float = 0.001, min_sigma: float = 0.0) -> SpikeResult:
    """EARS C3: C2 statistics of the two previous points push the bound down.

    Follows R's earsC: with C2_t = (y_t - mean_t) / max(sd_t, min_sigma) on the
    lag 3..9 baseline, the bound is
    y_t + max(sd_t, min_sigma) * (z - max(0, C2_{t-2} - 1) - max(0, C2_{t-1} - 1)),
    floored at 0.  Where the baseline has no variation and min_sigma is 0 the
    bound is undefined (R returns NA); such points do not alarm.
    """
    plan = EarsPlan("ears-c3", start, baseline, alpha, min_sigma)
    return run_plans([plan], as_area_by_time(counts))[0]


def _fill_c3(plan: EarsPlan, result, rows, block) -> None:
    observed = block.observed
    z_alpha = norm_ppf(1.0 - plan.alpha)
    mean, sd = block_baseline_stats(block, plan.baseline, 3)
    spread = np.maximum(sd, plan.min_sigma)
    with np.errstate(divide="ignore", invalid="ignore"):
        c2_statistic = (observed - mean) / spread
        excess = np.maximum(0.0, c2_statistic - 1.0)
        lag_sum = np.full(observed.shape, np.nan)
        lag_sum[:, 2:] = excess[:, :-2] + excess[:, 1:-1]
        upperbound = np.maximum(0.0, observed + spread * (z_alpha - lag_sum))
    first_evaluable = max(plan.start, plan.baseline + 4)
    if first_evaluable >= observed.shape[1]:
        return
    part = slice(first_evaluable, None)
    upperbound, lag_sum = upperbound[:, part], lag_sum[:, part]
    usable = ~np.isnan(upperbound)
    status = np.where(usable, EVALUATED, NO_BASELINE_VARIATION).astype(np.int8)
    nan = np.nan
    result.status[rows, part] = status
    result.upperbound[rows, part] = np.where(usable, upperbound, nan)
    result.expected[rows, part] = np.where(usable, mean[:, part], nan)
    result.alarm[rows, part] = usable & (observed[:, part] > upperbound)
    result.details["baseline_sd"][rows, part] = np.where(usable, sd[:, part], nan)
    result.details["c2_lag_sum"][rows, part] = np.where(usable, lag_sum, nan)
