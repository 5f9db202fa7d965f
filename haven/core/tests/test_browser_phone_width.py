"""Phones first: every staff page, with the demo program's data, fits a 360 px wide screen.

A real Chromium opens each staff page the admin may open (the URL resolver lists them, so a new
page is checked without changing this test), saves a screenshot and fails when the page scrolls
sideways (the document is wider than the screen). Tables scroll inside their own box, by design.
"""

import pytest
from django.urls import reverse

from haven.accounts import permissions
from haven.accounts.tests.test_permission_matrix import url_converters
from haven.encounters.tests.test_browser_entry_speed import signed_in

pytestmark = pytest.mark.browser

PHONE = {"width": 360, "height": 740}

# Not pages: downloads, actions answered with a redirect, the service worker, sign-out.
NOT_PAGES = {"logout", "encounter-undo", "reports-export", "reports-open-data", "service-worker",
             "overdose-detect-now", "set_language", "api-token-revoke", "staff-reset-two-factor",
             # fragments that a page's htmx swaps in, not pages of their own
             "consumption-board-live", "consumption-spotting-live"}


def example_kwargs():
    """An existing object for every kind of id in a URL, from the demo program."""
    from haven.accounts.models import User
    from haven.alerts.models import Alert, Webhook
    from haven.drugchecking.models import Sample
    from haven.encounters.models import Encounter
    from haven.inventory.models import Item, Kit
    from haven.overdose.models import OverdoseReport
    from haven.participants.models import Participant
    from haven.places.models import Area, Site
    from haven.reports.models import ReportTemplate

    firsts = {
        "alert_id": Alert.objects.first(), "webhook_id": Webhook.objects.first(), "area_id": Area.objects.first(),
        "item_id": Item.objects.first(), "kit_id": Kit.objects.first(), "sample_id": Sample.objects.first(),
        "encounter_id": Encounter.objects.filter(participant__isnull=False).first(),
        "report_id": OverdoseReport.objects.first(), "user_id": User.objects.get(username="bob"),
        "site_id": Site.objects.first(),
    }
    kwargs = {name: value.pk for name, value in firsts.items() if value is not None}
    kwargs["display_id"] = Participant.objects.first().display_id
    template = ReportTemplate.objects.first()
    if template is not None:
        kwargs["slug"] = template.slug
    return kwargs


def open_page(page, url):
    """Open `url` in the browser if it answers a GET with an HTML page (200); None for anything else.

    Asked first through the browser context's own request client (the same cookies, no tab): a
    download, or an action answering GET with an empty 405, would otherwise leave the tab on an
    error page or a download that cuts short the next navigation, and pages after it would be
    skipped without a word."""
    probe = page.context.request.get(url, max_redirects=5)
    if probe.status != 200 or "text/html" not in (probe.headers.get("content-type") or ""):
        return None
    response = page.goto(url)
    if response is None or "text/html" not in (response.headers.get("content-type") or ""):
        return None
    return response


def staff_pages():
    kwargs = example_kwargs()
    for name, converters in sorted(url_converters().items()):
        if name.startswith("api:") or name in NOT_PAGES:
            continue
        rule = permissions.rule_for(name, "get")
        if rule in (None, permissions.PUBLIC):
            continue
        if not set(converters) <= set(kwargs):
            continue
        yield name, reverse(name, kwargs={key: kwargs[key] for key in converters} or None)


def test_every_staff_page_fits_a_360_px_phone_without_sideways_scrolling(page, live_server, tmp_path):
    from django_otp.plugins.otp_totp.models import TOTPDevice

    from haven.accounts.models import User
    from haven.demo.data import demo_load

    demo_load()
    # An admin must pass a second factor: with a confirmed device the personas' sign-in marks the
    # session verified. Without one, every page would be the two-factor set-up page.
    alice = User.objects.get(username="alice")
    TOTPDevice.objects.get_or_create(user=alice, name="phone", defaults={"confirmed": True})
    signed_in(page, live_server, alice)
    page.set_viewport_size(PHONE)
    checked, too_wide = [], []
    for name, url in staff_pages():
        if open_page(page, f"{live_server.url}{url}") is None:
            continue
        assert "/account/two-factor/" not in page.url or "two-factor" in name, f"{name}: sent to {page.url}"
        page.screenshot(path=str(tmp_path / f"{name}.png"), full_page=True)
        overflow = page.evaluate("document.scrollingElement.scrollWidth - document.scrollingElement.clientWidth")
        checked.append(name)
        if overflow > 0:
            too_wide.append(f"{name} ({url}): {overflow} px too wide")

    assert len(checked) >= 60, checked
    assert too_wide == []


def test_the_menu_fits_one_row_at_1280_px_and_folds_behind_a_button_on_a_phone(page, live_server, alice):
    signed_in(page, live_server, alice)
    page.set_viewport_size({"width": 1280, "height": 800})
    page.goto(f"{live_server.url}/")
    links = page.locator(".site-header .nav > li")
    tops = {round(links.nth(number).bounding_box()["y"]) for number in range(links.count())}
    assert len(tops) == 1, "the menu is one row"
    assert page.locator(".site-header .logout button").bounding_box()["x"] + 10 < 1280
    assert page.evaluate("document.scrollingElement.scrollWidth <= document.scrollingElement.clientWidth")
    page.locator("[data-nav-more] summary").click()
    page.locator(".nav-more").get_by_role("link", name="Audit log").click()
    page.wait_for_url("**/audit/")

    page.set_viewport_size(PHONE)
    page.goto(f"{live_server.url}/")
    assert not page.locator(".site-header").get_by_role("link", name="Participants", exact=True).is_visible()
    page.get_by_role("button", name="Menu").click()
    page.locator(".site-header").get_by_role("link", name="Participants", exact=True).click()
    page.wait_for_url("**/participants/")
