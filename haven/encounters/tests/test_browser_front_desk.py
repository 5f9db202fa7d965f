"""The front desk from the home page, in a real phone-sized Chromium, every tap counted.

Targets (issue 14): a repeat visit in at most 3 taps with a scan of the card, an anonymous visit
with a kit in at most 3 taps, both from the home page and on the first visit of a session (the
site is already chosen: a one-site person never chooses, and a person with several sites finds the
one they last used on this device).
"""

import uuid

import pytest
import segno
from django.conf import settings
from playwright.sync_api import expect

from haven.encounters import actions
from haven.encounters.models import Encounter
from haven.encounters.tests.support import lines_of
from haven.encounters.tests.test_browser_entry_speed import signed_in

pytestmark = pytest.mark.browser


def card_photo(tmp_path, display_id):
    """A photo of the card's QR code, as the phone's camera app would hand it over."""
    path = tmp_path / "card.png"
    segno.make(display_id, micro=False).save(str(path), scale=8, border=4)
    return path


def test_a_repeat_visit_from_the_home_page_takes_three_taps_with_a_scanned_card(page, live_server, bob, places,
                                                                                  catalog, participant, tmp_path):
    last, _ = actions.encounter_record(
        actor=bob, client_id=uuid.uuid4(), site=places["fixed"], service_mode="fixed", participant=participant,
        kits=[(catalog["injection_kit"], 1)], supplies=[(catalog["fentanyl_strip"], 2)])
    photo = card_photo(tmp_path, participant.display_id)
    you = signed_in(page, live_server, bob)
    page.goto(f"{live_server.url}/")  # the home page of a fresh session

    you.click("[data-quick=participant-scan]")
    you.count += 1  # taking the photo of the card
    expect(page.locator("[data-scanner]")).to_be_visible()  # the scanner's script has started
    page.locator("[data-scanner-photo]").set_input_files(str(photo))
    page.wait_for_url(f"**/encounters/new/?participant={participant.display_id}")
    you.click("button[name=repeat]")
    page.get_by_text("Visit saved.").wait_for()

    assert you.count <= 3
    new = Encounter.objects.exclude(pk=last.pk).get()
    assert new.participant == participant and lines_of(new) == lines_of(last)
    assert page.console_errors == [] and page.foreign_requests == []


def test_a_photo_without_a_card_says_so_and_keeps_the_typed_fallback(page, live_server, bob, tmp_path):
    path = tmp_path / "not-a-card.png"
    segno.make("https://example.org/", micro=False).save(str(path), scale=8, border=4)
    signed_in(page, live_server, bob)

    page.goto(f"{live_server.url}/participants/scan/")
    expect(page.locator("[data-scanner]")).to_be_visible()
    page.locator("[data-scanner-photo]").set_input_files(str(path))

    page.get_by_text("This QR code is not a participant card").wait_for()
    assert page.url.endswith("/participants/scan/")
    assert page.get_by_label("Display id on the card").is_visible()


def test_an_anonymous_visit_with_a_kit_from_the_home_page_takes_three_taps(page, live_server, bob, places, catalog):
    you = signed_in(page, live_server, bob)
    page.goto(f"{live_server.url}/")  # the home page of a fresh session

    you.click("[data-quick=encounter-new]")
    you.click(f"[data-add-to=id_kit-{catalog['naloxone_kit'].pk}]")
    you.click(".save-bar .save-button")
    page.get_by_text("Visit saved.").wait_for()

    assert you.count <= 3
    encounter = Encounter.objects.get()
    assert encounter.participant is None and encounter.site == places["fixed"]
    assert lines_of(encounter) == {(catalog["naloxone"].name, "Naloxone kit"): 1}


def test_the_site_last_used_on_this_device_is_chosen_in_the_next_session_and_after_undo(page, live_server, dana,
                                                                                       places, catalog):
    signed_in(page, live_server, dana)
    page.goto(f"{live_server.url}/encounters/new/")
    assert page.locator("#id_site").input_value() == ""  # several sites, never used here: she chooses once
    page.locator("#id_site").select_option(str(places["van"].pk))
    page.locator(f"[data-add-to=id_kit-{catalog['naloxone_kit'].pk}]").click()
    page.locator(".save-bar .save-button").click()
    page.get_by_text("Visit saved.").wait_for()
    page.get_by_role("button", name="Undo").click()
    page.get_by_text("The visit was undone").wait_for()
    assert page.locator("#id_site").input_value() == str(places["van"].pk)

    # A new session on the same device (its cookies but a new sign-in).
    page.context.clear_cookies(name=settings.SESSION_COOKIE_NAME)
    signed_in(page, live_server, dana)
    page.goto(f"{live_server.url}/encounters/new/")
    assert page.locator("#id_site").input_value() == str(places["van"].pk)
