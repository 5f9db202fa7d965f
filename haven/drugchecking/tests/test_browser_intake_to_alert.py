"""In a real Chromium: staff Bob takes in a pill sold as MDMA and records a positive fentanyl strip;
coordinator Dana reviews the finding (four eyes) and publishes the drafted alert; the public alerts page and the Atom feed show it, and the
participant looks up the result with the code."""

import re

import pytest
from playwright.sync_api import expect

from haven.alerts.models import Alert
from haven.alerts.tests.test_browser_publish import sign_in_with_second_factor
from haven.drugchecking.models import Sample
from haven.testing.browser import sign_out
from haven.testing.personas import PASSWORD

pytestmark = pytest.mark.browser

TITLE = "Fentanyl found in a pill sold as MDMA in Northside"


def sign_in(page, live_server, person):
    page.goto(f"{live_server.url}/login/")
    page.get_by_label("Username").fill(person.username)
    page.get_by_label("Password").fill(PASSWORD)
    page.get_by_role("button", name=re.compile("sign in", re.I)).click()
    # Generous: sign-in hashes a password with Argon2, slow on a busy 2-core machine.
    page.wait_for_url(f"{live_server.url}/", timeout=60_000)


def test_from_intake_to_a_published_alert_and_the_participants_result(page, live_server, bob, dana, places):
    sign_in(page, live_server, bob)

    # Intake: no name, a code handed over.
    page.goto(f"{live_server.url}/checking/new/")
    page.get_by_label("Sold or expected as").select_option("mdma")
    page.get_by_label("What it looks like").select_option("pill")
    page.get_by_label("Area it was bought in").select_option(label="Northside")
    page.get_by_label(re.compile("agrees that the result")).check()
    page.get_by_role("button", name="Save and get the code").click()
    page.wait_for_url(re.compile(r"/checking/\d+/handover/$"))
    code = page.get_by_test_id("sample-code").inner_text().strip()
    assert re.fullmatch(r"[A-Z0-9]{4}-[A-Z0-9]{4}-[A-Z0-9]{2}", code)
    assert page.locator("svg.sample-qr").is_visible()
    sample = Sample.objects.get()

    # A positive fentanyl strip.
    page.get_by_role("link", name=f"Go to sample {sample.pk}").click()
    page.get_by_role("link", name="Record a strip test").click()
    page.get_by_label("Strip", exact=True).select_option("fentanyl")
    page.get_by_label("Positive", exact=True).check()
    page.get_by_label("Lot number").fill("FTS-2026-01")
    page.get_by_role("button", name="Save result").click()
    page.wait_for_url(f"{live_server.url}/checking/{sample.pk}/")
    assert page.get_by_text("Contains something unexpected").first.is_visible()

    # Bob recorded the strip, so someone else reviews (four eyes): coordinator Dana, with her second
    # factor. The drafted advice is there already.
    assert page.get_by_test_id("four-eyes").is_visible()
    sign_out(page)
    sign_in_with_second_factor(page, live_server, dana)
    page.goto(f"{live_server.url}/checking/{sample.pk}/")
    page.get_by_role("link", name="Review the finding").click()
    assert "Do not use alone" in page.get_by_label("Advice the participant will see").input_value()
    page.get_by_role("button", name="Save review").click()
    page.wait_for_url(f"{live_server.url}/checking/{sample.pk}/")
    assert page.get_by_text(re.compile("alerts? drafted for review")).is_visible()

    # Publish the drafted alert.
    page.goto(f"{live_server.url}/alerts/review/")
    page.get_by_role("link", name=TITLE, exact=True).click()
    page.get_by_role("link", name="Publish", exact=True).click()
    page.get_by_role("button", name="Publish now").click()
    alert = next(alert for alert in Alert.objects.all() if alert.title == TITLE)  # encrypted: compared in Python
    page.wait_for_url(re.compile(rf"/alerts/{alert.pk}/$"))
    alert.refresh_from_db()
    assert alert.status == Alert.Status.PUBLISHED

    # The public: the alerts page, the feed, and the participant's own result.
    public = page.context.browser.new_context(viewport={"width": 360, "height": 640}).new_page()
    public.goto(f"{live_server.url}/alerts/")
    assert public.get_by_role("link", name=TITLE, exact=True).is_visible()
    assert code not in public.content()
    feed = public.request.get(f"{live_server.url}/alerts/feed.atom")
    assert feed.ok and TITLE in feed.text() and code not in feed.text()
    public.goto(f"{live_server.url}/checking/result/")
    public.get_by_label("Your sample code").fill(code.lower())
    public.get_by_role("button", name="See the result").click()
    expect(public.get_by_text("Contains something unexpected")).to_be_visible()
    assert public.get_by_text(re.compile("Carry naloxone")).is_visible()
    assert "North drop-in" not in public.content()
    assert public.evaluate("document.documentElement.scrollWidth <= window.innerWidth + 1")
    public.context.close()
    assert page.console_errors == []
    assert page.foreign_requests == []
