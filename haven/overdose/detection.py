"""Django glue around the spike engine (`haven/overdose/spikes/`, plain NumPy).

1. `daily_counts` turns overdose reports into one areas x days array (zero-filled, one database
   aggregate, no loop per day).
2. `run_configured` runs the coordinator's method on it.
3. `detection_run` drafts one alert per spike: a spike is a run of consecutive alarm days, and its
   alert's key is the run's first day, so a spike that lasts four days is still one alert.
4. `method_comparison` runs every method over the same counts, so a coordinator can see how many
   alerts each would have raised last year.

Points the engine could not evaluate (not enough history, a baseline with no variation) never
alarm: a short history gives "not enough history", never a false alarm.
"""

from __future__ import annotations

import datetime
import logging
from dataclasses import dataclass

import numpy as np
from django.db.models import Count, Min, Q
from django.db.models.functions import TruncDate
from django.utils import timezone
from django.utils.formats import date_format
from django.utils.translation import gettext as _

from haven.overdose.models import DetectionSettings, OverdoseReport
from haven.overdose.spikes import METHODS, minimum_history, run_method
from haven.overdose.spikes.ears import ears_c1, ears_c2, ears_c3
from haven.overdose.spikes.methods import DEFAULT_ALPHA
from haven.overdose.spikes.result import EVALUATED, NOT_ENOUGH_HISTORY, STATUS_REASONS, SpikeResult

logger = logging.getLogger(__name__)

SOURCE_KIND = "overdose_spike"
MIN_HISTORY_DAYS = 730  # about two years of daily counts
CONTEXT_DAYS = 14
COMPARISON_DAYS = 365
ALERT_LIFETIME = datetime.timedelta(days=7)
# EARS with min_sigma 0 (R's default) alarms on a single report after a week of zeros: every
# quiet neighbourhood would cry wolf. Like the ESSENCE methods' floor (essence.py), a minimum sd
# of 0.5 means that after a quiet week it takes at least 2 reports in a day (at alpha 0.001).
EARS_MIN_SIGMA = 0.5
EARS = {"ears-c1": ears_c1, "ears-c2": ears_c2, "ears-c3": ears_c3}
METHOD_NAMES = {
    "ears-c1": "EARS C1", "ears-c2": "EARS C2", "ears-c3": "EARS C3", "ewma": "EWMA (ESSENCE)",
    "regression": "Regression (ESSENCE)", "switch": "Regression or EWMA (ESSENCE switch)",
    "farrington": "Farrington (1996)", "farrington-noufaily": "Farrington improved (Noufaily 2013)",
    "threshold": "Simple threshold",
}


@dataclass
class DailyCounts:
    areas: list  # Area objects, one per row
    first_day: datetime.date
    counts: np.ndarray  # areas x days, float

    @property
    def days(self) -> int:
        return self.counts.shape[1]

    def day(self, index: int) -> datetime.date:
        return self.first_day + datetime.timedelta(days=index % self.days)


def needed_days(method: str, settings: DetectionSettings | None = None) -> int:
    """Days of history a method needs before it can evaluate a day."""
    baseline = settings.baseline if settings is not None and method in EARS else 7
    return minimum_history(method, "day", window=1) + max(0, baseline - 7)


def history_days(method: str, settings: DetectionSettings | None = None) -> int:
    """How many days of counts a run loads: two years, or more when the method needs more history."""
    return max(MIN_HISTORY_DAYS, needed_days(method, settings) + COMPARISON_DAYS + 1)


def daily_counts(*, last_day: datetime.date | None = None, days: int = MIN_HISTORY_DAYS) -> DailyCounts:
    """Reports per area per local day, for the `days` days ending with `last_day` (today)."""
    from haven.places.models import Area

    last_day = last_day or timezone.localdate()
    zone = timezone.get_current_timezone()
    # Counts start on the day of the first report Haven has, not two years back: days before the
    # program reported anything are unknown, not quiet, and treating them as zeros would make a
    # new installation's first busy day look like a spike.
    earliest = OverdoseReport.objects.filter(area__isnull=False).aggregate(first=Min("occurred_at"))["first"]
    first_day = last_day - datetime.timedelta(days=days - 1)
    if earliest is None or timezone.localtime(earliest, zone).date() > last_day:
        first_day = last_day
    else:
        first_day = max(first_day, timezone.localtime(earliest, zone).date())
    days = (last_day - first_day).days + 1
    start = timezone.make_aware(datetime.datetime.combine(first_day, datetime.time()), zone)
    end = timezone.make_aware(datetime.datetime.combine(last_day + datetime.timedelta(days=1), datetime.time()), zone)
    rows = list(
        OverdoseReport.objects.filter(area__isnull=False, occurred_at__gte=start, occurred_at__lt=end)
        .annotate(day=TruncDate("occurred_at", tzinfo=zone)).values("area_id", "day")
        .annotate(reports=Count("id")).order_by().values_list("area_id", "day", "reports")
    )
    reported = {area_id for area_id, _day, _n in rows}
    areas = list(Area.objects.filter(Q(active=True) | Q(pk__in=reported)).order_by("name"))
    counts = np.zeros((len(areas), days))
    if rows:
        position = {area.pk: index for index, area in enumerate(areas)}
        area_index = np.array([position[area_id] for area_id, _day, _n in rows])
        day_index = np.array([(day - first_day).days for _area, day, _n in rows])
        values = np.array([n for _area, _day, n in rows], dtype=float)
        np.add.at(counts, (area_index, day_index), values)
    return DailyCounts(areas=areas, first_day=first_day, counts=counts)


def parameters_for(method: str, settings: DetectionSettings, *, use_settings_alpha: bool = True) -> dict:
    alpha = settings.alpha if (use_settings_alpha and settings.alpha is not None) else DEFAULT_ALPHA.get(method, 0.01)
    parameters: dict = {"method": method}
    if method == "threshold":
        parameters.update(threshold=settings.threshold, window_days=1)
    else:
        parameters["alpha"] = alpha
    if method in EARS:
        parameters.update(baseline_days=settings.baseline, min_sigma=EARS_MIN_SIGMA)
    return parameters


def run_with(parameters: dict, counts: np.ndarray, *, start: int = 0) -> SpikeResult:
    method = parameters["method"]
    if method in EARS:
        return EARS[method](counts, start=start, baseline=parameters["baseline_days"], alpha=parameters["alpha"],
                            min_sigma=parameters["min_sigma"])
    if method == "threshold":
        return run_method("threshold", counts, start=start, threshold=parameters["threshold"], window=1)
    return run_method(method, counts, start=start, freq="day", alpha=parameters["alpha"])


def run_configured(settings: DetectionSettings, counts: np.ndarray, *, start: int = 0) -> tuple[SpikeResult, dict]:
    parameters = parameters_for(settings.method, settings)
    return run_with(parameters, counts, start=start), parameters


def spike_start(alarm_row: np.ndarray, last: int) -> int:
    """The first day of the run of consecutive alarm days that ends at `last`."""
    quiet = np.flatnonzero(~alarm_row[:last + 1])
    return int(quiet[-1]) + 1 if quiet.size else 0


def spike_runs(alarm: np.ndarray) -> np.ndarray:
    """How many spikes (runs of consecutive alarm days) each area had: one alert each."""
    starts = alarm.copy()
    starts[:, 1:] &= ~alarm[:, :-1]
    return starts.sum(axis=1)


def _number(value) -> float | None:
    return None if value is None or not np.isfinite(value) else round(float(value), 3)


def spike_context(counts: DailyCounts, result: SpikeResult, parameters: dict, area_index: int, start: int) -> dict:
    area = counts.areas[area_index]
    last = counts.days - 1
    first = max(0, last - CONTEXT_DAYS + 1)
    return {
        "area": {"id": area.pk, "name": area.name},
        "method": parameters["method"],
        "method_name": METHOD_NAMES.get(parameters["method"], parameters["method"]),
        "parameters": parameters,
        "spike_start": counts.day(start).isoformat(),
        "latest_day": counts.day(last).isoformat(),
        "latest_count": int(result.observed[area_index, last]),
        "baseline": _number(result.expected[area_index, last]),
        "upperbound": _number(result.upperbound[area_index, last]),
        "explanation": result.explain(area_index, last),
        "counts": [{
            "day": counts.day(t).isoformat(),
            "reports": int(result.observed[area_index, t]),
            "baseline": _number(result.expected[area_index, t]),
            "upperbound": _number(result.upperbound[area_index, t]),
            "alarm": bool(result.alarm[area_index, t]),
        } for t in range(first, last + 1)],
        # The drug checking module comes later: its findings for this area and these days go here.
        "drug_checking_findings": [],
    }


def substances_reported(area, first_day: datetime.date, last_day: datetime.date) -> dict[str, int]:
    """How often each substance was named in the area's reports during the spike, most named first."""
    zone = timezone.get_current_timezone()
    start = timezone.make_aware(datetime.datetime.combine(first_day, datetime.time()), zone)
    end = timezone.make_aware(datetime.datetime.combine(last_day + datetime.timedelta(days=1), datetime.time()), zone)
    named: dict[str, int] = {}
    for substances in OverdoseReport.objects.filter(area=area, occurred_at__gte=start, occurred_at__lt=end) \
            .values_list("substances", flat=True):
        for substance in substances or ():
            named[substance] = named.get(substance, 0) + 1
    return dict(sorted(named.items(), key=lambda item: (-item[1], item[0])))


def alert_text(area_name: str, context: dict) -> tuple[str, str]:
    title = _("More overdoses than usual in %(area)s") % {"area": area_name}
    latest = context["latest_count"]
    bound = context["upperbound"]
    day = date_format(datetime.date.fromisoformat(context["latest_day"]), "DATE_FORMAT")
    start = date_format(datetime.date.fromisoformat(context["spike_start"]), "DATE_FORMAT")
    if start != day:
        first = _("%(count)s overdoses were reported in %(area)s on %(day)s, more than usual for this area, and it "
                  "has been higher than usual since %(start)s.") % {
            "count": latest, "area": area_name, "day": day, "start": start}
    else:
        first = _("%(count)s overdoses were reported in %(area)s on %(day)s, more than usual for this area.") % {
            "count": latest, "area": area_name, "day": day}
    if bound is not None:
        first += " " + _("On an ordinary day, up to %(bound)s would be expected.") % {"bound": int(bound)}
    substances = list(context.get("substances_reported", {}))[:3]
    if substances:
        first += " " + _("Substances people suspected: %(substances)s.") % {"substances": ", ".join(substances)}
    body = "\n\n".join(part for part in [
        first,
        _("There may be a stronger or contaminated supply going around. To stay safer:"),
        "\n".join([
            "- " + _("Don't use alone. If you do, tell someone or call a never-use-alone line."),
            "- " + _("Carry naloxone and make sure people around you know where it is."),
            "- " + _("Test your drugs: fentanyl and xylazine test strips, or drug checking."),
            "- " + _("Start low and go slow, especially with a new supply."),
            "- " + _("If someone overdoses: call emergency services, give naloxone, give breaths, stay with them."),
        ]),
    ] if part)
    return title, body


def _alert_draft():
    # Imported when used: the alerts app is built alongside this one.
    from haven.alerts.actions import alert_draft

    return alert_draft


def _source_key(area, start: datetime.date) -> str:
    """The key of a spike's alert: the area and the spike's first day, unless the area already has
    a draft waiting for review, which the new alarm adds to (one draft per area until reviewed,
    even when a spike pauses for a day and starts again)."""
    from haven.alerts.models import Alert

    waiting = (Alert.objects.filter(source_kind=SOURCE_KIND, status=Alert.Status.DRAFT,
                                    source_key__startswith=f"{area.pk}:")
               .order_by("-created_at").values_list("source_key", flat=True).first())
    return waiting or f"{area.pk}:{start.isoformat()}"


@dataclass
class RunOutcome:
    enabled: bool
    areas: int = 0
    alarms: int = 0
    drafted: int = 0  # new alerts; an ongoing spike's alert is not drafted twice
    reversals: int = 0
    reason: str = ""


def detection_run(*, actor=None, today: datetime.date | None = None, settings: DetectionSettings | None = None) \
        -> RunOutcome:
    """Bring reversals in, count, detect, and draft one alert per spike whose latest day alarms."""
    from haven.overdose.reversals import overdose_reports_from_reversals

    settings = settings or DetectionSettings.current()
    reversals = overdose_reports_from_reversals(actor=actor)
    if not settings.enabled:
        return RunOutcome(enabled=False, reversals=reversals, reason=_("Spike detection is turned off."))
    counts = daily_counts(last_day=today, days=history_days(settings.method, settings))
    outcome = RunOutcome(enabled=True, areas=len(counts.areas), reversals=reversals)
    if not counts.areas:
        return outcome
    last = counts.days - 1
    if counts.days <= needed_days(settings.method, settings):
        outcome.reason = STATUS_REASONS[NOT_ENOUGH_HISTORY]
        return outcome
    # Only the latest day decides, but the whole last year is evaluated so that a long spike's
    # first day (its alert's key) stays the same from one run to the next.
    result, parameters = run_configured(settings, counts.counts, start=max(0, last - COMPARISON_DAYS))
    if not np.any(result.status[:, last] == EVALUATED):
        outcome.reason = STATUS_REASONS[int(result.status[0, last])] or _("not enough history")
    alarming = np.flatnonzero(result.alarm[:, last])
    outcome.alarms = int(alarming.size)
    if not alarming.size:
        return outcome
    alert_draft = _alert_draft()
    for area_index in alarming:
        area = counts.areas[area_index]
        start = spike_start(result.alarm[area_index], last)
        context = spike_context(counts, result, parameters, area_index, start)
        context["substances_reported"] = substances_reported(area, counts.day(start), counts.day(last))
        title, body = alert_text(area.name, context)
        _alert, created = alert_draft(
            source_kind=SOURCE_KIND, source_key=_source_key(area, counts.day(start)), title=title, body=body,
            severity="warning", context=context, areas=(area,), substances=list(context["substances_reported"])[:3],
            expires_at=timezone.now() + ALERT_LIFETIME, actor=actor,
        )
        outcome.drafted += int(created)
    logger.info("Spike detection: %s areas, %s alarms, %s new draft alerts", outcome.areas, outcome.alarms,
                outcome.drafted)
    return outcome


@dataclass
class MethodRow:
    method: str
    name: str
    parameters: dict
    alerts: int  # spikes: what staff would have had to review
    alarm_days: int
    evaluated: bool
    needs_days: int
    current: bool


def method_comparison(settings: DetectionSettings | None = None, *, today: datetime.date | None = None) \
        -> tuple[list[MethodRow], DailyCounts]:
    """For the last year: how many alerts (spikes) and alarm days each method would have raised over
    the same counts. Each method at its default significance level; the threshold at the configured N;
    EARS with the configured baseline; the current method as configured."""
    settings = settings or DetectionSettings.current()
    days = max(history_days(method, settings) for method in METHODS)
    counts = daily_counts(last_day=today, days=days)
    start = max(0, counts.days - COMPARISON_DAYS)
    rows = []
    for method in METHODS:
        current = method == settings.method
        parameters = parameters_for(method, settings, use_settings_alpha=current)
        needs = needed_days(method, settings)
        if counts.areas and counts.days > needs:
            result = run_with(parameters, counts.counts, start=start)
            evaluated = bool(np.any(result.status[:, start:] == EVALUATED))
            alarm = result.alarm[:, start:]
            alerts, alarm_days = int(spike_runs(alarm).sum()), int(alarm.sum())
        else:
            evaluated, alerts, alarm_days = False, 0, 0
        rows.append(MethodRow(method=method, name=METHOD_NAMES[method], parameters=parameters, alerts=alerts,
                              alarm_days=alarm_days, evaluated=evaluated, needs_days=needs, current=current))
    return rows, counts
