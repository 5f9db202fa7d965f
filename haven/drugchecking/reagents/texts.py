"""The reagent table's words for a reader, in Spanish and French: a substance's display name and its note.

Plain Python, no Django. `data/reactions.yaml` (Haven's literature entries) has a translation that
mirrors it, `data/i18n/<language>/reactions.yaml`: the same entries, keys, classes, sources and
reactions, with only `name` and `note` translated (checked by
haven/education/tests/test_translation_files.py).

An interpretation is saved in English (`Candidate.substance`, `Candidate.note`, the groups' names):
it is translated when it is shown, by the candidate's key, so interpretations saved before a
translation existed are shown translated too. A text is translated only when it is the English text
the translation was made from: a note saved from an older table, or a name from PsychonautWiki's data
that the literature entry does not give, is shown as it was saved.
"""

from __future__ import annotations

import re
from functools import lru_cache
from pathlib import Path

import yaml

DATA_DIR = Path(__file__).with_name("data")
_QUALIFIER = re.compile(r"\s*\([^()]*\)\s*$")  # "Methylone (bk-MDMA)" -> "Methylone"


def translation_file(language: str, data_dir: Path = DATA_DIR) -> Path:
    return Path(data_dir) / "i18n" / language / "reactions.yaml"


def _read(path: Path) -> list:
    data = yaml.load(path.read_text(encoding="utf-8"), Loader=getattr(yaml, "CSafeLoader", yaml.SafeLoader))  # noqa: S506 (safe loaders only)
    return [
        entry
        for entry in (data or {}).get("substances") or []
        if isinstance(entry, dict) and entry.get("key")
    ]


def _plain(text) -> str:
    return " ".join(str(text or "").split())


@lru_cache(maxsize=8)
def _entries(language: str, data_dir: Path = DATA_DIR) -> dict:
    """key -> (English name, English note, translated name, translated note); {} for English or no file."""
    path = translation_file(language, data_dir)
    if language in ("", "en") or not path.is_file():
        return {}
    english = {entry["key"]: entry for entry in _read(Path(data_dir) / "reactions.yaml")}
    entries = {}
    for entry in _read(path):
        source = english.get(entry["key"])
        if source is None:
            continue
        entries[entry["key"]] = (
            _plain(source.get("name")),
            _plain(source.get("note")),
            _plain(entry.get("name")),
            _plain(entry.get("note")),
        )
    return entries


def _bare(name: str) -> str:
    return _QUALIFIER.sub("", name)


def substance_name(key: str, name: str, language: str) -> str:
    """A substance's display name in the language, when the translation gives the same name.

    The table's names come from PsychonautWiki's data where it has the substance ("Methylone") and
    from the literature entry otherwise ("Methylone (bk-MDMA)"): a name that is the literature name
    without its trailing qualifier is translated the same way ("Méthylone")."""
    found = _entries(language).get(key)
    if not found or not name:
        return name
    english, _note, translated, _translated_note = found
    if not translated:
        return name
    if _plain(name) == english:
        return translated
    if _plain(name).casefold() == _bare(english).casefold() and _bare(translated):
        return _bare(translated)
    return name


def substance_note(key: str, note: str, language: str) -> str:
    """A substance's note in the language, when it is the note the translation was made from."""
    found = _entries(language).get(key)
    if not found or not note:
        return note
    _name, english, _translated_name, translated = found
    return translated if translated and _plain(note) == english else note


@lru_cache(maxsize=8)
def _names(language: str) -> dict:
    """English display name -> translated name, for names that come without a key (in a caution's text)."""
    names = {}
    for english, _note, translated, _translated_note in _entries(language).values():
        if translated:
            names.setdefault(english, translated)
            names.setdefault(_bare(english).casefold(), _bare(translated))
    return names


def name_in_text(name: str, language: str) -> str:
    """A display name found without its key (as in "These reagents cannot tell apart: MDMA, MDA")."""
    names = _names(language)
    return names.get(name) or names.get(name.casefold()) or name


def localized_interpretation(data: dict, language: str) -> dict:
    """A saved interpretation (Interpretation.as_dict()) with its candidates' names and notes and its
    groups' names in the language; everything else as saved. The saved dict is not changed."""
    if not data or language in ("", "en"):
        return dict(data or {})
    shown = dict(data)
    shown["candidates"] = [
        {
            **candidate,
            "substance": substance_name(candidate.get("key", ""), candidate.get("substance", ""), language),
            "note": substance_note(candidate.get("key", ""), candidate.get("note", ""), language),
        }
        for candidate in data.get("candidates") or []
    ]
    groups = []
    for group in data.get("groups") or []:
        keys = group.get("keys") or []
        names = [
            substance_name(keys[i], name, language) if i < len(keys) else name_in_text(name, language)
            for i, name in enumerate(group.get("names") or [])
        ]
        groups.append({**group, "names": names})
    if "groups" in data:
        shown["groups"] = groups
    return shown


def candidate_notes(data: dict, groups: int = 3) -> list[tuple[list, str]]:
    """The notes of the candidates in the first groups of an interpretation (as shown), each note once
    with the names it is about: [(["PMA", "PMMA"], "Does not turn Marquis purple, ...")]."""
    notes: dict = {}
    for candidate in (data or {}).get("candidates") or []:
        if candidate.get("note") and candidate.get("group", 0) < groups:
            names = notes.setdefault(candidate["note"], [])
            if candidate.get("substance") and candidate["substance"] not in names:
                names.append(candidate["substance"])
    return [(names, note) for note, names in notes.items()]
