"""What a public page costs a first-time visitor: bytes transferred and load time, in a real Chromium.

Shared by the page weight test (haven/core/tests/test_browser_public_page_weight.py, bytes only) and
the slow-3G benchmark (bench/public/run.py). Each page is opened in a new browser context, so the
cache is empty: the HTML, style sheets, scripts, images and fonts all count, as on a first visit.
Bytes are Chromium's own count of what crossed the network (``encodedDataLength``: headers and the
compressed body), the "transferred" column of the developer tools.
"""

from __future__ import annotations

import re
import urllib.request
from dataclasses import dataclass, field

# Chrome DevTools' "Slow 3G" preset (front_end/core/sdk/NetworkManager.ts): 500 kbit/s down and up
# and 400 ms latency, scaled as DevTools scales them (throughput x0.8, latency x5).
SLOW_3G = {"offline": False, "latency": 400 * 5, "downloadThroughput": 500 * 1000 / 8 * 0.8,
           "uploadThroughput": 500 * 1000 / 8 * 0.8}
BUDGET_BYTES = 100_000

# The public pages: every entry of the public navigation, and a page of each kind they lead to.
LIST_PAGES = ["/alerts/", "/alerts/subscribe/", "/checking/result/", "/checking/market/", "/overdose/report/",
              "/learn/", "/learn/interactions/", "/directory/", "/login/"]
DETAIL_LINKS = {"/alerts/": r'href="(/alerts/\d+/)"', "/directory/": r'href="(/directory/services/[0-9a-f-]+/)"',
                "/learn/": r'href="(/learn/substances/[a-z0-9-]+/)"'}


@dataclass
class Weight:
    path: str
    status: int = 0
    transferred: int = 0
    requests: int = 0
    font_bytes: int = 0
    load_ms: float = 0.0
    by_type: dict = field(default_factory=dict)
    foreign: list = field(default_factory=list)


def public_pages(base_url: str) -> list[str]:
    """The list pages, and the first detail page each list links to."""
    pages = list(LIST_PAGES)
    for list_page, pattern in DETAIL_LINKS.items():
        with urllib.request.urlopen(base_url + list_page, timeout=60) as response:
            found = re.search(pattern, response.read().decode("utf-8"))
        if found and found.group(1) not in pages:
            pages.append(found.group(1))
    return pages


def measure(browser, base_url: str, path: str, *, throttle: dict | None = None, language: str = "en") -> Weight:
    context = browser.new_context(viewport={"width": 390, "height": 844}, locale=language,
                                  extra_http_headers={"Accept-Language": language})
    page = context.new_page()
    cdp = context.new_cdp_session(page)
    cdp.send("Network.enable")
    cdp.send("Network.setCacheDisabled", {"cacheDisabled": True})
    if throttle:
        cdp.send("Network.emulateNetworkConditions", throttle)
    weight = Weight(path)
    kinds, urls = {}, {}

    def sent(event):
        urls[event["requestId"]] = event["request"]["url"]
        kinds[event["requestId"]] = event.get("type", "Other")
        if not event["request"]["url"].startswith((base_url, "data:")):
            weight.foreign.append(event["request"]["url"])

    def finished(event):
        size = int(event.get("encodedDataLength", 0))
        kind = kinds.get(event["requestId"], "Other")
        weight.transferred += size
        weight.requests += 1
        weight.by_type[kind] = weight.by_type.get(kind, 0) + size
        if kind == "Font":
            weight.font_bytes += size

    cdp.on("Network.requestWillBeSent", sent)
    cdp.on("Network.loadingFinished", finished)
    response = page.goto(base_url + path, wait_until="load", timeout=180_000)
    weight.status = response.status if response else 0
    # Late subresources (a script's own request) are counted too: wait until the network is quiet.
    page.wait_for_load_state("networkidle", timeout=180_000)
    weight.load_ms = page.evaluate("performance.getEntriesByType('navigation')[0].loadEventEnd")
    context.close()
    return weight
