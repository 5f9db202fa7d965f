"""In a real Chromium: a peer finds an available low-barrier bed on a 360 px phone and holds it; a navigator
takes one person from needs assessment to moved in and a 6-month retention check; the HMIS export for
consenting people passes its validation and leaves out the others; the housing report suppresses small cells."""

import datetime
import io
import re
import zipfile

import pytest
from django.utils import timezone
from playwright.sync_api import expect

from haven.housing import actions, export
from haven.housing.models import BedHold, RetentionCheck
from haven.housing.tests.test_hmis_export import two_people  # noqa: F401  (the consenting and withdrawn pair)
from haven.housing.tests.test_report import housed  # noqa: F401  (fourteen people housed at two sites)
from haven.testing.personas import PASSWORD, current_totp

pytestmark = pytest.mark.browser
PHONE = {"width": 360, "height": 740}
TODAY = timezone.localdate()


def sign_in(page, live_server, person, *, second_factor=False):
    page.goto(f"{live_server.url}/login/")
    page.get_by_label("Username").fill(person.username)
    page.get_by_label("Password").fill(PASSWORD)
    page.get_by_role("button", name=re.compile("sign in", re.I)).click()
    # Generous waits: sign-in hashes a password with Argon2, slow on a busy 2-core machine.
    if second_factor:
        page.wait_for_url(re.compile(r"/account/two-factor/"), timeout=60_000)
        page.get_by_label(re.compile("code", re.I)).fill(current_totp(person))
        page.get_by_role("button", name=re.compile("verify|continue|confirm", re.I)).click()
    page.wait_for_url(f"{live_server.url}/", timeout=60_000)


def test_a_peer_finds_a_free_low_barrier_bed_on_a_phone_and_holds_it(page, live_server, carol, shelter,
                                                                      strict_shelter):
    page.set_viewport_size(PHONE)
    sign_in(page, live_server, carol)
    page.goto(f"{live_server.url}/housing/")
    page.get_by_role("link", name="Beds available now").first.click()
    page.get_by_label("No sobriety, treatment or testing requirement").check()
    page.get_by_label("Pets welcome").check()
    page.get_by_role("button", name="Show").click()
    beds = page.get_by_test_id("free-bed")
    assert beds.count() == 2
    assert "Mission dorm" not in page.content()
    assert page.evaluate("document.scrollingElement.scrollWidth") <= PHONE["width"]
    beds.first.get_by_role("link", name="Hold Bed 1").click()
    page.get_by_label("Hold for (hours)").fill("4")
    page.get_by_role("button", name="Hold this bed").click()
    expect(page.get_by_text(re.compile(r"Held: Eastside low-barrier shelter, Bed 1, until"))).to_be_visible()
    assert page.get_by_role("link", name="Hold Bed 1").count() == 0
    assert page.get_by_role("link", name="Hold Bed 2").count() == 1
    hold = BedHold.objects.get(active=True)
    assert (hold.held_by, hold.bed.label) == (carol, "Bed 1")
    assert page.console_errors == [] and page.foreign_requests == []


def open_form(page, summary):
    page.locator("summary").filter(has_text=re.compile(f"^{re.escape(summary)}$")).click()


def _open_and_fill(page, summary, fields, button):
    open_form(page, summary)
    for label, value in fields.items():
        page.get_by_label(label, exact=True).fill(value)
    page.get_by_role("button", name=button).click()
    page.get_by_text("Saved.").first.wait_for()


def test_a_navigator_takes_a_person_from_assessment_to_moved_in_and_a_6_month_check(page, live_server, bob,
                                                                                      participant):
    sign_in(page, live_server, bob)
    page.goto(f"{live_server.url}/housing/")
    page.get_by_label("The person's display id").fill(participant.display_id.lower())
    page.get_by_role("button", name="Open their housing page").click()
    page.wait_for_url(f"{live_server.url}/housing/{participant.display_id}/")
    assessed, applied = TODAY - datetime.timedelta(days=260), TODAY - datetime.timedelta(days=240)
    moved_in = TODAY - datetime.timedelta(days=200)
    page.get_by_label("Needs assessment on").fill(assessed.isoformat())
    page.get_by_role("button", name="Start navigation").click()
    page.get_by_text("Saved.").first.wait_for()
    _open_and_fill(page, "Add an application", {"Housing program or landlord": "Harbour Housing Co-op",
                                                "Applied on": applied.isoformat()}, "Save application")
    _open_and_fill(page, "Matched with a home", {"Matched on": (applied + datetime.timedelta(days=20)).isoformat()},
                   "Save match")
    # A move-in before the application is refused with a clear message; then the right date.
    open_form(page, "Moved in")
    page.get_by_label("Moved in on").fill((applied - datetime.timedelta(days=1)).isoformat())
    page.get_by_role("button", name="Save move-in").click()
    expect(page.get_by_text(re.compile("is before the application"))).to_be_visible()
    _open_and_fill(page, "Moved in", {"Moved in on": moved_in.isoformat()}, "Save move-in")
    steps = page.get_by_test_id("steps")
    assert "✓ Moved in" in steps.inner_text()
    open_form(page, "Retention check")
    page.get_by_label("Check", exact=True).select_option("6")
    page.get_by_label("Checked on").fill(actions.add_months(moved_in, 6).isoformat())
    page.get_by_label("Yes", exact=True).check()
    page.get_by_role("button", name="Save check").click()
    page.get_by_text("Saved.").first.wait_for()
    assert "✓ Still housed at 6 months" in page.get_by_test_id("steps").inner_text()
    assert RetentionCheck.objects.get().still_housed


def test_the_hmis_export_passes_validation_and_leaves_out_the_others(page, live_server, dana, two_people):  # noqa: F811
    consenting, withdrawn = two_people
    sign_in(page, live_server, dana, second_factor=True)
    page.set_viewport_size({"width": 1280, "height": 900})
    page.goto(f"{live_server.url}/housing/hmis/")
    assert "Valid: every file matches the FY2026" in page.get_by_test_id("validation-result").inner_text()
    assert f"Consent withdrawn: 1 ({withdrawn.display_id})" in page.get_by_test_id("left-out").inner_text()
    with page.expect_download() as download:
        page.get_by_role("link", name="Download the files (ZIP)").click()
    archive = zipfile.ZipFile(io.BytesIO(open(download.value.path(), "rb").read()))
    client_rows = archive.read("Client.csv").decode().splitlines()
    assert len(client_rows) == 2 and export.personal_id(consenting) in client_rows[1]
    assert "Result: valid" in archive.read("validation_report.txt").decode()


def test_the_housing_report_suppresses_small_cells(page, live_server, dana, housed):  # noqa: F811
    sign_in(page, live_server, dana, second_factor=True)
    page.set_viewport_size({"width": 1280, "height": 900})
    page.goto(f"{live_server.url}/housing/report/?start={(TODAY - datetime.timedelta(days=400)).isoformat()}"
              f"&end={TODAY.isoformat()}")
    assert page.get_by_test_id("row-east-van").get_by_test_id("housed").inner_text() == "2"
    page.get_by_label("As it leaves the program (small cells suppressed)").check()
    page.get_by_role("button", name="Show").click()
    page.wait_for_url(re.compile("suppressed=1"))
    assert page.get_by_test_id("row-east-van").get_by_test_id("housed").inner_text() == "<11"
