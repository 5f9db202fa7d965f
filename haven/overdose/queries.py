"""Reads that the overdose pages share. Reports identify no one and are counted by area, so every role
that may view them sees all of them (no site scoping)."""

from __future__ import annotations

import datetime

from django.utils import timezone

from haven.overdose.models import OverdoseReport


def _start_of(day: datetime.date) -> datetime.datetime:
    return timezone.make_aware(datetime.datetime.combine(day, datetime.time()))


def reports(*, area=None, since: datetime.date | None = None, until: datetime.date | None = None):
    queryset = OverdoseReport.objects.select_related("area")
    if area is not None:
        queryset = queryset.filter(area=area)
    if since is not None:
        queryset = queryset.filter(occurred_at__gte=_start_of(since))
    if until is not None:
        queryset = queryset.filter(occurred_at__lt=_start_of(until + datetime.timedelta(days=1)))
    return queryset.order_by("-occurred_at", "-pk")


def report(report_id: int) -> OverdoseReport:
    return OverdoseReport.objects.select_related("area", "created_by").get(pk=report_id)
