"""One entry point for every detector, by the names the command line uses."""

from __future__ import annotations

import os

from .blocks import run_plan_groups
from .ears import EarsPlan
from .essence import R_SQUARED_THRESHOLD, EwmaPlan, RegressionPlan, SwitchPlan, defaults_for
from .farrington import NOUFAILY, ORIGINAL, FarringtonPlan, FarringtonSettings
from .names import MAXIMUM_WORKERS, METHODS  # noqa: F401 - METHODS is read from here too
from .result import SpikeResult, as_area_by_time
from .threshold import ThresholdPlan

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


def method_plan(method: str, *, start: int = 0, freq: str = "day", alpha: float | None = None,
                threshold: int | None = None, window: int = 1):
    """The plan (``blocks.run_plans``) that runs ``method`` with these parameters."""
    if alpha is None:
        alpha = DEFAULT_ALPHA.get(method, 0.01)
    if method in ("ears-c1", "ears-c2", "ears-c3"):
        return EarsPlan(method, start=start, alpha=alpha)
    if method == "ewma":
        return EwmaPlan.of(start=start, freq=freq, alpha=alpha)
    if method == "regression":
        return RegressionPlan.of(start=start, freq=freq, alpha=alpha)
    if method == "switch":
        return SwitchPlan(start, freq, alpha, R_SQUARED_THRESHOLD)
    if method == "farrington":
        settings = FarringtonSettings(**{**ORIGINAL.__dict__, "alpha": alpha})
        return FarringtonPlan("farrington", settings, points_per_year(freq), start)
    if method == "farrington-noufaily":
        settings = FarringtonSettings(**{**NOUFAILY.__dict__, "alpha": alpha})
        return FarringtonPlan("farrington-noufaily", settings, points_per_year(freq), start)
    if method == "threshold":
        if threshold is None:
            raise ValueError("the threshold method needs a threshold")
        return ThresholdPlan(threshold, window, start)
    raise ValueError(f"unknown method {method!r}")


def run_method(method: str, counts, *, start: int = 0, freq: str = "day", alpha: float | None = None,
               threshold: int | None = None, window: int = 1, workers: int = 1) -> SpikeResult:
    """Run ``method`` on counts (areas x time); ``start`` is the 0-based first evaluated point."""
    return run_methods([method], counts, start=start, freq=freq, alpha=alpha, threshold=threshold, window=window,
                       workers=workers)[method]


def run_methods(methods, counts, *, start: int = 0, freq: str = "day", alpha: float | None = None,
                threshold: int | None = None, window: int = 1, workers: int = 1,
                block_cells: int | None = None) -> dict[str, SpikeResult]:
    """Run several methods on the same counts in one pass over blocks of areas.

    Work the methods have in common (running sums, EARS baselines, the EWMA
    and the regression that the switch also uses) is done once per block.
    ``alpha`` None means each method's default.  ``workers`` > 1 spreads the
    blocks over that many processes for large inputs (``blocks.run_plans``);
    every result is identical to running the methods one by one with
    ``run_method``.  ``block_cells``: counts per block of areas (default:
    ``blocks.BLOCK_CELLS``, smaller for the Farrington methods).
    """
    options = {"start": start, "freq": freq, "alpha": alpha, "threshold": threshold, "window": window}
    return run_method_groups([(methods, counts, options)], workers=workers, block_cells=block_cells)[0]


def run_method_groups(groups, *, workers: int = 1, block_cells: int | None = None) -> list[dict[str, SpikeResult]]:
    """``run_methods`` for several arrays at once, e.g. the daily methods on daily
    counts and the Farrington methods on the same counts by week, so that one
    pool of ``workers`` processes shares all their blocks.

    ``groups``: (methods, counts, options) with options the keyword arguments
    of ``run_methods`` (start, freq, alpha, threshold, window).  Put the most
    expensive group first.  Returns one {method: result} per group, identical
    to separate ``run_methods`` calls.
    """
    if workers < 1:
        raise ValueError("workers must be 1 or more")
    prepared = []
    names = []
    for methods, counts, options in groups:
        methods = list(dict.fromkeys(methods))
        plans = [method_plan(method, **options) for method in methods]
        prepared.append((plans, as_area_by_time(counts)))
        names.append(methods)
    results = run_plan_groups(prepared, workers=workers, block_cells=block_cells)
    return [dict(zip(methods, group, strict=True)) for methods, group in zip(names, results, strict=True)]


def default_workers() -> int:
    """Processes to use for large inputs: the machine's cores, at most ``MAXIMUM_WORKERS``."""
    return max(1, min(os.cpu_count() or 1, MAXIMUM_WORKERS))
