"""In a real Chromium: log visits with no connection, come back online, and exactly those arrive.

Playwright's offline mode cuts the service worker's own fetches too, so while offline the form
page and its files come from the worker's cache, as they would on a phone in a basement.
"""

import re

import pytest
from playwright.sync_api import expect

from haven.encounters.models import Encounter
from haven.testing.personas import PASSWORD

pytestmark = pytest.mark.browser


def sign_in(page, live_server, username):
    page.goto(f"{live_server.url}/login/")
    page.get_by_label("Username").fill(username)
    page.get_by_label("Password").fill(PASSWORD)
    page.get_by_role("button", name=re.compile("sign in", re.I)).click()
    page.wait_for_url(f"{live_server.url}/")


def open_form_with_service_worker(page, live_server):
    page.goto(f"{live_server.url}/encounters/new/")
    # The worker installs (storing the form page and its files), then takes control of the page.
    # (Polled from here: the page's CSP refuses the eval that wait_for_function would need.)
    for _attempt in range(100):
        if page.evaluate("() => Boolean(navigator.serviceWorker && navigator.serviceWorker.controller)"):
            return
        page.wait_for_timeout(100)
    raise AssertionError("the service worker did not take control of the page")


def log_anonymous_visit(page, site, item, quantity):
    page.select_option("select[name=site]", str(site.pk))
    page.fill(f"input[name='item-{item.pk}']", str(quantity))
    page.locator(".save-button").click()


def status(page):
    return page.locator("#offline-status [data-offline-message]")


def status_text(page):
    return status(page).inner_text()


def wait_for_rows(page, count, source="offline"):
    for _attempt in range(100):
        if Encounter.objects.filter(source=source).count() >= count:
            return
        page.wait_for_timeout(100)


def test_three_visits_logged_offline_arrive_exactly_once(page, live_server, bob, places, catalog):
    cooker = catalog["cooker"]
    sign_in(page, live_server, "bob")
    open_form_with_service_worker(page, live_server)

    page.context.set_offline(True)
    for quantity in (1, 2, 3):
        log_anonymous_visit(page, places["fixed"], cooker, quantity)
        expect(status(page)).to_contain_text(f"({quantity} waiting)")

    assert "Saved on this device" in status_text(page)
    assert "(3 waiting)" in status_text(page)
    assert Encounter.objects.count() == 0
    # Still offline, the page comes back from the worker's cache, and the queue is still there.
    page.reload()
    assert page.locator("form[data-offline-form]").is_visible()
    expect(status(page)).to_contain_text("3")
    assert Encounter.objects.count() == 0

    page.context.set_offline(False)
    expect(status(page)).to_contain_text("have been sent")

    visits = list(Encounter.objects.filter(source="offline"))
    assert len(visits) == 3
    assert len({visit.client_id for visit in visits}) == 3
    assert sorted(visit.supplies.get().quantity for visit in visits) == [1, 2, 3]
    assert {visit.staff_id for visit in visits} == {bob.pk}
    assert all(visit.participant_id is None for visit in visits)

    # Sending again (a reload syncs) changes nothing: the queue is empty and ids are unique.
    page.reload()
    page.wait_for_timeout(1000)
    assert Encounter.objects.count() == 3
    assert queue_length(page) == 0
    assert page.console_errors == [] or all("Failed to fetch" in e or "ERR_INTERNET_DISCONNECTED" in e
                                            for e in page.console_errors)
    assert page.foreign_requests == []


def test_a_visit_whose_request_fails_while_the_phone_thinks_it_is_online_is_kept(page, live_server, bob, places, catalog):
    cooker = catalog["cooker"]
    sign_in(page, live_server, "bob")
    open_form_with_service_worker(page, live_server)
    # A weak signal: the browser says "online" but nothing gets through. The form submits the
    # ordinary way and the service worker keeps it.
    page.add_init_script("Object.defineProperty(navigator, 'onLine', { get: () => true });")
    page.evaluate("Object.defineProperty(navigator, 'onLine', { get: () => true })")
    page.context.set_offline(True)

    log_anonymous_visit(page, places["fixed"], cooker, 4)
    page.wait_for_url(f"{live_server.url}/encounters/new/")
    # "Saved on this device ... (1 waiting)", then, once a try to send has failed, the count.
    expect(status(page)).to_contain_text(re.compile(r"\(1 waiting\)|: 1\."))
    assert Encounter.objects.count() == 0

    page.context.set_offline(False)
    page.reload()
    wait_for_rows(page, 1)

    visit = Encounter.objects.get()
    assert visit.source == "offline"
    assert visit.supplies.get().quantity == 4


def queue_length(page):
    return page.evaluate("""() => new Promise((resolve) => {
        const open = indexedDB.open('haven-offline');
        open.onsuccess = () => {
            const request = open.result.transaction('encounters').objectStore('encounters').count();
            request.onsuccess = () => resolve(request.result);
        };
    })""")


def test_signing_out_asks_before_unsent_visits_are_lost(page, live_server, bob, places, catalog):
    sign_in(page, live_server, "bob")
    open_form_with_service_worker(page, live_server)
    page.context.set_offline(True)
    log_anonymous_visit(page, places["fixed"], catalog["cooker"], 1)
    expect(status(page)).to_contain_text("(1 waiting)")

    questions = []
    page.once("dialog", lambda dialog: (questions.append(dialog.message), dialog.dismiss()))
    page.get_by_role("button", name="Menu").click()  # on a phone, sign-out is in the menu
    page.get_by_role("button", name=re.compile("sign out", re.I)).click()
    for _attempt in range(100):
        if questions:
            break
        page.wait_for_timeout(100)
    assert questions and "will be lost" in questions[0]
    assert page.url.endswith("/encounters/new/")  # still here, the visit still waiting
    assert queue_length(page) == 1

    accepted = []
    page.once("dialog", lambda dialog: (accepted.append(True), dialog.accept()))
    page.get_by_role("button", name=re.compile("sign out", re.I)).click()
    for _attempt in range(100):
        if accepted:
            break
        page.wait_for_timeout(100)
    page.wait_for_timeout(500)
    # Offline, the sign-out request itself fails; back online the device holds nothing to send.
    page.context.set_offline(False)
    page.goto(f"{live_server.url}/encounters/new/")
    assert queue_length(page) == 0
    assert Encounter.objects.count() == 0
