"""The one place support notes are screened for personal details of other people.

Until the shared screener (haven.core.screening.screen_personal_details) is on main, this wraps the
alerts' patterns; switching is a one-line change here.
"""

from __future__ import annotations

from haven.alerts.screening import find_identifying


def screen_personal_details(text: str) -> list:
    """Findings (each with .kind and .text) of phone numbers, e-mail addresses and codes in `text`."""
    return find_identifying(text or "")
