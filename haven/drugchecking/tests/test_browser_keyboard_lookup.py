"""A member of the public looks up their result with the keyboard alone, from the public navigation."""

import pytest
from playwright.sync_api import expect

from haven.drugchecking.tests.support import fentanyl_positive, reviewed
from haven.testing.keyboard import Keyboard

pytestmark = pytest.mark.browser


def test_the_result_is_found_with_tab_and_enter_only(page, live_server, mdma_pill, bob, dana):
    sample, code = mdma_pill
    fentanyl_positive(sample, bob)
    reviewed(sample, dana, advice="Carry naloxone.")
    page.goto(f"{live_server.url}/alerts/")
    keys = Keyboard(page)

    keys.tab_to("nav.public-nav a[href='/checking/result/']")
    keys.press("Enter")
    page.wait_for_url("**/checking/result/")
    keys.tab_to("input[name=code]")
    keys.type(code)
    keys.press("Enter")
    page.get_by_role("heading", name="Result", exact=True).wait_for()

    assert "Contains something unexpected" in page.inner_text("main")
    assert "Carry naloxone." in page.inner_text("main")
    assert keys.unseen_focus == [], "every element the focus passed shows it"
    assert page.console_errors == [] and page.foreign_requests == []


def test_the_public_navigation_works_without_javascript(browser, live_server, db):
    context = browser.new_context(java_script_enabled=False, viewport={"width": 360, "height": 800})
    page = context.new_page()
    page.goto(f"{live_server.url}/alerts/")
    links = page.locator("nav.public-nav a")
    assert links.count() >= 6
    assert links.first.is_visible() and links.last.is_visible()  # no menu button to open first
    page.locator("nav.public-nav a[href='/learn/']").click()
    expect(page.locator("nav.public-nav a[aria-current='page']")).to_have_text("Fact sheets")
    context.close()
