"""What must never be published in an alert: e-mail addresses, phone numbers, and codes that
point at a person (participant display ids, drug checking sample codes). Plain Python, no Django.

The patterns are deliberately simple and lean towards caution: a false alarm costs a reviewer a
rewording ("XR 20 mg" instead of "XR20MG"), a missed code could identify someone.
"""

from __future__ import annotations

import re
from dataclasses import dataclass

EMAIL = re.compile(r"[A-Za-z0-9._%+\-]+@[A-Za-z0-9\-]+(?:\.[A-Za-z0-9\-]+)*\.[A-Za-z]{2,}")
# 7 to 15 digits (E.164 allows 15; shorter than 7 is a phone number nowhere) with the usual separators.
PHONE = re.compile(r"(?<!\w)(?<!\d[.:/\-])\+?\(?\d[\d \t().\-]{5,}\d(?!\w|[.:/\-]\d)")
DATE = re.compile(r"^\d{4}-\d{1,2}-\d{1,2}$|^\d{1,2}[./\-]\d{1,2}[./\-]\d{2,4}$|^\d{4}\s*[-–]\s*\d{4}$")
# Codes printed on participant cards and sample bags: capital letters mixed with digits, alone
# (K7QX92) or in groups (K7QX-92MD).
CODE = re.compile(r"(?<![\w\-])[A-Z0-9]{2,}(?:-[A-Z0-9]{2,})+(?![\w\-])|(?<![\w\-])[A-Z0-9]{6,}(?![\w\-])")
# Participant display ids: six characters of this alphabet (haven/participants/actions.py).
DISPLAY_ID = re.compile(r"(?<![\w\-])[23456789ABCDEFGHJKMNPQRSTUVWXYZ]{6}(?![\w\-])")
# Names that look like codes but are not.
NOT_CODES = {"COVID-19", "SARS-COV-2", "H5N1", "ISO-8601"}


@dataclass(frozen=True)
class Identifying:
    kind: str  # "email", "phone" or "code"
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

    for match in EMAIL.finditer(text):
        add("email", match)
    for match in PHONE.finditer(text):
        candidate = match.group(0).strip()
        digits = sum(ch.isdigit() for ch in candidate)
        if 7 <= digits <= 15 and not DATE.match(candidate):
            add("phone", match)
    for match in CODE.finditer(text):
        if _looks_like_code(match.group(0)):
            add("code", match)
    return sorted(found, key=lambda item: item.start)


def display_id_candidates(text: str) -> set[str]:
    """Words that could be participant display ids (checked against the participants by the caller)."""
    return {match.group(0) for match in DISPLAY_ID.finditer(text)}
