"""The coordinator's home: today's and this week's numbers, their trend over a chosen period, and
what needs attention. Exact counts from the visits (today and this week are never whole months, so
the monthly rollup does not apply), in a fixed number of GROUP BY queries whatever the number of
visits, and nothing written (tests/test_coordinator_home*.py count both).
"""

from __future__ import annotations

import datetime
from dataclasses import dataclass, field

from django.db.models import Case, Count, F, IntegerField, Q, Sum, Value, When
from django.urls import reverse
from django.utils import timezone
from django.utils.formats import date_format
from django.utils.safestring import mark_safe
from django.utils.translation import gettext as _
from django.utils.translation import gettext_lazy, ngettext

from haven.reports.charts import ChartText, Series, line_chart

# key -> (label, number of buckets, bucket size: "day", "week" or "month")
PERIODS = {
    "7d": (gettext_lazy("Last 7 days"), 7, "day"),
    "28d": (gettext_lazy("Last 4 weeks"), 28, "day"),
    "13w": (gettext_lazy("Last 13 weeks"), 13, "week"),
    "12m": (gettext_lazy("Last 12 months"), 12, "month"),
}
DEFAULT_PERIOD = "7d"
ATTENTION_DAYS = 30  # imports that skipped rows: within this many days
IMPORT_NAMES = {"encounters.import": (gettext_lazy("Visit import"), "encounter-import"),
                "overdose.import": (gettext_lazy("Overdose report import"), "overdose-import"),
                "drugchecking.import": (gettext_lazy("Laboratory results import"), "drugchecking-import")}
METRICS = (
    ("visits", gettext_lazy("Visits")),
    ("people", gettext_lazy("People")),
    ("syringes_out", gettext_lazy("Syringes given")),
    ("syringes_back", gettext_lazy("Syringes returned")),
    ("naloxone", gettext_lazy("Naloxone doses given")),
    ("overdoses", gettext_lazy("Overdoses reported")),
    ("samples", gettext_lazy("Samples checked")),
)


@dataclass
class Number:
    key: str
    label: str
    today: int = 0
    week: int = 0
    period: int = 0
    trend: list[int] = field(default_factory=list)


@dataclass
class Plan:
    """The buckets of the period and the moments that bound today and this week (local time)."""

    period_key: str
    label: str
    starts: list[datetime.datetime]  # each bucket's start, oldest first
    end: datetime.datetime  # the start of tomorrow
    today_start: datetime.datetime
    week_start: datetime.datetime
    bucket_labels: list[str]

    @property
    def earliest(self) -> datetime.datetime:
        return min(self.starts[0], self.week_start)


def _local_midnight(day: datetime.date) -> datetime.datetime:
    return datetime.datetime.combine(day, datetime.time(), tzinfo=timezone.get_current_timezone())


def _month_start(day: datetime.date, back: int) -> datetime.date:
    index = day.year * 12 + day.month - 1 - back
    return datetime.date(index // 12, index % 12 + 1, 1)


def plan_for(period_key: str, today: datetime.date) -> Plan:
    label, count, size = PERIODS[period_key]
    if size == "day":
        days = [today - datetime.timedelta(days=back) for back in range(count - 1, -1, -1)]
        labels = [date_format(day, "MONTH_DAY_FORMAT") for day in days]
    elif size == "week":
        monday = today - datetime.timedelta(days=today.weekday())
        days = [monday - datetime.timedelta(weeks=back) for back in range(count - 1, -1, -1)]
        labels = [date_format(day, "MONTH_DAY_FORMAT") for day in days]
    else:
        days = [_month_start(today, back) for back in range(count - 1, -1, -1)]
        labels = [date_format(day, "YEAR_MONTH_FORMAT") for day in days]
    return Plan(period_key=period_key, label=str(label), starts=[_local_midnight(day) for day in days],
                end=_local_midnight(today + datetime.timedelta(days=1)), today_start=_local_midnight(today),
                week_start=_local_midnight(today - datetime.timedelta(days=today.weekday())),
                bucket_labels=labels)


def _bucket(plan: Plan, field_name: str):
    """Which bucket a row falls in (-1: before the period, in this week only), as plain comparisons."""
    whens = [When(**{f"{field_name}__lt": plan.starts[0]}, then=Value(-1))]
    whens += [When(**{f"{field_name}__lt": following}, then=Value(index))
              for index, following in enumerate(plan.starts[1:])]
    return Case(*whens, default=Value(len(plan.starts) - 1), output_field=IntegerField())


def _flag(field_name: str, since: datetime.datetime):
    return Case(When(**{f"{field_name}__gte": since}, then=Value(1)), default=Value(0), output_field=IntegerField())


def _grouped(queryset, field_name: str, plan: Plan, numbers: dict[str, Number], **sums) -> None:
    """Add each aggregate of `sums` (name = metric key) to its metric's today, week, period and trend."""
    rows = (queryset.filter(**{f"{field_name}__gte": plan.earliest, f"{field_name}__lt": plan.end})
            .annotate(hc_bucket=_bucket(plan, field_name), hc_week=_flag(field_name, plan.week_start),
                      hc_today=_flag(field_name, plan.today_start))
            .values("hc_bucket", "hc_week", "hc_today").annotate(**sums).order_by())
    for row in rows:
        for key in sums:
            amount = row[key] or 0
            number = numbers[key]
            if row["hc_bucket"] >= 0:
                number.trend[row["hc_bucket"]] += amount
                number.period += amount
            if row["hc_week"]:
                number.week += amount
            if row["hc_today"]:
                number.today += amount


def _people(encounters, plan: Plan, number: Number) -> None:
    """Distinct people: a sum of distinct counts is not a distinct count, so each is its own count."""
    visits = encounters.filter(participant__isnull=False, occurred_at__gte=plan.earliest, occurred_at__lt=plan.end)
    totals = visits.aggregate(
        today=Count("participant_id", distinct=True, filter=Q(occurred_at__gte=plan.today_start)),
        week=Count("participant_id", distinct=True, filter=Q(occurred_at__gte=plan.week_start)),
        period=Count("participant_id", distinct=True, filter=Q(occurred_at__gte=plan.starts[0])))
    number.today, number.week, number.period = totals["today"], totals["week"], totals["period"]
    per_bucket = (visits.filter(occurred_at__gte=plan.starts[0]).annotate(hc_bucket=_bucket(plan, "occurred_at"))
                  .values("hc_bucket").annotate(n=Count("participant_id", distinct=True)).order_by())
    for row in per_bucket:
        number.trend[row["hc_bucket"]] = row["n"]


def numbers(plan: Plan, *, site=None) -> list[Number]:
    from haven.drugchecking.models import Sample
    from haven.encounters.models import Encounter, EncounterSupply
    from haven.overdose.models import OverdoseReport

    found = {key: Number(key=key, label=str(label), trend=[0] * len(plan.starts)) for key, label in METRICS}
    encounters = Encounter.objects.filter(voided_at__isnull=True)
    supplies = EncounterSupply.objects.filter(encounter__voided_at__isnull=True)
    samples = Sample.objects.all()
    overdoses = OverdoseReport.objects.all()
    if site is not None:
        encounters, supplies = encounters.filter(site=site), supplies.filter(encounter__site=site)
        samples = samples.filter(site=site)
        # Overdose reports carry an area, never a site: those of the site's area.
        overdoses = overdoses.filter(area_id=site.area_id) if site.area_id else overdoses.none()
    _grouped(encounters, "occurred_at", plan, found, visits=Count("id"), syringes_back=Sum("syringes_returned"))
    _people(encounters, plan, found["people"])
    _grouped(supplies, "encounter__occurred_at", plan, found,
             syringes_out=Sum(F("quantity") * F("item__syringes_per_unit")),
             naloxone=Sum(F("quantity") * F("item__naloxone_doses_per_unit")))
    _grouped(overdoses, "occurred_at", plan, found, overdoses=Count("id"))
    _grouped(samples, "received_at", plan, found, samples=Count("id"))
    return [found[key] for key, _label in METRICS]


def _chart_text() -> ChartText:
    return ChartText(no_data=_("No data for this period"), missing=_("No data"), data_table=_("Data table"),
                     category=_("Day or period"))


def trend_charts(plan: Plan, found: list[Number]) -> list[str]:
    """Three small line charts (server-side SVG with a data table; no JavaScript)."""
    by_key = {number.key: number for number in found}
    groups = [
        (_("Visits and people"), ("visits", "people"), "trend-visits"),
        (_("Syringes given and returned"), ("syringes_out", "syringes_back"), "trend-syringes"),
        (_("Naloxone, overdoses and samples"), ("naloxone", "overdoses", "samples"), "trend-safety"),
    ]
    charts = []
    for title, keys, chart_id in groups:
        charts.append(mark_safe(line_chart(
            title=f"{title}, {plan.label.lower()}", categories=plan.bucket_labels, height=200,
            series=[Series(by_key[key].label, list(by_key[key].trend)) for key in keys],
            chart_id=chart_id, text=_chart_text())))
    return charts


def needs_attention(*, site=None) -> list[dict]:
    """Naloxone expiring within 30 days, alert drafts waiting for review, imports that skipped rows:
    [{level, message, url}], the most urgent first."""
    from haven.alerts.models import Alert
    from haven.core.models import AuditEvent
    from haven.inventory.queries import expiring_soon
    from haven.places.models import Site

    items = []
    sites = [site] if site is not None else Site.objects.filter(active=True)
    stock_url = reverse("stock")
    today = timezone.localdate()
    for row in expiring_soon(sites=sites):  # as far ahead as the stock page warns
        if not row.is_naloxone:
            continue
        values = {"item": row.item_name, "lot": row.lot_number, "site": row.site_name, "count": row.quantity,
                  "date": date_format(row.expires_on, "DATE_FORMAT")}
        message = (_("%(item)s lot %(lot)s at %(site)s expired on %(date)s (%(count)s on hand).")
                   if row.expires_on < today else
                   _("%(item)s lot %(lot)s at %(site)s expires on %(date)s (%(count)s on hand).")) % values
        items.append({"level": "error", "message": _("Naloxone: %(message)s") % {"message": message},
                      "url": f"{stock_url}?site={row.site_id}"})

    drafts = Alert.objects.filter(status=Alert.Status.DRAFT).aggregate(
        total=Count("id"), urgent=Count("id", filter=Q(severity=Alert.Severity.URGENT)))
    if drafts["total"]:
        message = ngettext("%(count)s alert draft waits for review", "%(count)s alert drafts wait for review",
                           drafts["total"]) % {"count": drafts["total"]}
        if drafts["urgent"]:
            message += " " + _("(%(count)s urgent).") % {"count": drafts["urgent"]}
        else:
            message += "."
        items.append({"level": "error" if drafts["urgent"] else "warning", "message": message,
                      "url": reverse("alerts-drafts")})

    since = timezone.now() - datetime.timedelta(days=ATTENTION_DAYS)
    imports = (AuditEvent.objects.filter(at__gte=since, object_type__in=list(IMPORT_NAMES),
                                         detail__skipped_rows__gt=0)
               .order_by("-at").values("object_type", "at", "detail")[:5])
    for event in imports:
        name, url_name = IMPORT_NAMES[event["object_type"]]
        skipped = event["detail"].get("skipped_rows", 0)
        message = ngettext("%(import)s of %(date)s skipped %(count)s row with errors.",
                           "%(import)s of %(date)s skipped %(count)s rows with errors.", skipped) % {
            "import": name, "date": date_format(timezone.localtime(event["at"]), "DATETIME_FORMAT"),
            "count": skipped}
        items.append({"level": "warning", "message": message, "url": reverse(url_name)})
    items.sort(key=lambda item: item["level"] != "error")
    return items


def coordinator_home(*, today: datetime.date, period_key: str = DEFAULT_PERIOD, site=None) -> dict:
    plan = plan_for(period_key, today)
    found = numbers(plan, site=site)
    return {"plan": plan, "numbers": found, "charts": trend_charts(plan, found),
            "attention": needs_attention(site=site), "site": site,
            "week_label": _("This week"),
            "week_note": _("The week began on Monday, %(day)s.") % {
                "day": date_format(plan.week_start.date(), "MONTH_DAY_FORMAT")}}
