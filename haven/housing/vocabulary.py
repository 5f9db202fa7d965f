"""Housing words Haven writes itself, and the HMIS value lists it reads from the imported specification.

Plain Python, no Django import. The HMIS codes are never typed here: they come from
`hmis_spec/fy2026.json` (built from the published FY2026 CSV specification, see hmis_spec/SOURCE.md).
"""

from __future__ import annotations

import json
from functools import cache
from pathlib import Path

SPEC_PATH = Path(__file__).resolve().parent / "hmis_spec" / "fy2026.json"

# Low-barrier attributes of a bed or unit (their words are models.LowBarrier, translated). None of them is a
# condition on the person: they say what a place does NOT require, or what it allows.
LOW_BARRIER_CODES = ["housing_first", "no_conditions", "supplies_allowed", "pets", "partners", "storage", "no_curfew",
                     "accessible"]

# HUD's living situation codes are numbered by group: 1xx homeless, 2xx institutional, 3xx temporary,
# 4xx permanent (the group headings of the FY2024+ "Living Situation Option List"); the rest are
# "other" or missing-data answers.
GROUPS = {1: "homeless", 2: "institutional", 3: "temporary", 4: "permanent"}

# The specification's words, with one change for person-first language in what Haven shows.
WORDING = {"Substance abuse treatment facility or detox center": "Substance use treatment facility or detox center"}


@cache
def spec() -> dict:
    return json.loads(SPEC_PATH.read_text(encoding="utf-8"))


def hmis_list(name: str) -> dict[int, str]:
    """code -> description of one HMIS value list, in the specification's order."""
    return {int(code): WORDING.get(text, text) for code, text in spec()["lists"][name]["values"].items()}


def group_of(code: int | None) -> str:
    if code is None:
        return ""
    return GROUPS.get(code // 100, "other") if code >= 100 else "other"
