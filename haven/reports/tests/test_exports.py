"""Every file that leaves the program is suppressed, says so, and cannot run formulas."""

import csv
import io

import pytest
from django.urls import reverse
from openpyxl import load_workbook

from haven.reports.exports import NotShareable, neutralise, open_data_csv, to_csv, to_xlsx
from haven.reports.funder_templates import parse_template
from haven.reports.periods import calendar_year, month
from haven.reports.report import EXACT, SHAREABLE, build_report
from haven.reports.templates_lookup import template_by_slug
from haven.reports.tests.fixed_program import make_fixed_program

OCTOBER = month(2025, 10)
BY_SITE = """
slug: october-by-site
name: October by site
period: month
columns: site
sections:
  - title: People
    rows:
      - indicator: encounters
      - indicator: unique_participants
      - indicator: syringes_per_participant
      - indicator: services_given
        detail: true
  - title: Supplies
    rows:
      - indicator: syringes_distributed
"""


@pytest.fixture
def program(dana, places):
    return make_fixed_program(dana, places)


def csv_cells(content: bytes) -> list[str]:
    return [cell for row in csv.reader(io.StringIO(content.decode("utf-8-sig"))) for cell in row]


def test_the_exact_report_has_the_small_counts_and_says_it_is_internal(program):
    report = build_report(parse_template(BY_SITE), OCTOBER, kind=EXACT)

    people = report.sections[0].rows
    assert people[0].cells == [2, 3, 5]  # East van, North drop-in, total (sites by name)
    assert people[1].cells == [1, 2, 3]
    assert "INTERNAL" in report.note


def test_a_count_of_three_people_never_appears_in_csv_or_xlsx_and_margins_do_not_give_it_back(program):
    report = build_report(parse_template(BY_SITE), OCTOBER, kind=SHAREABLE)

    people = report.sections[0].rows
    assert people[0].cells == ["<11", "<11", "<11"]
    assert people[1].cells == ["<11", "<11", "<11"]
    # 40 syringes over 2 people would give the participant count back: hidden with it.
    assert people[2].cells == ["suppressed", "suppressed", "suppressed"]
    assert report.sections[1].rows[0].cells == [10, 40, 50]  # supplies are not people
    for row in people:
        assert 3 not in row.cells and 2 not in row.cells and 5 not in row.cells
    cells = csv_cells(to_csv(report))
    assert cells[0].startswith("SUPPRESSED, SHAREABLE")
    sheet = load_workbook(io.BytesIO(to_xlsx(report))).active
    values = [cell.value for row in sheet.iter_rows() for cell in row]
    assert str(values[0]).startswith("SUPPRESSED, SHAREABLE")
    for exported in (cells, values):
        people_cells = [value for value in exported if value in (1, 2, 3, 5, "1", "2", "3", "5")]
        assert people_cells == []


def test_large_counts_are_shown_and_a_lone_small_cell_is_protected_by_a_partner(program):
    report = build_report(parse_template(BY_SITE.replace("syringes_distributed", "syringes_returned")),
                          OCTOBER, kind=SHAREABLE)

    assert report.sections[1].rows[0].cells == [0, 20, 20]


def test_exports_refuse_an_exact_report(program):
    report = build_report(parse_template(BY_SITE), OCTOBER, kind=EXACT)

    with pytest.raises(NotShareable):
        to_csv(report)
    with pytest.raises(NotShareable):
        to_xlsx(report)


def test_open_data_has_no_ids_no_days_and_no_small_counts(program, places):
    content = open_data_csv(calendar_year(2025)).decode("utf-8-sig")
    rows = list(csv.reader(io.StringIO(content)))

    assert rows[0][0].startswith("SUPPRESSED, SHAREABLE")
    assert rows[1] == ["month", "site", "indicator", "unit", "value"]
    data = rows[2:]
    assert {row[0] for row in data} <= {f"2025-{m:02d}" for m in range(1, 13)} | {"All months"}
    people = {"encounters", "unique_participants", "anonymous_encounters", "new_participants", "services_given",
              "education_given", "referrals_offered", "reversals_reported"}
    for row in data:
        if row[2] in people:
            assert row[4] in ("0", "<11", "suppressed") or int(row[4]) >= 11, row
    syringes = [row for row in data if row[2] == "syringes_distributed" and row[0] == "2025-10"
                and row[1] == "North drop-in"]
    assert syringes == [["2025-10", "North drop-in", "syringes_distributed", "syringes", "40"]]
    for code in ("AN0385R", "MA1179S", "JO0792D"):
        assert code not in content
    for participant in program.values():
        assert participant.display_id not in content


@pytest.mark.parametrize("dangerous", ["=HYPERLINK(\"http://x\")", "+1+2", "-1+2", "@SUM(A1)", "\tcmd", "\rcmd"])
def test_formula_like_text_is_neutralised(dangerous):
    assert neutralise(dangerous) == "'" + dangerous
    assert neutralise(42) == 42


def test_a_site_named_like_a_formula_cannot_run_in_csv_or_xlsx(program, places):
    places["fixed"].name = "=cmd|' /C calc'!A0"
    places["fixed"].save()
    report = build_report(parse_template(BY_SITE), OCTOBER, kind=SHAREABLE)

    cells = csv_cells(to_csv(report))
    assert "'=cmd|' /C calc'!A0" in cells
    assert not any(cell.startswith(("=", "+", "-", "@")) for cell in cells)
    sheet = load_workbook(io.BytesIO(to_xlsx(report))).active
    for row in sheet.iter_rows():
        for cell in row:
            assert cell.data_type != "f"
            assert not str(cell.value or "").startswith(("=", "+", "-", "@"))


def test_the_download_is_suppressed_and_named_so(program, dana, client_as):
    client = client_as(dana)

    response = client.get(reverse("reports-export", kwargs={"slug": "ssp-annual-summary", "file_format": "csv"}),
                          {"period": "2025"})

    assert response.status_code == 200
    assert "suppressed" in response["Content-Disposition"]
    assert csv_cells(response.content)[0].startswith("SUPPRESSED, SHAREABLE")


def test_a_pdf_report_renders_with_its_title(program, dana, client_as):
    response = client_as(dana).get(
        reverse("reports-export", kwargs={"slug": "ssp-annual-summary", "file_format": "pdf"}), {"period": "2025"})

    assert response.status_code == 200
    assert response.content.startswith(b"%PDF")
    assert b"/Title (" + template_by_slug("ssp-annual-summary").name.encode() + b")" in response.content
