"""The advocacy report: counts by kind of harm, what happened, area and month; small cells hidden in
everything that leaves the program; a public page that is off until the program switches it on."""

import csv
import datetime
import io

import pytest
from django.urls import reverse
from django.utils import timezone

from haven.core.models import AuditEvent
from haven.rights import actions, advocacy, queries

pytestmark = pytest.mark.django_db


def many(actor, count, *, events=("syringes_confiscated",), area=None, occurred_on=None, **extra):
    for _ in range(count):
        actions.rights_report_record(actor=actor, source="staff", occurred_on=occurred_on or timezone.localdate(),
                                     events=list(events), area=area, **extra)


def test_month_starts_are_the_last_months_oldest_first():
    assert advocacy.month_starts(datetime.date(2026, 2, 14), 3) == [
        datetime.date(2025, 12, 1), datetime.date(2026, 1, 1), datetime.date(2026, 2, 1)]


def test_exact_counts_inside_the_program(bob, places):
    many(bob, 3, area=places["east"])
    many(bob, 12, events=("pharmacy_naloxone",), area=places["north"])

    report = queries.advocacy_report(exact=True, months=3)
    category, kind, area = report.tables
    assert category.labels[:2] == ["Police encounter", "Denial of care"]
    assert category.row_totals[:2] == [3, 12] and category.grand_total == 15
    assert dict(zip(kind.labels, kind.row_totals, strict=True)) == {
        "Syringes or supplies taken": 3, "Pharmacy refused naloxone": 12}
    assert dict(zip(area.labels, area.row_totals, strict=True)) == {"Eastside": 3, "Northside": 12}


def test_small_cells_are_hidden_when_suppressed(bob, places):
    many(bob, 3, area=places["east"])
    many(bob, 30, events=("pharmacy_naloxone",), area=places["north"])

    kind = queries.advocacy_report(months=3).tables[1]
    totals = dict(zip(kind.labels, kind.row_totals, strict=True))
    assert totals["Syringes or supplies taken"] == "<11"
    assert totals["Pharmacy refused naloxone"] != 30  # hidden too, or 3 = 33 - 30 would be worked out
    assert all(cell in (0, "<11", "suppressed") or (isinstance(cell, int) and cell >= 11)
               for row in kind.cells for cell in row)


def test_reports_still_to_check_or_set_aside_are_not_counted(bob, dana, places, anonymous_client):
    many(bob, 2)
    report = actions.rights_report_submit_public(occurred_on=timezone.localdate(), events=["stopped"])
    assert queries.advocacy_report(exact=True).total_reports == 2
    actions.rights_report_check(actor=dana, report=report, status="counted")
    assert queries.advocacy_report(exact=True).total_reports == 3
    actions.rights_report_check(actor=dana, report=report, status="set_aside")
    assert queries.advocacy_report(exact=True).total_reports == 2


def test_a_staff_member_cannot_count_reports(bob):
    report = actions.rights_report_submit_public(occurred_on=timezone.localdate(), events=["stopped"])
    from django.core.exceptions import PermissionDenied

    with pytest.raises(PermissionDenied):
        actions.rights_report_check(actor=bob, report=report, status="counted")


def test_the_csv_for_a_city_council_is_suppressed_and_names_no_one(client_as, dana, bob, places):
    many(bob, 4, area=places["east"], note="Thrown in the bin behind the library", officer_details="Badge 4471")
    many(bob, 25, events=("stopped", "searched"), area=places["north"])

    response = client_as(dana).get(reverse("rights-advocacy-csv") + "?months=6")
    assert response.status_code == 200 and response["Content-Type"].startswith("text/csv")
    text = response.content.decode("utf-8-sig")
    rows = list(csv.reader(io.StringIO(text)))
    assert rows[0] == ["table", "row", "period", "reports"]
    counts = [row[3] for row in rows[1:] if len(row) == 4 and row[0] in ("category", "type", "area")]
    assert "4" not in counts and "<11" in counts
    for secret in ("4471", "library", "Badge"):
        assert secret not in text
    assert AuditEvent.objects.filter(object_type="rights.advocacy_report", action="export").count() == 1


@pytest.mark.parametrize("who, status", [("alice", 200), ("dana", 200), ("bob", 403), ("carol", 403)])
def test_the_advocacy_report_is_for_coordinators_and_admins(client_as, everyone, who, status):
    assert client_as(everyone[who]).get(reverse("rights-advocacy")).status_code == status
    assert client_as(everyone[who]).get(reverse("rights-advocacy-csv")).status_code == status


def test_bad_months_fall_back_to_a_year(client_as, dana):
    response = client_as(dana).get(reverse("rights-advocacy") + "?months=9999")
    assert response.status_code == 200 and len(response.context["report"].months) == 12


def test_the_public_page_is_off_until_switched_on(client_as, dana, bob, places, anonymous_client):
    many(bob, 12, area=places["east"], officer_details="Badge 4471")
    assert anonymous_client.get(reverse("rights-public-counts")).status_code == 404

    response = client_as(dana).post(reverse("rights-public-page-toggle"), {"enabled": "1"})
    assert response.status_code == 302 and queries.public_page_enabled()
    page = anonymous_client.get(reverse("rights-public-counts"))
    assert page.status_code == 200
    assert "Syringes or supplies taken" in page.content.decode() and "4471" not in page.content.decode()

    client_as(dana).post(reverse("rights-public-page-toggle"), {"enabled": "0"})
    assert anonymous_client.get(reverse("rights-public-counts")).status_code == 404
    assert AuditEvent.objects.filter(object_type="rights.publicpage").count() == 2


def test_staff_cannot_switch_the_public_page_on(client_as, bob):
    assert client_as(bob).post(reverse("rights-public-page-toggle"), {"enabled": "1"}).status_code == 403
    assert not queries.public_page_enabled()


def test_a_table_that_cannot_be_protected_is_withheld_not_shown():
    from haven.reports.suppression import SuppressionPolicy

    months = advocacy.month_starts(datetime.date(2026, 3, 1), 1)
    counts = {("a", months[0]): 1}
    table = advocacy.build_table("type", "t", ["a"], {}, advocacy.columns(months, "month"), counts, exact=False,
                                 policy=SuppressionPolicy(min_count=11))
    # One row and one column: the only cell equals its totals, so everything is hidden or withheld.
    assert table.withheld or all(cell != 1 for row in table.cells for cell in row)


def test_months_are_grouped_by_quarter_or_into_one_period():
    months = advocacy.month_starts(datetime.date(2026, 5, 20), 6)
    assert [c.label for c in advocacy.columns(months, "quarter")] == ["2025-12", "2026-Q1", "2026-04/2026-05"]
    assert [len(c.months) for c in advocacy.columns(months, "quarter")] == [1, 3, 2]  # December alone, then whole quarters
    assert [c.label for c in advocacy.columns(months, "period")] == ["2025-12/2026-05"]
    assert len(advocacy.columns(months, "month")) == 6


def test_counting_over_the_whole_period_shows_what_months_would_hide(bob, places):
    today = timezone.localdate()
    for days_ago in range(12):
        many(bob, 1, occurred_on=today - datetime.timedelta(days=30 * days_ago), area=places["east"])

    by_month = queries.advocacy_report(months=12, by="month").tables[1]
    whole = queries.advocacy_report(months=12, by="period").tables[1]
    assert set(by_month.cells[0]) <= {"<11", 0, "suppressed"}
    assert whole.cells[0] == [12] and whole.grand_total == 12


def test_the_public_page_switch_takes_post_only(client_as, dana):
    assert client_as(dana).get(reverse("rights-public-page-toggle")).status_code == 405
    assert not queries.public_page_enabled()
