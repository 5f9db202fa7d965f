"""Spanish and French rule sets: loaded for text in those languages, with sources, and never mixed up
with English."""

from __future__ import annotations

import pytest

from haven.language.checker import Checker
from haven.language.cli import language_for, main
from haven.language.rules import LANGUAGE_RULES, load_rules

SPANISH = Checker(rules_paths=[LANGUAGE_RULES["es"]])
FRENCH = Checker(rules_paths=[LANGUAGE_RULES["fr"]])


def rules_in(checker, text):
    return {finding.rule for finding in checker.check(text)}


@pytest.mark.parametrize(
    "text, rule",
    [
        ("Los toxicómanos del barrio piden jeringas.", "es-drogadicto"),
        ("Un drogadicto entró en la farmacia.", "es-drogadicto"),
        ("Mi hermano es un adicto, dijo ella.", "es-adicto"),
        ("Las ex adictas organizan el grupo.", "es-adicto"),
        ("Su madre era una alcohólica.", "es-alcoholico"),
        ("Lleva dos años limpio de cocaína.", "es-limpio-sucio"),
        ("El abuso de sustancias en la adolescencia.", "es-abuso"),
    ],
)
def test_spanish_labels_are_reported(text, rule):
    assert rule in rules_in(SPANISH, text)


@pytest.mark.parametrize(
    "text",
    [
        "Una persona adicta a la heroína puede recibir metadona.",
        "Es adicta al trabajo.",
        "Las bebidas alcohólicas están prohibidas.",
        "La cocina está limpia.",
        "Personas que usan drogas.",
    ],
)
def test_spanish_look_alikes_are_left_alone(text):
    assert rules_in(SPANISH, text) == set()


@pytest.mark.parametrize(
    "text, rule",
    [
        ("Les toxicomanes du quartier demandent des seringues.", "fr-toxicomane"),
        ("Un drogué est entré dans la pharmacie.", "fr-drogue"),
        ("Les accros ont fait la queue.", "fr-drogue"),
        ("Sa mère était une alcoolique.", "fr-alcoolique"),
        ("Elle est clean depuis deux ans, sans cocaïne.", "fr-propre-sale"),
        ("L'abus d'alcool chez les jeunes.", "fr-abus"),
    ],
)
def test_french_labels_are_reported(text, rule):
    assert rule in rules_in(FRENCH, text)


@pytest.mark.parametrize(
    "text",
    [
        "Il est accro au chocolat.",
        "Les boissons alcooliques sont interdites.",
        "La cuisine est propre.",
        "Personnes qui consomment des drogues.",
    ],
)
def test_french_look_alikes_are_left_alone(text):
    assert rules_in(FRENCH, text) == set()


def test_each_language_has_its_own_rules_with_sources():
    for language in ("es", "fr"):
        rules = load_rules([LANGUAGE_RULES[language]])
        assert rules and all(rule.id.startswith(f"{language}-") for rule in rules)
        assert all(rule.sources and rule.examples_match and rule.examples_no_match for rule in rules)


def test_english_rules_do_not_load_the_other_languages(checker):
    assert not any(rule.id.startswith(("es-", "fr-")) for rule in checker.rules)


@pytest.mark.parametrize(
    "name, text, language",
    [
        ("haven/locale/es/LC_MESSAGES/django.po", "", "es"),
        ("locale/fr_CA/LC_MESSAGES/django.po", "", "fr"),
        ("django.po", 'msgid ""\nmsgstr ""\n"Language: fr\\n"\n', "fr"),
        ("docs/help.es.md", "", "es"),
        ("docs/help.md", "", None),
    ],
)
def test_the_language_of_a_file_comes_from_its_path_or_header(name, text, language):
    assert language_for(name, text) == language


def test_a_translated_po_file_is_checked_with_its_languages_rules(tmp_path, capsys):
    folder = tmp_path / "locale" / "es" / "LC_MESSAGES"
    folder.mkdir(parents=True)
    (folder / "django.po").write_text(
        'msgid "People who use drugs"\nmsgstr "Los drogadictos"\n', encoding="utf-8"
    )

    assert main([str(folder / "django.po")]) == 1
    assert "es-drogadicto" in capsys.readouterr().out


def test_language_can_be_given_on_the_command_line(tmp_path, capsys):
    path = tmp_path / "page.txt"
    path.write_text("Les toxicomanes sont bienvenus.\n", encoding="utf-8")

    assert main([str(path)]) == 0  # English rules: nothing to report
    assert main(["--language", "fr", str(path)]) == 1
    assert "fr-toxicomane" in capsys.readouterr().out


def test_an_unknown_language_is_bad_input(tmp_path, capsys):
    path = tmp_path / "page.txt"
    path.write_text("Hola.\n", encoding="utf-8")

    assert main(["--language", "de", str(path)]) == 2
