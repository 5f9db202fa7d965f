"""Indicator values for a period, a site, a service mode, or program-wide, by aggregate SQL.

A report is a handful of GROUP BY queries whatever the number of visits: visits, supply lines
(grouped by item, then turned into syringes, doses and strips with the item's own counts), first
visits of participants, services, reversals, and the sites' facts. Nothing loops over visits in
Python. Voided visits never count.

Breakdowns ("by"): "site", "mode", "month", or two of them (the open-data grid). A column key is a
tuple of breakdown values; `TOTAL` (the empty tuple) is the whole scope.
"""

from __future__ import annotations

import datetime
from collections import defaultdict
from dataclasses import dataclass, field

from django.db.models import Case, Count, Exists, F, IntegerField, OuterRef, Q, Sum, Value, When
from django.utils import timezone

from haven.encounters.models import Encounter, EncounterSupply, ReversalReport, Service, ServiceMode
from haven.inventory.models import Item
from haven.places.models import Site
from haven.reports.indicators import INDICATORS, size_band
from haven.reports.periods import Period
from haven.reports.rollup import rollup_current

TOTAL: tuple = ()
SUMMARY, EXACT = "summary", "exact"
DIMENSIONS = ("site", "mode", "month")
DISTRIBUTION_CATEGORIES = {Item.Category.SYRINGE, Item.Category.NALOXONE, Item.Category.TEST_STRIP}


class BadBreakdown(ValueError):
    pass


@dataclass
class Column:
    key: tuple
    label: str


@dataclass
class Results:
    """indicator key -> sub-row key (None: the indicator itself) -> column key -> value (None: n/a)."""

    period: Period
    by: tuple[str, ...]
    scope_label: str
    columns: list[Column]
    values: dict[str, dict[object, dict[tuple, object]]] = field(default_factory=dict)
    sub_labels: dict[str, dict[object, str]] = field(default_factory=dict)
    encounters_seen: int = 0
    consumption_seen: int = 0  # check-ins and overdose responses at supervised consumption sites
    # Where the counts come from: SUMMARY (the monthly rollup, current to `summary_as_of`) or
    # EXACT (counted from the visits: the rollup was catching up, or the period is not whole months).
    source: str = "exact"
    summary_as_of: datetime.datetime | None = None

    def value(self, key: str, column: tuple = TOTAL, sub=None):
        return self.values.get(key, {}).get(sub, {}).get(column)

    def sub_rows(self, key: str) -> list[tuple[object, str]]:
        return list(self.sub_labels.get(key, {}).items())

    @property
    def is_empty(self) -> bool:
        return self.encounters_seen == 0 and self.consumption_seen == 0


def local_bounds(period: Period) -> tuple[datetime.datetime, datetime.datetime]:
    zone = timezone.get_current_timezone()
    return (datetime.datetime.combine(period.start, datetime.time(), tzinfo=zone),
            datetime.datetime.combine(period.end, datetime.time(), tzinfo=zone))


def _month_bucket(period: Period, field_name: str):
    """Which month of the period a visit falls in, as plain SQL comparisons (no per-row function)."""
    zone = timezone.get_current_timezone()
    months = period.months()
    whens = [When(**{f"{field_name}__lt": datetime.datetime.combine(following, datetime.time(), tzinfo=zone)},
                  then=Value(index))
             for index, following in enumerate(months[1:])]
    if not whens:
        return Value(0, output_field=IntegerField())
    return Case(*whens, default=Value(len(months) - 1), output_field=IntegerField())


class _Query:
    def __init__(self, period: Period, *, site=None, mode=None, by=()):
        for dimension in by:
            if dimension not in DIMENSIONS:
                raise BadBreakdown(f"Unknown breakdown “{dimension}”: use site, mode or month.")
        if len(set(by)) != len(by) or len(by) > 2:
            raise BadBreakdown("Break a report down by at most two different things.")
        self.period, self.site, self.mode, self.by = period, site, mode, tuple(by)
        self.start, self.end = local_bounds(period)

    def encounter_filter(self, prefix: str = "", *, first_visit: bool = False) -> Q:
        """The period and scope; `first_visit`: for the rollup's own tables, which hold only visits
        that count (so they have no voided_at)."""
        conditions = {f"{prefix}occurred_at__gte": self.start, f"{prefix}occurred_at__lt": self.end}
        if not first_visit:  # FirstVisit rows are of visits that count
            conditions[f"{prefix}voided_at__isnull"] = True
        if self.site is not None:
            conditions[f"{prefix}site_id"] = self.site.pk
        if self.mode:
            conditions[f"{prefix}service_mode"] = self.mode
        return Q(**conditions)

    def dimension_expressions(self, prefix: str) -> dict:
        expressions = {"site": F(f"{prefix}site_id"), "mode": F(f"{prefix}service_mode"),
                       "month": _month_bucket(self.period, f"{prefix}occurred_at")}
        return {f"d_{dimension}": expressions[dimension] for dimension in self.by}

    def grouped(self, queryset, prefix: str, extra: tuple[str, ...] = (), **aggregates) -> list[tuple[tuple, dict]]:
        """[(column key, {aggregate: value, extra field: value})] in one GROUP BY query."""
        dimensions = self.dimension_expressions(prefix)
        names = list(dimensions)
        if not names and not extra:
            row = queryset.aggregate(**aggregates)
            return [(TOTAL, row)] if any(value for value in row.values()) else []
        rows = queryset.annotate(**dimensions).values(*names, *extra).annotate(**aggregates).order_by()
        return [(tuple(row[name] for name in names), row) for row in rows]


def _columns(query: _Query) -> list[Column]:
    if not query.by:
        return []
    axes = []
    for dimension in query.by:
        if dimension == "site":
            sites = Site.objects.order_by("name")
            if query.site is not None:
                sites = sites.filter(pk=query.site.pk)
            axes.append([(site.pk, site.name) for site in sites])
        elif dimension == "mode":
            modes = ServiceMode.choices if not query.mode else [(query.mode, dict(ServiceMode.choices)[query.mode])]
            axes.append([(value, str(label)) for value, label in modes])
        else:
            axes.append([(index, f"{day:%Y-%m}") for index, day in enumerate(query.period.months())])
    if len(axes) == 1:
        return [Column((key,), label) for key, label in axes[0]]
    return [Column((first, second), f"{first_label} / {second_label}")
            for first, first_label in axes[0] for second, second_label in axes[1]]


def scope_label(site=None, mode=None) -> str:
    parts = [site.name if site is not None else "All sites"]
    parts.append(str(dict(ServiceMode.choices)[mode]) if mode else "all service modes")
    return ", ".join(parts)


def _whole_months(period: Period) -> bool:
    return period.start.day == 1 and period.end.day == 1


def _activity_live(query: _Query) -> dict[str, list]:
    """Visits, supply lines (by item), services and reversals, straight from the visits."""
    encounters = Encounter.objects.filter(query.encounter_filter())
    visits: dict[tuple, dict] = {}
    for column, row in query.grouped(encounters, "", encounters=Count("id"),
                                     anonymous=Count("id", filter=Q(participant__isnull=True)),
                                     returned=Sum("syringes_returned")):
        visits[column] = {**row, "reversals": 0}
    reversals = ReversalReport.objects.filter(query.encounter_filter("encounter__"))
    for column, row in query.grouped(reversals, "encounter__", n=Count("id")):
        visits.setdefault(column, {"encounters": 0, "anonymous": 0, "returned": 0, "reversals": 0})
        visits[column]["reversals"] = row["n"]
    supplies = EncounterSupply.objects.filter(query.encounter_filter("encounter__")).annotate(
        secondary=Case(When(encounter__secondary_people__gt=0, then=Value(1)), default=Value(0),
                       output_field=IntegerField()),
        identified=Case(When(encounter__participant__isnull=False, then=Value(1)), default=Value(0),
                        output_field=IntegerField()),
    )
    given = Encounter.services.through.objects.filter(query.encounter_filter("encounter__"))
    return {
        "visits": list(visits.items()),
        "supplies": query.grouped(supplies, "encounter__", ("item_id", "secondary", "identified"),
                                  quantity=Sum("quantity")),
        "services": query.grouped(given, "encounter__", ("service_id",), n=Count("id")),
    }


def _activity_from_rollup(query: _Query) -> dict[str, list]:
    """The same rows as `_activity_live`, summed from the monthly rollup (which must be current)."""
    from haven.reports.models import ActivityRollup
    from haven.reports.rollup import SERVICE, SUPPLY, VISIT

    months = {day: index for index, day in enumerate(query.period.months())}
    rows = ActivityRollup.objects.filter(month__gte=query.period.start, month__lt=query.period.end)
    if query.site is not None:
        rows = rows.filter(site_id=query.site.pk)
    if query.mode:
        rows = rows.filter(service_mode=query.mode)
    fields = {"site": "site_id", "mode": "service_mode", "month": "month"}
    names = [fields[dimension] for dimension in query.by]

    def column_of(row):
        return tuple(months[row[name]] if name == "month" else row[name] for name in names)

    def summed(kind, extra, **aggregates):
        found = rows.filter(kind=kind).values(*names, *extra).annotate(**aggregates).order_by()
        return [(column_of(row), row) for row in found]

    visits = [(column, {"encounters": row["n"], "anonymous": row["a"], "returned": row["r"],
                        "reversals": row["v"]})
              for column, row in summed(VISIT, (), n=Sum("amount"), a=Sum("anonymous"), r=Sum("returned"),
                                        v=Sum("reversals"))]
    supplies = [(column, {"item_id": row["ref"], "secondary": int(row["secondary"]),
                          "identified": int(row["identified"]), "quantity": row["q"]})
                for column, row in summed(SUPPLY, ("ref", "secondary", "identified"), q=Sum("amount"))]
    services = [(column, {"service_id": row["ref"], "n": row["n"]})
                for column, row in summed(SERVICE, ("ref",), n=Sum("amount"))]
    return {"visits": visits, "supplies": supplies, "services": services}


def _people_from_participant_years(query: _Query, cells) -> None:
    """Distinct people per column and in total, from the ParticipantYear rows of the scope with a
    month in the period (whole local months). Each count reads the level of rows it needs: per
    site and mode, per site (ALL_MODES), per mode (ALL_SITES) or program-wide (both), whose months
    are the union of the finer rows' months, so that a person is one row per year there. A period
    within one year sums the MonthReach counts of those rows instead: from the period's first
    month, how many have their first month from then on in each month up to its last."""
    from haven.reports.models import MonthReach, ParticipantYear
    from haven.reports.rollup import ALL_MODES, ALL_SITES

    months = query.period.months()
    names = {"site": "site_id", "mode": "service_mode"}
    if months[0].year == months[-1].year:
        # One year: a person is at most one row per column, and these count the rows.
        found = MonthReach.objects.filter(year=months[0].year, start=months[0].month, first__lte=months[-1].month)
        count = Sum("people")
    else:  # more: distinct ids over the years' rows
        masks: dict[int, int] = defaultdict(int)
        for day in months:
            masks[day.year] |= 1 << (day.month - 1)
        hit = Case(*[When(year=year, then=F("months").bitand(mask)) for year, mask in masks.items()],
                   default=Value(0), output_field=IntegerField())
        found = ParticipantYear.objects.filter(year__in=list(masks)).annotate(hit=hit).filter(hit__gt=0)
        count = Count("participant_id", distinct=True)

    def level(dimensions):
        rows = found
        if query.site is not None:
            rows = rows.filter(site_id=query.site.pk)
        elif "site" in dimensions:
            rows = rows.filter(site_id__gt=ALL_SITES)  # a range on the index: no site has id 0 or less
        else:
            rows = rows.filter(site_id=ALL_SITES)
        if query.mode:
            rows = rows.filter(service_mode=query.mode)
        elif "mode" in dimensions:
            rows = rows.filter(service_mode__gt=ALL_MODES)  # every mode sorts after ""
        else:
            rows = rows.filter(service_mode=ALL_MODES)
        return rows

    if query.by:
        fields = [names[dimension] for dimension in query.by]
        for row in level(query.by).values(*fields).annotate(n=count).order_by():
            cells["unique_participants"][None][tuple(row[field] for field in fields)] = row["n"]
    total = level(()).aggregate(n=count)["n"] or 0
    if total or query.by:
        cells["unique_participants"][None][TOTAL] = total


def compute(period: Period, *, site=None, mode=None, by=(), use_rollup: bool = True) -> Results:
    """Every indicator for the period and scope, in total and per breakdown column."""
    query = _Query(period, site=site, mode=mode, by=by)
    columns = _columns(query)
    results = Results(period=period, by=query.by, scope_label=scope_label(site, mode), columns=columns)
    cells: dict[str, dict[object, dict[tuple, float]]] = defaultdict(lambda: defaultdict(lambda: defaultdict(int)))

    def add(key, column, amount, sub=None):
        cells[key][sub][column] += amount
        if query.by:
            cells[key][sub][TOTAL] += amount

    # 1. Visits, supply lines, services and reversals: from the monthly rollup when the period is
    #    whole months (every report period is) and the rollup has seen every change (the worker
    #    refreshes it; a report never does), else straight from the visits. Reads never write.
    state = rollup_current() if use_rollup and _whole_months(period) else None
    use_rollup = state is not None
    if use_rollup:
        results.source, results.summary_as_of = SUMMARY, state.refreshed_at or state.built_at
    activity = _activity_from_rollup(query) if use_rollup else _activity_live(query)
    for column, row in activity["visits"]:
        add("encounters", column, row["encounters"])
        add("anonymous_encounters", column, row["anonymous"])
        add("syringes_returned", column, row["returned"] or 0)
        add("reversals_reported", column, row["reversals"] or 0)
    results.encounters_seen = cells["encounters"][None][TOTAL]

    # 2. Supply lines by item: syringes, doses and strips come from the item's own counts.
    items = {item.pk: item for item in Item.objects.all()}
    syringes_identified: dict[tuple, int] = defaultdict(int)
    syringes_secondary: dict[tuple, int] = defaultdict(int)
    for column, row in activity["supplies"]:
        item, quantity = items[row["item_id"]], row["quantity"] or 0
        if item.syringes_per_unit:
            syringes = quantity * item.syringes_per_unit
            add("syringes_distributed", column, syringes)
            for key in (column, TOTAL) if query.by else (column,):
                syringes_identified[key] += syringes * row["identified"]
                syringes_secondary[key] += syringes * row["secondary"]
        if item.naloxone_doses_per_unit:
            doses = quantity * item.naloxone_doses_per_unit
            add("naloxone_doses", column, doses)
            add("naloxone_doses", column, doses, sub=item.pk)
        if item.tests_per_unit:
            strips = quantity * item.tests_per_unit
            add("test_strips", column, strips)
            add("test_strips", column, strips, sub=item.strip_target or "other")
        if item.category not in DISTRIBUTION_CATEGORIES and not (
                item.syringes_per_unit or item.naloxone_doses_per_unit or item.tests_per_unit):
            add("other_supplies", column, quantity)
            add("other_supplies", column, quantity, sub=item.pk)

    # 3. People, always from the visits: a sum of distinct counts is not a distinct count.
    encounters = Encounter.objects.filter(query.encounter_filter())
    people = encounters.filter(participant__isnull=False)
    if use_rollup:
        from haven.reports.models import ParticipantVisit

        # The same visits, from the narrow copy whose index holds everything counted here.
        people = ParticipantVisit.objects.filter(query.encounter_filter(first_visit=True))
    if use_rollup and "month" not in query.by:
        # Each person's months of each year, a bit per month: a row per person and column.
        _people_from_participant_years(query, cells)
    elif not query.by:
        total = people.aggregate(participants=Count("participant_id", distinct=True))["participants"]
        if total:
            cells["unique_participants"][None][TOTAL] = total
    else:
        # One scan: each person once per column, then counted per column and in total (one person
        # can visit two sites: the total is its own distinct count, not a sum).
        dimensions = query.dimension_expressions("") if "month" in query.by else {
            f"d_{dimension}": F({"site": "site_id", "mode": "service_mode"}[dimension]) for dimension in query.by}
        names = list(dimensions)
        per_column: dict[tuple, set] = defaultdict(set)
        everyone = set()
        for row in people.annotate(**dimensions).values_list(*names, "participant_id").distinct().order_by():
            per_column[tuple(row[:-1])].add(row[-1])
            everyone.add(row[-1])
        for column, ids in per_column.items():
            cells["unique_participants"][None][column] = len(ids)
        cells["unique_participants"][None][TOTAL] = len(everyone)
    #    New participants: visits with no earlier visit of the same person (ties broken by id), so
    #    each person is counted once, where and when they first came. Two NOT EXISTS rather than
    #    one with OR: each is a range probe on the (participant, occurred_at) index.
    same_person = Encounter.objects.filter(participant_id=OuterRef("participant_id"), voided_at__isnull=True)
    earlier = same_person.filter(occurred_at__lt=OuterRef("occurred_at"))
    same_moment = same_person.filter(occurred_at=OuterRef("occurred_at"), pk__lt=OuterRef("pk"))
    first_visits = encounters.filter(participant__isnull=False).filter(~Exists(earlier), ~Exists(same_moment))
    if use_rollup:
        # The same first visits, kept by rollup_refresh in the worker.
        from haven.reports.models import FirstVisit

        first_visits = FirstVisit.objects.filter(query.encounter_filter(first_visit=True))
    for column, row in query.grouped(first_visits, "", new=Count("id")):
        add("new_participants", column, row["new"])

    # 4. Services and referrals given at visits.
    services = {service.pk: service for service in Service.objects.all()}
    for column, row in activity["services"]:
        service = services[row["service_id"]]
        if service.kind == Service.Kind.REFERRAL:
            add("referrals_offered", column, row["n"])
            add("referrals_offered", column, row["n"], sub=service.pk)
        else:
            add("services_given", column, row["n"])
            add("services_given", column, row["n"], sub=service.pk)
            if service.kind == Service.Kind.EDUCATION:
                add("education_given", column, row["n"])

    # 5. Supervised consumption: check-ins and the responses at the site (small tables, counted live).
    results.consumption_seen = _consumption(query, add, cells)

    # 6. Program facts, from the sites (not from the period's visits).
    active_sites = Site.objects.filter(active=True)
    if site is not None:
        active_sites = active_sites.filter(pk=site.pk)
    for one in active_sites:
        columns_of_site = [TOTAL] + ([(one.pk,)] if query.by == ("site",) else [])
        for column in columns_of_site:
            cells["hours_per_week"][None][column] += float(one.hours_per_week or 0)
            cells["sites_active"][None][column] += 1
            cells["sites_active"][one.kind][column] += 1

    _fill(results, query, cells, columns, items, services, syringes_identified, syringes_secondary)
    return results


def _consumption(query: _Query, add, cells) -> int:
    from haven.consumption.models import MedicalResponse, Route, Stay, YesNo

    if query.mode and query.mode != ServiceMode.FIXED:
        return 0

    def scoped(queryset, moment):
        queryset = queryset.filter(**{f"{moment}__gte": query.start, f"{moment}__lt": query.end})
        if query.site is not None:
            queryset = queryset.filter(site_id=query.site.pk)
        dimensions = {"site": F("site_id"), "mode": Value(ServiceMode.FIXED),
                      "month": _month_bucket(query.period, moment)}
        return queryset.annotate(**{f"d_{name}": dimensions[name] for name in query.by})

    names = [f"d_{name}" for name in query.by]

    def grouped(queryset, extra=(), **aggregates):
        rows = queryset.values(*names, *extra).annotate(**aggregates).order_by()
        return [(tuple(row[name] for name in names), row) for row in rows]

    stays = scoped(Stay.objects.all(), "checked_in_at")
    seen = 0
    for column, row in grouped(stays, ("route",), n=Count("id"), anonymous=Count("id", filter=Q(participant__isnull=True))):
        add("consumption_visits", column, row["n"])
        add("consumption_by_route", column, row["n"], sub=row["route"])
        seen += row["n"]
    # Unique clients: each participant once per column and once in the total, each anonymous stay once.
    people: dict[tuple, set] = defaultdict(set)
    for row in stays.filter(participant__isnull=False).values_list(*names, "participant_id").distinct().order_by():
        people[tuple(row[:-1])].add(row[-1])
    everyone = set().union(*people.values()) if people else set()
    for column, row in grouped(stays.filter(participant__isnull=True), n=Count("id")):
        cells["consumption_unique_clients"][None][column] += row["n"]
        if query.by:
            cells["consumption_unique_clients"][None][TOTAL] += row["n"]
    for column, ids in people.items():
        cells["consumption_unique_clients"][None][column] += len(ids)
    if query.by and everyone:
        cells["consumption_unique_clients"][None][TOTAL] += len(everyone)
    for route in Route.values:  # every route is a row, zero or not, so the table's shape is fixed
        cells["consumption_by_route"][route][TOTAL] += 0
    responses = scoped(MedicalResponse.objects.filter(overdose=True), "noticed_at")
    naloxone = Q(naloxone_doses_intranasal__gt=0) | Q(naloxone_doses_intramuscular__gt=0)
    for column, row in grouped(responses, n=Count("id"), naloxone=Count("id", filter=naloxone),
                               ems=Count("id", filter=Q(emergency_services_called=YesNo.YES)),
                               died=Count("id", filter=Q(outcome=MedicalResponse.Outcome.DIED))):
        add("consumption_overdoses", column, row["n"])
        add("consumption_overdoses_naloxone", column, row["naloxone"])
        add("consumption_ems_calls", column, row["ems"])
        add("consumption_fatal_overdoses", column, row["died"])
        seen += row["n"]
    return seen


def _fill(results, query, cells, columns, items, services, syringes_identified, syringes_secondary):
    column_keys = [TOTAL] + [column.key for column in columns]
    for indicator in INDICATORS:
        if indicator.key in ("return_ratio", "syringes_per_participant", "secondary_exchange_share",
                             "program_size_band"):
            continue
        found = cells.get(indicator.key, {})
        rows: dict[object, dict[tuple, object]] = {}
        for sub in [None, *[key for key in found if key is not None]]:
            values = found.get(sub, {})
            if indicator.fact:
                rows[sub] = {key: values.get(key) if key == TOTAL or query.by == ("site",) else None
                             for key in column_keys}
            else:
                rows[sub] = {key: values.get(key, 0) for key in column_keys}
        results.values[indicator.key] = rows

    distributed = results.values["syringes_distributed"][None]
    returned = results.values["syringes_returned"][None]
    people = results.values["unique_participants"][None]
    ratio, per_person, share, band = {}, {}, {}, {}
    for key in column_keys:
        given = distributed.get(key) or 0
        ratio[key] = round(returned[key] / given, 2) if given else None
        per_person[key] = round(syringes_identified.get(key, 0) / people[key], 1) if people.get(key) else None
        share[key] = round(100 * syringes_secondary.get(key, 0) / given, 1) if given else None
        days = max(1, query.period.days)
        band[key] = size_band(given * 365 / days) if key == TOTAL or query.by == ("site",) else None
    results.values["return_ratio"] = {None: ratio}
    results.values["syringes_per_participant"] = {None: per_person}
    results.values["secondary_exchange_share"] = {None: share}
    results.values["program_size_band"] = {None: band}

    def ordered(key, labels):
        subs = [sub for sub in results.values[key] if sub is not None]
        results.sub_labels[key] = {sub: labels(sub) for sub in sorted(subs, key=lambda sub: str(labels(sub)))}

    strip_labels = dict(Item.StripTarget.choices)
    kind_labels = dict(Site.Kind.choices)
    ordered("naloxone_doses", lambda sub: items[sub].name)
    ordered("test_strips", lambda sub: str(strip_labels.get(sub, "Other")))
    ordered("other_supplies", lambda sub: items[sub].name)
    ordered("services_given", lambda sub: services[sub].name)
    ordered("referrals_offered", lambda sub: services[sub].name)
    ordered("sites_active", lambda sub: str(kind_labels.get(sub, sub)))
    from haven.consumption.models import Route

    route_order = {value: index for index, value in enumerate(Route.values)}
    route_labels = dict(Route.choices)
    results.sub_labels["consumption_by_route"] = {
        sub: str(route_labels.get(sub, sub))
        for sub in sorted((sub for sub in results.values["consumption_by_route"] if sub is not None),
                          key=lambda sub: route_order.get(sub, 99))}
