"""Admin Alice brands the program in a real browser; the header, a participant card, a public page
and coordinator Dana's home show it at 360 and 1280 px, under the strict CSP, with nothing fetched
from elsewhere. With HAVEN_SCREENSHOT_DIR set, the pages are saved as screenshots
(docs/screenshots/frontdesk/ holds the ones looked at)."""

import io
import os
from pathlib import Path

import pytest
from django_otp.plugins.otp_totp.models import TOTPDevice
from PIL import Image, ImageDraw
from playwright.sync_api import expect

from haven.testing.browser import sign_out

MAIN, ACCENT = "#1d5c4d", "#f2b134"  # a deep green header (white text) and a warm yellow band (dark text)


def logo_file(tmp_path) -> Path:
    """A made-up logo: a yellow disc with a green wave, on a transparent square."""
    image = Image.new("RGBA", (256, 256), (0, 0, 0, 0))
    draw = ImageDraw.Draw(image)
    draw.ellipse((8, 8, 248, 248), fill=(242, 177, 52, 255), outline=(255, 255, 255, 255), width=10)
    draw.polygon([(40, 150), (90, 110), (128, 140), (170, 100), (216, 150), (216, 190), (40, 190)],
                 fill=(29, 92, 77, 255))
    path = tmp_path / "harbour-logo.png"
    buffer = io.BytesIO()
    image.save(buffer, "PNG")
    path.write_bytes(buffer.getvalue())
    return path


def sign_in(page, live_server, client_as, user):
    TOTPDevice.objects.get_or_create(user=user, name="phone", confirmed=True)
    page.context.clear_cookies()
    page.context.add_cookies([{"name": "sessionid", "value": client_as(user).cookies["sessionid"].value,
                               "url": live_server.url}])


def shoot(page, name):
    folder = os.environ.get("HAVEN_SCREENSHOT_DIR")
    if not folder:
        return
    for width in (360, 1280):
        page.set_viewport_size({"width": width, "height": 900})
        page.screenshot(path=str(Path(folder) / f"{name}-{width}.png"), full_page=True)


def header_colour(page) -> str:
    return page.evaluate("getComputedStyle(document.querySelector('.site-header')).backgroundColor")


def no_sideways_scrolling(page):
    for width in (360, 1280):
        page.set_viewport_size({"width": width, "height": 900})
        assert page.evaluate("document.documentElement.scrollWidth - document.documentElement.clientWidth") <= 0


def menu_in_one_row(page):
    """The staff menu still fits one row at 1280 px beside the logo and name."""
    page.set_viewport_size({"width": 1280, "height": 900})
    links = page.locator(".site-header .nav > li")
    assert len({round(links.nth(number).bounding_box()["y"]) for number in range(links.count())}) == 1


@pytest.mark.browser
def test_alice_brands_the_program_and_every_kind_of_page_shows_it(page, live_server, client_as, tmp_path):
    from haven.accounts.models import User
    from haven.demo.data import demo_load
    from haven.participants.models import Participant

    demo_load()
    alice, dana = User.objects.get(username="alice"), User.objects.get(username="dana")

    # The branding page: a colour too light for text is refused, with the nearest one that is not.
    sign_in(page, live_server, client_as, alice)
    page.goto(live_server.url + "/branding/")
    page.get_by_label("Program name").fill("Harbour Health Outreach")
    page.get_by_label("Short name").fill("Harbour")
    page.get_by_label("Logo").set_input_files(str(logo_file(tmp_path)))
    page.get_by_label("Main colour (header)").fill("#5f8a7a")
    page.get_by_label("Accent colour", exact=False).fill(ACCENT)
    page.get_by_role("button", name="Save the brand").click()
    # A click waits for the next page to start, not to finish: expect() waits for what is checked.
    expect(page.get_by_text("it needs 4.5:1 (WCAG AA)")).to_be_visible()
    page.wait_for_load_state()
    # The refusal is answered 400, which Chromium logs as a failed load: expected, and the only one.
    assert page.console_errors == ["Failed to load resource: the server responded with a status of 400 (Bad Request)"]
    page.console_errors.clear()

    page.get_by_label("Logo").set_input_files(str(logo_file(tmp_path)))
    page.get_by_label("Main colour (header)").fill(MAIN)
    page.get_by_role("button", name="Save the brand").click()
    expect(page.get_by_text("The program's brand is saved.")).to_be_visible()
    page.wait_for_load_state()  # the brand's stylesheet and the logo too
    expect(page.locator(".site-header")).to_have_css("background-color", "rgb(29, 92, 77)")
    assert page.locator(".brand img").evaluate("image => image.naturalWidth") == 256
    no_sideways_scrolling(page)
    menu_in_one_row(page)
    shoot(page, "branding")

    # A participant card.
    participant = Participant.objects.order_by("pk").first()
    page.goto(live_server.url + f"/participants/{participant.display_id}/card/")
    assert page.locator(".card-program").inner_text() == "Harbour Health Outreach"
    assert page.locator(".card-program img").evaluate("image => image.complete && image.naturalWidth > 0")
    band = page.evaluate("getComputedStyle(document.querySelector('.card-program')).backgroundColor")
    assert band == "rgb(29, 92, 77)"
    no_sideways_scrolling(page)
    shoot(page, "card")

    # A public page, signed out.
    sign_out(page)
    page.goto(live_server.url + "/alerts/")
    assert page.title().endswith("Harbour Health Outreach")
    assert header_colour(page) == "rgb(29, 92, 77)"
    no_sideways_scrolling(page)
    assert page.locator(".brand-text").is_visible()  # no menu beside it: the name shows
    shoot(page, "public-alerts")

    # Dana's home.
    sign_in(page, live_server, client_as, dana)
    page.goto(live_server.url + "/")
    assert page.get_by_role("heading", name="The program at a glance").is_visible()
    assert header_colour(page) == "rgb(29, 92, 77)"
    no_sideways_scrolling(page)
    menu_in_one_row(page)
    shoot(page, "coordinator-home")

    assert page.console_errors == [] and page.foreign_requests == []
