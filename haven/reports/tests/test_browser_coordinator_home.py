"""Coordinator Dana narrows her home to one site and a longer period in a real browser, on a phone
and on a desktop: the numbers and charts follow, the page fits, nothing leaves Haven."""

import datetime
import uuid

import pytest
from django.utils import timezone
from django_otp.plugins.otp_totp.models import TOTPDevice

from haven.encounters.actions import encounter_record
from haven.reports.tests.fixed_program import item


def visits_today(dana, places):
    moment = max(timezone.localtime().replace(hour=0, minute=1, second=0, microsecond=0),
                 timezone.now() - datetime.timedelta(minutes=1))
    for site, mode in ((places["fixed"], "fixed"), (places["van"], "mobile"), (places["van"], "mobile")):
        encounter_record(actor=dana, client_id=uuid.uuid4(), site=site, service_mode=mode, occurred_at=moment,
                         source="import", supplies=[(item('1 mL 28G 1/2" syringe'), 10)])


def signed_in(page, live_server, client_as, dana):
    TOTPDevice.objects.get_or_create(user=dana, name="phone", confirmed=True)
    cookie = client_as(dana).cookies["sessionid"].value
    page.context.add_cookies([{"name": "sessionid", "value": cookie, "url": live_server.url}])


def visits_cell(page, column):
    return page.locator(f'tr[data-number="visits"] td[data-{column}]').inner_text()


@pytest.mark.browser
@pytest.mark.parametrize("width", [360, 1280])
def test_dana_filters_her_home_by_site_and_period(page, live_server, client_as, dana, places, width):
    visits_today(dana, places)
    signed_in(page, live_server, client_as, dana)
    page.set_viewport_size({"width": width, "height": 900})

    page.goto(live_server.url + "/")
    assert page.get_by_role("heading", name="The program at a glance").is_visible()
    assert visits_cell(page, "today") == "3"
    assert page.locator("figure.haven-chart svg[role=img]").count() == 3

    page.get_by_label("Site", exact=True).select_option(label="East van")
    page.get_by_label("Trend over", exact=True).select_option(label="Last 12 months")
    page.get_by_role("button", name="Show").click()
    page.wait_for_url("**/?period=12m&site=*")

    assert visits_cell(page, "today") == "2" and visits_cell(page, "period") == "2"
    assert page.locator("[data-home-scope]").inner_text().startswith("East van")
    assert page.get_by_role("columnheader", name="Last 12 months").is_visible()
    assert page.get_by_label("Site", exact=True).input_value() == str(places["van"].pk)  # the choice stays on the form
    # Twelve months on the trend's axis and in its data table.
    assert page.locator("#trend-visits table tbody tr").count() == 12
    overflow = page.evaluate("document.documentElement.scrollWidth - document.documentElement.clientWidth")
    assert overflow <= 0
    assert page.console_errors == [] and page.foreign_requests == []


@pytest.mark.browser
def test_a_bad_filter_in_the_address_is_named_on_the_page(page, live_server, client_as, dana, places):
    signed_in(page, live_server, client_as, dana)

    response = page.goto(live_server.url + "/?period=forever&site=north")

    assert response.status == 400
    assert page.get_by_role("alert").inner_text().startswith("Some filters were not understood")
    assert page.get_by_text("Choose a period from the list.").is_visible()
    assert page.get_by_text("Choose a site from the list.").is_visible()
    assert page.get_by_role("columnheader", name="Last 7 days").is_visible()
