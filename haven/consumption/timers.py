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


# The remote spotting line ------------------------------------------------------------------------
# A caller checks in every few minutes. From the last check-in: the next one is DUE after the
# program's interval; if it has not come a grace period later it is MISSED (escalation step 1: call
# back now); if nobody has answered a further period later, SEND_HELP (step 2: read out the
# emergency plan and send who the caller asked for).

DUE = "due"
MISSED = "missed"
SEND_HELP = "send_help"
STEP_MISSED = 1
STEP_SEND_HELP = 2


def spotting_moments(last_check_in: datetime.datetime, *, check_in_seconds: int, missed_after_seconds: int,
                     send_help_after_seconds: int) -> dict[int, datetime.datetime]:
    """When each escalation step falls due, counted from the last check-in."""
    due = last_check_in + datetime.timedelta(seconds=check_in_seconds)
    missed = due + datetime.timedelta(seconds=missed_after_seconds)
    return {STEP_MISSED: missed, STEP_SEND_HELP: missed + datetime.timedelta(seconds=send_help_after_seconds)}


def spotting_steps_due(last_check_in: datetime.datetime, now: datetime.datetime, **intervals) -> list[int]:
    """The escalation steps whose moment has come (both, if no one looked for a while)."""
    elapsed(last_check_in, now)  # refuses naive datetimes
    return [step for step, moment in spotting_moments(last_check_in, **intervals).items() if moment <= now]


def spotting_state(last_check_in: datetime.datetime, now: datetime.datetime, *, check_in_seconds: int,
                   missed_after_seconds: int, send_help_after_seconds: int) -> str:
    """OK, DUE, MISSED or SEND_HELP: what the operator's screen shows, from stored moments only."""
    seconds = elapsed(last_check_in, now).total_seconds()
    if seconds >= check_in_seconds + missed_after_seconds + send_help_after_seconds:
        return SEND_HELP
    if seconds >= check_in_seconds + missed_after_seconds:
        return MISSED
    if seconds >= check_in_seconds:
        return DUE
    return OK
