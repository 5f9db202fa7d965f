"""Every translation of a data file mirrors its English file: same keys, ids, enumerations, sources,
numbers and names; only the text a reader sees differs, and none of it is left in English.

Parametrized over every language folder present (`data/i18n/<language>/`), so a new language's files
are checked as soon as they are added."""

from pathlib import Path

import pytest
import yaml

from haven.education import knowledge, translations

DATA_ROOTS = [
    knowledge.DATA_DIR,
    Path(knowledge.DATA_DIR).parent.parent / "drugchecking" / "reagents" / "data",
]


def _translation_files():
    for root in DATA_ROOTS:
        for language in translations.available_languages(root):
            folder = root / "i18n" / language
            for path in sorted(folder.rglob("*.yaml")):
                yield pytest.param(root, language, path, id=f"{language}/{path.relative_to(folder)}")


def _english_text_files(root):
    """The English files with reader-facing text under a data root (the kinds TEXT_KEYS declares)."""
    found = []
    for path in sorted(root.rglob("*.yaml")):
        relative = path.relative_to(root)
        if relative.parts[0] == "i18n":
            continue
        try:
            translations.text_keys_for(relative)
        except KeyError:
            continue
        found.append(relative)
    return found


TRANSLATIONS = list(_translation_files())


def test_there_are_translations_to_check():
    assert any(param.values[1] == "es" for param in TRANSLATIONS)


@pytest.mark.parametrize(("root", "language", "path"), TRANSLATIONS)
def test_a_translation_mirrors_its_english_file(root, language, path):
    relative = path.relative_to(root / "i18n" / language)
    english_path = root / relative
    assert english_path.exists(), f"{path}: no English file {relative} to mirror"
    text_keys = translations.text_keys_for(relative)
    english = translations.flatten_lists(knowledge.read_yaml(english_path))
    translated = translations.flatten_lists(knowledge.read_yaml(path))

    problems = translations.mirror_problems(english, translated, text_keys)

    assert not problems, f"{path} does not mirror {english_path}:\n" + "\n".join(problems[:40])


@pytest.mark.parametrize(("root", "language", "path"), TRANSLATIONS)
def test_a_translation_says_which_english_commit_it_comes_from_and_that_it_awaits_review(
    root, language, path
):
    head = "\n".join(path.read_text(encoding="utf-8").splitlines()[:8])

    assert translations.HEADER.search(head), f"{path}: the top comment must name the English file's commit"
    assert "review" in head.lower(), f"{path}: the top comment must say the translation awaits review"


@pytest.mark.parametrize("language", sorted({p.values[1] for p in TRANSLATIONS}))
def test_the_knowledge_base_and_the_checker_load_in_every_language_present(language):
    from haven.education import interactions

    kb = knowledge.load(language=language)
    checker = interactions.load(language=language)

    assert kb.language == language and len(kb.substances) == len(knowledge.default().substances)
    assert len(checker.rules) == len(interactions.default_checker().rules)


# The check itself: it must catch what a translator could get wrong.

ENGLISH = {
    "substances": [
        {
            "id": "heroin",
            "name": "Heroin",
            "names": ["dope", "H"],
            "classes": ["opioid"],
            "summary": "An opioid made from morphine.",
            "dose": {
                "ranges": [{"route": "oral", "amount": "60–120 mg a day", "basis": "WHO guidance"}],
                "note": "Start low and go slow.",
                "sources": ["who-opioid-treatment"],
            },
            "overdose": {
                "signs": ["Slow breathing."],
                "naloxone": "reverses",
                "sources": ["who-opioid-overdose"],
            },
        }
    ]
}
TEXT_KEYS = translations.text_keys_for("substances/opioids.yaml")


def _spanish():
    return {
        "substances": [
            {
                "id": "heroin",
                "name": "Heroína",
                "names": ["dope", "H"],
                "classes": ["opioid"],
                "summary": "Un opioide hecho a partir de la morfina.",
                "dose": {
                    "ranges": [{"route": "oral", "amount": "60–120 mg al día", "basis": "Guía de la OMS"}],
                    "note": "Empieza con poco y ve despacio.",
                    "sources": ["who-opioid-treatment"],
                },
                "overdose": {
                    "signs": ["Respiración lenta."],
                    "naloxone": "reverses",
                    "sources": ["who-opioid-overdose"],
                },
            }
        ]
    }


def test_a_faithful_translation_passes():
    assert translations.mirror_problems(ENGLISH, _spanish(), TEXT_KEYS) == []


@pytest.mark.parametrize(
    ("change", "expected"),
    [
        (lambda s: s["substances"][0].update(id="heroina"), "must stay 'heroin'"),
        (lambda s: s["substances"][0].update(classes=["opioide"]), "must stay 'opioid'"),
        (lambda s: s["substances"][0]["names"].append("caballo"), "expected a list of 2 items"),
        (
            lambda s: s["substances"][0]["dose"].update(sources=["who-alcohol"]),
            "must stay 'who-opioid-treatment'",
        ),
        (lambda s: s["substances"][0]["overdose"].update(naloxone="revierte"), "must stay 'reverses'"),
        (
            lambda s: s["substances"][0]["dose"]["ranges"][0].update(route="oral ", amount="x"),
            "must stay 'oral'",
        ),
        (
            lambda s: s["substances"][0]["overdose"]["signs"].append("Convulsiones."),
            "expected a list of 1 items",
        ),
        (lambda s: s["substances"][0].pop("summary"), "keys differ"),
        (lambda s: s["substances"][0].update(summary="An opioid made from morphine."), "left in English"),
        (
            lambda s: s["substances"][0].update(summary="Un opioide made from the morphine and it."),
            "partly English",
        ),
        (lambda s: s["substances"][0]["dose"].update(note=""), "empty"),
    ],
)
def test_the_mirror_check_catches_what_a_translation_must_not_change(change, expected):
    spanish = _spanish()
    change(spanish)

    problems = translations.mirror_problems(ENGLISH, spanish, TEXT_KEYS)

    assert any(expected in problem for problem in problems), problems


def test_a_name_or_unit_may_stay_as_in_english():
    spanish = _spanish()
    spanish["substances"][0]["name"] = "Heroin"

    assert translations.mirror_problems(ENGLISH, spanish, TEXT_KEYS) == []


def test_a_translation_file_that_is_not_yaml_is_refused_with_its_line(data_copy):
    broken = data_copy / "i18n" / "es" / "interactions.yaml"
    broken.parent.mkdir(parents=True, exist_ok=True)
    broken.write_text("rules: [\n", encoding="utf-8")

    with pytest.raises(knowledge.KnowledgeError, match="invalid YAML at line"):
        from haven.education import interactions

        interactions.load(data_copy, language="es")


def test_yaml_anchors_in_a_translation_are_flattened_like_the_english_ones():
    text = "a: &steps [Uno., Dos.]\nb: [*steps, Tres.]\n"

    assert translations.flatten_lists(yaml.safe_load(text)) == {
        "a": ["Uno.", "Dos."],
        "b": ["Uno.", "Dos.", "Tres."],
    }


def test_every_english_file_with_text_has_a_spanish_translation():
    missing = [
        str(root / relative)
        for root in DATA_ROOTS
        for relative in _english_text_files(root)
        if not (root / "i18n" / "es" / relative).exists()
    ]
    assert any(_english_text_files(root) for root in DATA_ROOTS[1:])  # the reagents' reactions.yaml counts

    assert not missing, f"no Spanish translation of: {', '.join(missing)}"


def test_every_spanish_sheet_is_translated_in_full():
    kb = knowledge.load(language="es")

    partial = {s.id: s.untranslated for s in kb.substances.values() if s.language != "es" or s.untranslated}
    assert not partial


# A list in a data file is shown as bullets, one per item. Written as a YAML flow sequence,
# `signs: [Panic, vomiting, confusion.]` is three items, not one sentence: a comma splits it. Every
# item of every list Haven shows begins a sentence or a phrase of its own, so it starts with a
# capital letter or a digit (after an opening quote or an inverted mark); an item that starts in
# lower case is a fragment of the item before it.

_OPENING = "\"'“«¿¡(‘ \u00a0\u202f"


def list_fragments(data, text_keys, path=()):
    """Items of reader-facing text lists that start in lower case: (path, item)."""
    found = []
    if isinstance(data, dict):
        for key, value in data.items():
            found += list_fragments(value, text_keys, (*path, key))
    elif isinstance(data, list):
        for index, item in enumerate(data):
            if isinstance(item, str) and translations._is_text(path, text_keys):
                first = item.lstrip(_OPENING)[:1]
                if first and not (first.isupper() or first.isdigit()):
                    found.append((translations.dotted((*path, index)), item))
            else:
                found += list_fragments(item, text_keys, (*path, index))
    return found


def _education_files():
    root = knowledge.DATA_DIR
    for language in ("", *(f"i18n/{code}/" for code in translations.available_languages(root))):
        for relative in _english_text_files(root):
            path = root / language / relative
            if path.exists():
                yield pytest.param(path, relative, id=f"{language or 'en/'}{relative}")


@pytest.mark.parametrize(("path", "relative"), list(_education_files()))
def test_no_list_item_is_a_fragment_of_a_sentence_split_by_a_comma(path, relative):
    data = translations.flatten_lists(knowledge.read_yaml(path))

    fragments = list_fragments(data, translations.text_keys_for(relative))

    assert not fragments, (
        f"{path}: list items that start in lower case (a comma split a sentence?):\n"
        + "\n".join(f"{where}: {item!r}" for where, item in fragments[:20])
    )


def test_the_fragment_check_catches_a_sentence_split_by_commas():
    old_cannabis = yaml.safe_load(
        "overdose:\n  signs: [Panic, vomiting, confusion, fast heartbeat; in children, drowsiness and trouble breathing.]\n"
    )
    fixed = yaml.safe_load(
        "overdose:\n  signs: ['Panic, vomiting, confusion, fast heartbeat; in children, drowsiness and trouble breathing.']\n"
    )
    keys = translations.text_keys_for("substances/cannabinoids-and-medicines.yaml")

    assert [where for where, _item in list_fragments(old_cannabis, keys)] == [
        "overdose.signs[1]",
        "overdose.signs[2]",
        "overdose.signs[3]",
        "overdose.signs[4]",
    ]
    assert list_fragments(fixed, keys) == []
    assert list_fragments({"signs": ["«\u00a0Cœur rapide\u00a0»", "¿Respira?", "2 doses."]}, keys) == []
