"""The substance knowledge base: fact sheets as YAML data, loaded and validated here.

Plain Python, no Django import, so the data can be checked, searched and used from the command
line (`haven interactions`) and in tests on its own. The data lives in `data/`:

- `vocabulary.yaml`: the classes, routes and drug checking tests a fact sheet may name;
- `sources.yaml`: every source, by key (title, publisher, year, url);
- `substances/*.yaml`: the fact sheets, one list of substances per file.

docs/EDUCATION.md describes every key. Any problem (unknown key, missing source, a name used by
two substances) raises `KnowledgeError` naming the file and the entry.
"""

from __future__ import annotations

import dataclasses
import difflib
import functools
import re
import unicodedata
from dataclasses import dataclass, field
from pathlib import Path
from typing import Any

import yaml

from haven import commandline
from haven.education import translations

DATA_DIR = Path(__file__).resolve().parent / "data"

NALOXONE = ("reverses", "may-help", "does-not-reverse")
# Each fact group: its own keys (required ones first) and whether it may be left out.
FACT_GROUPS = {
    "timing": ({"by_route"}, {"note"}),
    "dose": ({"note"}, {"ranges"}),
    "risks": ({"items"}, set()),
    "safer_use": ({"items"}, set()),
    "overdose": ({"signs", "response", "naloxone"}, set()),
    "drug_checking": ({"tests", "note"}, set()),
}
SUBSTANCE_REQUIRED = {"id", "name", "names", "classes", "summary", "routes", *FACT_GROUPS}
SUBSTANCE_OPTIONAL = {"form_of"}
SOURCE_KEYS = {"title", "publisher", "year", "url"}
_ID = re.compile(r"^[a-z0-9]+(?:-[a-z0-9]+)*$")


class KnowledgeError(ValueError):
    """A data file is not valid; the message names the file and, when known, the entry."""

    def __init__(self, path: Path | str, message: str, entry: str | None = None):
        self.path = str(path)
        self.entry = entry
        where = f"{self.path}: {entry}" if entry else self.path
        super().__init__(f"{where}: {message}")


class UnknownSubstance(LookupError):
    """A name matches no substance; `suggestions` holds the closest known names."""

    def __init__(self, name: str, suggestions: list[str]):
        self.name = name
        self.suggestions = suggestions
        hint = f" Did you mean: {', '.join(suggestions)}?" if suggestions else ""
        super().__init__(f"unknown substance {name!r}.{hint}")


@dataclass(frozen=True)
class Source:
    key: str
    title: str
    publisher: str
    year: int
    url: str

    def as_dict(self) -> dict:
        return {"key": self.key, "title": self.title, "publisher": self.publisher, "year": self.year,
                "url": self.url}


@dataclass(frozen=True)
class FactGroup:
    """One group of facts (timing, risks, ...) with the sources it was taken from."""

    values: dict[str, Any]
    sources: tuple[Source, ...]

    def __getattr__(self, name):
        try:
            return self.__dict__["values"][name]
        except KeyError:
            raise AttributeError(name) from None


@dataclass(frozen=True)
class Substance:
    id: str
    name: str
    names: tuple[str, ...]
    classes: tuple[str, ...]
    summary: str
    routes: tuple[str, ...]
    timing: FactGroup
    dose: FactGroup
    risks: FactGroup
    safer_use: FactGroup
    overdose: FactGroup
    drug_checking: FactGroup
    form_of: str | None = None
    path: str = ""
    language: str = "en"  # the language of the text: the reader's, or "en" when the sheet has no translation
    untranslated: tuple[str, ...] = ()  # fields shown in English because the translation lacks them
    reviewed: bool = True  # False for a translation no native speaker has reviewed yet (the data files' seed)

    @property
    def root(self) -> str:
        """The substance this is a form of (crack cocaine: cocaine), or its own id."""
        return self.form_of or self.id

    @property
    def all_names(self) -> tuple[str, ...]:
        return (self.name, *self.names)

    @property
    def sources(self) -> list[Source]:
        """Every source the sheet cites, once, in the order the groups cite them."""
        seen: dict[str, Source] = {}
        for group in (self.timing, self.dose, self.risks, self.safer_use, self.overdose, self.drug_checking):
            for source in group.sources:
                seen.setdefault(source.key, source)
        return list(seen.values())


@dataclass
class KnowledgeBase:
    substances: dict[str, Substance]
    sources: dict[str, Source]
    classes: dict[str, str]
    routes: dict[str, str]
    tests: dict[str, str]
    _names: dict[str, str] = field(default_factory=dict, repr=False)
    language: str = "en"

    def find(self, name: str) -> Substance:
        """The substance a common, brand or street name stands for (case and punctuation ignored)."""
        substance_id = self._names.get(name_key(name))
        if substance_id is None:
            raise UnknownSubstance(name, self.suggest(name))
        return self.substances[substance_id]

    def suggest(self, name: str, limit: int = 3) -> list[str]:
        """Known names close to a misspelt one, best first."""
        spellings: dict[str, str] = {}
        for substance in self.substances.values():
            for known in substance.all_names:
                spellings.setdefault(known.casefold(), known)
        close = difflib.get_close_matches(name.casefold().strip(), list(spellings), n=limit, cutoff=0.6)
        return [spellings[match] for match in close]

    def search(self, text: str) -> list[Substance]:
        """Substances any of whose names contains the text (all of them for an empty text)."""
        wanted = name_key(text)
        return [s for s in self.sorted() if not wanted or any(wanted in name_key(n) for n in (s.id, *s.all_names))]

    def sorted(self) -> list[Substance]:
        return sorted(self.substances.values(), key=lambda s: s.name.casefold())

    def topics(self) -> list[dict[str, str]]:
        """Education topics for other apps (the encounter form): each substance's id and name."""
        return [{"id": s.id, "name": s.name} for s in self.sorted()]


def name_key(name: str) -> str:
    """How names are compared: case, accents ("cocaína" is "cocaina"), width forms, spaces and
    punctuation do not count."""
    decomposed = unicodedata.normalize("NFKD", unicodedata.normalize("NFKC", str(name)).casefold())
    return re.sub(r"[\W_]+", "", "".join(c for c in decomposed if not unicodedata.combining(c)))


@functools.lru_cache(maxsize=4)
def default(language: str = "en") -> KnowledgeBase:
    """Haven's own knowledge base, loaded once per process and language (English text where a
    translation is missing)."""
    return load(language=commandline.language_code(language))


def topics() -> list[dict[str, str]]:
    return default().topics()


# Loading --------------------------------------------------------------------------------------


def read_yaml(path: Path) -> Any:
    """A YAML file's content; a missing, binary, empty or malformed file is a KnowledgeError."""
    try:
        data = path.read_bytes()
    except FileNotFoundError:
        raise KnowledgeError(path, "file not found") from None
    except OSError as error:
        raise KnowledgeError(path, f"cannot read the file ({error.strerror or error})") from None
    if b"\x00" in data[:8192]:
        raise KnowledgeError(path, "looks like a binary file (it contains NUL bytes), not YAML")
    try:
        text = data.decode("utf-8")
    except UnicodeDecodeError as error:
        raise KnowledgeError(path, f"not UTF-8 text (invalid byte at position {error.start})") from None
    if not text.strip():
        raise KnowledgeError(path, "the file is empty")
    try:
        return yaml.safe_load(text)
    except yaml.YAMLError as error:
        mark = getattr(error, "problem_mark", None)
        where = f" at line {mark.line + 1}, column {mark.column + 1}" if mark else ""
        problem = getattr(error, "problem", None) or "cannot be parsed"
        raise KnowledgeError(path, f"invalid YAML{where}: {problem}") from None


def read_translation(data_dir: Path, path: Path, language: str) -> Any:
    """The translation of a data file into a language (None for English or when there is none yet)."""
    if language == commandline.ENGLISH:
        return None
    translated = translations.translation_path(data_dir, path, language)
    return translations.flatten_lists(read_yaml(translated)) if translated.exists() else None


def translated_sheets(data_dir: Path, path: Path, language: str) -> dict[str, dict]:
    """The sheets of a substance file's translation, by id."""
    data = read_translation(data_dir, path, language)
    if not isinstance(data, dict) or not isinstance(data.get("substances"), list):
        return {}
    return {raw["id"]: raw for raw in data["substances"] if isinstance(raw, dict) and isinstance(raw.get("id"), str)}


def translate_sheet(raw: dict, translated: dict | None) -> tuple[dict, tuple[str, ...]]:
    """An English sheet with its translation's text laid over it; the fields left in English."""
    text_keys = translations.text_keys_for("substances/x.yaml")
    merged, missing = translations.overlay(_flatten_all(raw), translated, text_keys)
    return merged, tuple(missing)


def load(data_dir: Path | str = DATA_DIR, language: str = "en") -> KnowledgeBase:
    """The knowledge base; in another language, each sheet's text comes from its translation
    (`data/i18n/<language>/...`), field by field, with English where the translation has none."""
    data_dir = Path(data_dir)
    language = commandline.language_code(language)
    classes, routes, tests = _load_vocabulary(data_dir / "vocabulary.yaml")
    if language != commandline.ENGLISH:
        translated_words = read_translation(data_dir, data_dir / "vocabulary.yaml", language)
        if translated_words is not None:
            words, _missing = translations.overlay(
                {"classes": classes, "routes": routes, "tests": tests}, translated_words,
                translations.text_keys_for("vocabulary.yaml"))
            classes, routes, tests = words["classes"], words["routes"], words["tests"]
    sources = load_sources(data_dir / "sources.yaml")
    files = sorted((data_dir / "substances").glob("*.yaml"))
    if not files:
        raise KnowledgeError(data_dir / "substances", "no substance files (*.yaml) found")
    kb = KnowledgeBase(substances={}, sources=sources, classes=classes, routes=routes, tests=tests, language=language)
    owners: dict[str, str] = {}  # name key -> substance id
    for path in files:
        data = read_yaml(path)
        if not isinstance(data, dict) or set(data) != {"substances"} or not isinstance(data["substances"], list):
            raise KnowledgeError(path, "expected a mapping with one key, 'substances', holding a list")
        sheets = translated_sheets(data_dir, path, language)
        for index, raw in enumerate(data["substances"], start=1):
            translated = sheets.get(raw.get("id")) if isinstance(raw, dict) else None
            if translated is not None:
                raw, missing = translate_sheet(raw, translated)
            substance = _substance(path, index, raw, kb)
            if translated is not None:
                substance = dataclasses.replace(substance, language=language, untranslated=missing, reviewed=False)
            if substance.id in kb.substances:
                raise KnowledgeError(path, f"the id is already used in {kb.substances[substance.id].path}",
                                     f"substance {substance.id!r}")
            # A translated name may equal one of the sheet's own names ("Crack"); that is not a repeat.
            _index_names(path, substance, kb, owners, repeats_allowed=translated is not None)
            kb.substances[substance.id] = substance
    for substance in kb.substances.values():
        if substance.form_of and substance.form_of not in kb.substances:
            raise KnowledgeError(substance.path, f"form_of names an unknown substance {substance.form_of!r}",
                                 f"substance {substance.id!r}")
    kb._names = owners
    return kb


def load_sources(path: Path) -> dict[str, Source]:
    data = read_yaml(path)
    if not isinstance(data, dict):
        raise KnowledgeError(path, "expected a mapping of source keys to {title, publisher, year, url}")
    sources = {}
    for key, value in data.items():
        entry = f"source {key!r}"
        if not isinstance(value, dict):
            raise KnowledgeError(path, "expected title, publisher, year and url", entry)
        _check_keys(path, entry, value, SOURCE_KEYS, set())
        for name in ("title", "publisher", "url"):
            if not isinstance(value[name], str) or not value[name].strip():
                raise KnowledgeError(path, f"{name!r} must be text", entry)
        if not isinstance(value["year"], int) or not 1900 < value["year"] < 2100:
            raise KnowledgeError(path, "'year' must be a year such as 2024", entry)
        if not value["url"].startswith("https://"):
            raise KnowledgeError(path, "'url' must start with https://", entry)
        sources[str(key)] = Source(key=str(key), **{name: value[name] for name in SOURCE_KEYS})
    return sources


def _load_vocabulary(path: Path) -> tuple[dict[str, str], dict[str, str], dict[str, str]]:
    data = read_yaml(path)
    if not isinstance(data, dict) or set(data) != {"classes", "routes", "tests"}:
        raise KnowledgeError(path, "expected the keys 'classes', 'routes' and 'tests'")
    for name, words in data.items():
        if not isinstance(words, dict) or not all(isinstance(k, str) and _ID.match(k) for k in words):
            raise KnowledgeError(path, f"{name!r} must map lower-case ids to labels")
    return data["classes"], data["routes"], data["tests"]


def _substance(path: Path, index: int, raw: Any, kb: KnowledgeBase) -> Substance:
    entry = f"substance {raw.get('id')!r}" if isinstance(raw, dict) and raw.get("id") else f"substance #{index}"
    if not isinstance(raw, dict):
        raise KnowledgeError(path, "each substance must be a mapping", entry)
    _check_keys(path, entry, raw, SUBSTANCE_REQUIRED, SUBSTANCE_OPTIONAL)
    if not isinstance(raw["id"], str) or not _ID.match(raw["id"]):
        raise KnowledgeError(path, "'id' must be lower-case letters, digits and hyphens", entry)
    for key in ("name", "summary"):
        _text(path, entry, key, raw[key])
    names = _text_list(path, entry, "names", raw["names"], allow_empty=True)
    classes = _vocabulary_list(path, entry, "classes", raw["classes"], kb.classes)
    routes = _vocabulary_list(path, entry, "routes", raw["routes"], kb.routes)
    groups = {name: _fact_group(path, entry, name, raw[name], kb) for name in FACT_GROUPS}

    by_route = groups["timing"].values["by_route"]
    if not isinstance(by_route, dict) or not by_route:
        raise KnowledgeError(path, "timing.by_route must map routes to {onset, duration}", entry)
    for route, times in by_route.items():
        if route not in routes:
            raise KnowledgeError(path, f"timing.by_route names {route!r}, which is not in 'routes'", entry)
        if not isinstance(times, dict) or set(times) != {"onset", "duration"}:
            raise KnowledgeError(path, f"timing.by_route.{route} needs exactly 'onset' and 'duration'", entry)
        for key, value in times.items():
            _text(path, entry, f"timing.by_route.{route}.{key}", value)
    for range_ in groups["dose"].values.get("ranges") or []:
        if not isinstance(range_, dict) or set(range_) - {"route", "amount", "basis"} or not {"route", "amount", "basis"} <= set(range_):
            raise KnowledgeError(path, "each dose range needs 'route', 'amount' and 'basis'", entry)
        if range_["route"] not in routes:
            raise KnowledgeError(path, f"a dose range names route {range_['route']!r}, which is not in 'routes'", entry)
    _text(path, entry, "dose.note", groups["dose"].values["note"])
    for key in ("risks", "safer_use"):
        _text_list(path, entry, f"{key}.items", groups[key].values["items"])
    overdose = groups["overdose"].values
    _text_list(path, entry, "overdose.signs", overdose["signs"])
    _text_list(path, entry, "overdose.response", overdose["response"])
    if overdose["naloxone"] not in NALOXONE:
        raise KnowledgeError(path, f"overdose.naloxone must be one of {', '.join(NALOXONE)}", entry)
    _vocabulary_list(path, entry, "drug_checking.tests", groups["drug_checking"].values["tests"], kb.tests)
    _text(path, entry, "drug_checking.note", groups["drug_checking"].values["note"])

    form_of = raw.get("form_of")
    if form_of is not None and (not isinstance(form_of, str) or form_of == raw["id"]):
        raise KnowledgeError(path, "'form_of' must name another substance's id", entry)
    return Substance(
        id=raw["id"], name=raw["name"].strip(), names=tuple(names), classes=tuple(classes),
        summary=raw["summary"].strip(), routes=tuple(routes), form_of=form_of, path=str(path), **groups,
    )


def _fact_group(path: Path, entry: str, name: str, raw: Any, kb: KnowledgeBase) -> FactGroup:
    required, optional = FACT_GROUPS[name]
    if not isinstance(raw, dict):
        raise KnowledgeError(path, f"{name!r} must be a mapping with its facts and 'sources'", entry)
    if "sources" not in raw or not raw["sources"]:
        raise KnowledgeError(path, f"{name!r} has no sources: every fact group needs at least one", entry)
    _check_keys(path, f"{entry} {name}", raw, required | {"sources"}, optional)
    keys = _text_list(path, entry, f"{name}.sources", raw["sources"])
    unknown = [key for key in keys if key not in kb.sources]
    if unknown:
        raise KnowledgeError(path, f"{name}.sources names unknown source(s) {', '.join(unknown)} "
                                   "(add them to sources.yaml)", entry)
    # A list may include another list by YAML alias (shared overdose steps): flatten it.
    values = {key: _flatten(value) for key, value in raw.items() if key != "sources"}
    return FactGroup(values=values, sources=tuple(kb.sources[key] for key in keys))


def _index_names(path: Path, substance: Substance, kb: KnowledgeBase, owners: dict[str, str],
                 repeats_allowed: bool = False) -> None:
    entry = f"substance {substance.id!r}"
    own: set[str] = set()
    for name in (substance.id, *substance.all_names):
        key = name_key(name)
        if not key:
            raise KnowledgeError(path, f"the name {name!r} has no letters or digits", entry)
        owner = owners.get(key)
        if owner is not None and owner != substance.id:
            raise KnowledgeError(path, f"the name {name!r} is already used by substance {owner!r} "
                                       f"({kb.substances[owner].path}); a name may stand for one substance only", entry)
        owners[key] = substance.id
        own.add(key)
    listed = [name_key(n) for n in substance.names]
    repeated = sorted({n for n in substance.names if listed.count(name_key(n)) > 1 or
                       name_key(n) in {name_key(substance.name), name_key(substance.id)}})
    if repeated and not repeats_allowed:
        raise KnowledgeError(path, f"duplicate name(s) {', '.join(repeated)}", entry)


def _flatten(value: Any) -> Any:
    if not isinstance(value, list):
        return value
    flat = []
    for item in value:
        flat.extend(item if isinstance(item, list) else [item])
    return flat


def _check_keys(path: Path, entry: str, raw: dict, required: set[str], optional: set[str]) -> None:
    unknown = sorted(map(str, set(raw) - required - optional))
    if unknown:
        raise KnowledgeError(path, f"unknown key(s) {', '.join(unknown)}", entry)
    missing = sorted(required - set(raw))
    if missing:
        raise KnowledgeError(path, f"missing key(s) {', '.join(missing)}", entry)


def _text(path: Path, entry: str, key: str, value: Any) -> str:
    if not isinstance(value, str) or not value.strip():
        raise KnowledgeError(path, f"{key!r} must be non-empty text", entry)
    return value


def _text_list(path: Path, entry: str, key: str, value: Any, allow_empty: bool = False) -> list[str]:
    if not isinstance(value, list) or (not value and not allow_empty):
        raise KnowledgeError(path, f"{key!r} must be a list" + ("" if allow_empty else " with at least one item"), entry)
    for number, item in enumerate(value, start=1):
        if isinstance(item, (int, float)) and not isinstance(item, bool):
            item = str(item)
        if not isinstance(item, str) or not item.strip():
            hint = " (quote it: a ': ' inside an item makes YAML read a mapping)" if isinstance(item, dict) else ""
            raise KnowledgeError(path, f"{key!r} item {number} must be non-empty text{hint}", entry)
    return [str(item).strip() for item in value]


def _vocabulary_list(path: Path, entry: str, key: str, value: Any, vocabulary: dict[str, str]) -> list[str]:
    items = _text_list(path, entry, key, value, allow_empty=key == "drug_checking.tests")
    unknown = [item for item in items if item not in vocabulary]
    if unknown:
        raise KnowledgeError(path, f"{key} names unknown {', '.join(map(repr, unknown))} "
                                   f"(known: {', '.join(vocabulary)})", entry)
    return items


# One sheet as text: what the editor shows and saves, in the data files' format ------------------

EDITOR_PATH = "<sheet being edited>"


class _NoAliasDumper(yaml.SafeDumper):
    """Writes shared lists out in full: an edited sheet stands on its own."""

    def ignore_aliases(self, data):
        return True


def sheet_text(substance_id: str, data_dir: Path | str = DATA_DIR, language: str = "en") -> str:
    """The sheet's entry as it is in the data files (the seed for the editor), as YAML text; in another
    language, its translation from `data/i18n/<language>/` (English for any field it lacks)."""
    data_dir = Path(data_dir)
    for path in sorted((data_dir / "substances").glob("*.yaml")):
        for raw in read_yaml(path)["substances"]:
            if isinstance(raw, dict) and raw.get("id") == substance_id:
                translated = translated_sheets(data_dir, path, commandline.language_code(language)).get(substance_id)
                if translated is not None:
                    raw, _missing = translate_sheet(raw, translated)
                return yaml.dump(_flatten_all(raw), Dumper=_NoAliasDumper, sort_keys=False, allow_unicode=True, width=100)
    raise KeyError(substance_id)


def has_translation(substance_id: str, language: str) -> bool:
    """Whether Haven's data files hold a translation of the sheet into the language (the seed translation)."""
    code = commandline.language_code(language)
    sheet = default(code).substances.get(substance_id)
    return code != commandline.ENGLISH and sheet is not None and sheet.language == code


def export_text(sheet_yaml: str) -> str:
    """A sheet's text as a data file (`substances:` holding the one sheet), ready to replace its entry."""
    raw = yaml.safe_load(sheet_yaml)
    return yaml.dump({"substances": [raw]}, Dumper=_NoAliasDumper, sort_keys=False, allow_unicode=True, width=100)


def parse_sheet(text: str, kb: KnowledgeBase, substance_id: str) -> Substance:
    """A sheet edited as text, validated as the loader validates the data files: same keys, classes,
    routes, tests and sources; its id must stay the same, and its names may not belong to another sheet."""
    if not isinstance(text, str) or not text.strip():
        raise KnowledgeError(EDITOR_PATH, "the sheet is empty")
    try:
        raw = yaml.safe_load(text)
    except yaml.YAMLError as error:
        mark = getattr(error, "problem_mark", None)
        where = f" at line {mark.line + 1}, column {mark.column + 1}" if mark else ""
        raise KnowledgeError(EDITOR_PATH, f"invalid YAML{where}: {getattr(error, 'problem', None) or 'cannot be parsed'}") from None
    if not isinstance(raw, dict):
        raise KnowledgeError(EDITOR_PATH, "expected one sheet: a mapping starting with 'id:'")
    substance = _substance(Path(EDITOR_PATH), 1, raw, kb)
    if substance.id != substance_id:
        raise KnowledgeError(EDITOR_PATH, f"the id must stay {substance_id!r} (a new substance is added in the data files)")
    for name in (substance.id, *substance.all_names):
        owner = kb._names.get(name_key(name))
        if owner is not None and owner != substance_id:
            raise KnowledgeError(EDITOR_PATH, f"the name {name!r} already belongs to {owner!r}")
    if substance.form_of and substance.form_of not in kb.substances:
        raise KnowledgeError(EDITOR_PATH, f"form_of names an unknown substance {substance.form_of!r}")
    return substance


def sheet_texts(substance: Substance) -> list[str]:
    """Every piece of prose in a sheet, for the language checker."""
    texts = [substance.name, substance.summary]
    for group in (substance.timing, substance.dose, substance.risks, substance.safer_use, substance.overdose,
                  substance.drug_checking):
        texts.extend(_strings(group.values))
    return texts


def _strings(value: Any) -> list[str]:
    if isinstance(value, str):
        return [value]
    if isinstance(value, dict):
        return [text for item in value.values() for text in _strings(item)]
    if isinstance(value, list):
        return [text for item in value for text in _strings(item)]
    return []


def _flatten_all(value: Any) -> Any:
    if isinstance(value, dict):
        return {key: _flatten_all(item) for key, item in value.items()}
    if isinstance(value, list):
        return [_flatten_all(item) for item in _flatten(value)]
    return value
