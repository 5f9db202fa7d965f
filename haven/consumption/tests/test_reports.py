import datetime

import pytest
from django.utils import timezone

from haven.consumption import actions, reports
from haven.consumption.models import MedicalResponse, Route, Stay
from haven.consumption.tests.conftest import CODE

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
