"""In a real Chromium: peer Carol records a police confiscation with a participant on a 360 px phone and
coordinator Dana sees it in the suppressed advocacy report; admin Alice logs a subpoena (asked for its
deadline first), produces a narrowed export, and it shows in the person's accounting of disclosures; an
anonymous bad-batch warning becomes a published alert that says nothing of who sent it.

Screenshots go to HAVEN_SCREENSHOT_DIR when it is set (docs/screenshots/rights/ holds the ones in the docs)."""

import datetime
import os
import re
import uuid

import pytest
from django.utils import timezone
from playwright.sync_api import expect

from haven.alerts.models import Alert
from haven.encounters.models import Encounter
from haven.rights.models import LegalRequest, PeerWarning, RightsReport
from haven.support.tests.test_browser_support_journey import sign_in

pytestmark = pytest.mark.browser
PHONE = {"width": 360, "height": 740}
WIDE = {"width": 1280, "height": 900}


def shot(page, name):
    folder = os.environ.get("HAVEN_SCREENSHOT_DIR")
    if folder:
        width = page.viewport_size["width"]
        page.screenshot(path=os.path.join(folder, f"{name}-{width}.png"), full_page=True)


def new_page(browser, live_server, viewport):
    context = browser.new_context(viewport=viewport, locale="en-US")
    page = context.new_page()
    page.set_default_timeout(60_000)
    page.console_errors, page.foreign_requests = [], []
    page.on("console", lambda message: message.type == "error" and page.console_errors.append(message.text))
    page.on("request", lambda request: not request.url.startswith(("data:", live_server.url))
            and page.foreign_requests.append(request.url))
    return page


def unexpected_errors(page):
    # Forms answered 400 on purpose (something to fix, nothing saved); Chromium logs that status.
    return [error for error in page.console_errors if "status of 400" not in error]


def test_a_peer_records_a_confiscation_on_a_phone_and_a_coordinator_sees_it_suppressed(
        browser, live_server, carol, dana, places, participant, legal_aid):
    page = new_page(browser, live_server, PHONE)
    sign_in(page, live_server, carol)
    page.get_by_role("button", name="Menu").click()
    page.locator("summary", has_text="More").click()
    page.get_by_role("link", name="Rights", exact=True).click()
    shot(page, "home")
    page.get_by_role("link", name="Record a report").click()
    page.wait_for_url(f"{live_server.url}/rights/new/")  # a click does not wait for the next page to load
    assert page.evaluate("document.documentElement.scrollWidth") <= 360

    page.get_by_label("A participant, with me").check()
    page.get_by_label("In which area?").select_option(label="Eastside")
    page.get_by_label("Syringes or supplies taken").check()
    page.get_by_label("Naloxone taken").check()
    page.get_by_label("What happened, in your words").fill("Stopped outside the van; both kits and the naloxone "
                                                           "were thrown in the bin")
    page.get_by_label("Officer names or badge numbers").fill("Badge 4471")
    page.get_by_label("The person wants help from legal aid").check()
    page.get_by_label("Their display id (for the legal aid referral only)").fill(participant.display_id.lower())
    page.get_by_label("Legal aid service").select_option(label="Know your rights clinic")
    shot(page, "report-form")
    page.get_by_role("button", name="Save the report").click()
    page.wait_for_url(f"{live_server.url}/rights/")
    assert page.get_by_text("a referral to legal aid is on their support page").is_visible()
    assert page.evaluate("document.documentElement.scrollWidth") <= 360
    report = RightsReport.objects.get()
    assert report.events == ["syringes_confiscated", "naloxone_confiscated"] and report.referred
    assert unexpected_errors(page) == [] and page.foreign_requests == []
    page.context.close()

    page = new_page(browser, live_server, PHONE)
    sign_in(page, live_server, dana, second_factor=True)
    page.goto(f"{live_server.url}/rights/advocacy/")
    assert page.get_by_test_id("suppressed-note").is_visible()
    assert page.get_by_test_id("grand-total-type").inner_text().strip() in ("<11", "suppressed")
    type_table = page.get_by_test_id("table-type").inner_text()
    assert "Syringes or supplies taken" in type_table and "Naloxone taken" in type_table
    assert "4471" not in page.content() and "thrown in the bin" not in page.content()
    shot(page, "advocacy")
    # Officer details are for coordinators, on the reports page only.
    page.goto(f"{live_server.url}/rights/reports/")
    assert page.get_by_test_id("officer-details").inner_text().endswith("Badge 4471")
    assert unexpected_errors(page) == [] and page.foreign_requests == []
    page.context.close()


def test_an_admin_logs_a_subpoena_and_a_narrowed_export_shows_in_the_accounting(
        browser, live_server, alice, dana, places, participant, second_participant):
    for person, days_ago in ((participant, 3), (participant, 500), (second_participant, 2)):
        Encounter.objects.create(client_id=uuid.uuid4(), participant=person, site=places["fixed"],
                                 service_mode="fixed", occurred_at=timezone.now() - datetime.timedelta(days=days_ago))
    page = new_page(browser, live_server, WIDE)
    sign_in(page, live_server, alice, second_factor=True)
    page.goto(f"{live_server.url}/rights/legal/")
    page.get_by_role("link", name="Log a request").click()
    page.get_by_label("Kind of request").select_option("subpoena")
    page.get_by_label("Who asked").fill("County Sheriff, Det. R. Hale")
    page.get_by_label("What they asked for").fill("All records of both people since 2020")
    page.get_by_label("Legal basis given").fill("Grand jury subpoena 26-GJ-114")
    page.get_by_label("Counsel involved").fill("Legal Aid Society")
    page.get_by_label("Participants it names (display ids)").fill(
        f"{participant.display_id}, {second_participant.display_id}")
    page.get_by_role("button", name="Log the request").click()
    # No deadline: asked for it, nothing saved.
    assert page.get_by_text(re.compile("Every request needs a deadline")).is_visible()
    assert LegalRequest.objects.count() == 0
    page.get_by_label("Deadline").fill((timezone.localdate() + datetime.timedelta(days=14)).isoformat())
    page.get_by_role("button", name="Log the request").click()
    page.wait_for_url(re.compile(r"/rights/legal/\d+/$"))

    page.get_by_label("Response").select_option("narrowed")
    page.get_by_label("What was decided, and why").fill("Counsel: one person's visit dates for the last year only")
    page.get_by_role("button", name="Record the response").click()
    page.get_by_role("link", name="Produce records").click()
    page.get_by_label(participant.display_id).check()
    page.get_by_label("Visit dates and sites").check()
    page.get_by_label("From").fill((timezone.localdate() - datetime.timedelta(days=365)).isoformat())
    shot(page, "legal-produce")
    page.get_by_role("button", name="Produce the file").click()
    page.wait_for_url(re.compile(r"/rights/legal/\d+/$"))
    assert "1 record" in page.get_by_test_id("productions").inner_text()
    assert page.get_by_test_id("legal-response").inner_text().startswith("Narrowed")
    shot(page, "legal-detail")
    with page.expect_download() as download:
        page.get_by_role("link", name="the file").click()
    produced = open(download.value.path(), encoding="utf-8").read()
    assert participant.display_id in produced and second_participant.display_id not in produced
    assert produced.count("\n") == 2  # the header and one visit
    assert unexpected_errors(page) == [] and page.foreign_requests == []
    page.context.close()

    page = new_page(browser, live_server, PHONE)
    sign_in(page, live_server, dana, second_factor=True)
    page.goto(f"{live_server.url}/support/{participant.display_id}/")
    disclosures = page.get_by_test_id("disclosures").inner_text()
    assert "County Sheriff, Det. R. Hale" in disclosures and "Visit dates and sites" in disclosures
    assert "Subpoena" in disclosures
    page.goto(f"{live_server.url}/support/{second_participant.display_id}/")
    assert "County Sheriff" not in page.get_by_test_id("disclosures").inner_text()
    page.context.close()


def test_an_anonymous_bad_batch_warning_becomes_a_published_alert_without_the_reporter(
        browser, live_server, bob, places):
    page = new_page(browser, live_server, PHONE)
    page.goto(f"{live_server.url}/rights/warn/")
    page.get_by_label("A bad batch").check()
    page.get_by_label("In which area?").select_option(label="Northside")
    page.get_by_label("What should others know?").fill(
        "Me and Jake Miller went out fast on blue 30s bought by the car park, needed two naloxone")
    page.get_by_role("button", name="Send warning").click()
    expect(page.get_by_text(re.compile("We took out what looked like names"))).to_be_visible()
    assert PeerWarning.objects.count() == 0
    assert "Jake Miller" not in page.get_by_label("What should others know?").input_value()
    shot(page, "public-warning")
    page.get_by_role("button", name="Send warning").click()
    page.wait_for_url(f"{live_server.url}/rights/warn/thanks/")
    assert page.foreign_requests == []
    page.context.close()

    page = new_page(browser, live_server, PHONE)
    sign_in(page, live_server, bob)
    page.goto(f"{live_server.url}/rights/warnings/")
    page.get_by_test_id("warning").get_by_role("link").click()
    page.get_by_label("Title of the warning").fill("Blue pills sold as oxycodone in Northside")
    page.get_by_label("Warning, in your words").fill(
        "Blue pills sold as oxycodone are putting people out fast. Test first, start low, carry naloxone, "
        "don't use alone.")
    page.get_by_label("Severity").select_option("urgent")
    page.get_by_role("button", name="Draft the alert").click()
    page.wait_for_url(re.compile(r"/alerts/review/\d+/$"))
    alert = Alert.objects.get()
    page.goto(f"{live_server.url}/alerts/review/{alert.pk}/publish/")
    page.get_by_role("button", name="Publish now").click()
    page.wait_for_url(f"{live_server.url}/alerts/{alert.pk}/")
    alert.refresh_from_db()
    assert alert.status == "published" and alert.created_by == bob

    page.goto(f"{live_server.url}/alerts/")
    public = page.content()
    assert "Blue pills sold as oxycodone in Northside" in public
    assert "car park" not in public and "Jake" not in public
    warning = PeerWarning.objects.get()
    assert warning.status == "drafted" and warning.alert == alert
    assert unexpected_errors(page) == [] and page.foreign_requests == []
    page.context.close()


def test_the_public_pages_work_on_a_360_px_phone_and_call_no_one_else(browser, live_server, bob, dana, places):
    from haven.rights import actions

    for _ in range(12):
        actions.rights_report_record(actor=bob, source="staff", occurred_on=timezone.localdate(),
                                     events=["stopped", "searched"], area=places["north"])
    actions.public_page_set(actor=dana, enabled=True)
    for viewport in (PHONE, WIDE):
        page = new_page(browser, live_server, viewport)
        for path, name in (("/rights/report/", "public-report"), ("/rights/counts/", "public-counts")):
            page.goto(f"{live_server.url}{path}")
            assert page.evaluate("document.documentElement.scrollWidth") <= viewport["width"]
            shot(page, name)
        assert page.foreign_requests == [] and page.console_errors == []
        page.context.close()
