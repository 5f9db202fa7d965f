"""The detectors' distribution functions give scipy.stats' values bit for bit, edge cases included."""

import numpy as np
import pytest
from scipy import signal, stats

from haven.overdose.spikes import distributions

RANDOM = np.random.default_rng(20261207)
EDGES = [0.0, 1.0, 0.5, 1e-300, 1 - 1e-16, np.nan, -0.1, 1.1, 0.999]
Q = np.concatenate([RANDOM.random(2000), EDGES])


def identical(ours, theirs):
    ours, theirs = np.asarray(ours), np.asarray(theirs)
    return ours.shape == theirs.shape and ours.dtype == theirs.dtype and np.array_equal(ours, theirs, equal_nan=True)


def test_normal_quantiles():
    assert identical(distributions.norm_ppf(Q), stats.norm.ppf(Q))
    assert identical(distributions.norm_ppf(1 - 0.001), stats.norm.ppf(1 - 0.001))


def test_student_t_quantiles_and_upper_tail():
    df = np.concatenate([RANDOM.random(2000) * 100, [0, -1, np.inf, 1e-3, 1, 2, np.nan, 3, 4]])
    x = np.concatenate([RANDOM.standard_normal(2000) * 5, [0, np.inf, -np.inf, np.nan, 1e300, -1e-300, 3, 4, 5]])
    assert identical(distributions.t_ppf(Q, df), stats.t.ppf(Q, df))
    assert identical(distributions.t_ppf(0.99, 5), stats.t.ppf(0.99, 5))
    assert identical(distributions.t_sf(x, df), stats.t.sf(x, df))
    assert identical(distributions.t_sf(np.abs(x), df), stats.t.sf(np.abs(x), df))
    assert identical(distributions.t_sf(1.5, 7.0), stats.t.sf(1.5, 7.0))


def test_poisson_quantiles():
    mu = np.concatenate([RANDOM.random(2000) * 50, [0, 1e-300, 1e6, -1, np.nan, np.inf, 3, 4, 5]])
    assert identical(distributions.poisson_ppf(0.99, mu), stats.poisson.ppf(0.99, mu))
    assert identical(distributions.poisson_ppf(Q, mu), stats.poisson.ppf(Q, mu))
    assert identical(distributions.poisson_ppf(0.99, mu[:0]), stats.poisson.ppf(0.99, mu[:0]))


def test_negative_binomial_quantiles():
    n = np.concatenate([RANDOM.random(2000) * 30, [0, 1e-3, 1e3, -1, np.nan, 2, 3, 4, 5]])
    p = np.concatenate([RANDOM.random(2000) * 0.98 + 0.01, [0, 1, 0.5, 0.5, np.nan, 0.2, 1.5, -0.1, 0.3]])
    assert identical(distributions.nbinom_ppf(0.99, n, p), stats.nbinom.ppf(0.99, n, p))
    assert identical(distributions.nbinom_ppf(Q, n, p), stats.nbinom.ppf(Q, n, p))


@pytest.mark.parametrize("smoothing", [0.4, 0.1, 1 / 3])
def test_the_ewma_filter_is_lfilter(smoothing):
    observed = RANDOM.poisson(8, size=(40, 1500)).astype(float)
    expected, _ = signal.lfilter([smoothing], [1.0, -(1.0 - smoothing)], observed, axis=1,
                                 zi=(1.0 - smoothing) * observed[:, :1])
    assert identical(distributions.ewma_filter(observed, smoothing), expected)


def test_the_kept_quantiles_are_what_scipy_special_computes():
    from scipy import special

    for q, value in distributions.NORM_PPF.items():
        assert np.float64(value) == special.ndtri(q)
        assert identical(distributions.norm_ppf(q), stats.norm.ppf(q))
    for (q, df), value in distributions.T_PPF.items():
        assert np.float64(value) == special.stdtrit(df, q)
        assert identical(distributions.t_ppf(q, int(df)), stats.t.ppf(q, int(df)))
