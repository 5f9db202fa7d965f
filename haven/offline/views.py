"""The service worker script, served from Haven's own origin so that it may control every page."""

import json
from pathlib import Path

from django.conf import settings
from django.http import HttpResponse
from django.templatetags.static import static
from django.urls import reverse

SOURCE = Path(__file__).resolve().parents[1] / "static" / "haven" / "sw.js"
# The pages the worker keeps for use without a connection: the encounter form, and the page it
# shows instead of the browser's error when another page (finding a participant, the menu's
# pages) cannot be reached. Never a participant page, never an API answer.
SHELL_PAGES = ["encounter-new", "offline-page"]
# Precached; any other file under STATIC_URL is cached the first time a page uses it.
SHELL_ASSETS = ["haven/haven.css", "haven/haven.js", "haven/offline.js", "haven/offline-find.js", "haven/vendor/htmx-2.min.js",
                "haven/encounters.js", "encounters/encounters.css"]
PLACEHOLDER = '"__HAVEN_SHELL__"'


def shell_urls() -> dict:
    # static() gives the hashed names in production, so a new release changes these bytes and the
    # browser installs the new worker (it compares the script byte for byte).
    return {
        "pages": [reverse(name) for name in SHELL_PAGES],
        "assets": [static(name) for name in SHELL_ASSETS],
        "static": settings.STATIC_URL,
    }


def service_worker(request):
    body = SOURCE.read_text(encoding="utf-8").replace(PLACEHOLDER, json.dumps(shell_urls()), 1)
    response = HttpResponse(body, content_type="application/javascript; charset=utf-8")
    response["Service-Worker-Allowed"] = "/"
    # The browser checks for a new worker on every visit; it must not get a stale copy from a cache.
    response["Cache-Control"] = "no-cache"
    return response


def offline_page(request):
    """What the service worker shows for a page that needs the server while there is no connection."""
    from django.shortcuts import render

    from haven.offline.queries import CACHE_DAYS

    return render(request, "offline/offline.html", {"visit_url": reverse("encounter-new"), "days": CACHE_DAYS})
