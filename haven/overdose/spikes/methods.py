"""One entry point for every detector, by the names the command line uses."""

from __future__ import annotations

from .ears import ears_c1, ears_c2, ears_c3
from .essence import defaults_for, ewma, regression, switch
from .farrington import NOUFAILY, ORIGINAL, farrington_noufaily, farrington_original
from .result import SpikeResult
from .threshold import count_threshold

METHODS = ("ears-c1", "ears-c2", "ears-c3", "ewma", "regression", "switch", "farrington",
           "farrington-noufaily", "threshold")

# Default significance levels: EARS as in CDC's EARS / R's earsC (0.001),
# the others at 0.01 as in Noufaily et al. (2013).
DEFAULT_ALPHA = {"ears-c1": 0.001, "ears-c2": 0.001, "ears-c3": 0.001}
EARS_BASELINE = 7


def points_per_year(freq: str) -> int:
    return 365 if freq == "day" else 52


def minimum_history(method: str, freq: str = "day", window: int = 1) -> int:
    """How many earlier points a method needs before it can evaluate a point."""
    defaults = defaults_for(freq)
    if method == "ears-c1":
        return EARS_BASELINE
    if method == "ears-c2":
        return EARS_BASELINE + 2
    if method == "ears-c3":
        return EARS_BASELINE + 4
    if method == "ewma":
        return defaults["ewma_baseline"] + defaults["guard_band"]
    if method == "regression":
        return defaults["regression_baseline"] + defaults["guard_band"]
    if method == "switch":
        return max(defaults["ewma_baseline"], defaults["regression_baseline"]) + defaults["guard_band"]
    if method == "farrington":
        return points_per_year(freq) * ORIGINAL.years_back + ORIGINAL.half_window
    if method == "farrington-noufaily":
        return points_per_year(freq) * NOUFAILY.years_back + NOUFAILY.half_window
    if method == "threshold":
        return window - 1
    raise ValueError(f"unknown method {method!r}")


def run_method(method: str, counts, *, start: int = 0, freq: str = "day", alpha: float | None = None,
               threshold: int | None = None, window: int = 1) -> SpikeResult:
    """Run ``method`` on counts (areas x time); ``start`` is the 0-based first evaluated point."""
    if alpha is None:
        alpha = DEFAULT_ALPHA.get(method, 0.01)
    if method == "ears-c1":
        return ears_c1(counts, start=start, alpha=alpha)
    if method == "ears-c2":
        return ears_c2(counts, start=start, alpha=alpha)
    if method == "ears-c3":
        return ears_c3(counts, start=start, alpha=alpha)
    if method == "ewma":
        return ewma(counts, start=start, freq=freq, alpha=alpha)
    if method == "regression":
        return regression(counts, start=start, freq=freq, alpha=alpha)
    if method == "switch":
        return switch(counts, start=start, freq=freq, alpha=alpha)
    if method == "farrington":
        return farrington_original(counts, start=start, period=points_per_year(freq), alpha=alpha)
    if method == "farrington-noufaily":
        return farrington_noufaily(counts, start=start, period=points_per_year(freq), alpha=alpha)
    if method == "threshold":
        if threshold is None:
            raise ValueError("the threshold method needs a threshold")
        return count_threshold(counts, threshold=threshold, window=window, start=start)
    raise ValueError(f"unknown method {method!r}")
