"""WCAG 2.2 AA on every page, in every language: axe-core in a real Chromium.

axe-core 4.14.1 (MPL-2.0, vendored in haven/testing/vendor/axe-core/, run only by the tests and never
served) checks each public page and each staff page the admin may open (the URL resolver lists
them, as in test_browser_phone_width.py, so a new page is checked without changing this test), in
English, Spanish and French, with the demo program's data. Any violation, of any impact, fails.
The sweep does not depend on the database, so it runs once, on SQLite.
"""

from pathlib import Path

import pytest
from django.conf import settings
from django.db import connection
from django.urls import reverse

from haven.accounts import permissions
from haven.accounts.tests.test_permission_matrix import url_converters
from haven.core.tests.test_browser_phone_width import NOT_PAGES, example_kwargs, open_page, staff_pages
from haven.encounters.tests.test_browser_entry_speed import signed_in

pytestmark = pytest.mark.browser

AXE = Path(__file__).resolve().parents[2] / "testing" / "vendor" / "axe-core" / "axe.min.js"
# WCAG 2.0, 2.1 and 2.2, levels A and AA, and axe's best practices.
TAGS = ["wcag2a", "wcag2aa", "wcag21a", "wcag21aa", "wcag22aa", "best-practice"]
LANGUAGES = tuple(code for code, _name in settings.LANGUAGES)  # a new language is checked too
# Public URLs that are not pages (a feed, an export, the health check, the service worker) or
# that need a token from an e-mail.
NOT_PUBLIC_PAGES = NOT_PAGES | {"alerts-feed", "directory-export", "health", "alerts-subscribe-confirm",
                                "alerts-unsubscribe", "education-interaction-suggestions"}


def public_pages():
    from haven.directory.models import Service

    kwargs = example_kwargs()
    service = Service.objects.first()
    if service is not None:
        kwargs["service_id"] = service.pk
    kwargs["substance_id"] = "fentanyl"
    for name, converters in sorted(url_converters().items()):
        if name.startswith("api:") or name in NOT_PUBLIC_PAGES:
            continue
        if permissions.rule_for(name, "get") is not permissions.PUBLIC:
            continue
        if not set(converters) <= set(kwargs):
            continue
        yield name, reverse(name, kwargs={key: kwargs[key] for key in converters} or None)


# axe cannot measure text drawn inside an <svg>: any SVG element behind a text makes its colour
# check "incomplete" ("imgNode", whatever the colours). Chart text is one colour on one background,
# INK on PAPER, 17:1, which haven/reports/tests/test_charts_colours.py checks for every text style
# of the renderer; so chart text is taken out of axe's colour results, and only those. (Filtered
# after the run: an `exclude` context changes how axe scrolls and leaves other texts undecided.)
RUN = r"""async (tags) => {
  const result = await axe.run(document, {runOnly: {type: 'tag', values: tags},
                                          resultTypes: ['violations', 'incomplete']});
  const inChart = (node) => {
    const element = document.querySelector(node.target[0]);
    return element !== null && element.closest('.haven-chart__svg') !== null;
  };
  for (const group of [result.violations, result.incomplete]) {
    for (const rule of group) {
      if (rule.id === 'color-contrast') rule.nodes = rule.nodes.filter((node) => !inChart(node));
    }
  }
  // A one-character text (a table cell's "0": "shortTextContent") or a symbol (the visit form's "−":
  // "nonBmp") is one axe will not decide: its colours are checked here instead, against the WCAG AA
  // ratio for its size.
  const channel = (value) => { const c = value / 255; return c <= 0.04045 ? c / 12.92 : ((c + 0.055) / 1.055) ** 2.4; };
  const luminance = ([r, g, b]) => 0.2126 * channel(r) + 0.7152 * channel(g) + 0.0722 * channel(b);
  const rgba = (text) => (text.match(/[\d.]+/g) || []).map(Number);
  const background = (element) => {
    for (let node = element; node; node = node.parentElement) {
      const colour = rgba(getComputedStyle(node).backgroundColor);
      if (colour.length === 3 || (colour.length === 4 && colour[3] === 1)) return colour.slice(0, 3);
      if (colour.length === 4 && colour[3] > 0) return null;  // translucent: cannot tell, keep axe's verdict
      if (getComputedStyle(node).backgroundImage !== 'none') return null;
    }
    return [255, 255, 255];
  };
  const decidedHere = (node) => {
    const data = (node.any || []).map((check) => check.data).find((d) => d && d.messageKey) || {};
    if (data.messageKey !== 'shortTextContent' && data.messageKey !== 'nonBmp') return false;
    const element = document.querySelector(node.target[0]);
    if (element === null) return false;
    const style = getComputedStyle(element);
    const fg = rgba(style.color), bg = background(element);
    if (bg === null || fg.length < 3 || (fg.length === 4 && fg[3] !== 1)) return false;
    const [light, dark] = [luminance(fg.slice(0, 3)), luminance(bg)].sort((a, b) => b - a);
    const large = parseFloat(style.fontSize) >= 24 || (parseFloat(style.fontSize) >= 18.66 && Number(style.fontWeight) >= 700);
    return (light + 0.05) / (dark + 0.05) >= (large ? 3 : 4.5);
  };
  for (const rule of result.incomplete) {
    if (rule.id === 'color-contrast') rule.nodes = rule.nodes.filter((node) => !decidedHere(node));
  }
  result.violations = result.violations.filter((rule) => rule.nodes.length);
  result.incomplete = result.incomplete.filter((rule) => rule.nodes.length);
  return result;
}"""


def axe_violations(page) -> list[str]:
    page.evaluate(AXE.read_text(encoding="utf-8"))  # evaluate is not subject to the page's CSP
    # Only violations and incomplete results are collected in full: listing every passing node is
    # most of axe's time on a long page.
    result = page.evaluate(RUN, TAGS)
    # Colour contrast that axe cannot decide (text over an image or a gradient) is fixed, not left
    # for a person to review: those count as violations too.
    found = result["violations"] + [item for item in result["incomplete"] if item["id"] == "color-contrast"]
    return [f"{v['id']} ({v['impact']}): {v['help']} — " + "; ".join(described(node) for node in v["nodes"][:3])
            for v in found]


def described(node) -> str:
    """Where, and for colour contrast the colours axe measured, so a failure says what to change."""
    data = next((check.get("data") for check in node.get("any", []) if isinstance(check.get("data"), dict)), None)
    if data and "fgColor" in data:
        return (f"{node['target'][0]} ({data.get('fgColor')} on {data.get('bgColor')}, "
                f"{data.get('contrastRatio')}:1, {data.get('messageKey') or ''})")
    return str(node["target"][0])


def sweep(page, live_server, pages, *, staff: bool = False) -> tuple[list, list]:
    # axe scrolls each text into view and reads what is on top at once; a smooth scroll (haven.css,
    # when no reduced motion is asked for) would leave the text off screen and the check undecided.
    page.emulate_media(reduced_motion="reduce")
    # A desktop screen: at a phone's width axe cannot decide the colours of text scrolled out of a
    # wide table's box. Phones are checked by test_browser_phone_width.py (WCAG 1.4.10, reflow).
    page.set_viewport_size({"width": 1280, "height": 800})
    checked, problems = [], []
    for language in LANGUAGES:
        page.context.add_cookies([{"name": "django_language", "value": language, "url": live_server.url}])
        for name, url in pages:
            if open_page(page, f"{live_server.url}{url}") is None:
                continue
            if staff and "/account/two-factor/" in page.url and "two-factor" not in name:
                # Sent to the second-factor page: this page itself was never seen.
                problems.append(f"[{language}] {name} {url}: redirected to {page.url}")
                continue
            checked.append((language, name))
            problems += [f"[{language}] {name} {url}: {line}" for line in axe_violations(page)]
    return checked, problems


@pytest.fixture
def demo():
    if connection.vendor != "sqlite":
        pytest.skip("database-independent sweep: runs once, on SQLite")
    from haven.demo.data import demo_load

    demo_load()


def test_every_public_page_passes_axe_in_three_languages(demo, page, live_server):
    pages = list(public_pages())
    checked, problems = sweep(page, live_server, pages)
    assert len(checked) >= 3 * 10, checked
    assert problems == [], "\n".join(problems)


def test_every_staff_page_passes_axe_in_three_languages(demo, page, live_server):
    from django_otp.plugins.otp_totp.models import TOTPDevice

    from haven.accounts.models import User

    # An admin must pass a second factor: with a confirmed device the personas' sign-in marks the
    # session verified. Without one, every page would be the two-factor set-up page, checked 70 times.
    alice = User.objects.get(username="alice")
    TOTPDevice.objects.get_or_create(user=alice, name="phone", defaults={"confirmed": True})
    signed_in(page, live_server, alice)
    pages = list(staff_pages())
    checked, problems = sweep(page, live_server, pages, staff=True)
    assert len(checked) >= 3 * 60, len(checked)
    assert problems == [], "\n".join(problems)


def test_a_faint_symbol_or_short_text_still_fails_where_axe_leaves_it_undecided(page):
    # The sweep decides "−" and one-character cells itself (RUN above); a faint one must still fail.
    page.set_content('<!DOCTYPE html><html lang="en"><head><title>Check</title></head><body><main><h1>Check</h1>'
                     '<button type="button" style="color:#bbbbbb;background:#ffffff">\u2212</button>'
                     '<button type="button" style="color:#1a1a1a;background:#ffffff">+</button>'
                     '<table><tr><th>n</th></tr><tr><td style="color:#c8c8c8">0</td></tr></table></main></body></html>')
    problems = axe_violations(page)
    assert any(line.startswith("color-contrast") and "button" in line for line in problems), problems
    assert any(line.startswith("color-contrast") and "td" in line for line in problems), problems
