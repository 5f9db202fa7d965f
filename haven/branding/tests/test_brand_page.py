"""Admin Alice sets the program's name, short name, logo and colours; every page, card, report and
e-mail shows them. Nobody else may change them; bad files and unreadable colours are refused."""

import io

import pytest
from PIL import Image

from haven.branding.models import Brand
from haven.branding.queries import current_program
from haven.branding.tests import images
from haven.core.models import AuditEvent

URL = "/branding/"


def post(client, *, logo=None, **fields):
    data = {"name": "Harbour Health", "short_name": "Harbour", "main_colour": "#13294b",
            "accent_colour": "#ffcc00", **fields}
    if logo is not None:
        data["logo"] = io.BytesIO(logo)
        data["logo"].name = "logo.png"
    return client.post(URL, data)


@pytest.fixture
def branded(alice, client_as):
    response = post(client_as(alice), logo=images.jpeg_with_metadata())
    assert response.status_code == 302, response.content.decode()[:2000]
    return current_program(fresh=True)


def test_admin_sets_the_brand_and_it_is_audited(branded, alice):
    brand = Brand.objects.get()
    assert (brand.name, brand.short_name, brand.main_colour, brand.accent_colour) == (
        "Harbour Health", "Harbour", "#13294b", "#ffcc00")
    assert brand.logo_digest and branded.logo_path.exists()
    event = AuditEvent.objects.filter(object_type="branding.brand").get()
    assert event.actor_id == alice.pk and event.action == "update"
    assert set(event.detail["fields"]) == {"name", "short_name", "main_colour", "accent_colour", "logo"}
    assert event.detail["after"]["logo"] == brand.logo_digest


@pytest.mark.parametrize("persona", ["dana", "bob", "carol"])
def test_only_an_admin_may_change_the_brand(everyone, client_as, persona):
    client = client_as(everyone[persona])
    assert client.get(URL).status_code == 403
    assert post(client).status_code == 403
    assert not Brand.objects.exists()


def test_the_page_shows_the_current_brand_without_inline_styles(branded, alice, client_as):
    page = client_as(alice).get(URL).content.decode()
    assert "Harbour Health" in page and branded.logo_url in page
    assert "style=" not in page and "<style" not in page


def test_every_page_links_the_brand_stylesheet_and_shows_logo_and_short_name(branded, bob, client_as):
    page = client_as(bob).get("/").content.decode()
    assert f'/branding/brand.css?v={branded.version}' in page
    assert f'<img src="{branded.logo_url}"' in page
    assert '<span class="brand-text" aria-hidden="true">Harbour</span>' in page
    assert "<title>Home · Harbour Health</title>" in page


def test_the_stylesheet_sets_the_colours_as_custom_properties(branded, anonymous_client):
    response = anonymous_client.get(f"/branding/brand.css?v={branded.version}")
    css = response.content.decode()
    assert response.status_code == 200 and response["Content-Type"].startswith("text/css")
    assert "--header-bg: #13294b;" in css and "--header-text: #ffffff;" in css
    assert "--brand-accent: #ffcc00;" in css and "--on-brand-accent: #1a1a1a;" in css
    assert "immutable" in response["Cache-Control"]
    assert "immutable" not in anonymous_client.get("/branding/brand.css?v=old").headers["Cache-Control"]


def test_the_logo_is_served_from_haven_as_a_clean_png(branded, anonymous_client):
    response = anonymous_client.get(branded.logo_url)
    data = b"".join(response.streaming_content)
    assert response.status_code == 200 and response["Content-Type"] == "image/png"
    assert "immutable" in response["Cache-Control"]
    image = Image.open(io.BytesIO(data))
    assert image.format == "PNG" and dict(image.getexif()) == {} and b"Jordan" not in data


@pytest.mark.parametrize("digest", ["0" * 64, "../../keys/secret_key", "ABC"])
def test_an_unknown_or_malformed_logo_address_is_404(db, anonymous_client, digest):
    assert anonymous_client.get(f"/branding/logo-{digest}.png").status_code == 404


def test_a_public_page_shows_the_brand_to_anyone(branded, anonymous_client):
    page = anonymous_client.get("/alerts/").content.decode()
    assert "Harbour Health" in page and branded.logo_url in page and "brand.css" in page


def test_the_login_page_says_the_programs_name(branded, anonymous_client):
    assert "Sign in with the username and password your Harbour Health admin gave you." in \
        anonymous_client.get("/login/").content.decode()


def test_the_participant_card_carries_the_name_and_logo(branded, carol, client_as, enrol):
    participant = enrol(by=carol)
    page = client_as(carol).get(f"/participants/{participant.display_id}/card/").content.decode()
    assert "<span>Harbour Health</span>" in page and branded.logo_url in page


def test_a_low_contrast_colour_is_refused_with_the_nearest_readable_one(alice, client_as):
    response = post(client_as(alice), main_colour="#808080")
    page = response.content.decode()
    assert response.status_code == 400
    assert "Text on #808080 reaches only 4.4:1 contrast; it needs 4.5:1" in page
    assert "#838383" in page  # the nearest colour that reaches it
    assert not Brand.objects.exists()


def test_a_low_contrast_colour_is_adjusted_when_asked_and_the_admin_is_told(alice, client_as):
    client = client_as(alice)
    response = post(client, main_colour="#808080", adjust_colours="on")
    assert response.status_code == 302
    assert Brand.objects.get().main_colour == "#838383"
    page = client.get(URL).content.decode()
    assert "was changed to #838383" in page


@pytest.mark.parametrize("colour", ["red", "#12345", "rgb(1,2,3)"])
def test_a_colour_that_is_not_hex_is_refused(alice, client_as, colour):
    response = post(client_as(alice), accent_colour=colour)
    assert response.status_code == 400
    assert "Write the colour as # and six hexadecimal digits" in response.content.decode()


@pytest.mark.parametrize(("logo", "message"), [
    (images.SVG, "This file is not an image Haven can read"),
    (b"GIF89a not really", "This file is not an image Haven can read"),
    (images.huge_png(), "too many pixels"),
    (images.png(8, 8), "a logo needs at least 16 on each side"),
])
def test_a_bad_logo_file_is_refused_and_nothing_is_saved(alice, client_as, logo, message):
    response = post(client_as(alice), logo=logo)
    assert response.status_code == 400
    assert message in response.content.decode()
    assert not Brand.objects.exists()


def test_a_too_large_logo_is_refused_with_its_size_and_the_limit(alice, client_as):
    response = post(client_as(alice), logo=images.noisy_png())
    page = response.content.decode()
    assert response.status_code == 400
    assert "a logo may be at most 1.0\xa0MB" in page
    assert not Brand.objects.exists()


def test_a_name_is_required_and_bounded(alice, client_as):
    assert post(client_as(alice), name="  ").status_code == 400
    assert post(client_as(alice), short_name="x" * 25).status_code == 400
    assert not Brand.objects.exists()


def test_the_logo_can_be_removed(branded, alice, client_as):
    post(client_as(alice), remove_logo="on")
    assert current_program(fresh=True).logo_url == ""


def test_a_logo_file_lost_in_a_restore_leaves_no_broken_image(branded, anonymous_client):
    branded.logo_path.unlink()
    program = current_program(fresh=True)
    assert program.logo_url == "" and program.name == "Harbour Health"
    assert "<img" not in anonymous_client.get("/login/").content.decode()


def test_without_a_brand_haven_uses_the_configured_name_and_its_own_colours(db, anonymous_client, settings):
    settings.HAVEN_PROGRAM_NAME = "Northside Outreach"
    page = anonymous_client.get("/login/").content.decode()
    assert "Northside Outreach" in page and "brand.css" not in page


def test_the_pdf_report_carries_the_name_logo_and_accent(branded):
    from haven.reports.pdf import ReportDocument
    from haven.reports.tests.test_pdf import page_texts, pdf_objects

    document = ReportDocument(title="Annual report", program=branded.name, logo_png=branded.logo_path.read_bytes(),
                              accent=branded.accent_colour)
    pdf = document.render()

    assert "Harbour Health" in page_texts(pdf)[0]
    assert any(b"/Subtype /Image" in head for head, _ in pdf_objects(pdf).values())
    assert b"1 0.8 0 rg" in b"".join(stream for _, stream in pdf_objects(pdf).values())


def test_the_report_export_uses_the_brand(branded, dana, client_as, places):
    response = client_as(dana).get("/reports/ssp-annual-summary/export/pdf/?period=2025")
    assert response.status_code == 200, response.content[:500]
    from haven.reports.tests.test_pdf import page_texts

    assert "Harbour Health" in page_texts(response.content)[0]


def test_alert_e_mails_come_from_the_program_by_name(branded, settings, places):
    from haven.alerts.delivery import confirmation_email
    from haven.alerts.models import Subscriber

    settings.DEFAULT_FROM_EMAIL = "alerts@example.org"
    subscriber = Subscriber(email="someone@example.org")
    message = confirmation_email(subscriber, "https://haven.example.org")

    assert message.from_email == "Harbour Health <alerts@example.org>"
    assert message.subject == "Confirm that you want Harbour Health alerts"
