"""In a real Chromium: Bob finds a participant with no connection, by the id on their card, logs
their visit, and the sync records it and says what it did; Dana changes things meanwhile; signing
out leaves nothing on the device.

Playwright's offline mode cuts the service worker's own fetches too: offline, the form page and its
files come from the worker's cache, as they would on a phone in a basement.
"""

import datetime
import re
import uuid

import pytest
from django.utils import timezone
from playwright.sync_api import expect

from haven.encounters.actions import encounter_record
from haven.encounters.models import Encounter
from haven.encounters.tests.conftest import catalog  # noqa: F401  (a fixture)
from haven.encounters.tests.test_offline_sync import queue_length, sign_in, status
from haven.participants.actions import participant_enroll, participant_merge

pytestmark = pytest.mark.browser


def seen_by(actor, participant, site, item, *, quantity=7, days_ago=2, source="web"):
    encounter, _created = encounter_record(
        actor=actor, client_id=uuid.uuid4(), site=site, service_mode="fixed", participant=participant,
        occurred_at=timezone.now() - datetime.timedelta(days=days_ago), supplies=[(item, quantity)], source=source)
    return encounter


@pytest.fixture
def person(bob, dana, places, catalog):  # noqa: F811
    participant = participant_enroll(actor=dana, code="MA0385B", site=places["fixed"])
    seen_by(bob, participant, places["fixed"], catalog["condom"])
    return participant


def cache_record(page):
    """The participant cache as the device holds it: what a seized phone would give up."""
    # Never creates the database itself (opening one that does not exist would).
    return page.evaluate("""() => indexedDB.databases().then((list) => new Promise((resolve) => {
        if (!list.some((db) => db.name === 'haven-offline-participants')) { resolve(null); return; }
        const open = indexedDB.open('haven-offline-participants');
        open.onsuccess = () => {
            const db = open.result;
            if (!db.objectStoreNames.contains('cache')) { db.close(); resolve(null); return; }
            const request = db.transaction('cache').objectStore('cache').get('participants');
            request.onsuccess = () => {
                const record = request.result;
                db.close();
                if (!record) { resolve(null); return; }
                resolve({
                    fields: Object.keys(record).sort(),
                    data_is_bytes: record.data instanceof ArrayBuffer,
                    data_text: new TextDecoder('latin1').decode(record.data),
                    stores: Array.from(db.objectStoreNames),
                    web_storage: JSON.stringify([Object.entries(localStorage), Object.entries(sessionStorage)]),
                });
            };
        };
    }))""")


def stored_key_id(page):
    return page.evaluate("""() => indexedDB.databases().then((list) => new Promise((resolve) => {
        if (!list.some((db) => db.name === 'haven-offline-participants')) { resolve(null); return; }
        const open = indexedDB.open('haven-offline-participants');
        open.onsuccess = () => {
            const db = open.result;
            if (!db.objectStoreNames.contains('cache')) { db.close(); resolve(null); return; }
            const request = db.transaction('cache').objectStore('cache').get('participants');
            request.onsuccess = () => { db.close(); resolve(request.result ? request.result.key_id : null); };
        };
    }))""")


def wait_for_cache(page):
    for _attempt in range(300):
        if cache_record(page):
            return cache_record(page)
        page.wait_for_timeout(100)
    raise AssertionError("the participant cache was not filled")


def database_names(page):
    return page.evaluate("() => indexedDB.databases().then((list) => list.map((db) => db.name).sort())")


def open_form_with_service_worker(page, live_server):
    """The visit form, controlled by the service worker. A page opened while the worker was still
    activating may stay uncontrolled; the next load is controlled, as on a phone."""
    page.goto(f"{live_server.url}/encounters/new/")
    for attempt in range(200):
        if page.evaluate("() => Boolean(navigator.serviceWorker && navigator.serviceWorker.controller)"):
            return
        if attempt % 50 == 49:
            page.reload()
        page.wait_for_timeout(100)
    raise AssertionError("the service worker did not take control of the page")


def find_offline(page, display_id):
    box = page.locator("[data-offline-find]")
    expect(box).to_be_visible()
    expect(box).to_contain_text("find a participant seen at your sites")
    page.get_by_label("Id on the card").fill(display_id)
    page.get_by_role("button", name="Find", exact=True).click()


def log_visit(page, site, item, quantity):
    page.select_option("select[name=site]", str(site.pk))
    page.fill(f"input[name='item-{item.pk}']", str(quantity))
    page.locator(".save-button").click()


def test_offline_bob_finds_a_participant_by_card_id_logs_a_visit_and_it_syncs_into_their_history(
        page, live_server, bob, places, catalog, person):  # noqa: F811
    sign_in(page, live_server, "bob")
    # The cache fills on the first page after signing in, encrypted: no display id in clear, no key.
    stored = wait_for_cache(page)
    assert stored["fields"] == ["data", "fetched_at", "id", "iv", "key_id"]
    assert stored["data_is_bytes"]
    assert person.display_id not in stored["data_text"] and "Condom" not in stored["data_text"]
    assert stored["stores"] == ["cache"]

    open_form_with_service_worker(page, live_server)
    expect(page.locator("[data-offline-find]")).to_be_hidden()  # online, the ordinary lookup
    page.context.set_offline(True)

    # Someone not seen at Bob's sites lately is not on the device.
    find_offline(page, "ZZZZ22")
    expect(page.locator("[data-offline-find-miss]")).to_contain_text("Not on this device")

    find_offline(page, person.display_id.lower())
    found = page.locator("[data-offline-found]")
    expect(found).to_contain_text(f"Participant {person.display_id}")
    expect(found).to_contain_text("found on this device")
    expect(found).to_contain_text("North drop-in")
    expect(found).to_contain_text("7 × Condom")
    log_visit(page, places["fixed"], catalog["cooker"], 3)
    expect(status(page)).to_contain_text("(1 waiting)")
    expect(page.locator("[data-offline-find-input]")).to_be_visible()  # the next visit starts anonymous
    assert page.locator("input[name=participant]").input_value() == ""
    assert Encounter.objects.filter(source="offline").count() == 0

    page.context.set_offline(False)
    report = page.locator("[data-offline-report]")
    expect(report).to_contain_text(f"{person.display_id}: Recorded for {person.display_id}.")
    expect(status(page)).to_contain_text("have been sent")

    visit = Encounter.objects.get(source="offline")
    assert (visit.participant_id, visit.staff_id, visit.site_id) == (person.pk, bob.pk, places["fixed"].pk)
    assert visit.supplies.get().quantity == 3
    page.goto(f"{live_server.url}/participants/{person.display_id}/")
    expect(page.locator("main")).to_contain_text("3 × Cooker")
    assert queue_length(page) == 0
    assert page.foreign_requests == []

    # The key of this session is the cache's, and it is nowhere in the page's storage.
    key = page.evaluate("() => fetch('/api/offline/key').then((response) => response.json())")
    assert key["key_id"] == stored_key_id(page)
    stored = cache_record(page)
    # (htmx keeps the current page's path in sessionStorage, as the browser's history keeps it.)
    assert key["key"] not in stored["web_storage"]


def test_the_sync_resolves_a_merge_and_a_visit_logged_online_meanwhile_and_says_so(
        page, live_server, bob, dana, places, catalog, person):  # noqa: F811
    other = participant_enroll(actor=dana, code="JO0190C", site=places["fixed"])
    seen_by(bob, other, places["fixed"], catalog["condom"], quantity=2)
    keep = participant_enroll(actor=dana, code="LU1277D", site=places["fixed"])
    sign_in(page, live_server, "bob")
    wait_for_cache(page)
    open_form_with_service_worker(page, live_server)
    page.context.set_offline(True)

    find_offline(page, person.display_id)
    log_visit(page, places["fixed"], catalog["cooker"], 1)
    expect(status(page)).to_contain_text("(1 waiting)")
    find_offline(page, other.display_id)
    log_visit(page, places["fixed"], catalog["cooker"], 2)
    expect(status(page)).to_contain_text("(2 waiting)")

    # Meanwhile, with a connection: Dana merges the first person's record into another, and logs
    # the second person's visit herself.
    participant_merge(actor=dana, keep=keep, duplicate=person)
    dana.sites.add(places["fixed"])
    seen_by(dana, other, places["fixed"], catalog["cooker"], quantity=2, days_ago=0)

    page.context.set_offline(False)
    report = page.locator("[data-offline-report]")
    expect(report).to_contain_text(f"Recorded for {keep.display_id}: {person.display_id} was merged into "
                                   f"{keep.display_id}.")
    attention = page.locator("[data-offline-attention]")
    expect(attention).to_contain_text(f"{other.display_id} already has a visit at North drop-in")
    expect(attention).to_contain_text("recorded by dana")
    assert Encounter.objects.get(source="offline").participant_id == keep.pk

    # It was a second visit after all: Bob sends it anyway.
    attention.get_by_role("button", name="Send anyway").click()
    expect(attention).to_be_hidden()
    expect(report).to_contain_text(f"{other.display_id}: Recorded for {other.display_id}.")
    assert Encounter.objects.filter(source="offline", participant=other).count() == 1
    assert queue_length(page) == 0


def test_signing_out_leaves_no_participant_cache_on_the_device(page, live_server, bob, person):
    sign_in(page, live_server, "bob")
    wait_for_cache(page)
    assert "haven-offline-participants" in database_names(page)

    page.get_by_role("button", name="Menu").click()  # on a phone, sign-out is in the menu
    page.get_by_role("button", name=re.compile("sign out", re.I)).click()
    page.wait_for_url(re.compile(r"/login/"))

    assert "haven-offline-participants" not in database_names(page)
    assert queue_length(page) == 0


def test_a_cache_from_an_earlier_session_is_replaced_when_bob_signs_in_again(page, live_server, bob, person):
    sign_in(page, live_server, "bob")
    first = wait_for_cache(page)
    key_id = stored_key_id(page)
    assert first and key_id

    # The session ends on the server (as after the idle timeout) without the device being cleared.
    from django.contrib.sessions.models import Session

    Session.objects.all().delete()
    sign_in(page, live_server, "bob")
    for _attempt in range(100):
        current = stored_key_id(page)
        if current and current != key_id:
            break
        page.wait_for_timeout(100)
    assert current and current != key_id
