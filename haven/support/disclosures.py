"""The person's accounting of disclosures: every time information about them left the program.

Most disclosures are made here, under the person's consent (`Disclosure`). Other apps can add
theirs without support importing them: a data production for a legal request (haven/rights) is
registered with `register_source` and listed beside the rest. A source returns `Entry` rows for one
participant and leaves out what it must not show (a court's order not to tell the person).
"""

from __future__ import annotations

import datetime
from collections.abc import Callable
from dataclasses import dataclass, replace

_SOURCES: list[Callable] = []


@dataclass(frozen=True)
class Entry:
    at: datetime.datetime
    to: str
    what: str
    by: str  # the username of who disclosed it, or ""
    basis: str = ""  # under what: the person's consent, or a legal request
    link: str = ""  # where staff with access can see more (a legal request's page)
    link_permission: str = ""  # who may follow the link; others see the entry without it


def register_source(source: Callable) -> None:
    """`source(participant) -> list[Entry]`; registering the same function twice adds it once."""
    if source not in _SOURCES:
        _SOURCES.append(source)


def accounting(participant, *, user=None) -> list[Entry]:
    """Every disclosure about the person, newest first; links only for a `user` who may follow them."""
    from django.utils.translation import gettext as _

    from haven.support.models import Disclosure

    entries = [Entry(at=item.disclosed_at, to=item.partner_name, what=str(item.get_what_display()),
                     by=item.disclosed_by.username if item.disclosed_by else "", basis=_("the person's consent"))
               for item in Disclosure.objects.filter(participant=participant).select_related("disclosed_by")]
    for source in _SOURCES:
        for entry in source(participant):
            if entry.link and not (user is not None and entry.link_permission
                                   and user.has_role_permission(entry.link_permission)):
                entry = replace(entry, link="")
            entries.append(entry)
    return sorted(entries, key=lambda entry: entry.at, reverse=True)
