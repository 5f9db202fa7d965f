"""Reversals reported at visits become overdose reports, once each."""

from __future__ import annotations

import datetime

from django.db import IntegrityError, transaction
from django.utils import timezone

from haven.core.audit import audit_record
from haven.encounters.models import ReversalReport
from haven.overdose.models import OverdoseReport, YesNoUnknown
from haven.overdose.recording import to_the_hour

REVERSAL_FATAL = {"survived": YesNoUnknown.NO, "died": YesNoUnknown.YES, "unknown": YesNoUnknown.UNKNOWN}


@transaction.atomic
def overdose_reports_from_reversals(*, actor=None, request=None) -> int:
    """Turn every reversal reported at a visit that has no overdose report yet into one; return how
    many were made. Safe to run any number of times: the one-to-one link makes each reversal once."""
    pending = (ReversalReport.objects.filter(overdose_report__isnull=True, encounter__voided_at__isnull=True)
               .select_related("encounter__site__area", "area").order_by("pk"))
    created = []
    for reversal in pending:
        encounter = reversal.encounter
        if reversal.occurred_on:
            # The visit's hour on the day the reversal happened: the participant gave the day only.
            visit_time = timezone.localtime(encounter.occurred_at).time()
            occurred_at = timezone.make_aware(datetime.datetime.combine(reversal.occurred_on, visit_time))
            occurred_at = min(occurred_at, encounter.occurred_at)
        else:
            occurred_at = encounter.occurred_at
        report = OverdoseReport(
            occurred_at=to_the_hour(occurred_at), area=reversal.area or encounter.site.area,
            kind=OverdoseReport.Kind.OVERDOSE, fatal=REVERSAL_FATAL.get(reversal.outcome, YesNoUnknown.UNKNOWN),
            naloxone_doses=reversal.naloxone_doses_used,
            emergency_services_called=reversal.emergency_services_called or YesNoUnknown.UNKNOWN,
            source=OverdoseReport.Source.ENCOUNTER, reversal=reversal, created_by=actor,
        )
        try:
            with transaction.atomic():  # another worker may have made this one a moment ago
                report.save()
        except IntegrityError:
            continue
        created.append(report.pk)
    if created:
        audit_record(actor=actor, action="create", object_type="overdose.overdosereport", request=request,
                     detail={"source": "encounter", "reports": created})
    return len(created)
