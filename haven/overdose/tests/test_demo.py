"""The demo's overdose reports: plausible, seeded, with the burst detection should find, made once."""

import datetime

import pytest
from django.utils import timezone

from haven.overdose import demo
from haven.overdose.models import OverdoseReport
from haven.places.models import Area

pytestmark = pytest.mark.django_db


@pytest.fixture
def demo_areas(places):
    for name in demo.DEMO_DAILY_MEANS:
        Area.objects.get_or_create(name=name)


def test_the_demo_makes_about_the_expected_number_of_reports_once(demo_areas):
    made = demo.overdose_demo_load()

    # Poisson means summed over the days, plus the burst: the draw lands near its expectation.
    expected = sum(demo.DEMO_DAILY_MEANS.values()) * (demo.DEMO_DAYS + 1) \
        + demo.DEMO_BURST_EXTRA * demo.DEMO_BURST_DAYS
    assert abs(made - expected) < 0.1 * expected
    assert OverdoseReport.objects.count() == made
    assert demo.overdose_demo_load() == 0


def test_the_burst_is_in_riverside_over_the_last_two_days_and_nothing_is_in_the_future(demo_areas):
    demo.overdose_demo_load()

    today = timezone.localdate()
    since = timezone.make_aware(datetime.datetime.combine(today - datetime.timedelta(days=1), datetime.time()))
    recent = OverdoseReport.objects.filter(area__name=demo.DEMO_BURST_AREA, occurred_at__gte=since)
    assert recent.count() >= demo.DEMO_BURST_EXTRA * demo.DEMO_BURST_DAYS
    assert all(report.substances == ["fentanyl", "xylazine"] for report in recent)
    assert not OverdoseReport.objects.filter(occurred_at__gt=timezone.now()).exists()


def test_the_same_seed_gives_the_same_reports(demo_areas):
    demo.overdose_demo_load()
    first = sorted(OverdoseReport.objects.values_list("import_key", "fatal", "naloxone_doses"))
    OverdoseReport.objects.all().delete()

    demo.overdose_demo_load()

    assert sorted(OverdoseReport.objects.values_list("import_key", "fatal", "naloxone_doses")) == first
