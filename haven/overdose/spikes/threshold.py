"""Simple count threshold: alarm when an area has at least ``threshold`` reports
within the last ``window`` points (e.g. 3 reports in 1 day, or in 24 hours when
the data are hourly), the current point included.

The upper bound is given in count units like the other detectors: the largest
count at this point that keeps the window total below the threshold, i.e.
threshold - 1 - (reports in the previous window - 1 points).
"""

from __future__ import annotations

import numpy as np

from .result import EVALUATED, SpikeResult, as_area_by_time, empty_result


def count_threshold(counts, *, threshold: int, window: int = 1, start: int = 0) -> SpikeResult:
    if threshold < 1:
        raise ValueError("threshold must be at least 1")
    if window < 1:
        raise ValueError("window must be at least 1 point")
    observed = as_area_by_time(counts)
    result = empty_result("threshold", observed, start, {"threshold": threshold, "window": window, "start": start})
    areas, length = observed.shape
    first = max(start, window - 1)
    if first >= length:
        return result
    running = np.concatenate([np.zeros((areas, 1)), np.cumsum(observed, axis=1)], axis=1)
    t = np.arange(first, length)
    previous = running[:, t] - running[:, t - window + 1]  # reports in the window before this point
    part = slice(first, None)
    result.status[:, part] = EVALUATED
    result.upperbound[:, part] = threshold - 1 - previous
    result.expected[:, part] = previous
    result.alarm[:, part] = observed[:, part] + previous >= threshold
    result.details["window_total"] = np.full(observed.shape, np.nan)
    result.details["window_total"][:, part] = observed[:, part] + previous
    return result
