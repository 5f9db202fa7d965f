"""The substance vocabulary (data/substances.yaml): one key per substance, with synonyms.

Plain Python, no Django import. Every result Haven stores names substances by these keys, so strips,
reagents, spectrometers and laboratories can be compared and counted together.
"""

from __future__ import annotations

import functools
import re
from dataclasses import dataclass, field
from pathlib import Path

import yaml

DATA = Path(__file__).parent / "data" / "substances.yaml"
CLASSES = ("fentanyl", "nitazene", "opioid", "benzodiazepine", "alpha2-agonist", "depressant", "stimulant",
           "psychedelic", "dissociative", "cannabinoid", "medicine", "cut")
# Classes whose effect is an opioid's: naloxone reverses them.
OPIOID_CLASSES = frozenset({"fentanyl", "nitazene", "opioid"})


@dataclass(frozen=True)
class Substance:
    key: str
    name: str
    substance_class: str
    synonyms: tuple[str, ...] = field(default=())
    sold_as: bool = False

    @property
    def is_opioid(self) -> bool:
        return self.substance_class in OPIOID_CLASSES


class UnknownSubstanceError(ValueError):
    def __init__(self, text: str):
        self.text = text
        super().__init__(f"unknown substance: {text!r}")


def _normal(text: str) -> str:
    return re.sub(r"[\s_]+", " ", str(text or "")).strip().casefold()


@functools.cache
def _load() -> tuple[dict[str, Substance], dict[str, str]]:
    raw = yaml.safe_load(DATA.read_text(encoding="utf-8"))
    by_key: dict[str, Substance] = {}
    names: dict[str, str] = {}
    for entry in raw["substances"]:
        substance = Substance(key=entry["key"], name=entry["name"], substance_class=entry["class"],
                              synonyms=tuple(entry.get("synonyms") or ()), sold_as=bool(entry.get("sold_as")))
        if substance.substance_class not in CLASSES:
            raise ValueError(f"{substance.key}: unknown class {substance.substance_class!r}")
        if substance.key in by_key:
            raise ValueError(f"{substance.key} is listed twice")
        by_key[substance.key] = substance
        for word in (substance.key, substance.name, *substance.synonyms):
            word = _normal(word)
            if names.get(word, substance.key) != substance.key:
                raise ValueError(f"{word!r} names both {names[word]} and {substance.key}")
            names[word] = substance.key
    return by_key, names


def substances() -> list[Substance]:
    return list(_load()[0].values())


def get(key: str) -> Substance:
    return _load()[0][key]


def find(text: str) -> Substance | None:
    """The substance a key, name or synonym stands for (any case, spaces or hyphens); None if none."""
    by_key, names = _load()
    word = _normal(text)
    key = names.get(word) or names.get(word.replace("-", " ")) or names.get(word.replace(" ", "-"))
    return by_key[key] if key else None


def resolve(text: str) -> Substance:
    """Like find(), but an unknown name raises UnknownSubstanceError (so it is never silently dropped)."""
    found = find(text)
    if found is None:
        raise UnknownSubstanceError(str(text))
    return found


def name_of(key: str) -> str:
    found = _load()[0].get(key)
    return found.name if found else key


def class_of(key: str) -> str:
    found = _load()[0].get(key)
    return found.substance_class if found else ""


def sold_as_choices() -> list[tuple[str, str]]:
    return sorted(((s.key, s.name) for s in substances() if s.sold_as), key=lambda pair: pair[1].casefold())


def choices() -> list[tuple[str, str]]:
    return sorted(((s.key, s.name) for s in substances()), key=lambda pair: pair[1].casefold())
