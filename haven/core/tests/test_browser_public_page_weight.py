"""Each public page is under 100 KB transferred on a first visit (empty cache, fonts included), and
asks nothing of another origin.

Measured as deployed: `haven demo` in a subprocess (demo content, collected and compressed static
files served by WhiteNoise), Chromium counting what crossed the network (haven/testing/pageweight.py).
Bytes only: the time on a slow 3G connection is measured by bench/public/run.py, never asserted.
The server has its own SQLite data folder, so the test runs once, on the SQLite pass.
"""

import subprocess
import sys
import time
import urllib.request

import pytest
from django.conf import settings

from haven.testing.pageweight import BUDGET_BYTES, measure, public_pages
from haven.testing.processes import REPO, free_port, haven_env

pytestmark = pytest.mark.browser


@pytest.fixture(scope="module")
def demo_server(tmp_path_factory):
    if "sqlite" not in settings.DATABASES["default"]["ENGINE"]:
        pytest.skip("the demo server has a SQLite data folder of its own: runs once, on the SQLite pass")
    data = tmp_path_factory.mktemp("public-weight") / "data"
    port = free_port()
    log = data.parent / "demo.log"
    with open(log, "w") as output:
        process = subprocess.Popen([sys.executable, "-m", "haven", "demo", "--port", str(port)], cwd=REPO,
                                   env=haven_env(data), stdout=output, stderr=subprocess.STDOUT)
    url = f"http://127.0.0.1:{port}"
    try:
        deadline = time.monotonic() + 900  # loading the demo program takes a while on a small machine
        while True:
            assert process.poll() is None, log.read_text()
            try:
                urllib.request.urlopen(url + "/healthz", timeout=2)
                break
            except OSError:
                assert time.monotonic() < deadline, "haven demo did not start"
                time.sleep(1)
        yield url
    finally:
        process.terminate()
        process.wait(timeout=60)


@pytest.mark.parametrize("language", [code for code, _name in settings.LANGUAGES])
def test_every_public_page_is_under_100_kb_on_a_first_visit(demo_server, browser, language):
    pages = public_pages(demo_server)
    assert len(pages) >= 11, pages
    weights = [measure(browser, demo_server, path, language=language) for path in pages]
    assert [w.path for w in weights if w.status != 200] == []
    too_heavy = [f"{w.path}: {w.transferred} bytes ({w.by_type})" for w in weights if w.transferred >= BUDGET_BYTES]
    assert too_heavy == []
    assert [url for w in weights for url in w.foreign] == []
    assert all(w.requests >= 2 for w in weights)  # the style sheet was counted, not only the HTML
