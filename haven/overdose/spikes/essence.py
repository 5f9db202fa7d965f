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

Everything is computed with running sums over the whole areas x time array:
the regression's normal equations only need per-weekday sums, the sum of
t * y and the sum of y^2 over the window, which running sums give for every
window at once.
"""

from __future__ import annotations

import numpy as np
from scipy import signal, stats

from .ears import rolling_baseline_stats
from .result import EVALUATED, SpikeResult, as_area_by_time, empty_result

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


def ewma(counts, *, start: int = 0, freq: str = "day", alpha: float = 0.01, smoothing: float = EWMA_SMOOTHING,
         baseline: int | None = None, guard_band: int | None = None, min_sigma: float = EWMA_MIN_SIGMA) -> SpikeResult:
    """EWMA detector; see the module docstring."""
    defaults = defaults_for(freq)
    baseline = baseline or defaults["ewma_baseline"]
    guard_band = defaults["guard_band"] if guard_band is None else guard_band
    if not 0 < smoothing <= 1:
        raise ValueError("smoothing must be in (0, 1]")
    observed = as_area_by_time(counts)
    parameters = {"alpha": alpha, "smoothing": smoothing, "baseline": baseline, "guard_band": guard_band,
                  "min_sigma": min_sigma, "start": start, "freq": freq}
    result = empty_result("ewma", observed, start, parameters)
    upper, mean, sd, smoothed = _ewma_bounds(observed, alpha, smoothing, baseline, guard_band, min_sigma)
    first = max(start, baseline + guard_band)
    _fill(result, observed, first, upper, mean)
    result.details["baseline_sd"] = np.where(result.status == EVALUATED, sd, np.nan)
    result.details["smoothed"] = np.where(result.status == EVALUATED, smoothed, np.nan)
    return result


def _ewma_bounds(observed, alpha, smoothing, baseline, guard_band, min_sigma):
    z = stats.norm.ppf(1.0 - alpha)
    # S_0 = y_0, then S_t = lambda y_t + (1 - lambda) S_{t-1}, for all areas at once.
    initial = (1.0 - smoothing) * observed[:, :1]
    smoothed, _ = signal.lfilter([smoothing], [1.0, -(1.0 - smoothing)], observed, axis=1, zi=initial)
    mean, sd = rolling_baseline_stats(observed, baseline, gap=guard_band + 1)
    spread = np.maximum(sd, min_sigma) * np.sqrt(smoothing / (2.0 - smoothing))
    previous = np.concatenate([observed[:, :1], smoothed[:, :-1]], axis=1)
    upper = (mean + z * spread - (1.0 - smoothing) * previous) / smoothing
    return upper, mean, sd, smoothed


def regression(counts, *, start: int = 0, freq: str = "day", alpha: float = 0.01, baseline: int | None = None,
               guard_band: int | None = None) -> SpikeResult:
    """Least-squares regression detector; see the module docstring."""
    defaults = defaults_for(freq)
    baseline = baseline or defaults["regression_baseline"]
    guard_band = defaults["guard_band"] if guard_band is None else guard_band
    observed = as_area_by_time(counts)
    parameters = {"alpha": alpha, "baseline": baseline, "guard_band": guard_band, "start": start, "freq": freq}
    result = empty_result("regression", observed, start, parameters)
    fit = _regression_bounds(observed, alpha, baseline, guard_band, defaults["season_length"])
    first = max(start, baseline + guard_band)
    _fill(result, observed, first, fit["upper"], fit["predicted"])
    result.details["adjusted_r_squared"] = np.where(result.status == EVALUATED, fit["adjusted_r_squared"], np.nan)
    result.details["prediction_se"] = np.where(result.status == EVALUATED, fit["prediction_se"], np.nan)
    return result


def switch(counts, *, start: int = 0, freq: str = "day", alpha: float = 0.01,
           r_squared_threshold: float = R_SQUARED_THRESHOLD) -> SpikeResult:
    """Regression where it fits (adjusted R-squared >= threshold), else EWMA."""
    defaults = defaults_for(freq)
    observed = as_area_by_time(counts)
    parameters = {"alpha": alpha, "r_squared_threshold": r_squared_threshold, "start": start, "freq": freq}
    result = empty_result("switch", observed, start, parameters)
    ewma_upper, ewma_mean, _, _ = _ewma_bounds(observed, alpha, EWMA_SMOOTHING, defaults["ewma_baseline"],
                                               defaults["guard_band"], EWMA_MIN_SIGMA)
    fit = _regression_bounds(observed, alpha, defaults["regression_baseline"], defaults["guard_band"],
                             defaults["season_length"])
    use_regression = np.nan_to_num(fit["adjusted_r_squared"], nan=-np.inf) >= r_squared_threshold
    upper = np.where(use_regression, fit["upper"], ewma_upper)
    expected = np.where(use_regression, fit["predicted"], ewma_mean)
    first = max(start, max(defaults["ewma_baseline"], defaults["regression_baseline"]) + defaults["guard_band"])
    _fill(result, observed, first, upper, expected)
    evaluated = result.status == EVALUATED
    result.details["used_regression"] = np.where(evaluated, use_regression, np.nan)
    result.details["adjusted_r_squared"] = np.where(evaluated, fit["adjusted_r_squared"], np.nan)
    return result


def _fill(result, observed, first, upper, expected):
    if first >= observed.shape[1]:
        return
    part = slice(first, None)
    result.status[:, part] = EVALUATED
    result.upperbound[:, part] = upper[:, part]
    result.expected[:, part] = expected[:, part]
    result.alarm[:, part] = observed[:, part] > upper[:, part]


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
    q = stats.t.ppf(1.0 - alpha, df)
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
