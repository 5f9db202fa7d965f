"""The coordinators' dashboard shows the demo program's numbers and charts, marked as exact."""

import pytest
from django.urls import reverse
from django_otp.plugins.otp_totp.models import TOTPDevice

from haven.demo.data import demo_load
from haven.encounters.models import Encounter
from haven.reports.periods import last_months
from haven.reports.queries import compute


@pytest.fixture
def demo(db):
    demo_load()


def test_dana_sees_the_demo_data_on_the_dashboard(demo, client_as):
    from haven.accounts.models import User

    dana = User.objects.get(username="dana")
    TOTPDevice.objects.create(user=dana, name="phone", confirmed=True)  # coordinators sign in with two factors
    response = client_as(dana).get(reverse("reports-dashboard"))

    page = response.content.decode()
    assert response.status_code == 200
    visits = Encounter.objects.filter(voided_at__isnull=True).count()
    assert visits > 0
    assert f"<strong>{visits}</strong>" in page
    assert page.count('role="img"') == 5
    assert "Northside drop-in centre" in page  # the by-site chart and its table
    assert "EXACT COUNTS, INTERNAL" in page


def test_the_dashboard_numbers_are_the_indicators_of_the_last_twelve_months(demo):
    from django.utils import timezone

    results = compute(last_months(timezone.localdate(), 12))

    assert results.value("encounters") == Encounter.objects.filter(voided_at__isnull=True).count()
    assert results.value("syringes_distributed") > 0


def test_an_empty_program_gets_a_friendly_dashboard(dana, client_as):
    response = client_as(dana).get(reverse("reports-dashboard"))

    assert response.status_code == 200
    assert "No visits were recorded in the last 12 months yet" in response.content.decode()


def test_the_dashboard_links_to_the_definitions_as_a_page_not_a_repository_path(dana, client_as):
    client = client_as(dana)
    dashboard = client.get("/reports/").content.decode()

    assert "docs/INDICATORS.md" not in dashboard and 'href="/reports/indicators/"' in dashboard
    page = client.get("/reports/indicators/")
    assert page.status_code == 200 and "What each number means" in page.content.decode()
