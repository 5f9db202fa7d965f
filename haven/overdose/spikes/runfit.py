"""Farrington reference fits computed from runs of consecutive points.

Every Farrington reference set (``farrington.reference_design``) is a union of
a few runs of consecutive points with one season group each: for the
Noufaily design, 185 weeks in about 40 runs of at most 7 weeks; for the
original design, 21 weeks in 3 runs of 7.  The run layout relative to the
evaluated point is the same for every (area, point), so

* the sums the IRLS needs for an unweighted fit (per group sum y, sum y t,
  sum y t^2, the starting step's sums of (y + 0.1) log(y + 0.1) - 0.1, the
  deviance constants) are sums over runs of sliding sums of the series
  ``sum_{u<L} f[s + u] u^q`` (q = 0, 1, 2), computed once per series value
  and combined per run with the binomial expansion of (a + u)^q;
* in an IRLS step the moments of mu = exp(beta_g + beta_t t) over a run that
  starts at a with length L are exp(beta_g + beta_t a) times
  E_q(L) = sum_{u<L} exp(beta_t u) u^q (expanded the same way), so a step
  costs O(runs) per fit instead of O(observations);
* the reweighted fit has prior weights omega = gamma v with v = 1 except for the
  few outlying points (standardised Anscombe residual above the threshold),
  so every weighted sum is gamma times (the unweighted sum plus a correction
  over the outlying points only).

exp(beta_g + beta_t a) for a run starting at a is exp(beta_g + beta_t A_g)
exp(beta_t (a - A_g)), A_g the first run of group g: the shifts are whole
years, so a fit needs one exponential per group and per year, not per run
(``run_heads``).  The IRLS loops themselves are ``glm.iterate_with_trend`` and
``glm.iterate_without_trend``, shared with the per-observation fit.

Per-observation work is left for what needs each point's residual: the
fitted values, the Pearson dispersion, the hat values and the Anscombe
residuals (screened with one critical value per run).  Results agree with the direct computation (``glm.fit_grouped_poisson``)
to rounding (the sums are added in a different order).
"""

from __future__ import annotations

from dataclasses import dataclass

import numpy as np

from .glm import (
    DOUBLE_EPSILON,
    GroupedPoissonFit,
    _mean,
    _solve,
    eta_in_safe_range,
    iterate_with_trend,
    iterate_without_trend,
)


class RunDesign:
    """Runs of consecutive reference offsets with the same group."""

    def __init__(self, offsets, group, n_groups):
        offsets = np.asarray(offsets, dtype=int)
        group = np.asarray(group, dtype=int)
        breaks = np.flatnonzero((np.diff(offsets) != 1) | (np.diff(group) != 0)) + 1
        first = np.concatenate([[0], breaks])
        last = np.concatenate([breaks, [offsets.size]])
        self.offsets = offsets
        self.group = group
        self.time = offsets.astype(float)
        self.groups = n_groups
        self.run_start = offsets[first]  # a: offset of each run's first point
        self.run_length = last - first
        self.run_group = group[first]
        self.runs = first.size
        self.start_f = self.run_start.astype(float)
        self.max_length = int(self.run_length.max())
        # exp(beta_g + beta_t a_r) = exp(beta_g + beta_t A_g) exp(beta_t (a_r - A_g)), A_g the
        # start of group g's first run: the shifts a_r - A_g are whole years, few and the same
        # for every group, so a fit needs groups + distinct shifts exponentials, not one per run.
        self.group_start = np.array([self.start_f[self.run_group == g].min() for g in range(n_groups)])
        shift = self.start_f - self.group_start[self.run_group]
        nonzero = np.unique(shift[shift != 0])
        self.shifts = nonzero  # exp(beta_t * 0) = 1 needs no exponential
        self.run_shift = np.where(shift == 0, 0, np.searchsorted(nonzero, shift) + 1)
        # expansion[u, p * runs + r] = (a_r + u)^p for u < L_r: sum_u exp(beta_t u) expansion
        # gives sum over run r of exp(beta_t (t - a_r)) t^p.
        max_length = int(self.run_length.max())
        u = np.arange(max_length)[:, None]
        inside = u < self.run_length[None, :]
        t_run = (self.run_start[None, :] + u).astype(float)
        self.expansion = np.hstack([inside * 1.0, inside * t_run, inside * t_run * t_run])
        self.run_of = np.repeat(np.arange(self.runs), self.run_length)  # run of each observation
        self.position = np.arange(offsets.size) - np.repeat(first, self.run_length)  # u within the run
        self.indicator = np.zeros((self.runs, n_groups))
        self.indicator[np.arange(self.runs), self.run_group] = 1.0
        t = self.time
        self.count = np.bincount(group, minlength=n_groups).astype(float)
        self.time_sum = np.bincount(group, weights=t, minlength=n_groups)
        self.time_square_total = float(np.sum(t * t))
        self.time_min = np.array([t[group == g].min() for g in range(n_groups)])
        self.time_max = np.array([t[group == g].max() for g in range(n_groups)])
        basis = np.zeros((t.size, 3 * n_groups))
        rows = np.arange(t.size)
        basis[rows, group] = 1.0
        basis[rows, n_groups + group] = t
        basis[rows, 2 * n_groups + group] = t * t
        self.weight_basis = basis


class SeriesTerms:
    """Functions of the counts and their sliding sums over every run length."""

    POWERS = {"y": 2, "response": 1, "constant": 0, "start_deviance": 0}

    def __init__(self, observed: np.ndarray, design: RunDesign):
        y = observed
        start = y + 0.1
        with np.errstate(divide="ignore", invalid="ignore"):
            y_log_y = np.where(y > 0, y * np.log(y), 0.0)
            start_deviance = np.where(y > 0, y * np.log(y / start) - (y - start), start)
        self.values = {
            "y": y,
            # poisson()$initialize: working weight y + 0.1 times working response log(y + 0.1) - 0.1 / (y + 0.1)
            "response": start * np.log(start) - 0.1,
            "constant": y_log_y - y,
            "start_deviance": start_deviance,
        }
        self.y_two_thirds = y ** (2.0 / 3.0)
        self.design = design
        length = y.shape[1]
        self.sliding = {}
        for name, top in self.POWERS.items():
            f = self.values[name]
            for run_length in np.unique(design.run_length):
                n = length - run_length + 1
                for q in range(top + 1):
                    total = np.zeros((y.shape[0], max(n, 0)))
                    for u in range(run_length):
                        if q == 0:
                            total += f[:, u : u + n]
                        else:
                            total += f[:, u : u + n] * float(u**q)
                    self.sliding[name, int(run_length), q] = total

    def run_sums(self, name: str, power: int, points: np.ndarray) -> np.ndarray:
        """(areas, len(points), runs): sum over each run of f * t^power (t = offset)."""
        d = self.design
        first, stop = int(points[0]), int(points[-1]) + 1
        out = np.empty((self.values["y"].shape[0], stop - first, d.runs))
        for r in range(d.runs):
            a, length = int(d.run_start[r]), int(d.run_length[r])
            part = slice(first + a, stop + a)
            w0 = self.sliding[name, length, 0][:, part]
            if power == 0:
                out[:, :, r] = w0
            elif power == 1:
                out[:, :, r] = a * w0 + self.sliding[name, length, 1][:, part]
            else:
                w1 = self.sliding[name, length, 1][:, part]
                w2 = self.sliding[name, length, 2][:, part]
                out[:, :, r] = (a * a) * w0 + (2 * a) * w1 + w2
        return out


@dataclass
class FitSums:
    """Prior-weighted sums over each fit's reference values (one row per fit)."""

    y_group: np.ndarray  # (fits, groups) sum omega y
    y_time_group: np.ndarray  # (fits, groups) sum omega y t
    y_time_square: np.ndarray  # (fits,) sum omega y t^2
    weight_group: np.ndarray  # (fits, groups) sum omega
    weight_time_group: np.ndarray  # (fits, groups) sum omega t
    weight_time_square: np.ndarray  # (fits,) sum omega t^2
    response_group: np.ndarray  # (fits, groups) sum omega ((y + .1) log(y + .1) - .1)
    response_time: np.ndarray  # (fits,) the same times t
    constant: np.ndarray  # (fits,) sum omega (y log y - y)
    start_deviance: np.ndarray  # (fits,) sum omega dev.resids(y, y + 0.1) / 2

    def take(self, rows) -> FitSums:
        return FitSums(*(getattr(self, name)[rows] for name in self.__dataclass_fields__))


def unweighted_sums(terms: SeriesTerms, points: np.ndarray) -> FitSums:
    """Sums for fits (area, point), rows area-major, from the sliding sums."""
    d = terms.design
    areas = terms.values["y"].shape[0]
    n = areas * len(points)
    indicator = d.indicator

    def by_group(name, power):
        return (terms.run_sums(name, power, points) @ indicator).reshape(n, d.groups)

    def total(name, power):
        return terms.run_sums(name, power, points).sum(axis=2).reshape(n)

    y_time_group = by_group("y", 1)
    return FitSums(
        y_group=by_group("y", 0),
        y_time_group=y_time_group,
        y_time_square=total("y", 2),
        weight_group=np.broadcast_to(d.count, (n, d.groups)),
        weight_time_group=np.broadcast_to(d.time_sum, (n, d.groups)),
        weight_time_square=np.full(n, d.time_square_total),
        response_group=by_group("response", 0),
        response_time=total("response", 1),
        constant=total("constant", 0),
        start_deviance=total("start_deviance", 0),
    )


@dataclass
class Outliers:
    """Sparse part of prior weights omega = gamma * (1 + delta): cells where delta != 0."""

    gamma: np.ndarray  # (fits,)
    row: np.ndarray  # (cells,) fit index
    column: np.ndarray  # (cells,) observation index
    delta: np.ndarray  # (cells,)
    weight: np.ndarray  # (cells,) omega itself: gamma * s^-2

    def dense(self, rows: np.ndarray, n_obs: int) -> np.ndarray:
        """omega for the fits ``rows`` (observations in columns)."""
        out = np.repeat(self.gamma[rows][:, None], n_obs, axis=1)
        position = np.full(self.gamma.size, -1)
        position[rows] = np.arange(rows.size)
        local = position[self.row]
        keep = local >= 0
        out[local[keep], self.column[keep]] = self.weight[keep]
        return out

    def weighted_row_sums(self, values: np.ndarray) -> np.ndarray:
        """sum_j omega_j values_j per fit."""
        cells = values[self.row, self.column]
        extra = np.bincount(self.row, weights=(self.weight - self.gamma[self.row]) * cells, minlength=self.gamma.size)
        return self.gamma * values.sum(axis=1) + extra


def cell_values(y: np.ndarray) -> dict:
    """The functions of the counts in ``SeriesTerms.values`` for a few counts."""
    start = y + 0.1
    with np.errstate(divide="ignore", invalid="ignore"):
        y_log_y = np.where(y > 0, y * np.log(y), 0.0)
        start_deviance = np.where(y > 0, y * np.log(y / start) - (y - start), start)
    return {"response": start * np.log(start) - 0.1, "constant": y_log_y - y, "start_deviance": start_deviance}


def weighted_sums(sums: FitSums, outliers: Outliers, y: np.ndarray, design: RunDesign) -> FitSums:
    """gamma * (unweighted sums + sum over outlying cells of delta * f * t^q)."""
    n, groups = sums.y_group.shape
    row, column, delta = outliers.row, outliers.column, outliers.delta
    t = design.time[column]
    g = design.group[column]
    cell_group = row * groups + g

    def per_group(values):
        return np.bincount(cell_group, weights=values, minlength=n * groups).reshape(n, groups)

    def per_fit(values):
        return np.bincount(row, weights=values, minlength=n)

    y_cells = y[row, column]
    terms_rows = cell_values(y_cells)
    dy = delta * y_cells
    response = delta * terms_rows["response"]
    gamma = outliers.gamma
    gamma_g = gamma[:, None]
    return FitSums(
        y_group=gamma_g * (sums.y_group + per_group(dy)),
        y_time_group=gamma_g * (sums.y_time_group + per_group(dy * t)),
        y_time_square=gamma * (sums.y_time_square + per_fit(dy * t * t)),
        weight_group=gamma_g * (sums.weight_group + per_group(delta)),
        weight_time_group=gamma_g * (sums.weight_time_group + per_group(delta * t)),
        weight_time_square=gamma * (sums.weight_time_square + per_fit(delta * t * t)),
        response_group=gamma_g * (sums.response_group + per_group(response)),
        response_time=gamma * (sums.response_time + per_fit(response * t)),
        constant=gamma * (sums.constant + per_fit(delta * terms_rows["constant"])),
        start_deviance=gamma * (sums.start_deviance + per_fit(delta * terms_rows["start_deviance"])),
    )


def run_heads(beta_g, beta_t, design: RunDesign, power: float = 1.0) -> np.ndarray:
    """exp(power (beta_g + beta_t a_r)) per fit and run (floating-point overflow
    not checked: callers recompute rows outside the safe range directly)."""
    k = beta_t.size
    with np.errstate(over="ignore", invalid="ignore"):
        group_part = np.exp(power * (beta_g + np.multiply.outer(beta_t, design.group_start)))
        shift_part = np.empty((k, design.shifts.size + 1))
        shift_part[:, 0] = 1.0
        np.exp(np.multiply.outer(power * beta_t, design.shifts), out=shift_part[:, 1:])
        head = group_part[:, design.run_group]
        head *= shift_part[:, design.run_shift]
    return head


class _RunMoments:
    """sum omega exp(beta_g + beta_t t) [1, t, t^2] per group, from the runs."""

    def __init__(self, design: RunDesign, outliers: Outliers | None, n_fits: int):
        self.d = design
        self.outliers = outliers
        self.n_fits = n_fits
        self.u = np.arange(design.max_length, dtype=float)
        self.length_index = design.run_length - 1
        if outliers is not None:
            self.cell_time = design.time[outliers.column]
            self.cell_group = design.group[outliers.column]

    def __call__(self, beta_g, beta_t, active):
        d = self.d
        n_fits = self.n_fits
        k = beta_t.size
        with np.errstate(over="ignore", invalid="ignore"):
            fine = np.exp(np.multiply.outer(beta_t, self.u))  # (k, Lmax): exp(beta_t u)
            head = run_heads(beta_g, beta_t, d)  # (k, runs)
            parts = (fine @ d.expansion).reshape(k, 3, d.runs)
            parts *= head[:, None, :]
            raw = (parts.reshape(3 * k, d.runs) @ d.indicator).reshape(k, 3, d.groups)
            if self.outliers is not None:
                o = self.outliers
                position = np.full(n_fits, -1)
                position[active] = np.arange(k)
                local = position[o.row]
                keep = local >= 0
                local = local[keep]
                t = self.cell_time[keep]
                g = self.cell_group[keep]
                value = np.exp(beta_g[local, g] + beta_t[local] * t) * o.delta[keep]
                cell = local * d.groups + g
                size = k * d.groups
                raw[:, 0] += np.bincount(cell, weights=value, minlength=size).reshape(k, d.groups)
                raw[:, 1] += np.bincount(cell, weights=value * t, minlength=size).reshape(k, d.groups)
                raw[:, 2] += np.bincount(cell, weights=value * t * t, minlength=size).reshape(k, d.groups)
                raw *= o.gamma[active][:, None, None]
        g = d.groups
        moments = np.empty((k, 2 * g + 1))
        moments[:, :g] = raw[:, 0]
        moments[:, g : 2 * g] = raw[:, 1]
        moments[:, 2 * g] = raw[:, 2].sum(axis=1)
        return moments


def fit_from_sums(sums: FitSums, y: np.ndarray, design: RunDesign, with_trend: bool,
                  outliers: Outliers | None = None) -> GroupedPoissonFit:
    """IRLS for every fit from its sums; same iteration as ``glm.fit_grouped_poisson``.

    ``y`` (fits, observations) is used for the per-observation results and
    for fits whose exp(eta) may be floored or overflow; ``outliers`` gives the
    prior weights of a reweighted fit (None: unweighted).
    """
    groups = design.groups
    n_fits, n_obs = y.shape
    deviance_old = 2.0 * sums.start_deviance
    # First step from mu = y + 0.1: moments are sums of omega (y + 0.1) [1, t, t^2].
    start_s = sums.y_group + 0.1 * sums.weight_group
    if with_trend:
        start_t = sums.y_time_group + 0.1 * sums.weight_time_group
        start_q = sums.y_time_square + 0.1 * sums.weight_time_square
        moments = np.hstack([start_s, start_t, start_q[:, None]])
        out = _solve(moments, sums.response_group, sums.response_time, groups, True)
    else:
        out = _solve(start_s, sums.response_group, None, groups, False)
    beta_g, beta_t, s_g, t_g, schur = out
    y_time = sums.y_time_group.sum(axis=1)
    if with_trend:
        moments_of = _RunMoments(design, outliers, n_fits)

        def dense_weights(rows):
            return np.ones((rows.size, n_obs)) if outliers is None else outliers.dense(rows, n_obs)

        result = iterate_with_trend(y, design.group, design.time, design.weight_basis, sums.y_group, y_time,
                                    sums.constant, deviance_old, beta_g, beta_t, s_g, t_g, schur, moments_of,
                                    dense_weights)
    else:
        result = iterate_without_trend(sums.weight_group, sums.y_group, sums.constant, deviance_old, beta_g, s_g)
    final_g, final_t, prev_g, prev_t, started, last_s, last_t, last_schur, converged = result

    group = design.group
    if with_trend:
        fitted = _run_mean(final_g, final_t, design)
        working = _run_mean(prev_g, prev_t, design)
    else:
        with np.errstate(over="ignore"):
            fitted = np.maximum(np.exp(final_g), DOUBLE_EPSILON)[:, group]
            working = np.maximum(np.exp(prev_g), DOUBLE_EPSILON)[:, group]
    if started.any():
        working[started] = y[started] + 0.1
    if outliers is not None:
        cells = working[outliers.row, outliers.column]
        working *= outliers.gamma[:, None]
        working[outliers.row, outliers.column] = cells * outliers.weight
    residual_df = n_obs - groups - (1 if with_trend else 0)
    residual = y - fitted
    residual /= fitted
    residual *= residual  # ((y - mu) / mu)^2, kept for dispersion_seen_by_r
    pearson = np.einsum("ij,ij->i", working, residual)
    dispersion = pearson / residual_df if residual_df > 0 else np.full(n_fits, np.nan)
    fit = GroupedPoissonFit(
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
    fit.squared_relative_residual = residual
    return fit


def _eta_in_safe_range(beta_g, beta_t, design):
    """Rows whose exp(eta) is neither floored at eps nor overflowing at any observation."""
    slope = beta_t[:, None]
    with np.errstate(invalid="ignore", over="ignore"):
        lowest = np.min(beta_g + np.minimum(slope * design.time_min, slope * design.time_max), axis=1)
        highest = np.max(beta_g + np.maximum(slope * design.time_min, slope * design.time_max), axis=1)
    return eta_in_safe_range(lowest, highest)


def _run_mean(beta_g, beta_t, design):
    """max(exp(beta_g + beta_t t), eps) per observation, as exp(beta_g + beta_t a) exp(beta_t u)
    for the point u of a run starting at a: one exponential per run and per u
    instead of one per observation.  Rows near the floor or overflow are computed directly."""
    head = run_heads(beta_g, beta_t, design)
    with np.errstate(over="ignore", invalid="ignore"):
        fine = np.exp(np.multiply.outer(beta_t, np.arange(design.max_length, dtype=float)))
        mean = head[:, design.run_of]
        mean *= fine[:, design.position]
    unsafe = ~_eta_in_safe_range(beta_g, beta_t, design)
    if unsafe.any():
        rows = np.flatnonzero(unsafe)
        mean[rows] = _mean(beta_g[rows], beta_t[rows], design.group, design.time, True)
    return mean


def _run_factor(beta_g, beta_t, design, power):
    """exp(power * (beta_g + beta_t t)) per observation from per-run and per-u exponentials."""
    head = run_heads(beta_g, beta_t, design, power)
    with np.errstate(over="ignore", invalid="ignore"):
        fine = np.exp(np.multiply.outer(power * beta_t, np.arange(design.max_length, dtype=float)))
        out = head[:, design.run_of]
        out *= fine[:, design.position]
    return out


def anscombe_outliers(y, y_two_thirds, fit: GroupedPoissonFit, design: RunDesign, threshold: float, dense_anscombe):
    """Farrington reweighting as sparse ``Outliers``: the points whose standardised
    Anscombe residual 1.5 (y^(2/3) mu^(-1/6) - mu^(1/2)) / sqrt(phi (1 - h)) exceeds
    ``threshold``.

    A cheap screen finds the candidates: h is at most max_j(working weight) times
    max over the groups of 1/S_g + (t - T_g/S_g)^2 / schur (the latter largest at a
    group's first or last time), and the residual grows with y^(2/3) - c(mu) where
    c is increasing in mu, so one critical value per run (at the run's smallest mu)
    screens all its points.  Candidates (a slightly generous margin) then get the exact
    residual with the same formula as ``farrington._anscombe``.  Rows whose exp(eta)
    may be floored or overflow, or whose bound is not finite, use
    ``dense_anscombe(rows)`` (returning inverse_square, outlying, scale).
    """
    n_fits, n_obs = y.shape
    phi = np.maximum(fit.dispersion, 1.0)
    s_g, t_g, schur = fit.group_weight_sums, fit.group_weighted_times, fit.trend_schur
    b, r = fit.group_coefficients, fit.trend_coefficient
    with np.errstate(divide="ignore", invalid="ignore", over="ignore"):
        leverage = 1.0 / s_g
        if fit.with_trend:
            mean_time = t_g / s_g
            spread = np.maximum((design.time_min - mean_time) ** 2, (design.time_max - mean_time) ** 2)
            leverage = leverage + spread / schur[:, None]
        hat_bound = fit.working_weights.max(axis=1) * leverage.max(axis=1)
        limit = threshold / 1.5 * np.sqrt(phi * np.maximum(1.0 - hat_bound, 0.0))
    safe = _eta_in_safe_range(b, r, design) & np.isfinite(limit) & np.isfinite(phi)
    with np.errstate(invalid="ignore", over="ignore"):
        if threshold > 0:
            # y^(2/3) mu^(-1/6) - mu^(1/2) > limit  <=>  y^(2/3) > limit mu^(1/6) + mu^(2/3), which
            # grows with mu (limit >= 0).  mu is monotone within a run, so the right-hand side
            # at the run's smaller end value is a lower bound for all its points.
            lowest_eta = (b[:, design.run_group] + np.multiply.outer(r, design.start_f)
                          + np.minimum(0.0, np.multiply.outer(r, design.run_length - 1.0)))
            critical = limit[:, None] * np.exp(lowest_eta / 6.0) + np.exp(lowest_eta * (2.0 / 3.0))
            critical = critical * (1.0 - 1e-6) - 1e-9
            candidate = y_two_thirds > critical[:, design.run_of]
        else:
            score = _run_factor(b, r, design, -1.0 / 6.0)
            score *= y_two_thirds
            score -= _run_factor(b, r, design, 0.5)
            candidate = score > (limit * (1.0 - 1e-6) - 1e-9)[:, None]
    candidate[~safe] = False
    row, column = np.nonzero(candidate)
    group = design.group[column]
    mu = fit.fitted[row, column]
    inverse = 1.0 / s_g[row, group]
    if fit.with_trend:
        centred = design.time[column] - (t_g / s_g)[row, group]
        inverse = inverse + centred * centred / schur[row]
    hat = fit.working_weights[row, column] * inverse
    with np.errstate(divide="ignore", invalid="ignore"):
        root = np.sqrt(mu)
        residual = 1.5 * (y_two_thirds[row, column] / np.cbrt(root) - root) / np.sqrt(phi[row] * (1.0 - hat))
    outlying = residual > threshold
    row, column, residual = row[outlying], column[outlying], residual[outlying]
    inverse_square = 1.0 / (residual * residual)
    counts = np.bincount(row, minlength=n_fits)
    total = (n_obs - counts) + np.bincount(row, weights=inverse_square, minlength=n_fits)
    unsafe = np.flatnonzero(~safe)
    if unsafe.size:
        dense_inverse, dense_outlying, dense_scale = dense_anscombe(unsafe)
        total[unsafe] = n_obs / dense_scale[:, 0]
        local_row, dense_column = np.nonzero(dense_outlying)
        row = np.concatenate([row, unsafe[local_row]])
        column = np.concatenate([column, dense_column])
        inverse_square = np.concatenate([inverse_square, dense_inverse[local_row, dense_column]])
        order = np.lexsort((column, row))
        row, column, inverse_square = row[order], column[order], inverse_square[order]
    gamma = n_obs / total
    if unsafe.size:
        gamma[unsafe] = dense_scale[:, 0]
    return Outliers(gamma=gamma, row=row, column=column, delta=inverse_square - 1.0,
                    weight=gamma[row] * inverse_square)
