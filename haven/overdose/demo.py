"""Demo data for `haven demo`: about 18 months of plausible overdose reports across the demo areas,
with a burst in Riverside over the last two days for the spike detection to find."""

from __future__ import annotations

import datetime

import numpy as np
from django.db import transaction
from django.utils import timezone

from haven.core.audit import audit_record
from haven.overdose.models import OverdoseReport, YesNoUnknown
from haven.places.models import Area

DEMO_DAYS = 548  # about 18 months
DEMO_BURST_AREA = "Riverside"
DEMO_BURST_DAYS = 2
DEMO_BURST_EXTRA = 5
DEMO_SEED = 20260601
# Reports per day on an ordinary day, by area (Poisson means): plausible for a mid-sized city's
# program, where most days see none in a given neighbourhood.
DEMO_DAILY_MEANS = {"Northside": 0.35, "Eastside": 0.25, "Riverside": 0.2, "Downtown": 0.5}
DEMO_SUBSTANCES = [["fentanyl"], ["fentanyl", "xylazine"], ["heroin"], ["cocaine"], ["fentanyl", "cocaine"],
                   ["pressed pills"], [], []]
DEMO_FATAL_SHARE = 0.08
DEMO_DOSES = [1, 1, 2, 2, 3, None]
DEMO_CALLED = [YesNoUnknown.YES, YesNoUnknown.YES, YesNoUnknown.NO, YesNoUnknown.UNKNOWN]
DEMO_SOURCES = [OverdoseReport.Source.EMERGENCY_SERVICES] * 5 + [OverdoseReport.Source.HOSPITAL] * 2 + [
    OverdoseReport.Source.STAFF] * 2 + [OverdoseReport.Source.PUBLIC]


def _pick(rng: np.random.Generator, values: list):
    return values[int(rng.integers(len(values)))]


def overdose_demo_load(*, today: datetime.date | None = None) -> int:
    """Make the demo reports; return how many. Loading again makes nothing new."""
    areas = {area.name: area for area in Area.objects.filter(name__in=DEMO_DAILY_MEANS)}
    if not areas or OverdoseReport.objects.filter(import_key__startswith="demo:").exists():
        return 0
    today = today or timezone.localdate()
    now_hour = timezone.localtime().hour
    rng = np.random.default_rng(DEMO_SEED)
    names = [name for name in DEMO_DAILY_MEANS if name in areas]
    # One Poisson draw per day and area: rows are days from the oldest, columns the areas.
    counts = rng.poisson([DEMO_DAILY_MEANS[name] for name in names], size=(DEMO_DAYS + 1, len(names)))
    reports = []
    for row, offset in enumerate(range(DEMO_DAYS, -1, -1)):
        day = today - datetime.timedelta(days=offset)
        for column, name in enumerate(names):
            burst = name == DEMO_BURST_AREA and offset < DEMO_BURST_DAYS
            for number in range(int(counts[row, column]) + (DEMO_BURST_EXTRA if burst else 0)):
                hour = int(rng.integers(24))
                if offset == 0:
                    hour = min(hour, now_hour)  # nothing later than now
                reports.append(OverdoseReport(
                    occurred_at=timezone.make_aware(datetime.datetime.combine(day, datetime.time(hour))),
                    area=areas[name], kind=OverdoseReport.Kind.OVERDOSE,
                    fatal=YesNoUnknown.YES if rng.random() < DEMO_FATAL_SHARE else YesNoUnknown.NO,
                    naloxone_doses=_pick(rng, DEMO_DOSES), emergency_services_called=_pick(rng, DEMO_CALLED),
                    substances=["fentanyl", "xylazine"] if burst else _pick(rng, DEMO_SUBSTANCES),
                    source=_pick(rng, DEMO_SOURCES), import_key=f"demo:{day.isoformat()}:{name}:{number}",
                ))
    return _demo_save(reports)


@transaction.atomic
def _demo_save(reports) -> int:
    OverdoseReport.objects.bulk_create(reports, batch_size=500)
    audit_record(actor=None, action="create", object_type="overdose.demo", detail={"reports": len(reports)})
    return len(reports)
