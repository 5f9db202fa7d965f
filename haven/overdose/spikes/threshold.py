"""Simple count threshold: alarm when an area has at least ``threshold`` reports
within the last ``window`` points (e.g. 3 reports in 1 day, or in 24 hours when
the data are hourly), the current point included.

The upper bound is given in count units like the other detectors: the largest
count at this point that keeps the window total below the threshold, i.e.
threshold - 1 - (reports in the previous window - 1 points).
"""

from __future__ import annotations

from dataclasses import dataclass

import numpy as np

from .blocks import AreaBlock, run_plans
from .result import EVALUATED, SpikeResult, as_area_by_time


@dataclass(frozen=True)
class ThresholdPlan:
    """The count threshold with its parameters, run block by block (``blocks.run_plans``)."""

    threshold: int
    window: int = 1
    start: int = 0
    method = "threshold"
    details = ("window_total",)

    def __post_init__(self):
        if self.threshold < 1:
            raise ValueError("threshold must be at least 1")
        if self.window < 1:
            raise ValueError("window must be at least 1 point")

    def parameters(self) -> dict:
        return {"threshold": self.threshold, "window": self.window, "start": self.start}

    def fill(self, result: SpikeResult, rows: slice, block: AreaBlock) -> None:
        observed = block.observed
        length = observed.shape[1]
        first = max(self.start, self.window - 1)
        if first >= length:
            return
        running = block.running_sums()[0]
        # reports in the window before each point: running[t] - running[t - window + 1]
        previous = running[:, first:length] - running[:, first - self.window + 1 : length - self.window + 1]
        part = slice(first, None)
        total = observed[:, part] + previous
        result.status[rows, part] = EVALUATED
        result.upperbound[rows, part] = self.threshold - 1 - previous
        result.expected[rows, part] = previous
        np.greater_equal(total, self.threshold, out=result.alarm[rows, part])
        result.details["window_total"][rows, part] = total


def count_threshold(counts, *, threshold: int, window: int = 1, start: int = 0) -> SpikeResult:
    plan = ThresholdPlan(threshold, window, start)
    return run_plans([plan], as_area_by_time(counts))[0]
