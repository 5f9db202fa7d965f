"""What the sources say about a substance (a reagent reference note, e.g. PMA's "highly toxic at doses
sold as MDMA") in the reader's language: saved in English with each test and translated by the
substance's key when it is shown, on the staff pages, the participant's result, the API and
`haven reagents --language`."""

import pytest
from django.utils import translation
from ninja.testing import TestClient

from haven.drugchecking import actions
from haven.drugchecking.api import router
from haven.drugchecking.models import Analysis
from haven.drugchecking.reagents import cli, interpret
from haven.drugchecking.reagents.texts import localized_interpretation, substance_name, substance_note
from haven.drugchecking.tests.support import reviewed

PMA_NOTE = "Does not turn Marquis purple, unlike MDMA; highly toxic at doses sold as MDMA."
PMA_ES = "No vuelve morado el reactivo de Marquis, a diferencia de la MDMA; muy tóxica en las dosis"
PMA_FR = "Ne fait pas virer le réactif de Marquis au violet, contrairement à la MDMA"
# Colours that PMA (and 4-FA) fit: no Marquis colour, Robadope pink.
PMA_COLOURS = {"marquis": "no reaction", "simon": "no reaction", "robadope": "pink", "ehrlich": "no reaction"}


@pytest.mark.parametrize(("language", "expected"), [("es", PMA_ES), ("fr", PMA_FR)])
def test_a_note_is_shown_in_the_readers_language(language, expected):
    assert substance_note("pma", PMA_NOTE, language).startswith(expected)
    assert substance_note("pma", PMA_NOTE, "en") == PMA_NOTE


def test_a_note_that_is_not_the_one_translated_stays_as_saved():
    older = "An older note about PMA."

    assert substance_note("pma", older, "es") == older
    assert substance_note("no_such_key", PMA_NOTE, "es") == PMA_NOTE


def test_a_name_is_translated_when_it_is_the_literature_name_with_or_without_its_qualifier():
    assert substance_name("methylone", "Methylone (bk-MDMA)", "es") == "Metilona (bk-MDMA)"
    assert substance_name("methylone", "Methylone", "fr") == "Méthylone"  # PsychonautWiki's name for it
    assert substance_name("methoxetamine", "MXE", "es") == "MXE"  # not the name the translation gives
    assert substance_name("amphetamine", "Amphetamine", "en") == "Amphetamine"


def test_an_interpretation_is_translated_for_display_and_the_saved_one_keeps_english():
    saved = interpret(PMA_COLOURS).as_dict()

    shown = localized_interpretation(saved, "es")

    [pma] = [c for c in shown["candidates"] if c["key"] == "pma"]
    assert pma["note"].startswith(PMA_ES)
    assert [c for c in saved["candidates"] if c["key"] == "pma"][0]["note"] == PMA_NOTE
    assert shown["groups"][0]["keys"] == saved["groups"][0]["keys"]


@pytest.mark.parametrize(("language", "expected"), [("es", PMA_ES), ("fr", PMA_FR), ("en", PMA_NOTE)])
def test_haven_reagents_prints_the_note_in_the_language_asked_for(language, expected, capsys):
    argv = ["--language", language, *(f"{reagent}={colours}" for reagent, colours in PMA_COLOURS.items())]

    assert cli.main(argv) == 0

    assert expected in capsys.readouterr().out


@pytest.fixture
def pma_test(mdma_pill, bob):
    sample, code = mdma_pill
    actions.reagent_record(actor=bob, sample=sample, observations=PMA_COLOURS)
    return sample, code


@pytest.mark.parametrize(("language", "expected"), [("es", PMA_ES), ("fr", PMA_FR)])
def test_staff_see_the_note_in_their_language_on_the_sample_page(
    pma_test, bob, client_as, language, expected
):
    sample, _code = pma_test
    assert Analysis.objects.get().interpretation["candidates"]  # saved in English
    client = client_as(bob)

    page = client.get(f"/checking/{sample.pk}/", HTTP_ACCEPT_LANGUAGE=language).content.decode()

    assert "PMA: " + expected.replace("’", "&#x27;") in page.replace("’", "&#x27;")
    assert PMA_NOTE not in page


def test_the_participant_sees_the_note_in_spanish(pma_test, dana, anonymous_client):
    sample, code = pma_test
    reviewed(sample, dana)

    page = anonymous_client.post(
        "/checking/result/", {"code": code}, HTTP_ACCEPT_LANGUAGE="es"
    ).content.decode()

    assert PMA_ES in page and PMA_NOTE not in page


def test_the_api_gives_the_note_in_the_requests_language(pma_test, bob):
    sample, _code = pma_test
    api = TestClient(router)

    with translation.override("fr"):  # LocaleMiddleware does this for a request asking for French
        french = api.get(f"/samples/{sample.pk}", auth=bob, user=bob).json()
    with translation.override("en"):
        english = api.get(f"/samples/{sample.pk}", auth=bob, user=bob).json()

    [reagent] = [analysis for analysis in french["analyses"] if analysis["method"] == Analysis.Method.REAGENT]
    assert any(PMA_FR in note for note in reagent["notes"])
    assert "PMA: " + PMA_NOTE in english["analyses"][0]["notes"]
