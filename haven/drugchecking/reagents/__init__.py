"""The reagent interpretation engine for drug checking: plain Python, no Django.

    from haven.drugchecking.reagents import interpret
    result = interpret({"marquis": "purple, black", "mecke": "green or blue", "simon": "blue"})
    result.groups[0]["names"], result.groups[0]["confidence"], result.groups[0]["separate_with"]
    result.cautions

What the colours fit is a guess, never a finding. See docs/REAGENTS.md for the likelihood, the
held-out evaluation, and where the reference reactions come from (data/SOURCE.md).
"""

from __future__ import annotations

from typing import NamedTuple

from .engine import Candidate, Interpretation, ReagentEvidence, interpret
from .table import TableError, default_table, load_table
from .vocabulary import (
    UnknownColourError,
    UnknownReagentError,
    colour_choices,
    parse_observation,
    reagent_choices,
)


class ReferenceSubstance(NamedTuple):
    key: str
    name: str
    substance_class: str


def substances() -> list[ReferenceSubstance]:
    """The reference substances in Haven's table, in table order."""
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
