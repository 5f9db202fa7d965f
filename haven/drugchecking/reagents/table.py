"""The reference table: which colours each substance gives with each reagent, and where that comes from.

Haven's table (data/reference.json) is built by ``build_table.py`` from PsychonautWiki's published
reagent data (colour ids with hex values, MIT licence; see data/SOURCE.md), with Haven's literature
entries (data/reactions.yaml, each cited) merged in as reports of their own. A substance may have
several reports for one reagent (sources that disagree): all are kept, and the engine and the pages
show that they differ.

A reagent missing from a substance's reactions is unknown, never "no reaction".
A YAML table in the literature format (``sources`` + ``substances``) loads too (``--table FILE``).
"""

from __future__ import annotations

import json
import re
from dataclasses import dataclass
from functools import lru_cache
from pathlib import Path

import yaml

from .colour import Lab, hex_to_lab, is_hex
from .vocabulary import (
    NO_REACTION,
    REAGENT_KEYS,
    UnknownColourError,
    colour_lab,
    colour_readings,
    normalise_colour,
)

DEFAULT_TABLE = Path(__file__).with_name("data") / "reference.json"
BASE_COLOURS = Path(__file__).with_name("data") / "reagent_colours.yaml"
LITERATURE_TABLE = Path(__file__).with_name("data") / "reactions.yaml"  # merged into reference.json by build_table
SOURCE_LABELS = {"psychonautwiki": "PsychonautWiki", "literature": "Haven's literature table"}


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
class Report:
    """One source's account of a reagent with a substance."""

    expected: Expected
    source: str  # "psychonautwiki" or "literature"

    @property
    def reacts(self) -> bool:
        return self.expected.reacts

    def describe(self) -> str:
        return self.expected.describe()


@dataclass(frozen=True)
class Reference:
    key: str
    name: str
    substance_class: str
    sources: tuple[str, ...]  # full citations
    reactions: dict  # reagent key -> Expected (the first report; kept for callers that want one)
    note: str = ""
    reports: dict = None  # reagent key -> tuple[Report, ...]: every source's account
    aliases: tuple[str, ...] = ()
    classes: tuple[str, ...] = ()
    popular: bool = False

    def describe(self, reagent: str) -> str:
        """What the sources report for a reagent, saying so when they differ."""
        reports = (self.reports or {}).get(reagent, ())
        if not reports:
            return "unknown"
        texts = list(dict.fromkeys(report.describe() for report in reports))
        if len(texts) == 1:
            return texts[0]
        by_source: dict = {}
        for report in reports:
            by_source.setdefault(SOURCE_LABELS.get(report.source, report.source), []).append(report.describe())
        return "sources differ: " + "; ".join(
            f"{label}: {' | '.join(dict.fromkeys(texts))}" for label, texts in by_source.items())


@dataclass(frozen=True, eq=False)  # hashed by identity: the engine caches its indexes per table
class Table:
    references: tuple[Reference, ...]
    sources: dict  # citation key -> citation
    provenance: dict = None  # where the table comes from (source URL, commit, licence)
    own_colours: dict = None  # reagent key -> CIELAB colours the reagent has before any reaction

    def get(self, key: str) -> Reference:
        for reference in self.references:
            if reference.key == key:
                return reference
        raise KeyError(key)

    def find(self, name: str) -> Reference | None:
        """The entry a person means: key, name, alias or street name, with or without a salt form
        ("cocaine HCl", "crack", "Molly", "ketamine hydrochloride"); exact names win over aliases."""
        wanted = _name_key(name)
        if not wanted:
            return None
        names, aliases = _name_indexes(self)
        for candidate in (wanted, _name_key(_SALT.sub(" ", name))):
            if candidate in names:
                return names[candidate]
            if candidate in aliases:
                return aliases[candidate]
        return None


_SALT = re.compile(r"\b(hcl|hydrochloride|hbr|hydrobromide|base|freebase|free base|salt|sulfate|sulphate|citrate|"
                   r"fumarate|phosphate|tartrate|succinate|mesylate|powder|crystals?)\b", re.IGNORECASE)


def _name_key(text: str) -> str:
    return re.sub(r"[^a-z0-9]+", "", str(text).lower().replace("α", "a"))


@lru_cache(maxsize=8)
def _name_indexes(table) -> tuple[dict, dict]:
    names: dict = {}
    aliases: dict = {}
    for reference in table.references:
        names.setdefault(_name_key(reference.key), reference)
        names.setdefault(_name_key(reference.name), reference)
    for reference in table.references:
        qualifier = re.fullmatch(r".*\(([^,()]+)\)", reference.name)  # "Cocaine (Crack)": "crack" means this one
        if qualifier:
            names.setdefault(_name_key(qualifier.group(1)), reference)
    for reference in table.references:
        for alias in reference.aliases:
            aliases.setdefault(_name_key(alias), reference)
    return names, aliases


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
                reports={reagent: (Report(value, "literature"),) for reagent, value in expected.items()},
                classes=(entry["class"].strip(),),
            )
        )
    return Table(references=tuple(references), sources=dict(sources), provenance={})


def _steps_expected(steps: list, colours: dict, slow: bool, where: str) -> Expected:
    """An Expected from published colour ids ("purple2") and their hex values."""
    if not steps:
        return Expected(steps=((NO_REACTION,),), readings=())
    words, readings = [], []
    for colour in steps:
        if colour not in colours:
            raise TableError(f"{where}: colour {colour!r} is not in the table's colours")
        words.append((colour_word(colour),))
        readings.append(((hex_to_lab(colours[colour]), 0.0),))
    return Expected(steps=tuple(words), readings=tuple(readings), may_not_react=slow)


def colour_word(colour_id: str) -> str:
    """'purple2' -> 'purple', 'purple1' -> 'light purple', 'purple3' -> 'dark purple'."""
    word, shade = colour_id.rstrip("0123456789"), colour_id[len(colour_id.rstrip("0123456789")):]
    return {"1": f"light {word}", "3": f"dark {word}"}.get(shade, word)


def parse_reference(data, origin: str = "reference.json") -> Table:
    """Haven's table as written by build_table.py; every problem is a TableError naming where."""
    if not isinstance(data, dict):
        raise TableError(f"{origin}: must be an object")
    for part, kind in (("source", dict), ("citations", dict), ("colours", dict), ("substances", list)):
        if not isinstance(data.get(part), kind):
            raise TableError(f"{origin}: needs '{part}' ({kind.__name__})")
    colours = data["colours"]
    for name, value in colours.items():
        if not isinstance(value, str) or not is_hex(value):
            raise TableError(f"{origin}: colour {name!r} must be a hex code like #5a2d82 (got {value!r})")
    citations = data["citations"]
    references, seen = [], set()
    for index, entry in enumerate(data["substances"]):
        where = f"{origin}: substance #{index + 1}"
        if not isinstance(entry, dict) or not isinstance(entry.get("key"), str) or not entry["key"]:
            raise TableError(f"{where}: needs a 'key'")
        key = entry["key"]
        where = f"{origin}: substance {key!r}"
        if key in seen:
            raise TableError(f"{where}: duplicate key")
        seen.add(key)
        if not isinstance(entry.get("name"), str) or not entry["name"].strip():
            raise TableError(f"{where}: needs a 'name'")
        reactions = entry.get("reactions")
        if not isinstance(reactions, dict) or not reactions:
            raise TableError(f"{where}: needs 'reactions'")
        cited = entry.get("sources") or []
        for source in cited:
            if source not in citations:
                raise TableError(f"{where}: source {source!r} is not listed under 'citations'")
        reports: dict = {}
        for reagent, items in reactions.items():
            if reagent not in REAGENT_KEYS:
                raise TableError(f"{where}: unknown reagent {reagent!r}; known: {', '.join(REAGENT_KEYS)}")
            if not isinstance(items, list) or not items:
                raise TableError(f"{where}, {reagent}: needs a list of reports")
            parsed = []
            for item in items:
                if not isinstance(item, dict) or item.get("source") not in SOURCE_LABELS:
                    raise TableError(f"{where}, {reagent}: each report needs a 'source' ({', '.join(SOURCE_LABELS)})")
                if "steps" in item:
                    if not isinstance(item["steps"], list):
                        raise TableError(f"{where}, {reagent}: 'steps' must be a list of colour ids")
                    expected = _steps_expected(item["steps"], colours, bool(item.get("slow")), f"{where}, {reagent}")
                elif "words" in item:
                    expected = parse_expected(item["words"], f"{where}, {reagent}")
                else:
                    raise TableError(f"{where}, {reagent}: a report needs 'steps' or 'words'")
                parsed.append(Report(expected, item["source"]))
            reports[reagent] = tuple(parsed)
        classes = tuple(str(value) for value in entry.get("classes") or ())
        references.append(Reference(
            key=key,
            name=entry["name"].strip(),
            substance_class=str(entry.get("literature_class") or (classes[0] if classes else "")),
            sources=tuple(" ".join(citations[source].split()) for source in cited),
            reactions={reagent: items[0].expected for reagent, items in reports.items()},
            note=str(entry.get("note", "")).strip(),
            reports=reports,
            aliases=tuple(str(alias) for alias in entry.get("aliases") or ()),
            classes=classes,
            popular=bool(entry.get("popular")),
        ))
    if not references:
        raise TableError(f"{origin}: 'substances' is empty")
    own: dict = {}
    for reagent, entry in (data.get("reagent_colours") or {}).items():
        if reagent not in REAGENT_KEYS or entry.get("colour") not in colours:
            raise TableError(f"{origin}: reagent_colours {reagent!r} needs a known reagent and colour")
        own[reagent] = [hex_to_lab(colours[entry["colour"]])]
    for reagent, phrases in base_colours().items():  # cited by hand (data/reagent_colours.yaml)
        own.setdefault(reagent, []).extend(colour_lab(p) for p in phrases if p != NO_REACTION)
    return Table(references=tuple(references), sources=dict(citations), provenance=dict(data["source"]),
                 own_colours={reagent: tuple(labs) for reagent, labs in own.items() if labs})


def only_source(table: Table, source: str) -> Table:
    """The table with only one source's reports (the held-out evaluation uses PsychonautWiki's alone)."""
    references = []
    for reference in table.references:
        reports = {reagent: tuple(r for r in items if r.source == source) for reagent, items in reference.reports.items()}
        reports = {reagent: items for reagent, items in reports.items() if items}
        if len(reports) < 2:
            continue
        references.append(Reference(
            reference.key, reference.name, reference.substance_class, reference.sources,
            {reagent: items[0].expected for reagent, items in reports.items()}, reference.note, reports,
            reference.aliases, reference.classes, reference.popular))
    return Table(references=tuple(references), sources=table.sources, provenance=table.provenance,
                 own_colours=table.own_colours)


def load_table(path: str | Path) -> Table:
    path = Path(path)
    try:
        text = path.read_text(encoding="utf-8")
    except (OSError, UnicodeDecodeError) as error:
        raise TableError(f"{path}: cannot be read ({error})") from None
    if path.suffix == ".json":
        try:
            data = json.loads(text)
        except json.JSONDecodeError as error:
            raise TableError(f"{path.name}: not valid JSON ({error})") from None
        return parse_reference(data, origin=path.name)
    try:
        # libyaml's loader when PyYAML was built with it: ten times faster than the pure-Python one.
        data = yaml.load(text, Loader=getattr(yaml, "CSafeLoader", yaml.SafeLoader))  # noqa: S506 (safe loaders only)
    except yaml.YAMLError as error:
        raise TableError(f"{path}: not valid YAML ({error})") from None
    return parse_table(data, origin=path.name)


@lru_cache(maxsize=1)
def default_table() -> Table:
    return load_table(DEFAULT_TABLE)


@lru_cache(maxsize=1)
def base_colours() -> dict:
    """reagent key -> (canonical colour phrases the reagent has before any reaction)."""
    data = yaml.safe_load(BASE_COLOURS.read_text(encoding="utf-8"))
    result = {}
    for reagent, entry in data["reagents"].items():
        if reagent not in REAGENT_KEYS or not entry.get("sources"):
            raise TableError(f"{BASE_COLOURS.name}: {reagent!r} needs a known reagent key and its sources")
        result[reagent] = tuple(normalise_colour(word) for word in [entry["colour"], *entry.get("also", [])])
    return result
