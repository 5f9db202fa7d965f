"""In a real Chromium: coordinator Dana signs in with her second factor, opens a spike's draft,
publishes it, and the public alerts page shows it."""

import re

import pytest

from haven.alerts import actions
from haven.alerts.models import Alert
from haven.testing.personas import PASSWORD, current_totp

pytestmark = pytest.mark.browser


def sign_in_with_second_factor(page, live_server, person):
    page.goto(f"{live_server.url}/login/")
    page.get_by_label("Username").fill(person.username)
    page.get_by_label("Password").fill(PASSWORD)
    page.get_by_role("button", name=re.compile("sign in", re.I)).click()
    # Generous waits: sign-in hashes a password with Argon2, slow on a busy 2-core machine.
    page.wait_for_url(re.compile(r"/account/two-factor/"), timeout=60_000)
    page.get_by_label(re.compile("code", re.I)).fill(current_totp(person))
    page.get_by_role("button", name=re.compile("verify|continue|confirm", re.I)).click()
    page.wait_for_url(f"{live_server.url}/", timeout=60_000)


def test_coordinator_publishes_a_spike_alert_and_the_public_sees_it(page, live_server, dana, places):
    alert, _ = actions.alert_draft(
        source_kind="overdose_spike", source_key="northside-week-10", title="Overdoses rising in Northside",
        body="More overdoses than usual were reported this week.\n\n- Do not use alone.\n- Carry naloxone.",
        severity="urgent", context={"method": "ears-c2", "observed": 9, "baseline": 2.1},
        areas=[places["north"]],
    )
    sign_in_with_second_factor(page, live_server, dana)

    page.goto(f"{live_server.url}/alerts/review/")
    page.get_by_role("link", name="Overdoses rising in Northside", exact=True).click()
    page.wait_for_url(re.compile(rf"/alerts/review/{alert.pk}/$"))
    assert page.get_by_text("ears-c2").first.is_visible()
    page.get_by_role("link", name="Publish", exact=True).click()
    page.wait_for_url(re.compile(rf"/alerts/review/{alert.pk}/publish/$"))
    page.get_by_role("button", name="Publish now").click()
    page.wait_for_url(re.compile(rf"/alerts/{alert.pk}/$"))
    assert page.get_by_role("heading", level=1, name="Overdoses rising in Northside").is_visible()

    alert.refresh_from_db()
    assert alert.status == Alert.Status.PUBLISHED
    public = page.context.browser.new_context(viewport={"width": 360, "height": 640}).new_page()
    public.goto(f"{live_server.url}/alerts/")
    assert public.get_by_role("link", name="Overdoses rising in Northside", exact=True).is_visible()
    assert public.get_by_text("Urgent").first.is_visible()
    assert "ears-c2" not in public.content()
    assert public.evaluate("document.documentElement.scrollWidth <= window.innerWidth + 1")
    public.context.close()
    assert page.console_errors == []
    assert page.foreign_requests == []
