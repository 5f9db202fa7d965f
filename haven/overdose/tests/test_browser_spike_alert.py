"""In a real Chromium: a burst of demo overdose reports in one area becomes one draft alert that staff publish."""

import re

import pytest

from haven.alerts.models import Alert
from haven.overdose import demo, detection
from haven.places.models import Area
from haven.testing.personas import PASSWORD

pytestmark = pytest.mark.browser


def sign_in(page, live_server, username):
    page.goto(f"{live_server.url}/login/")
    page.get_by_label("Username").fill(username)
    page.get_by_label("Password").fill(PASSWORD)
    page.get_by_role("button", name=re.compile("sign in", re.I)).click()
    page.wait_for_url(f"{live_server.url}/")


def test_a_burst_of_demo_reports_becomes_one_alert_that_staff_publish(page, live_server, places, bob):
    for name in ("Riverside", "Downtown"):
        Area.objects.create(name=name)
    assert demo.overdose_demo_load() > 0
    assert demo.overdose_demo_load() == 0  # loading again makes nothing new

    detection.detection_run()
    detection.detection_run()

    alert = Alert.objects.get(source_kind=detection.SOURCE_KIND)
    assert alert.title == "More overdoses than usual in Riverside"

    sign_in(page, live_server, "bob")
    page.goto(f"{live_server.url}/alerts/review/")
    page.get_by_role("link", name="More overdoses than usual in Riverside").first.click()
    page.get_by_role("link", name="Publish", exact=True).click()
    page.get_by_role("button", name=re.compile("publish", re.I)).click()
    page.wait_for_load_state()

    alert.refresh_from_db()
    assert alert.status == Alert.Status.PUBLISHED
    page.goto(f"{live_server.url}/alerts/")
    assert page.get_by_text("More overdoses than usual in Riverside").first.is_visible()
    assert page.console_errors == []
    assert page.foreign_requests == []


def test_the_public_form_works_on_a_phone(page, live_server, places):
    page.goto(f"{live_server.url}/overdose/report/")

    assert page.get_by_role("heading", name="Report a bad reaction or overdose").is_visible()
    honeypot = page.locator("div.visually-hidden:has(input[name=website])").bounding_box()
    assert honeypot["width"] <= 1 and honeypot["height"] <= 1  # people never see it; bots fill it
    assert page.evaluate("document.documentElement.scrollWidth <= window.innerWidth + 1")
    assert page.console_errors == []
