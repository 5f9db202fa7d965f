"""What must never be published in an alert: the personal details every free text is screened for
(`haven.core.screening`: e-mail addresses, phone numbers, names after "my name is", dates of birth)
and, on top, codes that point at a person (participant display ids, drug checking sample codes).
Plain Python, no Django.

The code patterns are deliberately simple and lean towards caution: a false alarm costs a reviewer a
rewording ("XR 20 mg" instead of "XR20MG"), a missed code could identify someone. Alerts are not
screened for two capitalised words in a row (publishing has no override, and alerts name places and
substances) nor for street addresses (an alert may give a service's address).
"""

from __future__ import annotations

import re
from dataclasses import dataclass

from haven.core.screening import screen_personal_details

ALERT_KINDS = ("email", "phone", "name", "birth_date")
# Codes printed on participant cards and sample bags: capital letters mixed with digits, alone
# (K7QX92) or in groups (K7QX-92MD).
CODE = re.compile(r"(?<![\w\-])[A-Z0-9]{2,}(?:-[A-Z0-9]{2,})+(?![\w\-])|(?<![\w\-])[A-Z0-9]{6,}(?![\w\-])")
# Participant display ids: six characters of this alphabet (haven/participants/actions.py).
DISPLAY_ID = re.compile(r"(?<![\w\-])[23456789ABCDEFGHJKMNPQRSTUVWXYZ]{6}(?![\w\-])")
# Names that look like codes but are not.
NOT_CODES = {"COVID-19", "SARS-COV-2", "H5N1", "ISO-8601"}


@dataclass(frozen=True)
class Identifying:
    kind: str  # "email", "phone", "name", "birth_date" or "code" (and "participant", added by the caller)
    text: str
    start: int
    end: int


def _looks_like_code(text: str) -> bool:
    if text in NOT_CODES:
        return False
    letters = sum(ch.isalpha() for ch in text)
    digits = sum(ch.isdigit() for ch in text)
    return letters >= 1 and digits >= 1 and letters + digits >= 6


def find_identifying(text: str) -> list[Identifying]:
    """Every e-mail address, phone number and code-like word in `text`, in order."""
    found: list[Identifying] = []
    taken: list[tuple[int, int]] = []

    def add(kind, match):
        if any(start < match.end() and match.start() < end for start, end in taken):
            return
        taken.append(match.span())
        found.append(Identifying(kind=kind, text=match.group(0), start=match.start(), end=match.end()))

    for finding in screen_personal_details(text, guess_names=False, kinds=ALERT_KINDS):
        taken.append((finding.start, finding.end))
        found.append(Identifying(kind=finding.kind, text=finding.value_in(text), start=finding.start,
                                 end=finding.end))
    for match in CODE.finditer(text):
        if _looks_like_code(match.group(0)):
            add("code", match)
    return sorted(found, key=lambda item: item.start)


def display_id_candidates(text: str) -> set[str]:
    """Words that could be participant display ids (checked against the participants by the caller)."""
    return {match.group(0) for match in DISPLAY_ID.finditer(text)}
