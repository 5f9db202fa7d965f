"""The public education pages, the API and the commands in Spanish: the data files' translations, a
short note where a sheet is not (yet) translated or not yet reviewed, and Spanish names typed in the
checker. The seed translations relate to the editor as the English data files do: they are the starting
text, and a version reviewed and published in the editor replaces them."""

import json

import pytest
import yaml

from haven.education import actions, interactions, knowledge
from haven.education.cli import main as interactions_main

pytestmark = pytest.mark.django_db
SPANISH = {"HTTP_ACCEPT_LANGUAGE": "es"}


def test_a_fact_sheet_in_spanish_shows_the_translation_and_says_it_awaits_a_native_speakers_review(
    anonymous_client,
):
    content = anonymous_client.get("/learn/substances/fentanyl/", **SPANISH).content.decode()

    assert "<h1>Fentanilo</h1>" in content
    assert "Un opioide sintético entre 50 y 100 veces más potente que la morfina." in content
    assert "Esta traducción está pendiente de revisión por una persona hablante nativa." in content
    assert "tira reactiva de fentanilo" in content and "inyectada" in content  # labels from vocabulary
    assert "https://nida.nih.gov/publications/drugfacts/fentanyl" in content  # sources unchanged


def test_the_same_sheet_in_english_has_no_translation_note(anonymous_client):
    content = anonymous_client.get("/learn/substances/fentanyl/").content.decode()

    assert "<h1>Fentanyl</h1>" in content
    assert "translation-note" not in content and "not yet translated" not in content


def test_a_sheet_with_no_translation_is_shown_in_english_with_a_note_in_the_readers_language(
    anonymous_client, monkeypatch
):
    english = knowledge.default()
    monkeypatch.setattr(knowledge, "default", lambda language="en": english)

    content = anonymous_client.get("/learn/substances/fentanyl/", **SPANISH).content.decode()

    assert "<h1>Fentanyl</h1>" in content
    assert "Esta ficha aún no está traducida. Se muestra en inglés." in content
    assert '<article class="fact-sheet" lang="en">' in content


def test_a_spanish_version_reviewed_and_published_in_the_editor_replaces_the_seed(
    anonymous_client, dana, alice
):
    text = knowledge.sheet_text("heroin", language="es")
    raw = yaml.safe_load(text)
    assert raw["name"] == "Heroína" and raw["classes"] == ["opioid", "depressant"]
    raw["summary"] = "Un opioide hecho a partir de la morfina; revisado por una persona hablante nativa."
    draft = actions.sheet_draft_save(
        actor=dana,
        substance_id="heroin",
        language="es",
        content=yaml.safe_dump(raw, allow_unicode=True, sort_keys=False),
    )
    actions.sheet_submit(actor=dana, version=draft)
    actions.sheet_review(actor=alice, version=draft, approve=True)
    actions.sheet_publish(actor=alice, version=draft)

    content = anonymous_client.get("/learn/substances/heroin/", **SPANISH).content.decode()

    assert "revisado por una persona hablante nativa" in content
    assert "pendiente de revisión" not in content


def test_coordinators_see_which_languages_hold_a_seed_translation_awaiting_review(client_as, dana):
    content = client_as(dana).get("/learn/edit/").content.decode()

    assert "Seed translation, awaiting native review" in content


def test_the_editor_starts_a_spanish_draft_from_the_seed_translation(client_as, dana):
    content = client_as(dana).get("/learn/edit/heroin/?language=es").content.decode()

    assert "Heroína" in content and "awaits review by a native speaker" in content


def test_the_checker_in_spanish_explains_pairs_in_spanish_and_accepts_spanish_names(anonymous_client):
    response = anonymous_client.get("/learn/interactions/", {"q": "benzodiacepinas y alcohol"}, **SPANISH)
    content = response.content.decode()

    assert response.status_code == 200
    assert "Benzodiacepinas (cualquiera)" in content
    assert "Lagunas de memoria, vómitos estando sedada y respiración lenta." in content


@pytest.mark.parametrize(
    "query",
    [
        "opioides, cocaína",
        "éxtasis y hongos",
        "alcool et champignons",
        "heroina con xanax",
        "cocaina, extasis",
    ],
)
def test_spanish_and_french_names_work_in_any_language(anonymous_client, query):
    response = anonymous_client.get("/learn/interactions/", {"q": query})

    assert response.status_code == 200, response.content.decode()[:500]


def test_a_tripsit_rating_is_explained_in_spanish():
    checker = interactions.default_checker("es")
    pair = checker.pair(checker.find("dxm"), checker.find("lsd"))

    assert pair.rule.origin == "tripsit" and pair.rule.explanation.startswith("Calificada como")


def test_the_api_answers_in_the_language_asked_for(anonymous_client):
    sheet = anonymous_client.get("/api/education/substances/fentanyl", {"language": "es"}).json()
    pairs = anonymous_client.get("/api/education/interactions", {"q": "cocaína, alcohol"}, **SPANISH).json()

    assert (sheet["name"], sheet["language"], sheet["translation_reviewed"]) == ("Fentanilo", "es", False)
    assert sheet["risks"]["sources"] == ["nida-fentanyl", "euda-fentanyl", "friedman-2022-xylazine"]
    assert pairs["pairs"][0]["explanation"].startswith("El cuerpo fabrica cocaetileno")


def test_the_interactions_command_answers_in_spanish(capsys):
    assert interactions_main(["--language", "es", "crack", "alcohol", "xilacina"]) == 0

    out = capsys.readouterr().out
    assert "Crack + Alcohol: PELIGROSA (riesgo 3 de 3; los efectos aumentan)" in out
    assert "cocaetileno" in out and "Fuentes:" in out


def test_the_interactions_command_reads_lang_from_the_environment(capsys, monkeypatch):
    for name in ("LANGUAGE", "LC_ALL", "LC_MESSAGES"):
        monkeypatch.delenv(name, raising=False)
    monkeypatch.setenv("LANG", "es_MX.UTF-8")

    assert interactions_main(["--json", "xilacina", "litio"]) == 0

    [pair] = json.loads(capsys.readouterr().out)
    assert pair["risk"] == "unknown" and pair["explanation"].startswith("No hay información")


def test_an_unknown_name_in_spanish_is_reported_in_spanish(capsys):
    assert interactions_main(["--language", "es", "heroína", "fentanil"]) == 2

    err = capsys.readouterr().err
    assert "sustancia desconocida 'fentanil'" in err and "¿Quisiste decir:" in err


@pytest.mark.parametrize(
    ("query", "sheet"),
    [
        ("hongos", "psilocybin"),
        ("cocaína", "cocaine"),
        ("champignons", "psilocybin"),
        ("synthetic cathinones", "cathinones"),
    ],
)
def test_the_fact_sheet_search_finds_a_sheet_by_its_spanish_or_french_name_in_any_language(
    anonymous_client, query, sheet
):
    for headers in ({}, SPANISH):
        content = anonymous_client.get("/learn/", {"q": query}, **headers).content.decode()

        assert f'href="/learn/substances/{sheet}/"' in content


def test_a_translated_name_that_is_also_one_of_the_sheets_names_is_not_listed_twice(anonymous_client):
    content = anonymous_client.get("/learn/substances/crack-cocaine/", **SPANISH).content.decode()

    assert "<h1>Crack</h1>" in content
    assert "<dd>rock, rocks, freebase, base</dd>" in content
