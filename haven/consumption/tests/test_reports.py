import datetime

import pytest
from django.urls import reverse
from django.utils import timezone

from haven.consumption import actions, reports
from haven.consumption.models import MedicalResponse, Route, Stay
from haven.consumption.tests.conftest import CODE
from haven.inventory.models import Item
from haven.reports import periods
from haven.reports.queries import compute
from haven.reports.report import EXACT, SHAREABLE, build_report
from haven.reports.templates_lookup import template_by_slug

pytestmark = pytest.mark.django_db


def visits(bob, booths, participant, *, injections, smokes, month_start):
    when = month_start + datetime.timedelta(days=2, hours=10)
    for n in range(injections + smokes):
        stay = actions.stay_check_in(actor=bob, booth=booths["one"], route=Route.INJECTION if n < injections else
                                     Route.SMOKING, participant_code=CODE if n % 2 == 0 else "", now=when)
        actions.stay_check_out(actor=bob, stay_id=stay.pk, now=when + datetime.timedelta(minutes=20))
        when += datetime.timedelta(minutes=30)


def test_the_indicators_are_the_ones_health_canada_publishes():
    spec = reports.definitions()
    assert spec["source"].startswith("https://health-infobase.canada.ca/")
    assert [item["key"] for item in spec["indicators"]][:2] == ["total_visits", "unique_clients"]


def test_monthly_indicators_count_visits_people_and_routes_and_suppress_small_counts(bob, booths, participant):
    month_start = timezone.make_aware(datetime.datetime(2026, 10, 1))
    visits(bob, booths, participant, injections=14, smokes=3, month_start=month_start)
    values = {value.key: value for value in reports.monthly_indicators(booths["one"].site, month_start.date())}
    assert values["total_visits"].value == 17
    # The participant (9 visits with the code) once, and each of the 8 anonymous visits.
    assert values["unique_clients"].count == 9
    assert values["unique_clients"].value == "<10"
    assert values["drugs_consumed_by_type:smoking"].value == "<10"
    # 14 injections would give the 3 smokes away from the total: hidden too.
    assert values["drugs_consumed_by_type:injection"].value != 14
    assert values["overdoses"].value == 0


def test_visits_in_another_month_do_not_count(bob, booths, participant):
    visits(bob, booths, participant, injections=12, smokes=0,
           month_start=timezone.make_aware(datetime.datetime(2026, 9, 1)))
    values = {value.key: value for value in reports.monthly_indicators(booths["one"].site, datetime.date(2026, 10, 1))}
    assert values["total_visits"].count == 0


def test_booth_use_by_hour_counts_check_ins_in_local_time(bob, booths, settings):
    settings.TIME_ZONE = "America/Toronto"
    start = datetime.datetime(2026, 11, 1, 13, 15, tzinfo=datetime.UTC)  # 08:15 EST
    for minutes in (0, 30, 65):
        stay = actions.stay_check_in(actor=bob, booth=booths["one"], route=Route.ORAL,
                                     now=start + datetime.timedelta(minutes=minutes))
        actions.stay_check_out(actor=bob, stay_id=stay.pk, now=start + datetime.timedelta(minutes=minutes + 10))
    hours = reports.booth_use_by_hour(booths["one"].site, since=start - datetime.timedelta(hours=1),
                                      until=start + datetime.timedelta(hours=3))
    assert (hours[8], hours[9], sum(hours)) == (2, 1, 3)
    assert Stay.objects.count() == 3 and not MedicalResponse.objects.exists()


def hc_month(bob, booths, participant, dana):
    """October 2026 at North drop-in: 14 injections and 3 smokes (9 people), 2 overdoses, one with naloxone."""
    month_start = timezone.make_aware(datetime.datetime(2026, 10, 1))
    visits(bob, booths, participant, injections=14, smokes=3, month_start=month_start)
    for doses in (0, 2):
        noticed = month_start + datetime.timedelta(days=5, hours=doses)
        actions.medical_response_record(
            actor=bob, site=booths["one"].site, noticed_at=noticed, responded_at=noticed, signs="slow breathing",
            outcome=MedicalResponse.Outcome.RECOVERED_ON_SITE, emergency_services_called="yes",
            naloxone_doses_intramuscular=doses,
            naloxone_item=Item.objects.filter(naloxone_doses_per_unit__gt=0).first() if doses else None)


def test_the_health_canada_template_renders_exact_counts_inside_the_program(bob, dana, booths, participant):
    hc_month(bob, booths, participant, dana)
    template = template_by_slug("health-canada-scs-monthly")
    report = build_report(template, periods.month(2026, 10), kind=EXACT, site=booths["one"].site)
    rows = {(row.key, row.level, row.label): row.cells[-1] for section in report.sections for row in section.rows}
    assert rows[("consumption_visits", 0, "Total visits")] == 17
    assert rows[("consumption_unique_clients", 0, "Unique clients")] == 9
    assert rows[("consumption_by_route", 1, "Injection")] == 14
    assert rows[("consumption_by_route", 1, "Smoking")] == 3
    assert rows[("consumption_by_route", 1, "Oral")] == 0
    assert rows[("consumption_overdoses", 0, "Overdoses and drug emergencies")] == 2
    assert rows[("consumption_overdoses_naloxone", 0, "Overdoses requiring naloxone")] == 1
    assert rows[("consumption_ems_calls", 0, "Calls to emergency medical services")] == 2
    assert not report.empty


def test_the_health_canada_template_suppresses_small_counts_when_shared(bob, dana, booths, participant):
    hc_month(bob, booths, participant, dana)
    template = template_by_slug("health-canada-scs-monthly")
    report = build_report(template, periods.month(2026, 10), kind=SHAREABLE, site=booths["one"].site)
    rows = {(row.key, row.level, row.label): row.cells[-1] for section in report.sections for row in section.rows}
    assert rows[("consumption_visits", 0, "Total visits")] == 17
    assert rows[("consumption_unique_clients", 0, "Unique clients")] == "<11"
    assert rows[("consumption_by_route", 1, "Smoking")] == "<11"
    # 14 injections and the total of 17 would give the 3 smokes away: hidden too.
    assert rows[("consumption_by_route", 1, "Injection")] not in (14, "14")
    assert rows[("consumption_overdoses", 0, "Overdoses and drug emergencies")] == "<11"
    assert report.kind == SHAREABLE and "SUPPRESSED" in report.note


def test_the_health_canada_report_page_renders_for_a_site_with_suppression(bob, dana, booths, participant,
                                                                            client_as):
    hc_month(bob, booths, participant, dana)
    response = client_as(dana).get(reverse("reports-report", args=["health-canada-scs-monthly"]),
                                   {"period": "2026-10", "site": booths["one"].site_id, "kind": "shareable"})
    text = response.content.decode()
    assert response.status_code == 200
    assert "Health Canada supervised consumption site, monthly" in text
    assert "Drugs consumed by type (route)" in text and "&lt;11" in text


def test_a_service_mode_other_than_fixed_site_has_no_supervised_consumption(bob, dana, booths, participant):
    hc_month(bob, booths, participant, dana)
    results = compute(periods.month(2026, 10), mode="mobile")
    assert results.value("consumption_visits") == 0
