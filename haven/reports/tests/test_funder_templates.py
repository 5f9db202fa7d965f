"""Coordinators add templates without a developer; a bad one is refused whole, with its line."""

import pytest
from django.urls import reverse

from haven.reports.funder_templates import TemplateError, built_in_templates, parse_template
from haven.reports.models import ReportTemplate
from haven.reports.periods import PeriodError, parse_period
from haven.reports.tests.fixed_program import make_fixed_program

GOOD = """slug: county-naloxone
name: County naloxone log
period: fiscal_year
fiscal_year_starts: 7
columns: month
sections:
  - title: Naloxone
    rows:
      - indicator: naloxone_doses
        detail: true
"""
UNKNOWN_INDICATOR = GOOD.replace("naloxone_doses", "naloxone_kits")


def test_the_shipped_templates_are_valid():
    slugs = {template.slug for template in built_in_templates()}

    assert slugs == {"ssp-annual-summary", "naloxone-distribution-log", "quarterly-program-report",
                     "health-canada-scs-monthly"}


def test_an_unknown_indicator_is_named_with_its_line():
    with pytest.raises(TemplateError) as refused:
        parse_template(UNKNOWN_INDICATOR)

    assert refused.value.problems == ["Line 9: unknown indicator “naloxone_kits”. Did you mean naloxone_doses, "
                                      "consumption_overdoses_naloxone? "
                                      "The indicators are listed in docs/INDICATORS.md."]


def test_invalid_yaml_says_where():
    with pytest.raises(TemplateError) as refused:
        parse_template("slug: x\nname: [unclosed\n")

    assert refused.value.problems[0].startswith("Line 3, column 1: this is not valid YAML")


@pytest.mark.parametrize("text, message", [
    (GOOD.replace("fiscal_year\n", "fortnight\n"), "Line 3: unknown period “fortnight”"),
    (GOOD.replace("columns: month", "columns: colour"), "Line 5: unknown columns “colour”"),
    (GOOD.replace("fiscal_year_starts: 7", "fiscal_year_starts: 13"), "Line 4: “fiscal_year_starts” is the month"),
    (GOOD.replace("        detail: true", "        colour: red"), "Line 10: unknown key “colour” in a row"),
    ("- just\n- a list\n", "Line 1: The template must be a list of “key: value” lines."),
    ("", "The template is empty."),
])
def test_other_mistakes_are_explained(text, message):
    with pytest.raises(TemplateError) as refused:
        parse_template(text)

    assert any(problem.startswith(message) for problem in refused.value.problems), refused.value.problems


@pytest.mark.parametrize("text, rule, message", [
    ("2026-13", "month", "There is no month 13"),
    ("2026-Q5", "quarter", "There is no quarter 5"),
    ("last year", "calendar_year", "“LAST YEAR” is not a year. Write it like 2026."),
    ("1066", "calendar_year", "The year 1066 is out of range"),
])
def test_a_bad_period_gets_a_clear_message(text, rule, message):
    with pytest.raises(PeriodError) as refused:
        parse_period(text, rule)

    assert str(refused.value).startswith(message)


def test_a_fiscal_year_is_named_by_the_year_it_ends():
    period = parse_period("FY2026", "fiscal_year", fiscal_year_starts=7)

    assert (period.start.isoformat(), period.end.isoformat()) == ("2025-07-01", "2026-07-01")


def test_dana_pastes_a_template_and_opens_it(dana, places, client_as):
    make_fixed_program(dana, places)
    client = client_as(dana)

    response = client.post(reverse("reports-template-new"), {"yaml_text": GOOD})

    assert response.status_code == 302
    assert ReportTemplate.objects.get().slug == "county-naloxone"
    page = client.get(reverse("reports-report", kwargs={"slug": "county-naloxone"}), {"period": "FY2026"})
    assert page.status_code == 200
    assert "Naloxone nasal spray 4 mg (2-dose kit)" in page.content.decode()
    assert "EXACT COUNTS, INTERNAL" in page.content.decode()


def test_dana_uploads_a_template_file(dana, client_as):
    from django.core.files.uploadedfile import SimpleUploadedFile

    upload = SimpleUploadedFile("county.yaml", GOOD.encode(), content_type="application/x-yaml")
    response = client_as(dana).post(reverse("reports-template-new"), {"upload": upload})

    assert response.status_code == 302
    assert ReportTemplate.objects.filter(slug="county-naloxone").exists()


def test_a_template_with_an_unknown_indicator_is_not_saved_and_the_page_says_why(dana, client_as):
    response = client_as(dana).post(reverse("reports-template-new"), {"yaml_text": UNKNOWN_INDICATOR})

    assert response.status_code == 400
    assert "Line 9: unknown indicator “naloxone_kits”" in response.content.decode()
    assert "Nothing was saved" in response.content.decode()
    assert not ReportTemplate.objects.exists()


def test_invalid_yaml_is_not_saved(dana, client_as):
    response = client_as(dana).post(reverse("reports-template-new"), {"yaml_text": "name: [oops"})

    assert response.status_code == 400
    assert "not valid YAML" in response.content.decode()
    assert not ReportTemplate.objects.exists()


def test_a_shipped_template_cannot_be_replaced(dana, client_as):
    text = GOOD.replace("county-naloxone", "ssp-annual-summary")

    response = client_as(dana).post(reverse("reports-template-new"), {"yaml_text": text})

    assert response.status_code == 400
    assert not ReportTemplate.objects.exists()


def test_a_bad_period_on_the_report_page_is_explained_not_an_error_page(dana, client_as):
    response = client_as(dana).get(reverse("reports-report", kwargs={"slug": "ssp-annual-summary"}),
                                   {"period": "20255"})

    assert response.status_code == 400
    assert "is not a year. Write it like 2026." in response.content.decode()


def test_a_bad_period_on_an_export_exports_nothing(dana, client_as):
    response = client_as(dana).get(reverse("reports-export", kwargs={"slug": "ssp-annual-summary",
                                                                     "file_format": "csv"}), {"period": "nope"})

    assert response.status_code == 302
    assert "attachment" not in response.get("Content-Disposition", "")


def test_a_period_with_no_data_says_so(dana, client_as):
    response = client_as(dana).get(reverse("reports-report", kwargs={"slug": "naloxone-distribution-log"}),
                                   {"period": "2019-02"})

    assert response.status_code == 200
    assert "No visits were recorded in this period" in response.content.decode()


def test_an_unknown_template_is_not_found(dana, client_as):
    assert client_as(dana).get(reverse("reports-report", kwargs={"slug": "no-such-template"})).status_code == 404


def test_a_bad_open_data_year_is_explained(dana, client_as):
    response = client_as(dana).get(reverse("reports-open-data"), {"period": "twenty"})

    assert response.status_code == 400
    assert "Write it like 2026" in response.content.decode()
