"""The offline find and the sync's results fit a 360 px phone and a 1280 px desktop without
horizontal scrolling. With HAVEN_SCREENSHOT_DIR set, saves the pictures in docs/screenshots/offline/:

    HAVEN_SCREENSHOT_DIR=docs/screenshots/offline python -m pytest -m browser \
        haven/offline/tests/test_browser_offline_screens.py
"""

import os

import pytest
from playwright.sync_api import expect

from haven.encounters.tests.conftest import catalog  # noqa: F401  (a fixture)
from haven.encounters.tests.test_offline_sync import sign_in, status
from haven.offline.tests.test_browser_offline_participants import (
    find_offline,
    log_visit,
    open_form_with_service_worker,
    seen_by,
    wait_for_cache,
)
from haven.participants.actions import participant_enroll, participant_merge

pytestmark = pytest.mark.browser


def shoot(page, name, element=None):
    folder = os.environ.get("HAVEN_SCREENSHOT_DIR")
    if folder:
        os.makedirs(folder, exist_ok=True)
        (element or page).screenshot(path=os.path.join(folder, name))


def overflow(page):
    return page.evaluate("() => document.documentElement.scrollWidth - document.documentElement.clientWidth")


@pytest.mark.parametrize("width", [360, 1280])
def test_the_offline_find_and_the_sync_results_fit_the_screen(browser, live_server, bob, dana, places, catalog,  # noqa: F811
                                                               width):
    first = participant_enroll(actor=dana, code="MA0385B", site=places["fixed"])
    second = participant_enroll(actor=dana, code="JO0190C", site=places["fixed"])
    keep = participant_enroll(actor=dana, code="LU1277D", site=places["fixed"])
    seen_by(bob, first, places["fixed"], catalog["condom"], quantity=10)
    seen_by(bob, second, places["fixed"], catalog["cooker"], quantity=4)

    context = browser.new_context(viewport={"width": width, "height": 740 if width == 360 else 900}, locale="en-US")
    page = context.new_page()
    page.set_default_timeout(60_000)
    try:
        sign_in(page, live_server, "bob")
        wait_for_cache(page)
        open_form_with_service_worker(page, live_server)
        page.context.set_offline(True)
        find_offline(page, first.display_id)
        expect(page.locator("[data-offline-found]")).to_be_visible()
        page.select_option("select[name=site]", str(places["fixed"].pk))
        assert overflow(page) <= 0
        shoot(page, f"offline-find-{width}.png")

        log_visit(page, places["fixed"], catalog["cooker"], 2)
        expect(status(page)).to_contain_text("(1 waiting)")
        find_offline(page, second.display_id)
        log_visit(page, places["fixed"], catalog["cooker"], 3)
        expect(status(page)).to_contain_text("(2 waiting)")
        participant_merge(actor=dana, keep=keep, duplicate=first)
        dana.sites.add(places["fixed"])
        seen_by(dana, second, places["fixed"], catalog["cooker"], quantity=3, days_ago=0)

        page.context.set_offline(False)
        expect(page.locator("[data-offline-attention]")).to_contain_text("already has a visit")
        expect(page.locator("[data-offline-report]")).to_contain_text("was merged into")
        page.evaluate("() => window.scrollTo(0, 0)")
        assert overflow(page) <= 0
        # The panel alone; the save bar, fixed at the bottom of a phone's screen, would cover part of it.
        page.locator(".save-bar").evaluate("(bar) => { bar.style.visibility = 'hidden'; }")
        shoot(page, f"offline-sync-{width}.png", page.locator("#offline-status"))
    finally:
        context.close()
