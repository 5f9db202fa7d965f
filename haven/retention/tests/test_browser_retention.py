"""In a real Chromium, an admin sets a period (a too-short one is refused with the reason), places a
legal hold and sees the expiry runs, at 360 px and 1280 px. Set HAVEN_SCREENSHOT_DIR to keep the
screenshots (docs/screenshots/retention/ holds the ones in the docs)."""

import os

import pytest

from haven.encounters.tests.test_browser_entry_speed import signed_in
from haven.retention.actions import hold_place, retention_expire
from haven.retention.tests.conftest import LATER

pytestmark = pytest.mark.browser


def shoot(page, name):
    folder = os.environ.get("HAVEN_SCREENSHOT_DIR")
    if folder:
        page.screenshot(path=os.path.join(folder, name), full_page=True)


@pytest.mark.parametrize("width", [360, 1280])
def test_an_admin_manages_retention_on_a_phone_and_a_desk(page, live_server, alice, world, width):
    hold_place(actor=alice, kind="drugchecking.sample", object_id=world.sample.pk, reason="Subpoena 2026-114")
    retention_expire(now=LATER)
    page.set_viewport_size({"width": width, "height": 900})
    signed_in(page, live_server, alice)
    page.goto(f"{live_server.url}/retention/")
    assert page.evaluate("document.scrollingElement.scrollWidth - document.scrollingElement.clientWidth") <= 0
    shoot(page, f"retention-{width}.png")

    participants = page.locator("#kind-participantsparticipant")
    participants.get_by_label("Keep identifying detail for (days)").fill("90")
    participants.get_by_role("button", name="Save period").click()
    refused = page.locator("#kind-participantsparticipant")
    refused.get_by_text("must be kept at least 366 days").wait_for()
    assert "Yearly reports" in refused.inner_text()
    shoot(page, f"retention-refused-{width}.png")

    page.get_by_label("Kind of record").select_option("overdose.report")
    page.get_by_label("Record", exact=True).fill(str(world.overdose.pk))
    page.get_by_label("Why it is held").fill("Court order 77")
    page.get_by_role("button", name="Place the hold").click()
    page.get_by_text("already expired or never existed").wait_for()
    # The refused forms answer 400, which Chromium logs; nothing else may be an error.
    assert [error for error in page.console_errors if "status of 400" not in error] == []
    assert page.foreign_requests == []
