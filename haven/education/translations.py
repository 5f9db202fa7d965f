"""Translations of Haven's public data files (fact sheets, interaction explanations, labels).

Plain Python, no Django import. A data file with text a reader sees may have a translation that
mirrors it, at `<data root>/i18n/<language>/<same path>`:

    haven/education/data/substances/opioids.yaml
    haven/education/data/i18n/es/substances/opioids.yaml

The translation has exactly the same structure (keys, list lengths, ids); only the *text* fields
(`TEXT_KEYS`, per kind of file) differ. Ids, enumerations, sources, numbers and name lists stay as
they are. The loaders lay a translation over its English file field by field (`overlay`): a text
the translation lacks is shown in English and reported, so a page can say so. `mirror_problems` is
the strict check the tests run on every translation file.

The command-line tools' language and `gettext` (from Haven's compiled catalogues) are in
`haven.commandline`.
"""

from __future__ import annotations

import re
from pathlib import Path
from typing import Any

# Which fields of each kind of data file are text for a reader (a key anywhere on the path to a
# string makes it text). Everything else must be identical to the English file.
TEXT_KEYS = {
    "substances/*.yaml": frozenset(
        {"name", "summary", "note", "items", "signs", "response", "onset", "duration", "amount", "basis"}
    ),
    "interactions.yaml": frozenset({"explanation", "mechanism"}),
    "vocabulary.yaml": frozenset({"classes", "routes", "tests"}),
    "queries.yaml": frozenset({"name"}),
    # haven/drugchecking/reagents/data: a substance's display name and its note; reactions, classes and
    # sources stay English (haven/drugchecking/reagents/texts.py reads it).
    "reactions.yaml": frozenset({"name", "note"}),
}
HEADER = re.compile(r"^#.*\bcommit [0-9a-f]{7,40}\b", re.MULTILINE)
# Common English words that would show a sentence was left in English (none is a Spanish or French word).
ENGLISH_WORDS = frozenset(
    {
        "the",
        "and",
        "with",
        "of",
        "to",
        "is",
        "are",
        "your",
        "you",
        "it",
        "can",
        "may",
        "this",
        "that",
        "when",
        "if",
        "or",
        "be",
        "take",
        "use",
        "from",
    }
)


def gettext_noop(message: str) -> str:
    """Marks a message for the catalogues (makemessages extracts it) without translating it yet."""
    return message


def translation_path(data_root: Path, english_path: Path, language: str) -> Path:
    """Where the translation of a data file lives: `<data root>/i18n/<language>/<same relative path>`."""
    return Path(data_root) / "i18n" / language / Path(english_path).relative_to(data_root)


def available_languages(data_root: Path) -> list[str]:
    """The languages with a translation folder under a data root."""
    folder = Path(data_root) / "i18n"
    return sorted(path.name for path in folder.iterdir() if path.is_dir()) if folder.is_dir() else []


def text_keys_for(relative_path: str | Path) -> frozenset:
    relative = Path(relative_path).as_posix()
    for pattern, keys in TEXT_KEYS.items():
        if Path(relative).match(pattern) and relative.count("/") == pattern.count("/"):
            return keys
    raise KeyError(f"{relative}: no translatable fields are declared for this kind of file (TEXT_KEYS)")


def _is_text(path: tuple, text_keys: frozenset) -> bool:
    return any(part in text_keys for part in path if isinstance(part, str))


def overlay(english: Any, translated: Any, text_keys: frozenset, path: tuple = ()) -> tuple[Any, list[str]]:
    """The English data with the translation's text laid over it, and the paths of texts left in English.

    Only text fields are taken from the translation; everything else comes from the English file, so
    a translation can never change an id, a class, a source or a number. A missing, empty or
    mis-shaped part of the translation leaves the English text (reported as untranslated)."""
    if isinstance(english, dict):
        other = translated if isinstance(translated, dict) else {}
        merged, missing = {}, []
        for key, value in english.items():
            merged[key], lacking = overlay(value, other.get(key), text_keys, (*path, key))
            missing += lacking
        return merged, missing
    if isinstance(english, list):
        other = (
            translated
            if isinstance(translated, list) and len(translated) == len(english)
            else [None] * len(english)
        )
        merged, missing = [], []
        for index, (value, theirs) in enumerate(zip(english, other, strict=True)):
            item, lacking = overlay(value, theirs, text_keys, (*path, index))
            merged.append(item)
            missing += lacking
        return merged, missing
    if isinstance(english, str) and _is_text(path, text_keys):
        if isinstance(translated, str) and translated.strip():
            return translated, []
        return english, [dotted(path)]
    return english, []


def dotted(path: tuple) -> str:
    return "".join(
        f"[{part}]" if isinstance(part, int) else (f".{part}" if i else str(part))
        for i, part in enumerate(path)
    )


def mirror_problems(english: Any, translated: Any, text_keys: frozenset, path: tuple = ()) -> list[str]:
    """Every way a translation fails to mirror its English file: structure, ids, enumerations, sources
    and names must be identical; text must be translated (a text left as the English one is allowed
    only for a name or a unit of at most two words: "MDMA", "Cannabis")."""
    where = dotted(path) or "(top)"
    if isinstance(english, dict):
        if not isinstance(translated, dict):
            return [f"{where}: expected a mapping, as in the English file"]
        problems = []
        if set(english) != set(translated):
            extra, lacking = (
                sorted(map(str, set(translated) - set(english))),
                sorted(map(str, set(english) - set(translated))),
            )
            problems.append(f"{where}: keys differ from the English file (missing {lacking}, extra {extra})")
        for key in english:
            if key in translated:
                problems += mirror_problems(english[key], translated[key], text_keys, (*path, key))
        return problems
    if isinstance(english, list):
        if not isinstance(translated, list) or len(translated) != len(english):
            got = len(translated) if isinstance(translated, list) else type(translated).__name__
            return [f"{where}: expected a list of {len(english)} items, as in the English file (got {got})"]
        return [
            problem
            for index, (a, b) in enumerate(zip(english, translated, strict=True))
            for problem in mirror_problems(a, b, text_keys, (*path, index))
        ]
    if isinstance(english, str) and _is_text(path, text_keys):
        if not isinstance(translated, str) or not translated.strip():
            return [f"{where}: the translation is empty"]
        if translated.strip() == english.strip() and len(english.split()) > 2:
            return [f"{where}: left in English: {english[:80]!r}"]
        leaked = sorted(set(re.findall(r"[a-z]+", translated.lower())) & ENGLISH_WORDS)
        if len(leaked) >= 2 and translated.strip() != english.strip():
            return [f"{where}: looks partly English (words {', '.join(leaked)}): {translated[:80]!r}"]
        return []
    if english != translated:
        return [
            f"{where}: must stay {english!r} as in the English file (got {translated!r}); only text is translated"
        ]
    return []


def flatten_lists(value: Any) -> Any:
    """Lists that include another list by YAML alias (`[*opioid-signs, Seizures.]`) flattened, everywhere."""
    if isinstance(value, dict):
        return {key: flatten_lists(item) for key, item in value.items()}
    if isinstance(value, list):
        flat = []
        for item in value:
            flat.extend(item if isinstance(item, list) else [item])
        return [flatten_lists(item) for item in flat]
    return value
