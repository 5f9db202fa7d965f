"""Reads that housing pages, the API and the report share."""

from __future__ import annotations

import statistics
from dataclasses import dataclass

from django.db.models import Prefetch, Q
from django.utils import timezone

from haven.housing.actions import add_months
from haven.housing.models import (
    Bed,
    BedHold,
    HmisConsent,
    HousingStatus,
    Journey,
    Property,
    Task,
)


def visible_properties(user):
    properties = Property.objects.filter(active=True).select_related("site", "organization")
    if user is not None and not user.sees_all_sites:
        properties = properties.filter(Q(site__in=user.sites.all()) | Q(organization__isnull=False))
    return properties


def board(user):
    """Places with their beds and each bed's active hold (expired holds read as free)."""
    now = timezone.now()
    active_holds = BedHold.objects.filter(active=True, expires_at__gt=now).select_related("participant")
    return visible_properties(user).prefetch_related(
        Prefetch("beds", queryset=Bed.objects.prefetch_related(Prefetch("holds", queryset=active_holds,
                                                                        to_attr="current_holds"))))


@dataclass
class FreeBed:
    bed: Bed
    property: Property


def available_now(user, *, needs=(), kind="") -> list[FreeBed]:
    """Beds free now (no active hold), filtered by low-barrier needs: the list a peer reads out on a phone."""
    now = timezone.now()
    held = BedHold.objects.filter(active=True, expires_at__gt=now).values("bed_id")
    beds = (Bed.objects.filter(status=Bed.Status.AVAILABLE, property__in=visible_properties(user))
            .exclude(pk__in=held).select_related("property", "property__site").order_by("property__name", "label"))
    if kind:
        beds = beds.filter(property__kind=kind)
    found = [FreeBed(bed, bed.property) for bed in beds]
    return [entry for entry in found if all(need in entry.property.low_barrier for need in needs)]


def partner_beds(organization):
    return Bed.objects.filter(property__organization=organization, property__active=True).select_related(
        "property").order_by("property__name", "label")


def statuses(participant):
    return HousingStatus.objects.filter(participant=participant).order_by("-information_date", "-recorded_at")


def open_journey(participant):
    return (Journey.objects.filter(participant=participant, closed_on__isnull=True)
            .select_related("site", "matched_property").first())


def journeys(participant):
    return Journey.objects.filter(participant=participant).select_related("site").prefetch_related(
        "applications", "retention_checks", "tasks", "flags", "check_ins")


def tasks_due(user, *, days_ahead=7):
    """The navigator's reminders: open tasks due within a week or overdue."""
    until = timezone.localdate() + timezone.timedelta(days=days_ahead)
    return (Task.objects.filter(journey__navigator=user, done_at__isnull=True, due_on__lte=until)
            .select_related("journey__participant").order_by("due_on"))


def hmis_consent(participant):
    return HmisConsent.objects.filter(participant=participant).order_by("-given_at").first()


@dataclass
class Step:
    key: str
    label: str
    done_on: object


def steps(journey) -> list[Step]:
    """The journey as steps the person can follow (used on the staff page and the page opened by code)."""
    from django.utils.translation import gettext as _

    checks = {check.months: check for check in journey.retention_checks.all()}
    applications = list(journey.applications.all())
    documents = [journey.id_ready_on, journey.income_ready_on, journey.references_ready_on]
    found = [
        Step("assessment", _("Needs assessment"), journey.assessed_on),
        Step("documents", _("Documents ready (ID, income, references)"),
             max(documents) if all(documents) else None),
        Step("application", _("Applications made"), applications[0].applied_on if applications else None),
        Step("matched", _("Matched with a home"), journey.matched_on),
        Step("moved_in", _("Moved in"), journey.moved_in_on),
    ]
    for months in (3, 6, 12):
        check = checks.get(months)
        label = _("Still housed at %(months)d months") % {"months": months}
        found.append(Step(f"retained_{months}", label, check.checked_on if check and check.still_housed else None))
    if journey.lost_on:
        found.append(Step("lost", _("Lost housing"), journey.lost_on))
    return found


# Reports ----------------------------------------------------------------------------------------

@dataclass
class ReportRow:
    site: str
    housed: object
    median_days: object
    due_6: object
    retained_6: object
    due_12: object
    retained_12: object
    beds_offered: object
    beds_used: object


COUNT_COLUMNS = ["housed", "due_6", "retained_6", "due_12", "retained_12", "beds_offered", "beds_used"]


def report_counts(start, end) -> dict[str, dict]:
    """Per site name: people housed (moved in within [start, end)), days assessment → move-in, retention at
    6 and 12 months (people whose mark fell in the period, and of them those still housed), beds offered
    (holds made) and used (the person arrived)."""
    found: dict[str, dict] = {}

    def entry(name):
        return found.setdefault(name, {**dict.fromkeys(COUNT_COLUMNS, 0), "days": []})

    for journey in Journey.objects.filter(moved_in_on__isnull=False).select_related("site").prefetch_related(
            "retention_checks"):
        row = entry(journey.site.name)
        if start <= journey.moved_in_on < end:
            row["housed"] += 1
            if journey.assessed_on:
                row["days"].append((journey.moved_in_on - journey.assessed_on).days)
        checks = {check.months: check for check in journey.retention_checks.all()}
        for months in (6, 12):
            mark = add_months(journey.moved_in_on, months)
            if start <= mark < end and mark <= timezone.localdate():
                row[f"due_{months}"] += 1
                check = checks.get(months)
                housed = check.still_housed if check else (journey.lost_on is None or journey.lost_on > mark)
                row[f"retained_{months}"] += bool(housed) and (check is not None or journey.lost_on is None)
    for hold in BedHold.objects.filter(held_at__date__gte=start, held_at__date__lt=end).select_related(
            "bed__property__site"):
        row = entry(hold.bed.property.site.name)
        row["beds_offered"] += 1
        row["beds_used"] += hold.outcome == BedHold.Outcome.USED
    return found


def housing_report(start, end, *, exact: bool, policy=None) -> list[ReportRow]:
    """By site. Exact inside the program; otherwise small cells are suppressed with the shared engine
    (haven/reports/suppression.py) and a median is shown only over enough people."""
    from haven.reports.suppression import DEFAULT_POLICY, suppress_table

    policy = policy or DEFAULT_POLICY
    counts = report_counts(start, end)
    sites = sorted(name for name, row in counts.items() if any(row[c] for c in COUNT_COLUMNS))
    grid = [[counts[s][c] for c in COUNT_COLUMNS] for s in sites]
    medians = [statistics.median(counts[s]["days"]) if counts[s]["days"] else None for s in sites]
    all_days = [day for s in sites for day in counts[s]["days"]]
    total_median = statistics.median(all_days) if all_days else None
    if exact or not grid:
        totals = [sum(column) for column in zip(*grid, strict=True)] if grid else [0] * len(COUNT_COLUMNS)
        rows = [_row(s, grid[i], medians[i]) for i, s in enumerate(sites)]
        return rows + [_row("", totals, total_median)]
    outcome = suppress_table(grid, row_totals=False, column_totals=True, grand_total=False, policy=policy)
    rows = []
    for i, site in enumerate(sites):
        cells = [cell.display for cell in outcome.cells[i]]
        housed = counts[site]["housed"]
        median = medians[i] if not policy.is_small(housed) and cells[0] == housed else "–"
        rows.append(_row(site, cells, median))
    housed_total = sum(counts[s]["housed"] for s in sites)
    rows.append(_row("", [cell.display for cell in outcome.column_totals],
                     total_median if not policy.is_small(housed_total) else "–"))
    return rows


def _row(site, cells, median) -> ReportRow:
    values = dict(zip(COUNT_COLUMNS, cells, strict=True))
    return ReportRow(site=site, median_days=median, **values)


def retained_counts(due, retained):
    return retained, due
