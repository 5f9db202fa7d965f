"""The reagent interpretation engine for drug checking: plain Python, no Django.

    from haven.drugchecking.reagents import interpret
    result = interpret({"marquis": "purple, black", "mecke": "green or blue", "simon": "blue"})
    result.groups[0]["names"], result.groups[0]["confidence"], result.groups[0]["separate_with"]
    result.cautions

What the colours fit is a guess, never a finding. See docs/REAGENTS.md for the likelihood, the
held-out evaluation, and where the reference reactions come from (data/SOURCE.md).
"""

from __future__ import annotations

from importlib import import_module
from typing import NamedTuple

# Loaded on first use (PEP 562): `haven reagents --help` needs only the vocabulary, not the YAML table.
_WHERE = {
    "Candidate": "engine", "Interpretation": "engine", "ReagentEvidence": "engine", "interpret": "engine",
    "TableError": "table", "default_table": "table", "load_table": "table",
    "UnknownColourError": "vocabulary", "UnknownReagentError": "vocabulary", "colour_choices": "vocabulary",
    "parse_observation": "vocabulary", "reagent_choices": "vocabulary",
}


def __getattr__(name):
    if name not in _WHERE:
        raise AttributeError(f"module {__name__!r} has no attribute {name!r}")
    value = getattr(import_module(f".{_WHERE[name]}", __name__), name)
    globals()[name] = value
    return value


class ReferenceSubstance(NamedTuple):
    key: str
    name: str
    substance_class: str


def substances() -> list[ReferenceSubstance]:
    """The reference substances in Haven's table, in table order."""
    from .table import default_table

    return [
        ReferenceSubstance(reference.key, reference.name, reference.substance_class)
        for reference in default_table().references
    ]


__all__ = [
    "Candidate",
    "Interpretation",
    "ReagentEvidence",
    "ReferenceSubstance",
    "TableError",
    "UnknownColourError",
    "UnknownReagentError",
    "colour_choices",
    "interpret",
    "load_table",
    "parse_observation",
    "reagent_choices",
    "substances",
]
