"""Farrington detectors: the original (Farrington et al. 1996) and the improved
form of Noufaily et al. (2013), following R's ``surveillance::farringtonFlexible``
(version 1.20.3) so that alarms and upper bounds can be checked against it.

For each evaluated point t (per area):

1. Take reference values from the previous ``b`` years: windows of 2w + 1
   points centred on t - freq, t - 2 freq, ..., t - b freq.  The Noufaily form
   (``no_periods`` = 10) also uses everything between those windows, split into
   ``no_periods - 1`` seasonal blocks, so the model gets a 10-level factor.
   The most recent ``past_points_not_included`` points (and t itself) are never
   used, so that an outbreak in progress does not hide itself.
2. Fit a quasi-Poisson log-linear model (group levels + linear trend) by IRLS.
   Dispersion phi = max(1, Pearson chi-square / (n - p)).
3. Down-weight past outbreaks: standardised Anscombe residuals
   s_i = 1.5 (y^(2/3) mu^(-1/6) - mu^(1/2)) / sqrt(phi (1 - h_ii)); points with
   s_i > ``weights_threshold`` get weight proportional to s_i^-2, the others a
   constant, scaled so the weights sum to n (Farrington et al. 1996, sec. 3.3).
   Refit with these weights.
4. Keep the trend only if its t-test p-value is below ``p_threshold_trend``, the
   fitted value at t is not above the largest reference count (no
   extrapolation) and b >= 3; otherwise refit (steps 2-3) without it.
   As in farringtonFlexible, after reweighting the t-test and the prediction's
   standard error use the dispersion sum(omega (y - mu)^2 / mu^2) / (n - p)
   (R overwrites the model's working weights with the prior weights omega
   before calling summary.glm / predict.glm; see ``dispersion_seen_by_r``).
5. Upper bound:
   * "delta" (original): with mu0 the prediction,
     U = (mu0^(2/3) + z(1-alpha) sqrt(4/9 mu0^(1/3) tau))^(3/2), the 2/3-power
     transformation that makes Poisson-like counts nearly normal
     (Farrington et al. 1996), tau = phi + Var(mu0)/mu0 with
     Var(mu0) = mu0^2 Var(eta0) (delta method, R's predict type "response").
   * "nbPlugin" (Noufaily): U = the (1-alpha) quantile of a negative binomial
     with mean mu0 and variance phi mu0 (Poisson if phi = 1).
6. Alarm only when the count is above U, is not zero, and there were at least
   5 reports in the last 4 points including t (the "limit54" rule).

All points and areas are fitted together: with the time axis centred on the
evaluated point, the reference design is identical for every t, so the fits
for (area, t) pairs are rows of one batched IRLS (see ``glm.py``).
"""

from __future__ import annotations

from dataclasses import dataclass

import numpy as np

from .blocks import run_plans
from .distributions import nbinom_ppf, norm_ppf, poisson_ppf, t_sf
from .glm import DOUBLE_EPSILON, CountTerms, GroupedPoissonFit, fit_grouped_poisson
from .result import (
    EVALUATED,
    FEW_RECENT_REPORTS,
    MODEL_DID_NOT_CONVERGE,
    SpikeResult,
    as_area_by_time,
)
from .runfit import RunDesign, SeriesTerms, anscombe_outliers, fit_from_sums, unweighted_sums, weighted_sums

# Upper bound on the number of (fit x observation) cells processed at once;
# keeps memory near a few hundred MB whatever the number of areas.
CELLS_PER_CHUNK = 200_000


@dataclass(frozen=True)
class FarringtonSettings:
    """Parameters of farringtonFlexible; defaults are the original method."""

    years_back: int = 3  # b
    half_window: int = 3  # w
    reweight: bool = True
    weights_threshold: float = 1.0
    alpha: float = 0.01
    trend: bool = True
    p_threshold_trend: float = 0.05
    limit_cases: int = 5  # limit54[1]: at least this many reports ...
    limit_points: int = 4  # limit54[2]: ... in this many most recent points
    no_periods: int = 1
    past_points_not_included: int = 3
    threshold_method: str = "delta"  # or "nbPlugin"


# Farrington et al. (1996): b = 3 years, w = 3, weights for s > 1, trend at 5 %,
# alpha = 0.01 here to compare with Noufaily et al. (2013) at the same level.
ORIGINAL = FarringtonSettings()
# Noufaily et al. (2013): b = 5 in the paper (4 in the reference data), a
# 10-level seasonal factor, reweighting above s = 2.58, trend always tested,
# the last 26 weeks left out, negative binomial quantile.
NOUFAILY = FarringtonSettings(
    years_back=4,
    half_window=3,
    weights_threshold=2.58,
    p_threshold_trend=1.0,
    no_periods=10,
    past_points_not_included=26,
    threshold_method="nbPlugin",
)


def reference_design(period: int, settings: FarringtonSettings):
    """Offsets (relative to the evaluated point, all negative) of the reference
    values and their 0-based season group, as farringtonFlexible's ``blocks``.

    The window around each reference point gets the last group
    (``no_periods - 1``); with ``no_periods`` > 1 the points between windows are
    split into ``no_periods - 1`` consecutive blocks, earlier blocks taking one
    extra point when the split is uneven.
    """
    b, w, p = settings.years_back, settings.half_window, settings.no_periods
    span = period * b + w
    labels = np.full(span + 1, -1)  # labels[j] is for offset j - span

    def put(first_offset: int, last_offset: int, label: int) -> None:
        labels[first_offset + span : last_offset + span + 1] = label

    put(-w, 0, p)
    for year in range(1, b + 1):
        reference = -period * year
        put(reference - w, reference + w, p)
        if p != 1:
            between = period - 2 * w - 1
            if between < p - (2 * w + 1):
                raise ValueError("too many seasonal periods for this window length")
            block_length, remainder = divmod(between, p - 1)
            start = reference + w + 1
            for block in range(1, p):
                length = block_length + (1 if block <= remainder else 0)
                if length > 0:
                    put(start, start + length - 1, block)
                start += length
    offsets = np.arange(-span, 1)
    keep = (labels >= 0) & (offsets < -settings.past_points_not_included)
    return offsets[keep], labels[keep] - 1


def anscombe_weights(y, fit: GroupedPoissonFit, group, time, threshold: float, y_two_thirds=None) -> np.ndarray:
    """Farrington et al. (1996) weights from standardised Anscombe residuals."""
    inverse_square, _, scale = _anscombe(y, fit, group, time, threshold, y_two_thirds)
    return scale * inverse_square


def _anscombe(y, fit: GroupedPoissonFit, group, time, threshold: float, y_two_thirds=None):
    """(s^-2 where s > threshold else 1, the outlying mask, gamma): weights are gamma * the first."""
    if y_two_thirds is None:
        y_two_thirds = y ** (2.0 / 3.0)
    phi = np.maximum(fit.dispersion, 1.0)[:, None]
    mu = fit.fitted
    hat = fit.hat_values(group, time)
    with np.errstate(divide="ignore", invalid="ignore"):
        root = np.sqrt(mu)
        # mu^(-1/6) = 1 / cbrt(sqrt(mu)): cheaper than a general power.
        residual = 1.5 * (y_two_thirds / np.cbrt(root) - root) / np.sqrt(phi * (1.0 - hat))
        outlying = residual > threshold
        inverse_square = np.where(outlying, 1.0 / (residual * residual), 1.0)
        scale = y.shape[1] / np.sum(inverse_square, axis=1, keepdims=True)
    return inverse_square, outlying, scale


def fit_with_reweighting(y, group, n_groups, time, with_trend, settings, terms=None):
    """Steps 2-3: fit, reweight, refit.

    Returns (first fit converged, final fit, dispersion R reports for the final
    fit).  The last one is what ``summary.glm`` and ``predict.glm`` use in
    farringtonFlexible, which differs from ``fit.dispersion`` after
    reweighting; see ``dispersion_seen_by_r``.
    """
    if terms is None:
        terms = CountTerms.of(y)
    first = fit_grouped_poisson(y, group, n_groups, time, with_trend, terms=terms)
    if not settings.reweight:
        return first.converged, first, first.dispersion
    weights = anscombe_weights(y, first, group, time, settings.weights_threshold, terms.y_two_thirds)
    second = fit_grouped_poisson(y, group, n_groups, time, with_trend, prior_weights=weights, terms=terms)
    return first.converged, second, dispersion_seen_by_r(y, second, weights)


def fit_runs_with_reweighting(y, sums, design: RunDesign, with_trend, settings, y_two_thirds):
    """``fit_with_reweighting`` from the run sums (``runfit``): the refit's
    weighted sums are gamma times the unweighted ones plus a correction over
    the outlying points only."""
    first = fit_from_sums(sums, y, design, with_trend)
    if not settings.reweight:
        return first.converged, first, first.dispersion

    def dense_anscombe(rows):
        part = GroupedPoissonFit(**{name: (value[rows] if isinstance(value, np.ndarray) else value)
                                    for name, value in first.__dict__.items() if name in GroupedPoissonFit.__dataclass_fields__})
        return _anscombe(y[rows], part, design.group, design.time, settings.weights_threshold, y_two_thirds[rows])

    outliers = anscombe_outliers(y, y_two_thirds, first, design, settings.weights_threshold, dense_anscombe)
    weighted = weighted_sums(sums, outliers, y, design)
    second = fit_from_sums(weighted, y, design, with_trend, outliers)
    seen = outliers.weighted_row_sums(second.squared_relative_residual)
    seen = seen / second.residual_df if second.residual_df > 0 else np.full(y.shape[0], np.nan)
    return first.converged, second, seen


def dispersion_seen_by_r(y, fit: GroupedPoissonFit, prior_weights) -> np.ndarray:
    """Dispersion used by farringtonFlexible's trend test and prediction
    standard error after reweighting.

    ``algo.farrington.fitGLM.flexible`` stores phi (from the proper working
    weights), then overwrites ``model$weights`` (the IRLS working weights,
    omega * mu) with the prior weights omega.  ``summary.glm`` and
    ``predict.glm`` later recompute the dispersion from ``model$weights`` and
    the working residuals (y - mu) / mu, so they see
    sum(omega (y - mu)^2 / mu^2) / (n - p) instead of
    sum(omega mu (y - mu)^2 / mu^2) / (n - p).  The trend's t-test and the
    standard error of the prediction (hence tau in the "delta" bound) use
    this value; phi itself (the max(1, .) one) does not.
    """
    mu = fit.fitted
    with np.errstate(divide="ignore", invalid="ignore"):
        pearson = np.sum(prior_weights * ((y - mu) / mu) ** 2, axis=1)
    if fit.residual_df <= 0:
        return np.full(y.shape[0], np.nan)
    return pearson / fit.residual_df


def prediction_at_evaluated_point(fit: GroupedPoissonFit, level: int, dispersion):
    """Linear predictor at the evaluated point (time 0, window group) and its
    standard error with the given dispersion (the one R's predict.glm sees,
    not the floored phi)."""
    eta = fit.group_coefficients[:, level]
    se_link = np.sqrt(dispersion * fit.unscaled_variance_at(level))
    return eta, se_link


def evaluate_reference_sets(y, current, recent_total, group, n_groups, time, settings, terms=None, runs=None):
    """Run steps 2-6 for every row of ``y`` (fits x reference values).

    ``runs`` (optional): (RunDesign, FitSums, y^(2/3) per reference value) to
    fit from run sums instead of per observation (see ``runfit``)."""
    n_fits = y.shape[0]
    level = n_groups - 1
    eta = np.full(n_fits, np.nan)
    se_link = np.full(n_fits, np.nan)
    phi = np.full(n_fits, np.nan)
    used_trend = np.zeros(n_fits, dtype=bool)
    usable = np.zeros(n_fits, dtype=bool)

    needs_plain_fit = np.ones(n_fits, dtype=bool)
    if settings.trend:
        if runs is None:
            trend_converged, trend_fit, trend_dispersion = fit_with_reweighting(y, group, n_groups, time, True, settings,
                                                                                terms)
        else:
            design, sums, y_two_thirds = runs
            trend_converged, trend_fit, trend_dispersion = fit_runs_with_reweighting(y, sums, design, True, settings,
                                                                                     y_two_thirds)
        trend_eta, trend_se = prediction_at_evaluated_point(trend_fit, level, trend_dispersion)
        with np.errstate(divide="ignore", invalid="ignore"):
            t_value = trend_fit.trend_coefficient / np.sqrt(trend_dispersion * trend_fit.trend_unscaled_variance())
        p_value = 2.0 * t_sf(np.abs(t_value), trend_fit.residual_df)
        with np.errstate(over="ignore"):
            fitted_now = np.maximum(np.exp(trend_eta), DOUBLE_EPSILON)
        keep_trend = (
            trend_converged
            & (settings.years_back >= 3)
            & (p_value < settings.p_threshold_trend)
            & (fitted_now <= np.max(y, axis=1))
        )
        eta[keep_trend] = trend_eta[keep_trend]
        se_link[keep_trend] = trend_se[keep_trend]
        phi[keep_trend] = np.maximum(trend_fit.dispersion[keep_trend], 1.0)
        used_trend = keep_trend
        usable |= keep_trend
        needs_plain_fit = ~keep_trend

    rows = np.flatnonzero(needs_plain_fit)
    if rows.size:
        if runs is None:
            plain_converged, plain_fit, plain_dispersion = fit_with_reweighting(
                y[rows], group, n_groups, time, False, settings, None if terms is None else terms.gather(rows))
        else:
            design, sums, y_two_thirds = runs
            plain_converged, plain_fit, plain_dispersion = fit_runs_with_reweighting(
                y[rows], sums.take(rows), design, False, settings, y_two_thirds[rows])
        plain_eta, plain_se = prediction_at_evaluated_point(plain_fit, level, plain_dispersion)
        ok = plain_converged
        eta[rows[ok]] = plain_eta[ok]
        se_link[rows[ok]] = plain_se[ok]
        phi[rows[ok]] = np.maximum(plain_fit.dispersion[ok], 1.0)
        usable[rows[ok]] = True

    upper, score_centre, expected = upper_bounds(eta, se_link, phi, settings)
    enough_reports = recent_total >= settings.limit_cases
    with np.errstate(divide="ignore", invalid="ignore"):
        score = (current - score_centre) / (upper - score_centre)
    alarm = usable & enough_reports & (score > 1) & (current != 0)
    return {
        "usable": usable,
        "enough_reports": enough_reports,
        "alarm": alarm,
        "upper": upper,
        "expected": expected,
        "phi": phi,
        "used_trend": used_trend,
    }


def upper_bounds(eta, se_link, phi, settings):
    """Upper bound, the centre R uses for its exceedance score, and mu0."""
    z = norm_ppf(1.0 - settings.alpha)
    if settings.threshold_method == "delta":
        mu0 = np.maximum(np.exp(eta), DOUBLE_EPSILON)
        # R: tau = phi + Var(mu0)/mu0 with Var(mu0) = (mu0 se_link)^2 from
        # predict.glm(type = "response") (delta method), as in the 1996 paper.
        tau = phi + mu0 * se_link**2
        # 2/3-power transformation (Farrington et al. 1996, eq. 4).
        se_transformed = np.sqrt(4.0 / 9.0 * mu0 ** (1.0 / 3.0) * tau)
        upper = (mu0 ** (2.0 / 3.0) + z * se_transformed) ** 1.5
        return upper, mu0, mu0
    if settings.threshold_method == "nbPlugin":
        with np.errstate(over="ignore"):
            mu0 = np.exp(eta)
        upper = np.full(eta.shape, np.nan)
        finite = np.isfinite(mu0)
        overdispersed = finite & (phi > 1)
        poisson = finite & ~(phi > 1)
        # Negative binomial with mean mu0, variance phi * mu0: size mu0/(phi-1), prob 1/phi.
        upper[overdispersed] = nbinom_ppf(
            1.0 - settings.alpha, mu0[overdispersed] / (phi[overdispersed] - 1.0), 1.0 / phi[overdispersed]
        )
        upper[poisson] = poisson_ppf(1.0 - settings.alpha, mu0[poisson])
        # R's score for this method is centred on the linear predictor, not mu0.
        return upper, eta, mu0
    raise ValueError(f"unknown threshold method {settings.threshold_method!r}")


# Counts per block of areas (``blocks.run_plans``): the fits are much more work
# per count than the daily detectors, so smaller blocks balance workers better.
FARRINGTON_BLOCK_CELLS = 1 << 16


@dataclass(frozen=True)
class FarringtonPlan:
    """A Farrington detector with its settings, run block by block (``blocks.run_plans``)."""

    method: str
    settings: FarringtonSettings
    period: int = 52
    start: int = 0
    details = ("dispersion", "trend_used")
    block_cells = FARRINGTON_BLOCK_CELLS

    def __post_init__(self):
        if not 0.0 < self.settings.alpha < 1.0:
            raise ValueError("alpha must be between 0 and 1")

    def parameters(self) -> dict:
        return {"period": self.period, "start": self.start, **self.settings.__dict__}

    def fill(self, result: SpikeResult, rows: slice, block) -> None:
        _fill_farrington(result, rows, block.observed, self.period, self.start, self.settings)


def farrington(counts, *, start: int = 0, period: int = 52, settings: FarringtonSettings = ORIGINAL, method_name: str = "farrington") -> SpikeResult:
    """Farrington-type detector over a 2-D array (areas x time).

    ``period`` is the number of points per year (52 for weeks, 365 for days).
    A point is evaluated only when ``years_back`` years plus half a window of
    history exist before it; earlier points report "not enough history".
    """
    observed = as_area_by_time(counts)
    plan = FarringtonPlan(method_name, settings, period, start)
    return run_plans([plan], observed)[0]


def _fill_farrington(result, rows, observed, period, start, settings) -> None:
    n_areas, length = observed.shape
    offsets, group = reference_design(period, settings)
    n_groups = int(group.max()) + 1
    time = offsets.astype(float)
    first_evaluable = max(start, period * settings.years_back + settings.half_window, settings.limit_points - 1)
    points = np.arange(first_evaluable, length)
    if points.size == 0:
        return

    running = np.concatenate([np.zeros((n_areas, 1)), np.cumsum(observed, axis=1)], axis=1)
    recent = running[:, points + 1] - running[:, points + 1 - settings.limit_points]

    design = RunDesign(offsets, group, n_groups)
    series_terms = SeriesTerms(observed, design)
    all_sums = unweighted_sums(series_terms, points)  # rows area-major over all points
    points_per_chunk = max(1, CELLS_PER_CHUNK // (len(offsets) * n_areas))
    for chunk_start in range(0, points.size, points_per_chunk):
        chunk = points[chunk_start : chunk_start + points_per_chunk]
        # rows ordered area-major: row = area * len(chunk) + i
        index = chunk[:, None] + offsets[None, :]
        y = observed[:, index].reshape(-1, len(offsets))
        y_two_thirds = series_terms.y_two_thirds[:, index].reshape(-1, len(offsets))
        fit_rows = (np.arange(n_areas)[:, None] * points.size + chunk_start + np.arange(len(chunk))).reshape(-1)
        sums = all_sums.take(fit_rows)
        current = observed[:, chunk].reshape(-1)
        recent_total = recent[:, chunk_start : chunk_start + len(chunk)].reshape(-1)
        out = evaluate_reference_sets(y, current, recent_total, group, n_groups, time, settings,
                                      runs=(design, sums, y_two_thirds))
        shape = (n_areas, len(chunk))
        usable = out["usable"].reshape(shape)
        enough = out["enough_reports"].reshape(shape)
        status = np.where(usable, np.where(enough, EVALUATED, FEW_RECENT_REPORTS), MODEL_DID_NOT_CONVERGE)
        part = slice(int(chunk[0]), int(chunk[-1]) + 1)
        result.status[rows, part] = status
        shown = usable & enough
        result.alarm[rows, part] = out["alarm"].reshape(shape)
        result.upperbound[rows, part] = np.where(shown, out["upper"].reshape(shape), np.nan)
        result.expected[rows, part] = np.where(usable, out["expected"].reshape(shape), np.nan)
        result.details["dispersion"][rows, part] = np.where(usable, out["phi"].reshape(shape), np.nan)
        result.details["trend_used"][rows, part] = np.where(usable, out["used_trend"].reshape(shape), np.nan)


def farrington_original(counts, *, start: int = 0, period: int = 52, alpha: float = 0.01, **overrides) -> SpikeResult:
    """Farrington et al. (1996) with R's farringtonFlexible defaults for the original method."""
    settings = FarringtonSettings(**{**ORIGINAL.__dict__, "alpha": alpha, **overrides})
    return farrington(counts, start=start, period=period, settings=settings, method_name="farrington")


def farrington_noufaily(counts, *, start: int = 0, period: int = 52, alpha: float = 0.01, **overrides) -> SpikeResult:
    """Noufaily et al. (2013) improved Farrington with a negative binomial plug-in bound."""
    settings = FarringtonSettings(**{**NOUFAILY.__dict__, "alpha": alpha, **overrides})
    return farrington(counts, start=start, period=period, settings=settings, method_name="farrington-noufaily")
