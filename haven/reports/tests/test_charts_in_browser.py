"""Charts in a real Chromium under Haven's strict CSP: styled by charts.css alone, nothing fetched elsewhere."""

from pathlib import Path

import pytest

from haven.reports.charts import Series, bar_chart, line_chart

STYLESHEET = Path(__file__).resolve().parents[2] / "static" / "haven" / "charts.css"
ORIGIN = "http://haven.test"
CSP = "default-src 'none'; style-src 'self'; img-src 'self'; script-src 'none'"


def serve(browser, body: str):
    """A phone-sized page at a private origin, served by Playwright itself with Haven's CSP header."""
    context = browser.new_context(viewport={"width": 390, "height": 844})
    page = context.new_page()
    page.requests = []
    page.console_errors = []
    page.on("request", lambda request: page.requests.append(request.url))
    page.on("console", lambda message: message.type == "error" and page.console_errors.append(message.text))
    html = (
        '<!doctype html><html lang="en"><head><meta charset="utf-8">'
        f'<link rel="stylesheet" href="{ORIGIN}/static/haven/charts.css"></head><body>{body}</body></html>'
    )

    def fulfil(route):
        if route.request.url == f"{ORIGIN}/static/haven/charts.css":
            route.fulfill(status=200, content_type="text/css", body=STYLESHEET.read_text(encoding="utf-8"))
        elif route.request.url == f"{ORIGIN}/":
            route.fulfill(
                status=200, content_type="text/html", headers={"Content-Security-Policy": CSP}, body=html
            )
        else:
            route.abort()

    context.route("**/*", fulfil)
    page.goto(f"{ORIGIN}/")
    return context, page


@pytest.mark.browser
def test_a_chart_is_styled_by_the_stylesheet_without_any_csp_violation(browser):
    figure = bar_chart(
        title="Naloxone kits given",
        categories=["2026-01", "2026-02", "2026-03"],
        series=[Series("North drop-in", [40, "<11", 52]), Series("East van", [12, 30, None])],
        y_label="Kits",
        chart_id="kits",
    )
    context, page = serve(browser, figure)
    try:
        first_bar = page.locator("#kits rect.hc-bar-0").first
        assert first_bar.evaluate("el => getComputedStyle(el).fill") == "rgb(0, 114, 178)"
        assert first_bar.evaluate("el => getComputedStyle(el).stroke") == "rgb(26, 26, 26)"
        box = page.locator("#kits svg").bounding_box()
        assert 300 < box["width"] <= 390  # fills a phone screen without overflowing it
        assert page.console_errors == []  # a refused inline style would be reported here
        assert all(url.startswith(ORIGIN) for url in page.requests)
    finally:
        context.close()


@pytest.mark.browser
def test_the_data_table_opens_from_its_summary_and_is_read_as_a_table(browser):
    figure = line_chart(
        title="Visits",
        categories=["2026-01", "2026-02"],
        series=[Series("Visits", [120, "<11"])],
        chart_id="visits",
    )
    context, page = serve(browser, figure)
    try:
        table = page.get_by_role("table", name="Visits")
        assert not table.is_visible()
        page.locator("#visits summary").click()
        assert table.is_visible()
        assert page.get_by_role("row", name="2026-02 <11").is_visible()
        assert page.get_by_role("img", name="Visits").count() == 1
    finally:
        context.close()
