"""Spike detection for overdose report counts (plain NumPy/SciPy, no Django).

Each detector takes counts as a 1-D series or a 2-D array (areas x time) and
returns a :class:`SpikeResult` with, per point, the alarm, the upper bound, the
expected value and the reason when a point was not evaluated.
See docs/SPIKES.md for the methods and their agreement with R's surveillance.

The names below are loaded on first use (PEP 562), so that `haven spikes --help`
and other importers of one submodule do not pay for NumPy and every detector.
"""

from importlib import import_module

_WHERE = {
    "ears_c1": "ears", "ears_c2": "ears", "ears_c3": "ears",
    "ewma": "essence", "regression": "essence", "switch": "essence",
    "FarringtonSettings": "farrington", "farrington": "farrington", "farrington_noufaily": "farrington",
    "farrington_original": "farrington",
    "METHODS": "names", "minimum_history": "methods", "run_method": "methods", "run_method_groups": "methods",
    "run_methods": "methods",
    "STATUS_REASONS": "result", "SpikeResult": "result",
    "count_threshold": "threshold",
}

__all__ = sorted(_WHERE)


def __getattr__(name):
    if name not in _WHERE:
        raise AttributeError(f"module {__name__!r} has no attribute {name!r}")
    value = getattr(import_module(f".{_WHERE[name]}", __name__), name)
    globals()[name] = value
    return value


def __dir__():
    return sorted(set(globals()) | set(_WHERE))
