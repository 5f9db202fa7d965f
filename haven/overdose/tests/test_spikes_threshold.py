"""Simple count threshold: N reports within a window in one area."""

import numpy as np

from haven.overdose.spikes import count_threshold
from haven.overdose.spikes.result import NOT_ENOUGH_HISTORY


def test_threshold_alarms_when_a_day_reaches_n_reports():
    result = count_threshold(np.array([0, 2, 3, 5]), threshold=3)
    assert result.alarm[0].tolist() == [False, False, True, True]
    assert result.upperbound[0].tolist() == [2, 2, 2, 2]


def test_threshold_counts_reports_across_the_window():
    result = count_threshold(np.array([1, 1, 1, 0, 0, 2]), threshold=3, window=3)
    assert result.alarm[0].tolist() == [False, False, True, False, False, False]
    assert result.status[0, 0] == NOT_ENOUGH_HISTORY
    assert result.upperbound[0, 2] == 3 - 1 - 2


def test_threshold_handles_many_areas():
    counts = np.array([[0, 4], [1, 1]])
    assert count_threshold(counts, threshold=4).alarm.tolist() == [[False, True], [False, False]]
