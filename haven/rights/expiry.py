"""How a rights report's identifying detail expires: the note and the officer details are erased; the
date, area and what happened stay, because the advocacy report counts them.

These are the two functions the retention registry asks of a record kind (`expire` and `moment_of`,
docs/PRIVACY.md on the `retention` branch); `retention.py` registers them once that registry is in
Haven. A report's moment is the day it was received (a report of something that happened long ago
is kept from the day someone told the program, not from the day it happened).
"""

from __future__ import annotations

import datetime

from django.utils import timezone

from haven.rights.models import RightsReport

# An anonymous report waits for a coordinator's check with its note; an advocate may follow a report
# up within a quarter. No report reads a note, so a program may keep them no longer than this.
MINIMUM_DAYS = 92
DEFAULT_DAYS = 366


def _report_id(object_id) -> int | None:
    text = str(object_id).strip()
    return int(text) if text.isdigit() and len(text) < 19 else None


def _with_detail():
    return RightsReport.objects.exclude(note__isnull=True, officer_details__isnull=True)


def report_moment(object_id) -> datetime.datetime | None:
    """When the report's time to expire started (the start of the day it was received), or None when
    there is no such report or its note and officer details are already gone."""
    number = _report_id(object_id)
    if number is None:
        return None
    received_on = _with_detail().filter(pk=number).values_list("received_on", flat=True).first()
    if received_on is None:
        return None
    return timezone.make_aware(datetime.datetime.combine(received_on, datetime.time()))


def expire_reports(*, before: datetime.datetime, held, only=None, **_ignored) -> int:
    """Erase the note, the officer details and the confirmed kinds of every report received before
    `before`, except the held ids; idempotent. Returns how many reports changed. (The registry's
    optimisations for large tables, `since` and `above_id`, are not needed: a program has hundreds of
    reports, not millions.)"""
    reports = _with_detail().filter(received_on__lt=timezone.localtime(before).date()).exclude(
        pk__in=[number for number in map(_report_id, held) if number is not None])
    if only is not None:
        reports = reports.filter(pk=_report_id(only) or 0)
    return reports.update(note=None, officer_details=None, confirmed_flags=[])
