"""In a real Chromium, at 360 px and 1280 px: a sample tested only with reagents. Staff see what the
colours fit under a heading that says what reagents can and cannot tell, and nothing as found; the
participant's result page lists nothing as found and says, per test, what it could miss. The handover
card's QR code opens the result page with the code filled in.

Screenshots are saved to /tmp/haven-reagent-*.png for people to look at."""

import re

import pytest

from haven.drugchecking import actions
from haven.drugchecking.tests.test_browser_intake_to_alert import sign_in

pytestmark = pytest.mark.browser

WIDTHS = (360, 1280)


@pytest.fixture
def reagent_only_sample(places, bob, dana):
    sample, code = actions.sample_intake(actor=bob, site=places["fixed"], expected="mdma", form="pill",
                                         area=places["north"], consent_publish=True)
    actions.reagent_record(actor=bob, sample=sample, observations={
        "marquis": "purple, black", "mecke": "green, black", "mandelin": "purple, black", "simon": "blue"})
    actions.sample_review(actor=dana, sample=sample, advice="- Start with a small amount.")
    return sample, code


def fits_the_width(page) -> bool:
    return page.evaluate("document.documentElement.scrollWidth <= window.innerWidth + 1")


@pytest.mark.parametrize("width", WIDTHS)
def test_staff_see_colour_fits_never_found_and_the_page_fits_the_screen(browser, live_server, bob,
                                                                      reagent_only_sample, width):
    sample, _code = reagent_only_sample
    page = browser.new_context(viewport={"width": width, "height": 900}, locale="en-US").new_page()
    sign_in(page, live_server, bob)
    page.goto(f"{live_server.url}/checking/{sample.pk}/")

    assert page.get_by_test_id("found").inner_text().strip() == "Nothing found by a confirming test yet."
    assert page.get_by_role("heading", name="What reagents can and cannot tell").is_visible()
    assert "Colours fit:" in page.locator("ol.colour-fits").inner_text()
    assert page.locator("ol.sequence").first.locator("li").all_inner_texts() == ["purple", "black"]
    assert fits_the_width(page)
    bullets = page.locator("ul.actions").evaluate("list => getComputedStyle(list).listStyleType")
    assert bullets == "none"
    page.screenshot(path=f"/tmp/haven-reagent-sample-{width}.png", full_page=True)
    page.context.close()


@pytest.mark.parametrize("width", WIDTHS)
def test_the_participants_page_lists_nothing_as_found_and_says_what_each_test_can_miss(browser, live_server,
                                                                                     reagent_only_sample, width):
    _sample, code = reagent_only_sample
    page = browser.new_context(viewport={"width": width, "height": 900}, locale="en-US").new_page()
    page.goto(f"{live_server.url}/checking/result/")
    page.get_by_label("Your sample code").fill(code)
    page.get_by_role("button", name="See the result").click()

    assert page.get_by_test_id("found").inner_text().strip() == "The tests did not identify a substance."
    assert "What we found" not in page.content()
    methods = page.locator("dl.method-results").inner_text()
    assert "Reagent test" in methods and "Found: nothing it can confirm." in methods
    assert "never confirm" in methods and "fentanyl" in methods
    assert fits_the_width(page)
    page.screenshot(path=f"/tmp/haven-reagent-result-{width}.png", full_page=True)
    page.context.close()


def test_the_handover_cards_qr_link_opens_the_result_page_with_the_code_filled_in(browser, live_server, bob,
                                                                                places):
    page = browser.new_context(viewport={"width": 360, "height": 900}, locale="en-US").new_page()
    sign_in(page, live_server, bob)
    page.goto(f"{live_server.url}/checking/new/")
    page.get_by_label("Sold or expected as").select_option("mdma")
    page.get_by_label("What it looks like").select_option("pill")
    page.get_by_role("button", name="Save and get the code").click()
    page.wait_for_url(re.compile(r"/checking/\d+/handover/$"))
    card = page.get_by_test_id("handover-card")
    code = page.get_by_test_id("sample-code").inner_text().strip()
    assert "Haven" in card.inner_text()  # the program's name is on the card
    assert page.get_by_role("button", name="Print the card").is_visible()
    page.screenshot(path="/tmp/haven-reagent-handover-360.png", full_page=True)
    page.emulate_media(media="print")  # printed: the card, without the site's header and buttons
    assert card.is_visible() and page.locator("svg.sample-qr").is_visible()
    assert not page.get_by_role("button", name="Print the card").is_visible()
    page.screenshot(path="/tmp/haven-reagent-handover-print.png", full_page=True)
    page.emulate_media(media="screen")
    link = card.get_by_role("link").get_attribute("href")
    assert link.endswith(f"#code={code}")

    participant = browser.new_context(viewport={"width": 360, "height": 800}, locale="en-US").new_page()
    participant.goto(link)
    assert participant.get_by_label("Your sample code").input_value() == code
    assert "#code" not in participant.url  # taken out of the address bar and history
    participant.context.close()
    page.context.close()
