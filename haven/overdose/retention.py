"""How long an overdose report keeps its notes and exact time (haven.core.retention, docs/PRIVACY.md)."""

from __future__ import annotations

import datetime

from django.db import transaction
from django.db.models import Max, Q
from django.utils import timezone
from django.utils.translation import gettext_lazy as _

from haven.core.retention import RecordKind, integer_id, integer_ids, register
from haven.overdose.detection import ALERT_LIFETIME
from haven.overdose.models import OverdoseReport


def _moment_of(object_id: str):
    number = integer_id(object_id)
    if number is None:
        return None
    return OverdoseReport.objects.filter(pk=number).values_list("occurred_at", flat=True).first()


def _noon_of_the_day(moment: datetime.datetime) -> datetime.datetime:
    local = timezone.localtime(moment)
    return timezone.make_aware(datetime.datetime.combine(local.date(), datetime.time(12)))


def expire_reports(*, before, held, since=None, above_id=None, only=None, **_ignored) -> int:
    """De-identify overdose reports before `before`: the notes, the drug checking sample code and
    who recorded it go, and the time becomes noon of the same local day. Spike detection and the
    reports count per area and local day, so every count stays the same."""
    reports = OverdoseReport.objects.filter(occurred_at__lt=before).exclude(pk__in=integer_ids(held))
    if only is not None:
        reports = reports.filter(pk=integer_id(only))
    elif since is not None:
        reports = reports.filter(Q(occurred_at__gte=since) | Q(pk__gt=above_id or 0))
    changed = 0
    for report in reports.iterator(chunk_size=500):
        with transaction.atomic():
            report.notes = ""
            report.drug_checking_sample = ""
            report.created_by = None
            report.occurred_at = _noon_of_the_day(report.occurred_at)
            report.save(update_fields=["notes", "drug_checking_sample", "created_by", "occurred_at"])
        changed += 1
    return changed


register(RecordKind(
    key="overdose.report", order=50,
    label=_("Overdose reports"),
    treatment=_("Notes, the drug checking sample code and who recorded it are erased, and the time becomes "
                "the day. Area, day, what happened and substances stay for spike detection and the counts."),
    default_days=ALERT_LIFETIME.days + 1, minimum_days=ALERT_LIFETIME.days + 1,
    reason=_("A spike alert stays up for seven days (ALERT_LIFETIME) and the staff who review it read the "
             "reports behind it, notes and times included: eight days covers an alert's whole life."),
    expire=expire_reports, moment_of=_moment_of, models=lambda: [OverdoseReport],
    newest_id=lambda: OverdoseReport.objects.aggregate(newest=Max("pk"))["newest"],
))
