"""Fixtures shared by every test: the personas and a signed-in client for each."""

import pytest
from django.test import Client

from haven.accounts.roles import Role
from haven.testing import audit_triggers, personas, reference_data


@pytest.fixture(autouse=True)
def _database_test_environment(request):
    """Every database test runs with the audit triggers (only the flush after it goes without) and,
    after a transactional test's flush, with the reference data that migrations seed."""
    names = request.fixturenames
    if not ({"db", "transactional_db", "live_server"} & set(names)) and not request.node.get_closest_marker(
        "django_db"
    ):
        yield
        return
    transactional = "transactional_db" in names or "live_server" in names or any(
        marker.kwargs.get("transaction") for marker in request.node.iter_markers("django_db")
    )
    request.getfixturevalue("transactional_db" if transactional else "db")
    if transactional:
        # The flush after the previous transactional test also took the migration-seeded rows.
        reference_data.seed_reference_data()
    audit_triggers.install()
    # Rate limit counts live in the cache: each test starts with none, as it starts with an empty database.
    from django.core.cache import cache

    cache.clear()
    audit_triggers.forget_anchored_head()
    yield
    if transactional:
        audit_triggers.remove()


@pytest.fixture(autouse=True)
def _default_language():
    """Each test starts in the default language. A request through the test client leaves the language
    LocaleMiddleware chose active in the thread (a Spanish page made a later API test answer in Spanish)."""
    from django.utils import translation

    yield
    translation.deactivate()


@pytest.fixture
def places(db):
    return personas.make_places()


@pytest.fixture
def alice(places):
    return personas.make_person("alice", Role.ADMIN, two_factor=True)


@pytest.fixture
def dana(places):
    return personas.make_person("dana", Role.COORDINATOR, two_factor=True)


@pytest.fixture
def bob(places):
    return personas.make_person("bob", Role.STAFF, sites=[places["fixed"]])


@pytest.fixture
def carol(places):
    return personas.make_person("carol", Role.PEER, sites=[places["van"]])


@pytest.fixture
def everyone(alice, dana, bob, carol):
    return {"alice": alice, "dana": dana, "bob": bob, "carol": carol}


@pytest.fixture
def client_as():
    """client_as(user) gives a client signed in as that person, second factor verified."""

    def make(user):
        return personas.sign_in(Client(), user)

    return make


@pytest.fixture
def anonymous_client():
    return Client()


CHROMIUM = "/usr/bin/chromium"


@pytest.fixture(scope="session")
def browser():
    """A real headless Chromium (Debian's package) driven by Playwright."""
    import os
    import shutil

    executable = os.environ.get("HAVEN_CHROMIUM", CHROMIUM)
    if not shutil.which(executable):
        message = f"Chromium not found at {executable}: install Debian's chromium package"
        if os.environ.get("CI"):
            pytest.fail(message)
        pytest.skip(message)
    # Playwright's sync API runs an event loop in this thread; the ORM calls that tests make
    # between page actions are still plain synchronous calls.
    os.environ["DJANGO_ALLOW_ASYNC_UNSAFE"] = "true"
    from playwright.sync_api import sync_playwright

    with sync_playwright() as playwright:
        launched = playwright.chromium.launch(
            executable_path=executable,
            args=["--no-sandbox", "--disable-gpu", "--disable-quic", "--no-first-run",
                  "--disable-background-networking", "--disable-component-update", "--disable-sync"],
        )
        yield launched
        launched.close()


@pytest.fixture
def page(browser, live_server):
    """A phone-sized page that records console errors and any request that leaves Haven."""
    context = browser.new_context(viewport={"width": 390, "height": 844}, locale="en-US")
    page = context.new_page()
    page.console_errors = []
    page.foreign_requests = []
    page.on("console", lambda message: message.type == "error" and page.console_errors.append(message.text))
    page.on("request", lambda request: not request.url.startswith(("data:", live_server.url))
            and page.foreign_requests.append(request.url))
    # Generous: CI machines are small and a first page load also collects static files.
    page.set_default_timeout(60_000)
    yield page
    context.close()
