"""ESSENCE-style detectors (Burkom et al. 2007): EWMA, adaptive regression,
and the switch that picks regression when it fits well and EWMA otherwise.

All three use a sliding baseline that ends a few points before the evaluated
point (the "guard band"), so that the first days of an outbreak do not raise
their own baseline.

* EWMA: the smoothed series S_t = lambda y_t + (1 - lambda) S_{t-1} is compared
  with mean + z sd sqrt(lambda / (2 - lambda)) of the raw baseline counts (the
  asymptotic sd of an EWMA of independent counts).  The upper bound is
  reported in count units: the largest y_t that keeps S_t below that line.
* Regression: ordinary least squares on the baseline window with a linear
  trend and, for daily data, one level per day of the week.  The bound is the
  prediction plus a one-sided t quantile times the prediction standard error.
* Switch: regression where its adjusted R-squared reaches
  ``r_squared_threshold``, EWMA elsewhere.

Everything is computed with running sums over blocks of areas (``blocks``):
the regression's normal equations only need per-weekday sums, the sum of
t * y and the sum of y^2 over the window, which running sums give for every
window at once.  Within a block, the switch reuses the EWMA and the
regression computed for those detectors (``blocks.AreaBlock.memo``) when they
run together (``methods.run_methods``).
"""

from __future__ import annotations

from dataclasses import dataclass

import numpy as np

from .blocks import AreaBlock, run_plans
from .distributions import ewma_filter, norm_ppf, t_ppf
from .ears import block_baseline_stats
from .result import EVALUATED, SpikeResult, as_area_by_time

# Defaults for daily data; weekly data use the *_WEEKLY values.
EWMA_SMOOTHING = 0.4  # ESSENCE's EWMA weight (Burkom et al. 2007)
EWMA_BASELINE_DAYS = 28
EWMA_BASELINE_WEEKS = 12
REGRESSION_BASELINE_DAYS = 56
REGRESSION_BASELINE_WEEKS = 26
GUARD_BAND_DAYS = 2
GUARD_BAND_WEEKS = 1
# Regression is trusted when its adjusted R-squared is at least this.
R_SQUARED_THRESHOLD = 0.6
# Floor for the baseline sd so that an all-zero baseline does not alarm on a single report.
EWMA_MIN_SIGMA = 0.5


def defaults_for(freq: str) -> dict:
    daily = freq == "day"
    return {
        "ewma_baseline": EWMA_BASELINE_DAYS if daily else EWMA_BASELINE_WEEKS,
        "regression_baseline": REGRESSION_BASELINE_DAYS if daily else REGRESSION_BASELINE_WEEKS,
        "guard_band": GUARD_BAND_DAYS if daily else GUARD_BAND_WEEKS,
        "season_length": 7 if daily else 1,
    }


@dataclass(frozen=True)
class EwmaPlan:
    """The EWMA detector with its parameters, run block by block (``blocks.run_plans``)."""

    start: int
    freq: str
    alpha: float
    smoothing: float
    baseline: int
    guard_band: int
    min_sigma: float
    method = "ewma"
    details = ("baseline_sd", "smoothed")

    @classmethod
    def of(cls, *, start=0, freq="day", alpha=0.01, smoothing=EWMA_SMOOTHING, baseline=None, guard_band=None,
           min_sigma=EWMA_MIN_SIGMA) -> EwmaPlan:
        defaults = defaults_for(freq)
        if not 0 < smoothing <= 1:
            raise ValueError("smoothing must be in (0, 1]")
        return cls(start, freq, alpha, smoothing, baseline or defaults["ewma_baseline"],
                   defaults["guard_band"] if guard_band is None else guard_band, min_sigma)

    def parameters(self) -> dict:
        return {"alpha": self.alpha, "smoothing": self.smoothing, "baseline": self.baseline,
                "guard_band": self.guard_band, "min_sigma": self.min_sigma, "start": self.start, "freq": self.freq}

    def fill(self, result: SpikeResult, rows: slice, block: AreaBlock) -> None:
        upper, mean, sd, smoothed = _block_ewma(block, self.alpha, self.smoothing, self.baseline, self.guard_band,
                                                self.min_sigma)
        part = _fill(result, rows, block.observed, max(self.start, self.baseline + self.guard_band), upper, mean)
        if part is not None:
            result.details["baseline_sd"][rows, part] = sd[:, part]
            result.details["smoothed"][rows, part] = smoothed[:, part]


def ewma(counts, *, start: int = 0, freq: str = "day", alpha: float = 0.01, smoothing: float = EWMA_SMOOTHING,
         baseline: int | None = None, guard_band: int | None = None, min_sigma: float = EWMA_MIN_SIGMA) -> SpikeResult:
    """EWMA detector; see the module docstring."""
    plan = EwmaPlan.of(start=start, freq=freq, alpha=alpha, smoothing=smoothing, baseline=baseline,
                       guard_band=guard_band, min_sigma=min_sigma)
    return run_plans([plan], as_area_by_time(counts))[0]


def _block_ewma(block: AreaBlock, alpha, smoothing, baseline, guard_band, min_sigma):
    return block.memo(("ewma", alpha, smoothing, baseline, guard_band, min_sigma),
                      lambda: _ewma_bounds(block, alpha, smoothing, baseline, guard_band, min_sigma))


def _ewma_bounds(block: AreaBlock, alpha, smoothing, baseline, guard_band, min_sigma):
    observed = block.observed
    z = norm_ppf(1.0 - alpha)
    # S_0 = y_0, then S_t = lambda y_t + (1 - lambda) S_{t-1}, for all areas at once.
    smoothed = ewma_filter(observed, smoothing)
    mean, sd = block_baseline_stats(block, baseline, guard_band + 1)
    spread = np.maximum(sd, min_sigma) * np.sqrt(smoothing / (2.0 - smoothing))
    previous = np.concatenate([observed[:, :1], smoothed[:, :-1]], axis=1)
    upper = (mean + z * spread - (1.0 - smoothing) * previous) / smoothing
    return upper, mean, sd, smoothed


@dataclass(frozen=True)
class RegressionPlan:
    """The regression detector with its parameters, run block by block."""

    start: int
    freq: str
    alpha: float
    baseline: int
    guard_band: int
    method = "regression"
    details = ("adjusted_r_squared", "prediction_se")

    @classmethod
    def of(cls, *, start=0, freq="day", alpha=0.01, baseline=None, guard_band=None) -> RegressionPlan:
        defaults = defaults_for(freq)
        return cls(start, freq, alpha, baseline or defaults["regression_baseline"],
                   defaults["guard_band"] if guard_band is None else guard_band)

    def parameters(self) -> dict:
        return {"alpha": self.alpha, "baseline": self.baseline, "guard_band": self.guard_band, "start": self.start,
                "freq": self.freq}

    def fill(self, result: SpikeResult, rows: slice, block: AreaBlock) -> None:
        fit = _block_regression(block, self.alpha, self.baseline, self.guard_band,
                                defaults_for(self.freq)["season_length"])
        part = _fill(result, rows, block.observed, max(self.start, self.baseline + self.guard_band), fit["upper"],
                     fit["predicted"])
        if part is not None:
            result.details["adjusted_r_squared"][rows, part] = fit["adjusted_r_squared"][:, part]
            result.details["prediction_se"][rows, part] = fit["prediction_se"][:, part]


def regression(counts, *, start: int = 0, freq: str = "day", alpha: float = 0.01, baseline: int | None = None,
               guard_band: int | None = None) -> SpikeResult:
    """Least-squares regression detector; see the module docstring."""
    plan = RegressionPlan.of(start=start, freq=freq, alpha=alpha, baseline=baseline, guard_band=guard_band)
    return run_plans([plan], as_area_by_time(counts))[0]


def _block_regression(block: AreaBlock, alpha, baseline, guard_band, season_length):
    return block.memo(("regression", alpha, baseline, guard_band, season_length),
                      lambda: _regression_bounds(block.observed, alpha, baseline, guard_band, season_length))


@dataclass(frozen=True)
class SwitchPlan:
    """Regression where it fits, EWMA elsewhere, run block by block."""

    start: int
    freq: str
    alpha: float
    r_squared_threshold: float
    method = "switch"
    details = ("used_regression", "adjusted_r_squared")

    def parameters(self) -> dict:
        return {"alpha": self.alpha, "r_squared_threshold": self.r_squared_threshold, "start": self.start,
                "freq": self.freq}

    def fill(self, result: SpikeResult, rows: slice, block: AreaBlock) -> None:
        defaults = defaults_for(self.freq)
        ewma_upper, ewma_mean, _, _ = _block_ewma(block, self.alpha, EWMA_SMOOTHING, defaults["ewma_baseline"],
                                                  defaults["guard_band"], EWMA_MIN_SIGMA)
        fit = _block_regression(block, self.alpha, defaults["regression_baseline"], defaults["guard_band"],
                                defaults["season_length"])
        first = max(self.start, max(defaults["ewma_baseline"], defaults["regression_baseline"]) + defaults["guard_band"])
        if first >= block.observed.shape[1]:
            return
        part = slice(first, None)
        adjusted = fit["adjusted_r_squared"][:, part]
        use_regression = np.nan_to_num(adjusted, nan=-np.inf) >= self.r_squared_threshold
        upper = np.where(use_regression, fit["upper"][:, part], ewma_upper[:, part])
        expected = np.where(use_regression, fit["predicted"][:, part], ewma_mean[:, part])
        result.status[rows, part] = EVALUATED
        result.upperbound[rows, part] = upper
        result.expected[rows, part] = expected
        np.greater(block.observed[:, part], upper, out=result.alarm[rows, part])
        result.details["used_regression"][rows, part] = use_regression
        result.details["adjusted_r_squared"][rows, part] = adjusted


def switch(counts, *, start: int = 0, freq: str = "day", alpha: float = 0.01,
           r_squared_threshold: float = R_SQUARED_THRESHOLD) -> SpikeResult:
    """Regression where it fits (adjusted R-squared >= threshold), else EWMA."""
    plan = SwitchPlan(start, freq, alpha, r_squared_threshold)
    return run_plans([plan], as_area_by_time(counts))[0]


def _fill(result, rows, observed, first, upper, expected):
    """Mark points from ``first`` on as evaluated with these bounds; the slice filled, or None."""
    if first >= observed.shape[1]:
        return None
    part = slice(first, None)
    result.status[rows, part] = EVALUATED
    result.upperbound[rows, part] = upper[:, part]
    result.expected[rows, part] = expected[:, part]
    np.greater(observed[:, part], upper[:, part], out=result.alarm[rows, part])
    return part


def _regression_bounds(observed, alpha, baseline, guard_band, season_length):
    """OLS of y on (season level, time) over the window t-guard-baseline .. t-guard-1, for every t."""
    areas, length = observed.shape
    nan = np.full((areas, length), np.nan)
    out = {"upper": nan.copy(), "predicted": nan.copy(), "adjusted_r_squared": nan.copy(), "prediction_se": nan.copy()}
    first = baseline + guard_band
    if first >= length:
        return out
    n_levels = min(season_length, baseline)
    positions = np.arange(length, dtype=float)

    def window_sum(values):
        """Sum of values over each t's window (t-guard-baseline .. t-guard-1)."""
        running = np.empty((areas, length + 1))
        running[:, 0] = 0.0
        np.cumsum(values, axis=1, out=running[:, 1:])
        # exclusive window ends t - guard for t = first .. length - 1: contiguous, so slices
        return running[:, first - guard_band : length - guard_band] - running[:, first - guard_band - baseline : length - guard_band - baseline]

    t = np.arange(first, length)
    # Levels are numbered by lag from the window's end: level j holds the points
    # at offsets -guard-1-j, -guard-1-j-L, ... (L = n_levels), so the design is
    # the same for every t.  The sum of a level over the window is a difference
    # of a running sum taken every L points (zero-padded in front so that both
    # ends are plain slices).
    padded_length = -(-length // n_levels) * n_levels
    padded = np.zeros((areas, padded_length))
    padded[:, :length] = observed
    strided = np.cumsum(padded.reshape(areas, -1, n_levels), axis=1).reshape(areas, padded_length)
    offsets = np.arange(-guard_band - baseline, -guard_band)
    lag_level = (-guard_band - 1 - offsets) % n_levels
    front = baseline + n_levels  # zero columns in front: an index i of strided is front + i here
    shifted = np.zeros((areas, front + padded_length))
    shifted[:, front:] = strided
    del strided, padded
    level_sums = np.empty((n_levels, areas, t.size))
    for j in range(n_levels):
        count = int(np.sum(lag_level == j))
        newest = first - guard_band - 1 - j + front  # for t = first; t increases by one per column
        oldest_excluded = newest - n_levels * count
        np.subtract(shifted[:, newest : newest + t.size], shifted[:, oldest_excluded : oldest_excluded + t.size],
                    out=level_sums[j])
    del shifted
    total = level_sums.sum(axis=0)
    weighted = observed * positions
    position_weighted = window_sum(weighted)
    np.multiply(observed, observed, out=weighted)
    squares = window_sum(weighted)
    del weighted
    # Time relative to the evaluated point: sum over window of (j - t) y_j.
    time_weighted = position_weighted
    time_weighted -= t * total

    n_parameters = n_levels + 1
    df = baseline - n_parameters
    q = t_ppf(1.0 - alpha, df)
    design = np.zeros((baseline, n_parameters))
    design[np.arange(baseline), lag_level] = 1.0
    design[:, -1] = offsets
    inverse = np.linalg.inv(design.T @ design)
    x_now = np.zeros(n_parameters)
    x_now[(-guard_band - 1) % n_levels] = 1.0  # time 0 and its level
    xty = np.concatenate([level_sums, time_weighted[None]], axis=0)  # (p, areas, t)
    del level_sums
    beta = (inverse @ xty.reshape(n_parameters, -1)).reshape(xty.shape)
    predicted = np.tensordot(x_now, beta, axes=1)
    sse = squares.copy()
    for i in range(n_parameters):
        beta[i] *= xty[i]
        sse -= beta[i]
    del beta, xty
    variance_factor = 1.0 + x_now @ inverse @ x_now
    sse = np.maximum(sse, 0.0)
    residual_variance = sse / df
    prediction_se = np.sqrt(residual_variance * variance_factor)
    total_ss = squares - total * total / baseline
    with np.errstate(divide="ignore", invalid="ignore"):
        adjusted = 1.0 - residual_variance / (total_ss / (baseline - 1))
    out["predicted"][:, first:] = predicted
    out["prediction_se"][:, first:] = prediction_se
    out["upper"][:, first:] = predicted + q * prediction_se
    out["adjusted_r_squared"][:, first:] = adjusted
    return out
