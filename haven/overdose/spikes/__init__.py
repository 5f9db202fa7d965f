"""Spike detection for overdose report counts (plain NumPy/SciPy, no Django).

Each detector takes counts as a 1-D series or a 2-D array (areas x time) and
returns a :class:`SpikeResult` with, per point, the alarm, the upper bound, the
expected value and the reason when a point was not evaluated.
See docs/SPIKES.md for the methods and their agreement with R's surveillance.
"""

from .ears import ears_c1, ears_c2, ears_c3
from .essence import ewma, regression, switch
from .farrington import FarringtonSettings, farrington, farrington_noufaily, farrington_original
from .methods import METHODS, minimum_history, run_method, run_method_groups, run_methods
from .result import STATUS_REASONS, SpikeResult
from .threshold import count_threshold

__all__ = [
    "METHODS",
    "STATUS_REASONS",
    "FarringtonSettings",
    "SpikeResult",
    "count_threshold",
    "ears_c1",
    "ears_c2",
    "ears_c3",
    "ewma",
    "farrington",
    "farrington_noufaily",
    "farrington_original",
    "minimum_history",
    "regression",
    "run_method",
    "run_method_groups",
    "run_methods",
    "switch",
]
