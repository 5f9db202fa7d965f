"""ESSENCE-style EWMA, regression and the switch between them."""

import numpy as np
import pytest
from scipy import stats

from haven.overdose.spikes import ewma, regression, switch
from haven.overdose.spikes.result import NOT_ENOUGH_HISTORY


def weekly_patterned_series(seed=5, length=300):
    rng = np.random.default_rng(seed)
    day = np.arange(length)
    mean = 20 + 40 * (day % 7 == 5) + 25 * (day % 7 == 6)
    return rng.poisson(mean).astype(float)


def test_regression_prediction_matches_a_direct_least_squares_fit():
    counts = weekly_patterned_series()
    result = regression(counts, freq="day", alpha=0.01)
    for point in (100, 157, 299):
        window = np.arange(point - 58, point - 2)
        design = np.column_stack([(window % 7 == d).astype(float) for d in range(7)] + [window - point])
        coefficients, residuals, *_ = np.linalg.lstsq(design, counts[window], rcond=None)
        now = np.zeros(8)
        now[point % 7] = 1.0
        predicted = now @ coefficients
        variance = residuals[0] / (56 - 8)
        se = np.sqrt(variance * (1 + now @ np.linalg.inv(design.T @ design) @ now))
        assert result.expected[0, point] == pytest.approx(predicted, rel=1e-9)
        assert result.upperbound[0, point] == pytest.approx(predicted + stats.t.ppf(0.99, 48) * se, rel=1e-9)


def test_ewma_matches_a_plain_loop():
    counts = weekly_patterned_series(seed=8)
    result = ewma(counts, freq="day", alpha=0.01)
    smoothed = np.empty_like(counts)
    smoothed[0] = counts[0]
    for t in range(1, len(counts)):
        smoothed[t] = 0.4 * counts[t] + 0.6 * smoothed[t - 1]
    z = stats.norm.ppf(0.99)
    for point in (40, 200):
        baseline = counts[point - 30 : point - 2]
        line = baseline.mean() + z * max(baseline.std(ddof=1), 0.5) * np.sqrt(0.4 / 1.6)
        assert result.alarm[0, point] == (smoothed[point] > line)
        assert result.upperbound[0, point] == pytest.approx((line - 0.6 * smoothed[point - 1]) / 0.4)


def test_switch_uses_regression_when_the_weekday_pattern_is_strong():
    result = switch(weekly_patterned_series(), freq="day")
    used = result.details["used_regression"][0, 100:]
    assert np.nanmean(used) > 0.9


def test_switch_falls_back_to_ewma_on_flat_noise():
    rng = np.random.default_rng(2)
    result = switch(rng.poisson(5.0, 300).astype(float), freq="day")
    used = result.details["used_regression"][0, 100:]
    assert np.nanmean(used) < 0.1


@pytest.mark.parametrize("detector", [ewma, regression, switch])
def test_essence_detectors_flag_an_injected_spike(detector):
    counts = weekly_patterned_series(seed=21)
    counts[250] += 60
    result = detector(counts, freq="day")
    assert result.alarm[0, 250]


@pytest.mark.parametrize("detector", [ewma, regression, switch])
def test_essence_detectors_give_no_alarm_without_enough_history(detector):
    result = detector(np.full(20, 100.0), freq="day")
    assert np.all(result.status == NOT_ENOUGH_HISTORY)
    assert not result.alarm.any()


def test_weekly_regression_uses_a_trend_only_design():
    counts = np.arange(60, dtype=float) * 2 + 10
    result = regression(counts, freq="week")
    assert result.expected[0, 50] == pytest.approx(110.0)
