"""Offline, "Find a participant" and the menu's pages show Haven's own offline page, never the
browser's error page, and the page offers what still works (logging a visit)."""

import pytest

from haven.encounters.tests.test_offline_sync import open_form_with_service_worker, sign_in

pytestmark = pytest.mark.browser


def test_pages_that_need_the_server_show_havens_offline_page_without_a_connection(page, live_server, bob):
    sign_in(page, live_server, "bob")
    open_form_with_service_worker(page, live_server)
    page.context.set_offline(True)

    page.goto(f"{live_server.url}/participants/")
    assert page.get_by_role("heading", name="No connection right now").is_visible()
    page.get_by_role("button", name="Menu").click()
    page.locator(".site-header").get_by_role("link", name="Visits").click()
    page.get_by_role("heading", name="No connection right now").wait_for()

    page.get_by_role("link", name="Log a visit").first.click()
    page.locator(".save-button").wait_for()  # the stored form works offline
    page.context.set_offline(False)
