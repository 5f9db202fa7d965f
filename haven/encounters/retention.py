"""How long a visit keeps who recorded it and why it was voided (haven.core.retention, docs/PRIVACY.md)."""

from __future__ import annotations

from django.db import transaction
from django.db.models import Max, Q
from django.utils.translation import gettext_lazy as _

from haven.core.retention import RecordKind, integer_id, integer_ids, register
from haven.encounters.models import Encounter


def _moment_of(object_id: str):
    number = integer_id(object_id)
    if number is None:
        return None
    return Encounter.objects.filter(pk=number).values_list("occurred_at", flat=True).first()


def expire_visits(*, before, held, since=None, above_id=None, only=None, **_ignored) -> int:
    """De-identify visits before `before`: every column a report counts stays as it was (the site,
    mode, time, participant record, supplies, services, returns, reversals and voids), so reports
    read the same numbers from the visits and from the rollup. Identifying detail goes: who
    recorded the visit and the reason it was voided or corrected (free text, encrypted). The
    device's random submission id stays: a device that sends the visit again (an offline queue
    that never saw the answer) must still get the first visit back, not a second one. Visits
    older than `since` with an id up to `above_id` were done by an earlier run; a visit imported
    later with an old date has a higher id and is done now. (Both conditions are indexed: an
    hourly run with nothing to do reads no table.)"""
    visits = Encounter.objects.filter(occurred_at__lt=before).exclude(pk__in=integer_ids(held))
    if only is not None:
        visits = visits.filter(pk=integer_id(only))
    elif since is not None:
        visits = visits.filter(Q(occurred_at__gte=since) | Q(pk__gt=above_id or 0))
    changed = 0
    ids = list(visits.values_list("pk", flat=True))
    for start in range(0, len(ids), 500):
        part = ids[start:start + 500]
        with transaction.atomic():
            changed += Encounter.objects.filter(pk__in=part).update(staff=None)
            # The void reason is encrypted (a value bound to its column, not a constant SQL can
            # set): written through the field, one statement per batch.
            voided = list(Encounter.objects.filter(pk__in=part, voided_at__isnull=False).only("pk"))
            for visit in voided:
                visit.void_reason = ""
            Encounter.objects.bulk_update(voided, ["void_reason"])
    return changed


register(RecordKind(
    key="encounters.visit", order=10,
    label=_("Visits"),
    treatment=_("Who recorded the visit and why it was voided or corrected are erased. What was given, where "
                "and when, and whose visit it was stay, so every report keeps its numbers."),
    default_days=92, minimum_days=2,
    reason=_("Staff may correct their own visit for 24 hours (encounters.correct), which needs to know who "
             "recorded it; two days covers a visit logged just before midnight."),
    default_reason=_("A quarter: a coordinator checks doubtful visits, voids and corrections (with their "
                     "reasons) before the quarterly report is sent."),
    expire=expire_visits, moment_of=_moment_of, models=lambda: [Encounter],
    newest_id=lambda: Encounter.objects.aggregate(newest=Max("pk"))["newest"],
))
