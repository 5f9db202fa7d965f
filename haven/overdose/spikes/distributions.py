"""The few distribution functions the detectors need, without importing scipy.stats.

`scipy.stats` takes about a second to import, more than the detectors take to run on a program's
series, and `scipy.signal` as long. The detectors need only quantiles and one tail of the normal, t,
Poisson and negative binomial distributions, which scipy.stats computes with the `scipy.special`
functions called here (scipy/stats/_continuous_distns.py and _discrete_distns.py); these functions
add the argument checks of scipy.stats' `ppf` and `sf` wrappers, so every value is the same, bit for
bit (haven/overdose/tests/test_spikes_distributions.py compares them with scipy.stats).

`scipy.special` itself (0.15 s or more) is imported on first use, so that importing the detectors stays cheap,
and the quantiles of the default parameters are kept as constants, so that a default run needs none of SciPy.
"""

from __future__ import annotations

import numpy as np


def _special():
    import scipy.special

    return scipy.special


# The quantiles the detectors ask for with their default parameters, as scipy.special computes them
# (test_spikes_distributions checks every entry against it): a run with the default EARS, EWMA,
# regression or switch parameters then needs no SciPy at all, only NumPy.
NORM_PPF = {0.999: 3.090232306167813, 0.99: 2.3263478740408408, 0.95: 1.6448536269514722}
T_PPF = {(0.99, 48.0): 2.406581273275607, (0.99, 24.0): 2.492159473157756}  # regression, daily and weekly


def norm_ppf(q):
    """stats.norm.ppf(q)."""
    if np.ndim(q) == 0 and float(q) in NORM_PPF:
        return np.float64(NORM_PPF[float(q)])
    q = np.asarray(q, dtype=float)
    out = np.full(q.shape, np.nan)
    out[q == 0] = -np.inf
    out[q == 1] = np.inf
    inside = (q > 0) & (q < 1)
    out[inside] = _special().ndtri(q[inside])
    return out[()]


def t_ppf(q, df):
    """stats.t.ppf(q, df)."""
    if np.ndim(q) == 0 and np.ndim(df) == 0 and (float(q), float(df)) in T_PPF:
        return np.float64(T_PPF[float(q), float(df)])
    q, df = np.broadcast_arrays(np.asarray(q, dtype=float), np.asarray(df, dtype=float))
    valid = df > 0
    out = np.full(q.shape, np.nan)
    out[valid & (q == 0)] = -np.inf
    out[valid & (q == 1)] = np.inf
    inside = valid & (q > 0) & (q < 1)
    out[inside] = _special().stdtrit(df[inside], q[inside])
    return out[()]


def t_sf(x, df):
    """stats.t.sf(x, df)."""
    x, df = np.broadcast_arrays(np.asarray(x, dtype=float), np.asarray(df, dtype=float))
    valid = df > 0
    out = np.zeros(x.shape)
    out[~valid | np.isnan(x)] = np.nan
    out[valid & (x == -np.inf)] = 1.0
    inside = valid & np.isfinite(x)
    out[inside] = _special().stdtr(df[inside], -x[inside])
    return out[()]


def _discrete_ppf(q, valid, quantile, *arguments):
    """scipy.stats' rv_discrete.ppf for a distribution on 0, 1, 2, ...: -1 at q = 0, inf at q = 1."""
    q = np.asarray(q, dtype=float)
    shape = np.broadcast_shapes(q.shape, *(np.shape(a) for a in arguments))
    q = np.broadcast_to(q, shape)
    arguments = [np.broadcast_to(np.asarray(a, dtype=float), shape) for a in arguments]
    out = np.full(shape, np.nan)
    out[valid & (q == 0)] = -1.0
    out[valid & (q == 1)] = np.inf
    inside = valid & (q > 0) & (q < 1)
    if inside.any():
        out[inside] = quantile(q[inside], *(a[inside] for a in arguments))
    return out[()]


def poisson_ppf(q, mu):
    """stats.poisson.ppf(q, mu)."""
    special = _special()

    def quantile(q, mu):
        vals = np.ceil(special.pdtrik(q, mu))
        vals1 = np.maximum(vals - 1, 0)
        return np.where(special.pdtr(vals1, mu) >= q, vals1, vals)

    mu = np.asarray(mu, dtype=float)
    return _discrete_ppf(q, np.broadcast_to(mu >= 0, np.broadcast_shapes(np.shape(q), mu.shape)), quantile, mu)


def nbinom_ppf(q, n, p):
    """stats.nbinom.ppf(q, n, p)."""
    from scipy.special import _ufuncs

    n, p = np.asarray(n, dtype=float), np.asarray(p, dtype=float)
    if not hasattr(_ufuncs, "_nbinom_ppf"):  # an older SciPy: let scipy.stats say what it computes
        from scipy import stats

        return stats.nbinom.ppf(q, n, p)

    def quantile(q, n, p):
        with np.errstate(over="ignore"):  # as scipy.stats (gh-17432)
            return _ufuncs._nbinom_ppf(q, n, p)

    valid = np.broadcast_to((n > 0) & (p > 0) & (p <= 1), np.broadcast_shapes(np.shape(q), n.shape, p.shape))
    return _discrete_ppf(q, valid, quantile, n, p)


def ewma_filter(observed, smoothing: float):
    """S_0 = y_0, then S_t = smoothing * y_t + (1 - smoothing) * S_{t-1}, along the rows.

    The same operations in the same order as scipy.signal.lfilter([smoothing], [1, -(1 - smoothing)],
    observed, axis=1, zi=(1 - smoothing) * observed[:, :1]) (transposed direct form II), so the same
    values; one NumPy step per point in time, all areas at once.
    """
    observed = np.asarray(observed, dtype=float)
    keep = 1.0 - smoothing
    smoothed = np.empty_like(observed)
    if observed.shape[1] == 0:
        return smoothed
    state = keep * observed[:, 0]
    for t in range(observed.shape[1]):
        current = smoothed[:, t]
        np.multiply(observed[:, t], smoothing, out=current)
        current += state
        state = current * keep
    return smoothed
