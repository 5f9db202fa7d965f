"""Logging a visit with the keyboard alone: Tab, Enter and Space, no click, and the focus always shown."""

import pytest

from haven.encounters.models import Encounter
from haven.encounters.tests.support import lines_of
from haven.encounters.tests.test_browser_entry_speed import signed_in, wait_for_saved
from haven.testing.keyboard import Keyboard

pytestmark = pytest.mark.browser


def test_bob_logs_a_visit_with_tab_enter_and_space_only(page, live_server, bob, catalog):
    signed_in(page, live_server, bob)
    page.goto(f"{live_server.url}/encounters/new/")
    keys = Keyboard(page)
    strip = catalog["fentanyl_strip"]

    keys.tab_to("a.skip-link")
    keys.press("Enter")  # to the content, past the menu
    keys.tab_to(f"button[data-add-to='id_kit-{catalog['naloxone_kit'].pk}']")
    keys.press("Space")  # one naloxone kit
    keys.tab_to(f"#id_item-{strip.pk} + button[data-step='1']")
    keys.press("Space")
    keys.press("Enter")  # two test strips
    assert page.locator(f"#id_item-{strip.pk}").input_value() == "2"
    keys.press("Shift+Tab")  # back to the number
    keys.press("Shift+Tab")  # and to "−"
    assert keys.focused_matches("button[data-step='-1']")
    keys.press("Space")
    assert page.locator(f"#id_item-{strip.pk}").input_value() == "1"
    keys.tab_to("button.save-button")
    keys.press("Enter")
    wait_for_saved(page)

    encounter = Encounter.objects.get()
    assert lines_of(encounter) == {("Naloxone nasal spray 4 mg (2-dose kit)", "Naloxone kit"): 1,
                                   ("Fentanyl test strip", None): 1}
    assert keys.unseen_focus == [], "every element the focus passed shows it"
    assert page.console_errors == []


def test_the_steppers_are_named_by_the_sign_they_show_and_what_they_change(page, live_server, bob, catalog):
    signed_in(page, live_server, bob)
    page.goto(f"{live_server.url}/encounters/new/")
    strip = catalog["fentanyl_strip"]
    plus = page.locator(f"#id_item-{strip.pk} + button[data-step='1']")
    minus = page.locator(f"#id_item-{strip.pk} ~ button[data-step='1']").locator("xpath=..").locator("button[data-step='-1']")

    # WCAG 2.5.3 Label in Name: the accessible name starts with what is shown.
    assert plus.inner_text().strip().startswith("+")
    assert page.get_by_role("button", name="+ One more: Fentanyl test strip", exact=True).count() == 1
    assert page.get_by_role("button", name="− One fewer: Fentanyl test strip", exact=True).count() == 1
    assert minus.get_attribute("aria-label") is None and plus.get_attribute("aria-label") is None
