"""The one place support notes are screened for personal details of other people: the shared
screener (haven.core.screening), with each finding's value taken from the worker's own text so the
form can show what was found (it is never logged or stored)."""

from __future__ import annotations

from dataclasses import dataclass

from haven.core.screening import screen_personal_details as _screen


@dataclass(frozen=True)
class Flagged:
    kind: str  # phone, email, name, address, birth_date
    text: str


def screen_personal_details(text: str) -> list[Flagged]:
    """Findings (each with .kind and .text) of phone numbers, e-mail addresses, names, addresses and
    dates of birth in `text`."""
    text = text or ""
    return [Flagged(kind=finding.kind, text=finding.value_in(text)) for finding in _screen(text)]
