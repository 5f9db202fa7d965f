"""The result every detector returns, and the reasons a point carries.

A detector looks at a 2-D array of counts (areas x time points) and answers,
per point, whether the count is unusual (``alarm``), the highest count that
would still have been considered usual (``upperbound``), and what the count
was compared to (``expected`` and a method-specific measure of spread), so a
reviewer can see why a point was or was not flagged.

Points the detector did not evaluate never alarm; ``status`` says why.
"""

from __future__ import annotations

from dataclasses import dataclass, field

import numpy as np

# Status codes, one per point. Stored as small integers so that results for
# thousands of areas stay compact; ``STATUS_REASONS`` turns them into text.
EVALUATED = 0
BEFORE_START = 1
NOT_ENOUGH_HISTORY = 2
FEW_RECENT_REPORTS = 3
MODEL_DID_NOT_CONVERGE = 4
NO_BASELINE_VARIATION = 5

STATUS_REASONS = {
    EVALUATED: "",
    BEFORE_START: "before the evaluated range (baseline only)",
    NOT_ENOUGH_HISTORY: "not enough history",
    FEW_RECENT_REPORTS: "too few reports in the recent weeks to alarm",
    MODEL_DID_NOT_CONVERGE: "model did not converge",
    NO_BASELINE_VARIATION: "baseline has no variation, bound undefined",
}


@dataclass
class SpikeResult:
    """Per-point output of a detector; every array has shape (areas, time)."""

    method: str
    observed: np.ndarray
    alarm: np.ndarray
    upperbound: np.ndarray
    expected: np.ndarray
    status: np.ndarray
    # Extra per-point numbers that explain the bound (baseline sd,
    # dispersion, whether a trend was used, ...), by name.
    details: dict[str, np.ndarray] = field(default_factory=dict)
    parameters: dict[str, object] = field(default_factory=dict)

    def reasons(self) -> np.ndarray:
        """Text reason per point ('' where the point was evaluated)."""
        lookup = np.array([STATUS_REASONS[code] for code in sorted(STATUS_REASONS)], dtype=object)
        return lookup[self.status]

    def evaluated(self) -> np.ndarray:
        """True where the detector produced a usable upper bound."""
        return self.status == EVALUATED

    def explain(self, area: int, time: int) -> str:
        """One line saying why point (area, time) did or did not alarm."""
        code = int(self.status[area, time])
        observed = self.observed[area, time]
        if code != EVALUATED:
            return f"{self.method}: count {observed:g}, no alarm: {STATUS_REASONS[code]}"
        verdict = "alarm" if self.alarm[area, time] else "no alarm"
        parts = [
            f"{self.method}: count {observed:g}, {verdict}",
            f"upper bound {self.upperbound[area, time]:.4g}",
            f"expected {self.expected[area, time]:.4g}",
        ]
        for name, values in self.details.items():
            parts.append(f"{name} {values[area, time]:.4g}")
        return ", ".join(parts)


def empty_result(method: str, observed: np.ndarray, start: int, parameters: dict, allocate=None,
                 initialise: bool = True) -> SpikeResult:
    """A result with nothing evaluated yet: points before ``start`` are marked as such,
    the rest as 'not enough history' until the detector fills them in.

    ``allocate(shape, dtype)`` (optional) provides the uninitialised arrays,
    e.g. in shared memory for worker processes (``blocks.shared_empty``).
    ``initialise=False`` leaves them so: the caller then runs
    ``initialise_rows`` on every row (``blocks`` does it block by block)."""
    shape = observed.shape

    def array(dtype):
        return np.empty(shape, dtype=dtype) if allocate is None else allocate(shape, dtype)

    result = SpikeResult(
        method=method,
        observed=observed,
        alarm=array(bool),
        upperbound=array(float),
        expected=array(float),
        status=array(np.int8),
        parameters=dict(parameters),
    )
    if initialise:
        initialise_rows(result, slice(None), start)
    return result


def initialise_rows(result: SpikeResult, rows, start: int) -> None:
    """Set ``rows`` of every array to 'nothing evaluated yet' (NaN values, no alarm)."""
    result.status[rows] = NOT_ENOUGH_HISTORY
    result.status[rows, :start] = BEFORE_START
    result.alarm[rows] = False
    result.upperbound[rows] = np.nan
    result.expected[rows] = np.nan
    for values in result.details.values():
        values[rows] = np.nan


def as_area_by_time(counts) -> np.ndarray:
    """Accept one series (1-D) or many (2-D, areas x time) and return a float 2-D array."""
    array = np.asarray(counts, dtype=float)
    if array.ndim == 1:
        array = array[np.newaxis, :]
    if array.ndim != 2:
        raise ValueError("counts must be a 1-D series or a 2-D array of areas x time")
    if np.any(array < 0):
        raise ValueError("counts must not be negative")
    if not np.all(np.isfinite(array)):
        raise ValueError("counts must be finite numbers")
    return array
