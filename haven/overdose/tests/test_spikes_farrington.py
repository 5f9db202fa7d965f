"""Farrington (original and Noufaily) against R's surveillance::farringtonFlexible.

Both forms agree with R on every evaluated week: identical alarms, identical
weeks without a bound, and upper bounds equal up to R's rounding of the
reference files to 6 decimals.  For the original form this includes the weeks
where R keeps a time trend, which depend on how farringtonFlexible computes the
dispersion after reweighting (docs/SPIKES.md, "Farrington: matching R").
"""

import numpy as np
import pytest

from haven.overdose.spikes import farrington_noufaily, farrington_original
from haven.overdose.spikes.farrington import NOUFAILY, ORIGINAL, dispersion_seen_by_r, reference_design
from haven.overdose.spikes.glm import fit_grouped_poisson
from haven.overdose.spikes.result import EVALUATED, FEW_RECENT_REPORTS, NOT_ENOUGH_HISTORY

from .reference_data import WEEKLY_FILES, load_reference

START = 520
# R's reference file rounds upper bounds to 6 decimals.
R_ROUNDING = 5e-7


@pytest.mark.parametrize("name", WEEKLY_FILES)
def test_farrington_noufaily_matches_r_alarms_and_upper_bounds_exactly(name):
    reference = load_reference(name)
    result = farrington_noufaily(reference["observed"], start=START, period=52)
    r_bound = reference["farrington_noufaily_upperbound"][START:]
    r_alarm = reference["farrington_noufaily_alarm"][START:]
    ours = result.upperbound[0, START:]
    assert np.array_equal(np.isnan(ours), np.isnan(r_bound))
    np.testing.assert_allclose(ours[~np.isnan(ours)], r_bound[~np.isnan(r_bound)], rtol=1e-9)
    np.testing.assert_array_equal(result.alarm[0, START:], r_alarm == 1)


@pytest.mark.parametrize("name", WEEKLY_FILES)
def test_farrington_original_matches_r_alarms_and_upper_bounds(name):
    reference = load_reference(name)
    result = farrington_original(reference["observed"], start=START, period=52)
    r_bound = reference["farrington_original_upperbound"][START:]
    r_alarm = reference["farrington_original_alarm"][START:] == 1
    ours = result.upperbound[0, START:]
    np.testing.assert_array_equal(result.alarm[0, START:], r_alarm)
    assert np.array_equal(np.isnan(ours), np.isnan(r_bound))
    np.testing.assert_allclose(ours[~np.isnan(ours)], r_bound[~np.isnan(r_bound)], rtol=1e-9, atol=R_ROUNDING)


def test_farrington_original_reference_covers_weeks_with_and_without_trend():
    with_trend = without_trend = 0
    for name in WEEKLY_FILES:
        reference = load_reference(name)
        result = farrington_original(reference["observed"], start=START, period=52)
        trend = result.details["trend_used"][0, START:]
        with_trend += int(np.sum(trend == 1))
        without_trend += int(np.sum(trend == 0))
    # 716 evaluated weeks with trend, 740 without (1,456 in all).
    assert with_trend > 700 and without_trend > 700
    assert with_trend + without_trend == 14 * 104


def test_dispersion_seen_by_r_is_phi_over_mu_without_trend():
    # Intercept-only model: mu is the same for every point, so R's
    # prior-weight dispersion is the working-weight one divided by mu (up to
    # the last IRLS step: summary.glm uses the previous step's working weights).
    rng = np.random.default_rng(3)
    y = rng.poisson(6.0, size=(1, 21)).astype(float)
    offsets, group = reference_design(52, ORIGINAL)
    weights = rng.uniform(0.5, 1.5, size=y.shape)
    weights *= y.shape[1] / weights.sum()
    fit = fit_grouped_poisson(y, group, 1, offsets.astype(float), False, prior_weights=weights)
    mu = fit.fitted[0, 0]
    np.testing.assert_allclose(dispersion_seen_by_r(y, fit, weights), fit.dispersion / mu, rtol=1e-5)


def test_farrington_weeks_with_fewer_than_five_recent_reports_never_alarm():
    counts = np.zeros(200)
    counts[::3] = 1.0
    counts[-1] = 3.0
    result = farrington_original(counts, start=170, period=52)
    recent_total = counts[-4:].sum()
    assert recent_total < 5
    assert result.status[0, -1] == FEW_RECENT_REPORTS
    assert not result.alarm[0, -1]


def test_farrington_needs_b_years_of_history():
    counts = np.full(100, 5.0)
    result = farrington_original(counts, period=52)
    assert np.all(result.status[0] == NOT_ENOUGH_HISTORY)
    assert not result.alarm.any()


def test_farrington_runs_many_areas_at_once_with_the_same_answer_as_one_by_one():
    names = WEEKLY_FILES[:4]
    counts = np.stack([load_reference(name)["observed"] for name in names])
    together = farrington_noufaily(counts, start=600, period=52)
    for area in range(len(names)):
        alone = farrington_noufaily(counts[area], start=600, period=52)
        np.testing.assert_array_equal(together.upperbound[area], alone.upperbound[0])
        np.testing.assert_array_equal(together.alarm[area], alone.alarm[0])


def test_noufaily_design_has_ten_seasonal_levels_and_skips_the_last_26_weeks():
    offsets, groups = reference_design(52, NOUFAILY)
    assert set(groups.tolist()) == set(range(10))
    assert offsets.max() == -27
    assert offsets.min() == -(4 * 52 + 3)


def test_farrington_flags_a_clear_spike_in_a_steady_series():
    rng = np.random.default_rng(11)
    counts = rng.poisson(10.0, size=300).astype(float)
    counts[-1] = 40.0
    result = farrington_original(counts, start=299, period=52)
    assert result.status[0, -1] == EVALUATED
    assert result.alarm[0, -1]
    assert result.upperbound[0, -1] < 40
