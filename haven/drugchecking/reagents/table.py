"""The reference table: which colours each substance gives with each reagent, and where that comes from.

The table is a YAML file (data/reactions.yaml) with two parts:

    sources:            # citation key -> full citation
      unodc_1994: "UNODC, Rapid testing methods of drugs of abuse, ST/NAR/13/REV.1 (1994)"
    substances:
      - key: mdma
        name: MDMA
        class: entactogen (MDxx)
        sources: [unodc_1994, dancesafe]
        reactions:
          marquis: purple, black          # a sequence over time, first colour first
          ehrlich: no reaction            # the source says it does not react
          robadope: orange or red         # "or": either is seen (alternatives for one step)

A reagent missing from ``reactions`` is unknown, never "no reaction".
"""

from __future__ import annotations

from dataclasses import dataclass
from functools import lru_cache
from pathlib import Path

import yaml

from .colour import Lab
from .vocabulary import NO_REACTION, REAGENT_KEYS, UnknownColourError, colour_readings, normalise_colour

DEFAULT_TABLE = Path(__file__).with_name("data") / "reactions.yaml"


class TableError(ValueError):
    """The reference table is invalid; the message names the entry and the problem."""


@dataclass(frozen=True)
class Expected:
    """What a reagent does with a substance: NO_REACTION, or ordered steps each with alternatives."""

    steps: tuple[tuple[str, ...], ...]  # ((NO_REACTION,),) when the source reports no reaction
    readings: tuple[tuple[tuple[Lab, float], ...], ...]  # per step: every (CIELAB, cost) reading of its alternatives
    may_not_react: bool = False  # "no reaction or light yellow": a faint or slow reaction, often missed

    @property
    def reacts(self) -> bool:
        return self.steps != ((NO_REACTION,),)

    def describe(self) -> str:
        if not self.reacts:
            return NO_REACTION
        text = ", ".join(" or ".join(step) for step in self.steps)
        return f"no reaction or {text}" if self.may_not_react else text


@dataclass(frozen=True)
class Reference:
    key: str
    name: str
    substance_class: str
    sources: tuple[str, ...]  # full citations
    reactions: dict  # reagent key -> Expected
    note: str = ""


@dataclass(frozen=True, eq=False)  # hashed by identity: the engine caches weights per table
class Table:
    references: tuple[Reference, ...]
    sources: dict  # citation key -> citation

    def get(self, key: str) -> Reference:
        for reference in self.references:
            if reference.key == key:
                return reference
        raise KeyError(key)


def parse_expected(text, where: str) -> Expected:
    if not isinstance(text, str) or not text.strip():
        raise TableError(f"{where}: a reaction must be text like 'purple, black' (got {text!r})")
    steps = []
    for raw_step in text.split(","):
        if "->" in raw_step or ">" in raw_step:
            raise TableError(f"{where}: separate steps with commas, not arrows ({text!r})")
        alternatives = []
        for alternative in raw_step.split(" or "):
            try:
                alternatives.append(normalise_colour(alternative))
            except UnknownColourError as error:
                raise TableError(f"{where}: {error}") from None
        steps.append(tuple(alternatives))
    flat = [colour for step in steps for colour in step]
    if flat == [NO_REACTION]:
        return Expected(steps=((NO_REACTION,),), readings=())
    may_not_react = False
    if NO_REACTION in flat:
        # Only "no reaction or <colour>" (a faint or slow single-step reaction) is meaningful.
        if len(steps) > 1 or steps[0][0] != NO_REACTION:
            raise TableError(f"{where}: 'no reaction' may only come first, as in 'no reaction or light yellow' "
                             f"({text!r})")
        steps = [steps[0][1:]]
        may_not_react = True
    readings = tuple(tuple(reading for colour in step for reading in colour_readings(colour)) for step in steps)
    return Expected(steps=tuple(steps), readings=readings, may_not_react=may_not_react)


def parse_table(data, origin: str = "table") -> Table:
    if not isinstance(data, dict) or "substances" not in data or "sources" not in data:
        raise TableError(f"{origin}: needs top-level 'sources' and 'substances'")
    sources = data["sources"]
    if not isinstance(sources, dict) or not sources:
        raise TableError(f"{origin}: 'sources' must map citation keys to citations")
    for key, citation in sources.items():
        if not isinstance(citation, str) or not citation.strip():
            raise TableError(f"{origin}: source {key!r} has no citation text")
    entries = data["substances"]
    if not isinstance(entries, list) or not entries:
        raise TableError(f"{origin}: 'substances' must be a non-empty list")
    references = []
    seen = set()
    for index, entry in enumerate(entries):
        where = f"{origin}: substance #{index + 1}"
        if not isinstance(entry, dict):
            raise TableError(f"{where}: must be a mapping")
        key = entry.get("key")
        if not isinstance(key, str) or not key:
            raise TableError(f"{where}: missing 'key'")
        where = f"{origin}: substance {key!r}"
        if key in seen:
            raise TableError(f"{where}: duplicate key")
        seen.add(key)
        unknown_fields = set(entry) - {"key", "name", "class", "sources", "reactions", "note"}
        if unknown_fields:
            raise TableError(f"{where}: unknown fields {sorted(unknown_fields)}")
        for field in ("name", "class"):
            if not isinstance(entry.get(field), str) or not entry[field].strip():
                raise TableError(f"{where}: missing '{field}'")
        cited = entry.get("sources")
        if not isinstance(cited, list) or not cited:
            raise TableError(f"{where}: missing 'sources' (every entry needs at least one)")
        for source in cited:
            if source not in sources:
                raise TableError(f"{where}: source {source!r} is not listed under 'sources'")
        reactions = entry.get("reactions")
        if not isinstance(reactions, dict) or not reactions:
            raise TableError(f"{where}: missing 'reactions'")
        expected = {}
        for reagent, text in reactions.items():
            if reagent not in REAGENT_KEYS:
                raise TableError(f"{where}: unknown reagent {reagent!r}; known: {', '.join(REAGENT_KEYS)}")
            expected[reagent] = parse_expected(text, f"{where}, {reagent}")
        references.append(
            Reference(
                key=key,
                name=entry["name"].strip(),
                substance_class=entry["class"].strip(),
                sources=tuple(sources[source].strip() for source in cited),
                reactions=expected,
                note=str(entry.get("note", "")).strip(),
            )
        )
    return Table(references=tuple(references), sources=dict(sources))


def load_table(path: str | Path) -> Table:
    path = Path(path)
    try:
        text = path.read_text(encoding="utf-8")
    except (OSError, UnicodeDecodeError) as error:
        raise TableError(f"{path}: cannot be read ({error})") from None
    try:
        # libyaml's loader when PyYAML was built with it: ten times faster than the pure-Python one.
        data = yaml.load(text, Loader=getattr(yaml, "CSafeLoader", yaml.SafeLoader))  # noqa: S506 (safe loaders only)
    except yaml.YAMLError as error:
        raise TableError(f"{path}: not valid YAML ({error})") from None
    return parse_table(data, origin=path.name)


@lru_cache(maxsize=1)
def default_table() -> Table:
    return load_table(DEFAULT_TABLE)
