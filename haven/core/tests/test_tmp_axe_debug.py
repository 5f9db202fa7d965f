import pytest
from haven.core.tests.test_browser_phone_width import staff_pages
from haven.encounters.tests.test_browser_entry_speed import signed_in
pytestmark = pytest.mark.browser

@pytest.fixture
def demo():
    from haven.demo.data import demo_load
    demo_load()

def test_debug(demo, page, live_server):
    from haven.accounts.models import User
    signed_in(page, live_server, User.objects.get(username="alice"))
    out = open("/tmp/publicsite_debug2.txt", "w")
    pages = list(staff_pages())
    for lang in ("en", "es"):
        page.context.add_cookies([{"name": "django_language", "value": lang, "url": live_server.url}])
        for name, url in pages:
            response = page.goto(f"{live_server.url}{url}")
            found = page.evaluate("() => Array.from(document.querySelectorAll('li > p')).map(e => (e.closest('section,nav,ul,div,main') || e).outerHTML.slice(0, 600))")
            if found:
                out.write(f"{lang} {name} {found}\n"); out.flush()
                if lang == "es":
                    return
