"""Poisson log-link GLMs fitted by IRLS, many at once, the way R's ``glm.fit`` does it.

The Farrington detectors fit one small GLM per area per time point.  Their
design is always "one level per season group, plus an optional linear time
trend", so instead of a general least-squares solve per fit we work with
grouped sums: X'WX has a diagonal block (one entry per group) bordered by the
trend row, and its inverse follows from the Schur complement of that block.
That makes one IRLS step cost O(observations) per fit, and lets thousands of
fits (areas x time points) share one matrix product.

To reproduce R closely (not just "the same maximum"), the iteration copies
``glm.fit``: start at mu = y + 0.1, update by weighted least squares,
stop when |dev - dev_old| / (|dev| + 0.1) < 1e-8 or after 25 iterations, and
report the working weights of the last iteration (which are what R's QR
decomposition, ``summary.glm`` and ``hatvalues`` use).  The parametrisation
(group indicators instead of intercept + contrasts, time centred on the
predicted point) differs from R's, but IRLS iterates do not depend on it.

Speed: after the first step the linear predictor is linear in the
coefficients, so with working weights m = omega mu the weighted least-squares
right-hand side is sum m z = sum m eta + sum omega (y - mu), where
sum m eta = beta_g S_g + beta_t T_g per group, and the deviance is
2 (sum omega (y log y - y) - sum omega y eta + sum omega mu), where
sum omega y eta = beta_g Y_g + beta_t sum omega y t.  One IRLS step therefore
only needs the moments S_g, T_g, Q of m: one matrix product eta = design x
coefficients, one exp and one matrix product with a fixed basis.  Without a
trend mu is constant within a group and a step costs O(groups) per fit.
"""

from __future__ import annotations

from dataclasses import dataclass

import numpy as np

# glm.control() defaults in R.
CONVERGENCE_TOLERANCE = 1e-8
MAXIMUM_ITERATIONS = 25
# R's poisson()$linkinv and $mu.eta floor exp(eta) at .Machine$double.eps.
DOUBLE_EPSILON = np.finfo(float).eps
LOG_DOUBLE_EPSILON = float(np.log(DOUBLE_EPSILON))


@dataclass
class GroupedPoissonFit:
    """Fitted values and the pieces of (X'WX)^-1 needed later, one row per fit."""

    group_coefficients: np.ndarray  # (fits, groups): log-mean of each group at time 0
    trend_coefficient: np.ndarray  # (fits,), zeros without a trend
    fitted: np.ndarray  # (fits, observations)
    working_weights: np.ndarray  # (fits, observations), from the last iteration
    group_weight_sums: np.ndarray  # (fits, groups): S_g = sum of working weights per group
    group_weighted_times: np.ndarray  # (fits, groups): T_g = sum of w * t per group
    trend_schur: np.ndarray  # (fits,): Q - sum_g T_g^2 / S_g (inf without a trend)
    converged: np.ndarray  # (fits,) bool
    dispersion: np.ndarray  # (fits,): Pearson chi-square / residual degrees of freedom
    residual_df: int
    with_trend: bool

    def hat_values(self, group: np.ndarray, time: np.ndarray) -> np.ndarray:
        """Diagonal of the weighted hat matrix, as R's ``hatvalues`` gives it."""
        inverse = 1.0 / self.group_weight_sums[:, group]
        if self.with_trend:
            group_mean_time = self.group_weighted_times / self.group_weight_sums
            centred = time[np.newaxis, :] - group_mean_time[:, group]
            inverse = inverse + centred * centred / self.trend_schur[:, np.newaxis]
        return self.working_weights * inverse

    def unscaled_variance_at(self, level: int) -> np.ndarray:
        """x0' (X'WX)^-1 x0 for a prediction in ``level`` at time 0."""
        variance = 1.0 / self.group_weight_sums[:, level]
        if self.with_trend:
            ratio = self.group_weighted_times[:, level] / self.group_weight_sums[:, level]
            variance = variance + ratio * ratio / self.trend_schur
        return variance

    def trend_unscaled_variance(self) -> np.ndarray:
        return 1.0 / self.trend_schur


@dataclass
class CountTerms:
    """Functions of the counts that the fits need, computed once per series
    value rather than once per (fit, observation): a count appears in many
    fits' reference sets.  ``gather`` picks them for the fits' observations."""

    y: np.ndarray
    y_log_y: np.ndarray  # y log y (0 for y = 0)
    log_start: np.ndarray  # log(y + 0.1), the starting linear predictor
    start_deviance: np.ndarray  # poisson()$dev.resids / 2 at mu = y + 0.1
    y_two_thirds: np.ndarray  # y^(2/3) for the Anscombe residuals

    @classmethod
    def of(cls, y: np.ndarray) -> CountTerms:
        y = np.asarray(y, dtype=float)
        start = y + 0.1
        with np.errstate(divide="ignore", invalid="ignore"):
            y_log_y = np.where(y > 0, y * np.log(y), 0.0)
            start_deviance = np.where(y > 0, y * np.log(y / start) - (y - start), start)
        return cls(y, y_log_y, np.log(start), start_deviance, y ** (2.0 / 3.0))

    def gather(self, index) -> CountTerms:
        return CountTerms(*(getattr(self, name)[index] for name in self.__dataclass_fields__))

    def reshape(self, *shape) -> CountTerms:
        return CountTerms(*(getattr(self, name).reshape(*shape) for name in self.__dataclass_fields__))


def poisson_deviance(y: np.ndarray, mu: np.ndarray, prior_weights: np.ndarray) -> np.ndarray:
    """Row sums of R's poisson()$dev.resids: 2 w (y log(y/mu) - (y - mu)), 2 w mu where y = 0."""
    with np.errstate(divide="ignore", invalid="ignore"):
        terms = np.where(y > 0, y * np.log(y / mu) - (y - mu), mu)
    return 2.0 * np.sum(prior_weights * terms, axis=1)


def fit_grouped_poisson(
    y: np.ndarray,
    group: np.ndarray,
    n_groups: int,
    time: np.ndarray,
    with_trend: bool,
    prior_weights: np.ndarray | None = None,
    terms: CountTerms | None = None,
) -> GroupedPoissonFit:
    """Fit log E[y] = group effect (+ trend * time) for every row of ``y`` (fits x observations).

    ``group`` (observations,) holds 0-based group labels, ``time`` (observations,)
    the trend covariate, shared by all rows.  Rows iterate until each has
    converged on its own, exactly as separate ``glm.fit`` calls would.
    ``terms`` (optional) holds precomputed functions of ``y``.
    """
    if terms is None:
        terms = CountTerms.of(y)
    n_fits, n_obs = y.shape
    groups = n_groups
    indicators = np.zeros((n_obs, groups))
    indicators[np.arange(n_obs), group] = 1.0
    omega = prior_weights
    # Per-fit constants: sum omega y per group (and times t), sum omega (y log y - y).
    weighted_y = y if omega is None else omega * y
    y_by_group = weighted_y @ indicators
    y_time = weighted_y @ time if with_trend else np.zeros(n_fits)
    constant = terms.y_log_y - y
    constant = (constant if omega is None else omega * constant).sum(axis=1)

    # Iteration 1 starts from mu = y + 0.1 (poisson()$initialize), eta = log(mu).
    start_mu = y + 0.1
    start_weights = start_mu if omega is None else omega * start_mu
    deviance_old = 2.0 * (terms.start_deviance if omega is None else omega * terms.start_deviance).sum(axis=1)
    start_response = start_weights * terms.log_start - (0.1 if omega is None else 0.1 * omega)  # m z
    if with_trend:
        weight_basis = np.hstack([indicators, indicators * time[:, None], (time * time)[:, None]])
        moments = start_weights @ weight_basis
        b_g = start_response @ indicators
        c = start_response @ time
    else:
        moments = start_weights @ indicators
        b_g = start_response @ indicators
        c = None
    beta_g, beta_t, s_g, t_g, schur = _solve(moments, b_g, c, groups, with_trend)

    if with_trend:
        trend_terms = _TrendTerms(time, group, groups, omega)

        def dense_weights(rows):
            return np.ones((rows.size, n_obs)) if omega is None else omega[rows]

        out = iterate_with_trend(y, group, time, weight_basis, y_by_group, y_time, constant, deviance_old,
                                 beta_g, beta_t, s_g, t_g, schur, trend_terms.moments, dense_weights)
    else:
        weight_by_group = (np.ones_like(y) if omega is None else omega) @ indicators
        out = iterate_without_trend(weight_by_group, y_by_group, constant, deviance_old, beta_g, s_g)
    final_g, final_t, prev_g, prev_t, started, last_s, last_t, last_schur, converged = out

    # Per-observation fitted values and the working weights of the last step.
    fitted = _mean(final_g, final_t, group, time, with_trend)
    working = _mean(prev_g, prev_t, group, time, with_trend)
    working[started] = start_mu[started]
    if omega is not None:
        working *= omega
    n_parameters = groups + (1 if with_trend else 0)
    residual_df = n_obs - n_parameters
    pearson = np.sum(working * ((y - fitted) / fitted) ** 2, axis=1)
    dispersion = pearson / residual_df if residual_df > 0 else np.full(n_fits, np.nan)
    return GroupedPoissonFit(
        group_coefficients=final_g,
        trend_coefficient=final_t,
        fitted=fitted,
        working_weights=working,
        group_weight_sums=last_s,
        group_weighted_times=last_t,
        trend_schur=last_schur,
        converged=converged,
        dispersion=dispersion,
        residual_df=residual_df,
        with_trend=with_trend,
    )


def _mean(beta_g, beta_t, group, time, with_trend):
    """max(exp(eta), eps) per observation."""
    eta = beta_g[:, group]
    if with_trend:
        eta += beta_t[:, None] * time[None, :]
    with np.errstate(over="ignore"):
        np.exp(eta, out=eta)
    return np.maximum(eta, DOUBLE_EPSILON, out=eta)


def _solve(moments, b_g, c, groups, with_trend):
    """Weighted least squares for (group levels [, trend]) from the moments of the weights."""
    s_g = moments[:, :groups]
    with np.errstate(divide="ignore", invalid="ignore", over="ignore"):
        if with_trend:
            t_g = moments[:, groups : 2 * groups]
            q = moments[:, 2 * groups]
            schur = q - np.sum(t_g * t_g / s_g, axis=1)
            beta_t = (c - np.sum(t_g * b_g / s_g, axis=1)) / schur
            beta_g = (b_g - t_g * beta_t[:, None]) / s_g
        else:
            t_g = np.zeros_like(s_g)
            schur = np.full(s_g.shape[0], np.inf)
            beta_t = np.zeros(s_g.shape[0])
            beta_g = b_g / s_g
    return beta_g, beta_t, s_g, t_g, schur


def _converged(deviance, deviance_old):
    with np.errstate(invalid="ignore"):
        return np.abs(deviance - deviance_old) / (np.abs(deviance) + 0.1) < CONVERGENCE_TOLERANCE


def iterate_with_trend(y, group, time, weight_basis, y_by_group, y_time, constant, deviance_old,
                       beta_g, beta_t, s_g, t_g, schur, moments_of, dense_weights):
    """IRLS steps with a trend from the first step's coefficients, as ``glm.fit``.

    ``moments_of(beta_g, beta_t, active)`` gives, for the still active fits,
    the moments sum omega mu [1, t] per group and sum omega mu t^2 (k x 2g+1);
    ``dense_weights(rows)`` the prior weights of fits ``rows`` (observations in
    columns), used with ``y`` for fits where exp(eta) may be floored at eps or
    overflow, which take the direct per-observation route.  The only IRLS loop
    with a trend: ``fit_grouped_poisson`` (per observation) and
    ``runfit.fit_from_sums`` (from run sums) differ only in ``moments_of``.

    Returns (final beta_g, final beta_t, previous beta_g, previous beta_t,
    fits still at the starting weights, last S_g, T_g, Schur complement, converged).
    """
    n_fits, groups = beta_g.shape
    time_min = np.array([time[group == g].min() for g in range(groups)])
    time_max = np.array([time[group == g].max() for g in range(groups)])
    final_g = np.full((n_fits, groups), np.nan)
    final_t = np.full(n_fits, np.nan)
    prev_g = np.zeros((n_fits, groups))
    prev_t = np.zeros(n_fits)
    started = np.ones(n_fits, dtype=bool)  # last working weights are the starting ones
    last_s = s_g.copy()
    last_t = t_g.copy()
    last_schur = schur.copy()
    converged = np.zeros(n_fits, dtype=bool)
    deviance_old = deviance_old.copy()
    b_now, t_now = beta_g, beta_t
    active = np.arange(n_fits)
    for iteration in range(1, MAXIMUM_ITERATIONS + 1):
        # Evaluate the current iterate: moments of the working weights and the deviance.
        lowest = np.min(b_now + np.minimum(t_now[:, None] * time_min, t_now[:, None] * time_max), axis=1)
        highest = np.max(b_now + np.maximum(t_now[:, None] * time_min, t_now[:, None] * time_max), axis=1)
        # Rows where exp(eta) may be floored at eps or overflow take the direct route.
        suspect = ~eta_in_safe_range(lowest, highest)
        moments = moments_of(b_now, t_now, active)
        deviance = 2.0 * (constant[active] - np.sum(b_now * y_by_group[active], axis=1) - t_now * y_time[active]
                          + np.sum(moments[:, :groups], axis=1))
        if suspect.any():
            rows = np.flatnonzero(suspect)
            mean = _mean(b_now[rows], t_now[rows], group, time, True)
            weights = dense_weights(active[rows])
            moments[rows] = (mean * weights) @ weight_basis
            # Where exp(eta) may have been floored at eps, log(mu) != eta: use the direct formula.
            deviance[rows] = poisson_deviance(y[active[rows]], mean, weights)
        done = _converged(deviance, deviance_old[active])
        finished = active[done]
        final_g[finished] = b_now[done]
        final_t[finished] = t_now[done]
        converged[finished] = True
        if iteration == MAXIMUM_ITERATIONS:
            rest = active[~done]
            final_g[rest] = b_now[~done]
            final_t[rest] = t_now[~done]
            break
        keep = ~done
        if not keep.any():
            break
        if not keep.all():
            active = active[keep]
            b_now, t_now = b_now[keep], t_now[keep]
            moments = moments[keep]
            deviance = deviance[keep]
        # One IRLS step from the current iterate.
        s_now = moments[:, :groups]
        t_g_now = moments[:, groups : 2 * groups]
        b_g = b_now * s_now + t_now[:, None] * t_g_now + y_by_group[active] - s_now
        c = (np.sum(b_now * t_g_now, axis=1) + t_now * moments[:, 2 * groups] + y_time[active]
             - np.sum(t_g_now, axis=1))
        new_g, new_t, s_step, t_step, schur_step = _solve(moments, b_g, c, groups, True)
        prev_g[active] = b_now
        prev_t[active] = t_now
        started[active] = False
        last_s[active] = s_step
        last_t[active] = t_step
        last_schur[active] = schur_step
        deviance_old[active] = deviance
        b_now, t_now = new_g, new_t
    return final_g, final_t, prev_g, prev_t, started, last_s, last_t, last_schur, converged


def eta_in_safe_range(lowest, highest):
    """exp(eta) for every observation is neither floored at eps nor overflowing, given
    the lowest and highest eta of each fit; the spread is bounded too, so that the
    factors exp(beta_t shift) of ``runfit.run_heads`` cannot overflow."""
    return (lowest > LOG_DOUBLE_EPSILON + 1.0) & (highest < 700.0) & (highest - lowest < 700.0)


class _TrendTerms:
    """Moments sum omega exp(beta_g + beta_t t) [1, t, t^2] per group for many fits.

    exp(beta_g + beta_t t) = exp(beta_g) exp(beta_t t): the group factor is
    applied per group, so only exp(beta_t t) is needed per observation.  When
    the times are (nearly) all integers of one range, exp(beta_t t) is built as
    exp(beta_t (t0 + 8a)) * exp(beta_t f) with t = t0 + 8a + f, 0 <= f < 8:
    40 exponentials per fit instead of one per observation.
    """

    FINE = 8

    def __init__(self, time, group_of, groups, omega):
        self.groups = groups
        self.omega = omega
        self.time = time
        basis = np.zeros((time.size, 3 * groups))
        rows = np.arange(time.size)
        basis[rows, group_of] = 1.0
        basis[rows, groups + group_of] = time
        basis[rows, 2 * groups + group_of] = time * time
        integral = np.all(time == np.round(time))
        span = int(time.max() - time.min()) + 1 if integral and time.size else 0
        coarse = -(-span // self.FINE) if span else 0
        self.grid = integral and time.size > 0 and coarse * self.FINE <= 1.3 * time.size
        if self.grid:
            self.origin = time.min()
            self.coarse = coarse
            position = (time - self.origin).astype(int)
            self.basis = np.zeros((coarse * self.FINE, 3 * groups))
            self.basis[position] = basis
            self.position = position
            if omega is not None:
                self.omega_grid = np.zeros((omega.shape[0], coarse * self.FINE))
                self.omega_grid[:, position] = omega
        else:
            self.basis = basis

    def moments(self, beta_g, beta_t, rows):
        with np.errstate(over="ignore"):
            if self.grid:
                coarse = np.exp(np.multiply.outer(beta_t, self.origin + self.FINE * np.arange(self.coarse)))
                fine = np.exp(np.multiply.outer(beta_t, np.arange(self.FINE, dtype=float)))
                terms = (coarse[:, :, None] * fine[:, None, :]).reshape(len(beta_t), -1)
                if self.omega is not None:
                    terms *= self.omega_grid[rows]
            else:
                terms = np.exp(np.multiply.outer(beta_t, self.time))
                if self.omega is not None:
                    terms *= self.omega[rows]
            raw = terms @ self.basis
            scale = np.exp(beta_g)
        g = self.groups
        moments = np.empty((len(beta_t), 2 * g + 1))
        with np.errstate(invalid="ignore", over="ignore"):  # rows that overflow are redone directly
            moments[:, :g] = raw[:, :g] * scale
            moments[:, g : 2 * g] = raw[:, g : 2 * g] * scale
            moments[:, 2 * g] = np.sum(raw[:, 2 * g :] * scale, axis=1)
        return moments


def iterate_without_trend(weight_by_group, y_by_group, constant, deviance_old, beta_g, s_g):
    """IRLS steps without a trend: mu is exp(beta_g) within group g, so every
    quantity is per group (``weight_by_group``: sum of prior weights per group).
    The only IRLS loop without a trend, shared by ``fit_grouped_poisson`` and
    ``runfit.fit_from_sums``; returns what ``iterate_with_trend`` does."""
    n_fits, groups = beta_g.shape
    deviance_old = deviance_old.copy()
    final_g = np.full((n_fits, groups), np.nan)
    prev_g = np.zeros((n_fits, groups))
    started = np.ones(n_fits, dtype=bool)
    last_s = np.array(s_g, copy=True)
    converged = np.zeros(n_fits, dtype=bool)
    active = np.arange(n_fits)
    coefficients = beta_g
    for iteration in range(1, MAXIMUM_ITERATIONS + 1):
        with np.errstate(over="ignore"):
            mean = np.maximum(np.exp(coefficients), DOUBLE_EPSILON)
        s_now = mean * weight_by_group[active]
        with np.errstate(invalid="ignore", divide="ignore"):
            # y log(mu) summed per group is Y_g log(mu_g); log(mu_g) = beta_g unless floored.
            log_mean = np.where(mean > DOUBLE_EPSILON, coefficients, np.log(mean))
            y_log_mean = np.where(y_by_group[active] > 0, y_by_group[active] * log_mean, 0.0)
        deviance = 2.0 * (constant[active] - np.sum(y_log_mean, axis=1) + np.sum(s_now, axis=1))
        done = _converged(deviance, deviance_old[active])
        finished = active[done]
        final_g[finished] = coefficients[done]
        converged[finished] = True
        if iteration == MAXIMUM_ITERATIONS:
            final_g[active[~done]] = coefficients[~done]
            break
        keep = ~done
        if not keep.any():
            break
        active, coefficients, s_now, deviance = active[keep], coefficients[keep], s_now[keep], deviance[keep]
        b_g = coefficients * s_now + y_by_group[active] - s_now
        with np.errstate(divide="ignore", invalid="ignore"):
            new = b_g / s_now
        prev_g[active] = coefficients
        started[active] = False
        last_s[active] = s_now
        deviance_old[active] = deviance
        coefficients = new
    zeros = np.zeros(n_fits)
    return (final_g, zeros, prev_g, zeros, started, last_s, np.zeros_like(last_s),
            np.full(n_fits, np.inf), converged)
