"""Booth timers: whether a stay needs a check, from stored moments only (no Django import).

A timer is never kept in memory: its state is computed from when the stay began or was last
checked, so a restart of the server changes nothing. Moments are aware datetimes; their
difference is exact across a daylight saving change, because aware datetimes subtract in UTC.
"""

from __future__ import annotations

import datetime

OK = "ok"
AMBER = "amber"
RED = "red"


def elapsed(since: datetime.datetime, now: datetime.datetime) -> datetime.timedelta:
    if since.tzinfo is None or now.tzinfo is None:
        raise ValueError("timers need aware datetimes")
    return now.astimezone(datetime.UTC) - since.astimezone(datetime.UTC)


def state(since: datetime.datetime, now: datetime.datetime, *, amber_minutes: int, red_minutes: int) -> str:
    """OK until `amber_minutes` after the last check, amber until `red_minutes`, then red."""
    minutes = elapsed(since, now).total_seconds() / 60
    if minutes >= red_minutes:
        return RED
    if minutes >= amber_minutes:
        return AMBER
    return OK


def next_change(since: datetime.datetime, now: datetime.datetime, *, amber_minutes: int,
                red_minutes: int) -> datetime.datetime | None:
    """When this timer's state next changes, or None once it is red."""
    for minutes in (amber_minutes, red_minutes):
        moment = since + datetime.timedelta(minutes=minutes)
        if moment > now:
            return moment
    return None
