"""Fact sheets, interaction explanations and labels in the reader's language: the data files'
translations laid over the English ones, field by field, with English (and a note) where a
translation is missing."""

import shutil

import pytest
import yaml

from haven import commandline
from haven.education import interactions, knowledge, translations

HEADER = "# Test translation (English file at commit 0000000), awaiting review by a native speaker.\n"


def _write(path, data):
    path.parent.mkdir(parents=True, exist_ok=True)
    path.write_text(HEADER + yaml.safe_dump(data, allow_unicode=True, sort_keys=False), encoding="utf-8")


@pytest.fixture
def spanish_copy(data_copy):
    """A copy of the data with one Spanish sheet (heroin) missing its safer-use items, and no other sheets."""
    shutil.rmtree(data_copy / "i18n", ignore_errors=True)
    english = translations.flatten_lists(knowledge.read_yaml(data_copy / "substances" / "opioids.yaml"))
    heroin = next(raw for raw in english["substances"] if raw["id"] == "heroin")
    spanish = {
        **heroin,
        "name": "Heroína",
        "summary": "Un opioide hecho a partir de la morfina.",
        "safer_use": {**heroin["safer_use"], "items": []},
    }
    _write(data_copy / "i18n" / "es" / "substances" / "opioids.yaml", {"substances": [spanish]})
    return data_copy


def test_a_translated_sheet_shows_the_translation_and_english_where_a_field_is_missing(spanish_copy):
    kb = knowledge.load(spanish_copy, language="es")
    heroin, english = kb.substances["heroin"], knowledge.load(spanish_copy).substances["heroin"]

    assert (heroin.name, heroin.language, heroin.reviewed) == ("Heroína", "es", False)
    assert heroin.summary == "Un opioide hecho a partir de la morfina."
    assert heroin.safer_use.items == english.safer_use.items
    assert heroin.untranslated and all(path.startswith("safer_use.items") for path in heroin.untranslated)


def test_a_sheet_with_no_translation_stays_in_english_and_says_so(spanish_copy):
    kb = knowledge.load(spanish_copy, language="es")

    fentanyl = kb.substances["fentanyl"]
    assert fentanyl.language == "en" and fentanyl.name == "Fentanyl"


def test_a_translation_cannot_change_ids_classes_sources_or_names(spanish_copy):
    path = spanish_copy / "i18n" / "es" / "substances" / "opioids.yaml"
    data = knowledge.read_yaml(path)
    data["substances"][0].update(classes=["stimulant"], names=["caballo"])
    data["substances"][0]["risks"]["sources"] = ["who-alcohol"]
    _write(path, data)

    heroin = knowledge.load(spanish_copy, language="es").substances["heroin"]

    assert heroin.classes == ("opioid", "depressant") and "caballo" not in heroin.names
    assert "who-alcohol" not in [s.key for s in heroin.risks.sources]


def test_names_are_compared_without_accents():
    assert knowledge.name_key("Cocaína") == knowledge.name_key("cocaina") == "cocaina"
    assert knowledge.name_key("Héroïne") == "heroine"


def test_interaction_explanations_come_from_the_translation_rule_by_rule(data_copy):
    shutil.rmtree(data_copy / "i18n", ignore_errors=True)
    rules = knowledge.read_yaml(data_copy / "interactions.yaml")
    rules["rules"][0]["explanation"] = "Juntos hacen la respiración mucho más lenta."
    rules["rules"][1]["explanation"] = ""  # not translated yet
    _write(data_copy / "i18n" / "es" / "interactions.yaml", rules)

    checker = interactions.load(data_copy, language="es")
    first, second = checker.rules[0], checker.rules[1]

    assert (first.explanation, first.language) == ("Juntos hacen la respiración mucho más lenta.", "es")
    assert second.language == "en" and second.explanation == interactions.load(data_copy).rules[1].explanation
    assert (first.risk, first.sides, first.sources) == (
        interactions.load(data_copy).rules[0].risk,
        *(lambda r: (r.sides, r.sources))(interactions.load(data_copy).rules[0]),
    )


def test_tripsit_ratings_and_unknown_pairs_are_explained_in_the_catalogue_language():
    checker = interactions.default_checker("es")
    unknown = checker.pair(checker.find("xylazine"), checker.find("lithium"))

    assert unknown.as_dict()["explanation"] == commandline.translator("es")(interactions.UNKNOWN_EXPLANATION)
    assert unknown.as_dict()["explanation"] != interactions.UNKNOWN_EXPLANATION


@pytest.mark.parametrize(
    ("value", "expected"),
    [
        ("es-MX", "es"),
        ("es_ES.UTF-8", "es"),
        ("fr_CA", "fr"),
        ("de", "en"),
        ("", "en"),
        (None, "en"),
        ("C.UTF-8", "en"),
    ],
)
def test_a_language_code_is_read_from_a_locale(value, expected):
    assert commandline.language_code(value) == expected


def test_the_command_line_reads_the_language_from_the_environment(monkeypatch):
    for name in ("LANGUAGE", "LC_ALL", "LC_MESSAGES"):
        monkeypatch.delenv(name, raising=False)
    monkeypatch.setenv("LANG", "fr_FR.UTF-8")

    assert commandline.environment_language() == "fr"
