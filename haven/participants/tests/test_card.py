"""The printable participant card: display id and a QR code of it, never the code."""

import re

from django.test import override_settings

from haven.participants.tests.conftest import CODE


@override_settings(HAVEN_PROGRAM_NAME="Harbour Health", HAVEN_PROGRAM_CONTACT="Text us: 555 0100")
def test_the_card_shows_the_display_id_a_qr_code_and_the_programs_contact(carol, client_as, enrol):
    participant = enrol(by=carol)

    response = client_as(carol).get(f"/participants/{participant.display_id}/card/")

    page = response.content.decode()
    assert response.status_code == 200
    assert f'<p class="card-display-id">{participant.display_id}</p>' in page
    assert re.search(r'<svg[^>]*class="participant-qr"', page)
    assert "Harbour Health" in page and "Text us: 555 0100" in page


def test_the_card_never_shows_the_code(carol, client_as, enrol):
    participant = enrol(by=carol)

    page = client_as(carol).get(f"/participants/{participant.display_id}/card/").content.decode()

    assert CODE not in page
    assert CODE.lower() not in page.lower().replace(participant.display_id.lower(), "")


def test_the_qr_code_holds_the_display_id_only(carol, client_as, enrol):
    import segno

    participant = enrol(by=carol)
    page = client_as(carol).get(f"/participants/{participant.display_id}/card/").content.decode()

    expected = segno.make(participant.display_id, micro=False).svg_inline(
        scale=6, border=4, dark="#000", light="#fff", svgclass="participant-qr", omitsize=True)
    assert expected in page


def test_the_qr_code_scales_to_the_card_instead_of_being_cut_off(carol, client_as, enrol):
    participant = enrol(by=carol)
    page = client_as(carol).get(f"/participants/{participant.display_id}/card/").content.decode()

    svg = re.search(r'<svg[^>]*class="participant-qr"[^>]*>', page).group(0)
    # A fixed width and height without a viewBox crop the code when CSS makes it smaller (30 mm in print).
    assert "viewBox=" in svg
    assert "width=" not in svg and "height=" not in svg


def test_the_card_page_has_no_inline_style_or_script(carol, client_as, enrol):
    participant = enrol(by=carol)

    page = client_as(carol).get(f"/participants/{participant.display_id}/card/").content.decode()

    assert "style=" not in page
    assert re.search(r"<script(?![^>]*\ssrc=)", page) is None
