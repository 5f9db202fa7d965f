"""EARS C1/C2/C3 reproduce R's surveillance::earsC(baseline = 7, minSigma = 0, alpha = 0.001)."""

import numpy as np
import pytest

from haven.overdose.spikes import ears_c1, ears_c2, ears_c3
from haven.overdose.spikes.result import BEFORE_START, NO_BASELINE_VARIATION, NOT_ENOUGH_HISTORY

from .reference_data import DAILY_FILES, WEEKLY_FILES, first_evaluated, load_reference

DETECTORS = {"c1": ears_c1, "c2": ears_c2, "c3": ears_c3}


@pytest.mark.parametrize("name", DAILY_FILES + WEEKLY_FILES)
@pytest.mark.parametrize("variant", ["c1", "c2", "c3"])
def test_ears_matches_r_alarms_and_upper_bounds(variant, name):
    reference = load_reference(name)
    start = first_evaluated(name)
    result = DETECTORS[variant](reference["observed"], start=start, alpha=0.001)
    r_alarm = reference[f"ears_{variant}_alarm"][start:]
    r_bound = reference[f"ears_{variant}_upperbound"][start:]
    ours_bound = result.upperbound[0, start:]
    ours_alarm = result.alarm[0, start:]
    # R writes NA where the bound is undefined (C3 with a constant baseline); we give NaN and no alarm.
    assert np.array_equal(np.isnan(r_bound), np.isnan(ours_bound))
    defined = ~np.isnan(r_bound)
    # R's output is rounded to 6 decimals, hence the absolute part of the tolerance.
    np.testing.assert_allclose(ours_bound[defined], r_bound[defined], rtol=1e-6, atol=5e-7)
    assert np.array_equal(ours_alarm[defined], r_alarm[defined] == 1)
    assert not ours_alarm[~defined].any()
    assert np.all(result.status[0, start:][~defined] == NO_BASELINE_VARIATION)


def test_ears_c1_matches_r_on_daily_mean8():
    reference = load_reference("daily_mean8")
    result = ears_c1(reference["observed"], start=14)
    np.testing.assert_allclose(result.upperbound[0, 14:], reference["ears_c1_upperbound"][14:], rtol=1e-6, atol=5e-7)


def test_ears_points_without_seven_earlier_points_give_no_alarm_and_say_why():
    counts = np.array([0, 0, 0, 0, 0, 0, 50, 0, 0, 0], dtype=float)
    result = ears_c1(counts)
    assert not result.alarm[0, :7].any()
    assert np.all(result.status[0, :7] == NOT_ENOUGH_HISTORY)
    assert result.reasons()[0, 3] == "not enough history"


def test_ears_points_before_start_are_baseline_only():
    counts = np.arange(30, dtype=float)
    result = ears_c2(counts, start=20)
    assert np.all(result.status[0, :20] == BEFORE_START)
    assert np.all(np.isnan(result.upperbound[0, :20]))


def test_ears_runs_many_areas_at_once_with_the_same_answer_as_one_by_one():
    rng = np.random.default_rng(3)
    counts = rng.poisson(4.0, size=(5, 60)).astype(float)
    together = ears_c3(counts, start=11)
    for area in range(5):
        alone = ears_c3(counts[area], start=11)
        np.testing.assert_array_equal(together.alarm[area], alone.alarm[0])
        np.testing.assert_allclose(together.upperbound[area], alone.upperbound[0], equal_nan=True)


def test_ears_result_explains_the_comparison():
    counts = np.array([2, 3, 2, 3, 2, 3, 2, 20], dtype=float)
    result = ears_c1(counts)
    assert result.alarm[0, 7]
    assert result.expected[0, 7] == pytest.approx(17 / 7)
    assert "baseline_sd" in result.explain(0, 7)
