"""Reads of rights reports, legal requests and peer warnings that the pages, exports and support share."""

from __future__ import annotations

import csv
import datetime
import io
from collections import Counter
from dataclasses import dataclass

from django.urls import reverse
from django.utils import timezone
from django.utils.translation import gettext as _

from haven.rights import advocacy
from haven.rights.models import (
    CATEGORY_OF,
    Category,
    Event,
    LegalRequest,
    PeerWarning,
    Production,
    PublicPage,
    RightsReport,
)

MONTH_CHOICES = (3, 6, 12, 24)
DEFAULT_MONTHS = 12
# Quarters by default: a program's monthly counts of one kind of harm are nearly all small, and a
# table of "<11" says little to a city council.
DEFAULT_GROUPING = advocacy.BY_QUARTER


def public_page_enabled() -> bool:
    page = PublicPage.objects.first()
    return bool(page and page.enabled)


def reports_to_check():
    return RightsReport.objects.filter(status=RightsReport.Status.TO_CHECK).select_related("area")


def recent_reports(*, limit=50):
    return RightsReport.objects.exclude(status=RightsReport.Status.TO_CHECK).select_related(
        "area", "recorded_by")[:limit]


def reports_recorded_by(user, *, limit=20):
    return RightsReport.objects.filter(recorded_by=user).select_related("area")[:limit]


def open_warnings():
    return PeerWarning.objects.filter(status=PeerWarning.Status.NEW).select_related("area")


def handled_warnings(*, limit=30):
    return PeerWarning.objects.exclude(status=PeerWarning.Status.NEW).select_related("area", "alert")[:limit]


def legal_requests():
    return LegalRequest.objects.select_related("logged_by").prefetch_related("participants", "productions")


def legal_request(pk) -> LegalRequest | None:
    return legal_requests().filter(pk=pk).first()


def legal_services():
    """Legal help services in the directory, for a referral to legal aid."""
    from haven.directory import queries as directory_queries
    from haven.directory import vocabulary

    return directory_queries.referable_services().filter(pk__in=_legal_service_ids(vocabulary))


def _legal_service_ids(vocabulary):
    from haven.directory.models import Attribute

    return Attribute.objects.filter(link_entity="service", taxonomy_term_id=vocabulary.term_id("legal")).exclude(
        value="false").values("link_id")


# The advocacy report ------------------------------------------------------------------------------------


@dataclass
class Advocacy:
    months: list[datetime.date]
    columns: list[advocacy.Column]
    by: str
    tables: list[advocacy.CountsTable]
    exact: bool
    total_reports: int

    @property
    def column_labels(self) -> list[str]:
        return [column.label for column in self.columns]

    def chart(self) -> str:
        """Reports per month by kind of harm, drawn from the (suppressed) category table."""
        from haven.reports.charts import Series, stacked_bar_chart

        table = self.tables[0]
        if table.withheld:
            return ""
        return stacked_bar_chart(title=_("Rights reports by kind of harm"),
                                 categories=self.column_labels, y_label=_("reports"),
                                 series=[Series(label, cells) for label, cells in zip(table.labels, table.cells,
                                                                                      strict=True)],
                                 chart_id="rights-by-month")


def advocacy_report(*, months: int = DEFAULT_MONTHS, by: str = DEFAULT_GROUPING, exact: bool = False, today=None,
                    policy=None) -> Advocacy:
    """Counted reports by kind of harm, by what happened and by area, per month of when it happened.

    A report that ticks several things counts once in each of their rows, so the "what happened" table
    adds up to more than the number of reports. Exact inside the program; suppressed for anything that
    leaves it (the CSV, the public page)."""
    from haven.reports.suppression import DEFAULT_POLICY

    policy = policy or DEFAULT_POLICY
    today = today or timezone.localdate()
    starts = advocacy.month_starts(today, months)
    columns = advocacy.columns(starts, by if by in advocacy.GROUPINGS else DEFAULT_GROUPING)
    by_category, by_event, by_area = Counter(), Counter(), Counter()
    rows = RightsReport.objects.filter(status=RightsReport.Status.COUNTED, occurred_on__gte=starts[0],
                                       occurred_on__lte=today).values_list("events", "area__name", "occurred_on")
    total = 0
    for events, area_name, occurred_on in rows:
        month = occurred_on.replace(day=1)
        total += 1
        for category in {CATEGORY_OF[event] for event in events if event in CATEGORY_OF}:
            by_category[(str(category), month)] += 1
        for event in events:
            by_event[(event, month)] += 1
        by_area[(area_name or "", month)] += 1
    area_keys = sorted({key for key, _month in by_area}, key=lambda name: (name == "", name.casefold()))
    area_labels = {name: name or _("Area not given") for name in area_keys}
    event_keys = [event for event in Event.values if any(key == event for key, _month in by_event)]
    tables = [
        advocacy.build_table("category", _("By kind of harm"), list(Category.values),
                             {key: str(label) for key, label in Category.choices}, columns, by_category,
                             exact=exact, policy=policy),
        advocacy.build_table("type", _("By what happened"), event_keys,
                             {key: str(label) for key, label in Event.choices}, columns, by_event,
                             exact=exact, policy=policy),
        advocacy.build_table("area", _("By area"), area_keys, area_labels, columns, by_area, exact=exact,
                             policy=policy),
    ]
    return Advocacy(starts, columns, by, tables, exact, total)


def advocacy_csv(report: Advocacy) -> bytes:
    return advocacy.tables_csv(report.tables, report.columns, note=_(
        "Counts of reports of police encounters, denial of care and discrimination, by when they happened. "
        "Counts from 1 to 10 are shown as <11, and other counts are hidden where they would reveal one. "
        "No names, addresses or officer details are included."))


# Legal requests: what was produced, and the person's accounting of disclosures ------------------------


def production_csv(participants, kinds, *, since=None, until=None) -> tuple[str, int]:
    """The records decided on, one row each: participant, record, date, detail. Nothing else."""
    from haven.encounters.models import Encounter
    from haven.support.models import Referral

    def within(day: datetime.date) -> bool:
        return (since is None or day >= since) and (until is None or day <= until)

    rows = []
    for participant in sorted(participants, key=lambda p: p.display_id):
        if "enrolment" in kinds:
            day = timezone.localtime(participant.enrolled_at).date()
            if within(day):
                rows.append([participant.display_id, "enrolment", day.isoformat(), ""])
        if "visits" in kinds:
            for occurred_at, site_name in (Encounter.objects.filter(participant=participant, voided_at__isnull=True)
                                           .order_by("occurred_at").values_list("occurred_at", "site__name")):
                day = timezone.localtime(occurred_at).date()
                if within(day):
                    rows.append([participant.display_id, "visit", day.isoformat(), site_name])
        if "referrals" in kinds:
            for offered_at, category in (Referral.objects.filter(participant=participant).order_by("offered_at")
                                         .values_list("offered_at", "category")):
                day = timezone.localtime(offered_at).date()
                if within(day):
                    rows.append([participant.display_id, "referral", day.isoformat(), category])
    buffer = io.StringIO()
    writer = csv.writer(buffer)
    writer.writerow(["participant", "record", "date", "detail"])
    writer.writerows(rows)
    return buffer.getvalue(), len(rows)


def legal_disclosures(participant) -> list:
    """Productions that included this person, for their accounting of disclosures (haven/support),
    except while a court's order not to tell them is in force."""
    from haven.support.disclosures import Entry

    today = timezone.localdate()
    entries = []
    productions = (Production.objects.filter(participants=participant)
                   .select_related("legal_request", "produced_by"))
    for production in productions:
        entry = production.legal_request
        if entry.gag_in_force(today):
            continue
        entries.append(Entry(
            at=production.produced_at, to=entry.requester, what=", ".join(production.kind_labels()),
            by=production.produced_by.username if production.produced_by else "",
            basis=str(entry.get_kind_display()), link=reverse("rights-legal-detail", args=[entry.pk]),
            link_permission="rights.legal"))
    return entries


def withheld_from_accounting(production: Production) -> bool:
    return production.legal_request.gag_in_force()
