"""Health Canada's monthly indicators for a site, with small counts suppressed, and booth use by hour.

The indicator list comes from reference/health_canada_scs_indicators.yaml (see its SOURCE.md).
"""

from __future__ import annotations

import datetime
from dataclasses import dataclass
from pathlib import Path

import yaml
from django.db.models import Count, Q, Sum
from django.utils import timezone

from haven.consumption.models import MedicalResponse, Route, Stay, YesNo
from haven.reports.suppression import SuppressionPolicy, suppress_counts

REFERENCE = Path(__file__).resolve().parent / "reference" / "health_canada_scs_indicators.yaml"


def definitions() -> dict:
    return yaml.safe_load(REFERENCE.read_text(encoding="utf-8"))


@dataclass(frozen=True)
class IndicatorValue:
    key: str
    label: str
    value: int | str  # the count, or the suppression label
    count: int  # the exact count, for use inside the program only


def _month_bounds(month: datetime.date) -> tuple[datetime.datetime, datetime.datetime]:
    start = timezone.make_aware(datetime.datetime(month.year, month.month, 1))
    following = (start.replace(day=28) + datetime.timedelta(days=4)).replace(day=1)
    return start, timezone.make_aware(datetime.datetime(following.year, following.month, 1))


def monthly_indicators(site, month: datetime.date) -> list[IndicatorValue]:
    """The month's indicators for a site, ready to leave the program: counts under 10 suppressed
    (with complementary suppression across the routes and their total)."""
    spec = definitions()
    policy = SuppressionPolicy(min_count=spec["suppress_below"], primary_label=f"<{spec['suppress_below']}")
    start, end = _month_bounds(month)
    stays = Stay.objects.filter(site=site, checked_in_at__gte=start, checked_in_at__lt=end)
    totals = stays.aggregate(visits=Count("pk"), anonymous=Count("pk", filter=Q(participant__isnull=True)),
                             people=Count("participant", distinct=True))
    by_route = dict(stays.values_list("route").annotate(n=Count("pk")).order_by())
    responses = MedicalResponse.objects.filter(site=site, noticed_at__gte=start, noticed_at__lt=end, overdose=True)
    overdoses = responses.aggregate(
        all=Count("pk"),
        naloxone=Count("pk", filter=Q(naloxone_doses_intranasal__gt=0) | Q(naloxone_doses_intramuscular__gt=0)),
        ems=Count("pk", filter=Q(emergency_services_called=YesNo.YES)),
        fatal=Count("pk", filter=Q(outcome=MedicalResponse.Outcome.DIED)))
    counts = {"total_visits": totals["visits"], "unique_clients": totals["people"] + totals["anonymous"],
              "overdoses": overdoses["all"], "overdoses_with_naloxone": overdoses["naloxone"],
              "ems_calls": overdoses["ems"], "fatal_overdoses": overdoses["fatal"]}
    labels = {item["key"]: item["label"] for item in spec["indicators"]}
    values = []
    for item in spec["indicators"]:
        key = item["key"]
        if key == "drugs_consumed_by_type":
            routes = [by_route.get(route, 0) for route in Route.values]
            shown = suppress_counts(routes, publish_total=True, policy=policy)
            for route, label, outcome in zip(Route.values, Route.labels, shown.cells, strict=True):
                values.append(IndicatorValue(f"{key}:{route}", f"{labels[key]}: {label}", outcome.display,
                                             outcome.count))
            continue
        [outcome] = suppress_counts([counts[key]], publish_total=False, policy=policy).cells
        values.append(IndicatorValue(key, labels[key], outcome.display, outcome.count))
    return values


def booth_use_by_hour(site, *, since: datetime.datetime, until: datetime.datetime) -> list[int]:
    """Check-ins per hour of the local day (0 to 23), for staffing; counts of visits, not people."""
    hours = [0] * 24
    for checked_in_at in Stay.objects.filter(site=site, checked_in_at__gte=since, checked_in_at__lt=until
                                             ).values_list("checked_in_at", flat=True).iterator():
        hours[timezone.localtime(checked_in_at).hour] += 1
    return hours


def spotting_counts(*, since: datetime.datetime, until: datetime.datetime) -> dict:
    """What the remote spotting line keeps for reports, for calls started in [since, until): counts only."""
    from haven.consumption.models import SpottingCall, SpottingEscalation

    calls = SpottingCall.objects.filter(started_at__gte=since, started_at__lt=until)
    totals = calls.aggregate(calls=Count("pk"), ended=Count("pk", filter=Q(ended_at__isnull=False)),
                             seconds=Sum("call_seconds"), ems=Count("pk", filter=Q(ems_dispatched=True)))
    escalations = SpottingEscalation.objects.filter(call__in=calls)
    outcomes = dict(calls.exclude(outcome="").values_list("outcome").annotate(n=Count("pk")).order_by())
    return {"calls": totals["calls"], "minutes": round((totals["seconds"] or 0) / 60),
            "missed_check_ins": escalations.filter(step=SpottingEscalation.Step.MISSED).count(),
            "help_needed": escalations.filter(step=SpottingEscalation.Step.SEND_HELP).count(),
            "ems_dispatched": totals["ems"],
            "outcomes": [(label, outcomes.get(value, 0)) for value, label in SpottingCall.Outcome.choices]}
