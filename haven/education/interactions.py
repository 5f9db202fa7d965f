"""The interaction checker: what is known about taking substances together.

Plain Python, no Django import. Haven's own rules live in `data/interactions.yaml`; TripSit's
combination chart, imported by `tripsit.py`, in `data/tripsit/combos.yaml`; which name or TripSit
category stands for which substance or class in `data/queries.yaml`. Each rule is between two sides,
a substance id or a class (`class:opioid`). For a pair the most specific matching rules win (a
substance over a narrow class over a broad class), Haven's own rule over TripSit's rating when equally
specific, and then the highest risk: the safest assumption when rules overlap. A pair that no rule
covers is "unknown", which is never reported as low risk. People may ask about a whole class
("benzos"): the class is then checked as one subject.
"""

from __future__ import annotations

import difflib
import functools
import re
from dataclasses import dataclass
from itertools import combinations
from pathlib import Path
from typing import Any

from haven import commandline
from haven.education import knowledge, translations
from haven.education.knowledge import KnowledgeBase, KnowledgeError, Source, Substance, UnknownSubstance
from haven.education.translations import gettext_noop

RISKS = {"dangerous": 3, "unsafe": 2, "caution": 1, "low": 0}
UNKNOWN = "unknown"
DIRECTIONS = ("increase", "none", "decrease")
RELIABILITY = ("proven", "inferred", "hypothetical", "unknown", "chart")
RULE_KEYS = {"between", "risk", "direction", "explanation", "mechanism", "reliability", "sources"}
CLASS_PREFIX = "class:"
UNKNOWN_EXPLANATION = gettext_noop("No information on this combination. This does not mean it is safe.")
MAX_SUBSTANCES = 10
HAVEN, TRIPSIT = "haven", "tripsit"
# Haven's own words for a rating taken from TripSit's chart (which gives a rating, not a reason). Shown in
# the reader's language: these are in the catalogues (haven/locale), like the interface.
TRIPSIT_EXPLANATION = {
    "dangerous": gettext_noop(
        "Rated dangerous: this combination can kill or cause lasting harm, and how it goes is hard to "
        "predict. Avoid it; if it happens anyway, do not use alone and have someone ready to call for help."),
    "unsafe": gettext_noop(
        "Rated unsafe: a real risk of physical harm. Avoid it where you can; otherwise take much less of "
        "each, one at a time, with someone who can help."),
    "caution": gettext_noop(
        "Rated caution: usually not physically harmful, but it can be unpleasant or overwhelming, and heavy "
        "use can harm health. Start low and wait before taking more."),
    "low": gettext_noop(
        "Rated low risk: not expected to cause problems beyond those of each substance on its own. "
        "Low risk is not no risk: the street supply may hold something else."),
}
TRIPSIT_DIRECTION = {
    "unknown": "",
    "increase": gettext_noop("Effects add up or strengthen each other."),
    "none": gettext_noop("Effects add up without strengthening each other."),
    "decrease": gettext_noop("One weakens the effects of the other."),
}
DEPRESSANT_CLASSES = frozenset({"depressant", "opioid", "benzodiazepine", "alcohol", "ghb", "gabapentinoid",
                                "alpha2-agonist"})
DEPRESSANT_MIX_WARNING = gettext_noop(
    "%(count)s of these slow breathing and the brain down (%(names)s). Together their effects add up beyond "
    "any one pair: breathing can slow or stop, most of all while asleep. Take less of each, one at a time, "
    "do not use alone, keep naloxone nearby (it reverses only opioids), and lie a drowsy person on their side."
)
COUNT_WORDS = {2: gettext_noop("Two"), 3: gettext_noop("Three"), 4: gettext_noop("Four"), 5: gettext_noop("Five"),
               6: gettext_noop("Six"), 7: gettext_noop("Seven"), 8: gettext_noop("Eight"), 9: gettext_noop("Nine"),
               10: gettext_noop("Ten")}
DEPRESSANT_MIX_SOURCES = ("fda-opioid-benzodiazepine", "who-opioid-overdose", "niaaa-overdose")

__all__ = ["Answer", "CheckError", "Checker", "Group", "KnowledgeError", "PairResult", "Rule", "UnknownSubstance",
           "ask", "check", "default_checker", "split_names"]


@dataclass(frozen=True)
class Rule:
    sides: tuple[str, str]
    risk: str
    direction: str
    explanation: str
    mechanism: str
    reliability: str
    sources: tuple[Source, ...]
    order: int
    origin: str = HAVEN
    broad: frozenset = frozenset()
    language: str = "en"  # the language of explanation and mechanism (English where no translation has them)

    @property
    def specificity(self) -> int:
        """How specific the sides are: 2 for a substance, 1 for a narrow class, 0 for a broad one."""
        return sum(_side_specificity(side, self.broad) for side in self.sides)

    @property
    def label(self) -> str:
        return " + ".join(self.sides)


def _side_specificity(side: str, broad: frozenset) -> int:
    if not side.startswith(CLASS_PREFIX):
        return 2
    return 0 if side[len(CLASS_PREFIX):] in broad else 1


@dataclass(frozen=True)
class Group:
    """A class asked about as a whole ("benzos"): checked as one subject with the group's classes."""

    id: str  # class:NAME
    name: str
    classes: tuple[str, ...]
    names: tuple[str, ...] = ()
    form_of: str | None = None
    is_group: bool = True

    @property
    def root(self) -> str:
        return self.id

    @property
    def all_names(self) -> tuple[str, ...]:
        return (self.name, *self.names)


Subject = Substance | Group


@dataclass(frozen=True)
class PairResult:
    a: Subject
    b: Subject
    rule: Rule | None
    unknown_explanation: str = UNKNOWN_EXPLANATION  # in the checker's language

    @property
    def risk(self) -> str:
        return self.rule.risk if self.rule else UNKNOWN

    @property
    def risk_rank(self) -> int | None:
        return RISKS[self.rule.risk] if self.rule else None

    @property
    def direction(self) -> str:
        return self.rule.direction if self.rule else UNKNOWN

    @property
    def known(self) -> bool:
        return self.rule is not None

    def as_dict(self) -> dict[str, Any]:
        """The JSON shape of `haven interactions --json` and the API; no risk_rank when unknown."""
        result: dict[str, Any] = {"a": self.a.id, "b": self.b.id, "a_name": self.a.name, "b_name": self.b.name,
                                  "risk": self.risk}
        if self.rule is None:
            result.update(direction=UNKNOWN, explanation=self.unknown_explanation, mechanism="", reliability=UNKNOWN,
                          rule=None, sources=[])
            return result
        result.update(
            risk_rank=self.risk_rank, direction=self.rule.direction, explanation=self.rule.explanation,
            mechanism=self.rule.mechanism, reliability=self.rule.reliability, rule=self.rule.label,
            origin=self.rule.origin, sources=[source.as_dict() for source in self.rule.sources],
        )
        return result


@dataclass(frozen=True)
class MixWarning:
    """A warning about the whole mix rather than one pair (three or more depressants)."""

    text: str
    subjects: tuple[str, ...]
    sources: tuple[Source, ...]

    def as_dict(self) -> dict[str, Any]:
        return {"text": self.text, "substances": list(self.subjects),
                "sources": [source.as_dict() for source in self.sources]}


class Checker:
    def __init__(self, kb: KnowledgeBase, rules: list[Rule], groups: dict[str, Group] | None = None,
                 names: dict[str, tuple[str, str]] | None = None, tripsit: dict[str, Any] | None = None,
                 language: str = "en"):
        self.kb = kb
        self.language = commandline.language_code(language)
        self.gettext = commandline.translator(self.language)
        self.rules = rules
        self.groups = groups or {}
        # name key -> substance id or class:NAME, for names beyond the fact sheets' own
        self.names = {key: target for key, (_shown, target) in (names or {}).items()}
        self.shown_names = tuple(shown for shown, _target in (names or {}).values())
        self.tripsit = tripsit or {}  # the import: source, categories, category -> side

    def find(self, name: str) -> Subject:
        """The substance or class a name stands for; UnknownSubstance (with suggestions) otherwise."""
        key = knowledge.name_key(name)
        if key in self.kb._names:
            return self.kb.substances[self.kb._names[key]]
        target = self.names.get(key)
        if target is None:
            raise UnknownSubstance(name, self.suggest(name))
        return self.groups[target] if target.startswith(CLASS_PREFIX) else self.kb.substances[target]

    def suggest(self, name: str, limit: int = 3) -> list[str]:
        """Known names close to a misspelt or unfinished one, best first."""
        wanted = " ".join(name.casefold().split())
        key = knowledge.name_key(name)
        if not key:
            return []
        spellings = self.spellings()
        starts = [shown for folded, shown in spellings.items()
                  if len(key) >= 3 and knowledge.name_key(folded).startswith(key)]
        close = difflib.get_close_matches(wanted, list(spellings), n=limit, cutoff=0.75)
        found: list[str] = []
        for shown in sorted(starts, key=lambda s: (len(s), s.casefold())) + [spellings[c] for c in close]:
            if shown not in found:
                found.append(shown)
        return found[:limit]

    def spellings(self) -> dict[str, str]:
        """Every name a person may type (casefolded -> as shown)."""
        spellings: dict[str, str] = {}
        for subject in (*self.kb.substances.values(), *self.groups.values()):
            for known in subject.all_names:
                spellings.setdefault(known.casefold(), known)
        for known in self.shown_names:
            spellings.setdefault(known.casefold(), known)
        return spellings

    def names_for_suggestions(self) -> list[str]:
        """The names offered as a person types: each substance's and group's names, sorted."""
        return sorted(set(self.spellings().values()), key=str.casefold)

    def resolve(self, names: list[str]) -> list[Subject]:
        """The substances (or classes) for the names given, once each: another name for the same
        substance, or another form of it (crack cocaine and cocaine), counts once.

        Raises UnknownSubstance for the first name that matches nothing.
        """
        found: dict[str, Subject] = {}
        for name in names:
            subject = self.find(name)
            found.setdefault(subject.root, subject)
        return list(found.values())

    def check(self, names: list[str]) -> list[PairResult]:
        """Every pair among the named substances, in the order given."""
        return [self.pair(a, b) for a, b in combinations(self.resolve(names), 2)]

    def pair(self, a: Subject, b: Subject) -> PairResult:
        matching = [rule for rule in self.rules if _matches(rule, a, b)]
        haven = _best([rule for rule in matching if rule.origin == HAVEN])
        chart = _best([rule for rule in matching if rule.origin == TRIPSIT])
        unknown = self.gettext(UNKNOWN_EXPLANATION)
        if haven is None or chart is None:
            return PairResult(a, b, haven or chart, unknown)
        # Haven's own rule stays when it is as specific as TripSit's rating, or when it is proven (a clinical
        # or regulatory source) and TripSit's more specific rating is not more cautious. Otherwise the more
        # specific rating describes the pair better than a rule about whole classes.
        if chart.specificity <= haven.specificity:
            return PairResult(a, b, haven, unknown)
        if haven.reliability == "proven" and RISKS[chart.risk] <= RISKS[haven.risk]:
            return PairResult(a, b, haven, unknown)
        return PairResult(a, b, chart, unknown)

    def warnings(self, subjects: list[Subject]) -> list[MixWarning]:
        """Warnings about the mix as a whole: three or more substances of which two or more are depressants."""
        depressants = [s for s in subjects if DEPRESSANT_CLASSES & set(s.classes)]
        if len(subjects) < 3 or len(depressants) < 2:
            return []
        names = ", ".join(s.name for s in depressants)
        sources = tuple(self.kb.sources[key] for key in DEPRESSANT_MIX_SOURCES if key in self.kb.sources)
        count = len(depressants)
        text = self.gettext(DEPRESSANT_MIX_WARNING) % {
            "count": self.gettext(COUNT_WORDS[count]) if count in COUNT_WORDS else str(count), "names": names}
        return [MixWarning(text, tuple(s.id for s in depressants), sources)]


class CheckError(ValueError):
    """A question the checker cannot answer as asked; `unknown` lists (name, suggestions)."""

    def __init__(self, message: str, unknown: list[tuple[str, list[str]]] | None = None):
        self.unknown = unknown or []
        super().__init__(message)


@dataclass(frozen=True)
class Answer:
    subjects: list[Subject]
    pairs: list[PairResult]
    warnings: list[MixWarning]
    merged: bool  # some names were the same substance (or a form of it) and were checked once

    def as_dict(self) -> dict[str, Any]:
        return {"substances": [subject_dict(s) for s in self.subjects],
                "pairs": [pair.as_dict() for pair in self.pairs],
                "warnings": [warning.as_dict() for warning in self.warnings]}


def subject_dict(subject: Subject) -> dict[str, Any]:
    return {"id": subject.id, "name": subject.name, "names": list(subject.names), "classes": list(subject.classes),
            "form_of": subject.form_of, "is_class": isinstance(subject, Group)}


# How people list substances in one line: "benzos and alcohol", "xanax, weed + molly", "opioids with xanax";
# in Spanish "benzodiacepinas y alcohol", "heroína con xanax"; in French "alcool et champignons", "avec".
SEPARATOR_WORDS = ("and", "with", "plus", "mixed with", "then", "y", "con", "más", "mas", "luego", "et", "avec", "puis")
_SEPARATORS = re.compile(r"\s*(?:[,;\n+&]|" + "|".join(rf"\b{word}\b" for word in SEPARATOR_WORDS) + r")\s*",
                         re.IGNORECASE)


def split_names(texts: list[str] | str, checker: Checker | None = None) -> list[str]:
    """The names in one or more free-text entries, in order, blanks dropped. Known names that contain a
    separator themselves ("N,N-DMT") are kept whole when a checker is given."""
    if isinstance(texts, str):
        texts = [texts]
    kept = _names_with_separators(checker) if checker is not None else ()
    names = []
    for text in texts:
        text = text or ""
        protected: dict[str, str] = {}
        for number, name in enumerate(kept):
            pattern = re.compile(r"(?<!\w)" + re.escape(name) + r"(?!\w)", re.IGNORECASE)
            if pattern.search(text):
                token = f"\x00{number}\x00"
                text = pattern.sub(token, text)
                protected[token] = name
        for part in _SEPARATORS.split(text):
            for token, name in protected.items():
                part = part.replace(token, name)
            if part and part.strip():
                names.append(part.strip())
    return names


def _names_with_separators(checker: Checker) -> tuple[str, ...]:
    cached = getattr(checker, "_separator_names", None)
    if cached is None:
        cached = tuple(sorted((n for n in checker.spellings().values() if len(_SEPARATORS.split(n)) > 1),
                              key=len, reverse=True))
        checker._separator_names = cached
    return cached


def ask(checker: Checker, names: list[str]) -> Answer:
    """Every pair among the names (already split) plus warnings about the mix; CheckError for bad input."""
    _ = checker.gettext
    if len(names) > MAX_SUBSTANCES:
        raise CheckError(_("Check at most %(max)s substances at once (%(count)s were given).")
                         % {"max": MAX_SUBSTANCES, "count": len(names)})
    unknown = []
    for name in names:
        try:
            checker.find(name)
        except UnknownSubstance as error:
            unknown.append((name, error.suggestions))
    if unknown:
        raise CheckError(_("Unknown substance name(s): %(names)s") % {"names": "; ".join(
            f"{name!r}" + ((" (" + _("did you mean: %(names)s?") % {"names": ", ".join(hints)} + ")") if hints else "")
            for name, hints in unknown)}, unknown)
    if len(names) < 2:
        raise CheckError(_("Give at least two substances, for example: benzos, alcohol."))
    subjects = checker.resolve(names)
    if len(subjects) < 2:
        raise CheckError(_("%(names)s are the same substance (or forms of it); give at least two different "
                           "substances.") % {"names": " + ".join(names)})
    pairs = [checker.pair(a, b) for a, b in combinations(subjects, 2)]
    return Answer(subjects, pairs, checker.warnings(subjects), merged=len(subjects) < len(names))


def chart_differences(checker: Checker) -> list[dict[str, Any]]:
    """Every pair of TripSit's categories where Haven's answer differs from TripSit's rating."""
    rows = []
    for first, second, risk, _direction in checker.tripsit.get("pairs", []):
        a, b = checker.find(first), checker.find(second)
        result = checker.pair(a, b)
        if result.risk != risk:
            rows.append({"a": first, "b": second, "tripsit": risk, "haven": result.risk,
                         "rule": result.rule.label if result.rule else None})
    return rows


def _best(rules: list[Rule]) -> Rule | None:
    """The most specific rule, then the highest risk, then the first written."""
    return max(rules, key=lambda rule: (rule.specificity, RISKS[rule.risk], -rule.order)) if rules else None


def _side_matches(side: str, subject: Subject) -> bool:
    if side.startswith(CLASS_PREFIX):
        return side[len(CLASS_PREFIX):] in subject.classes
    return side in (subject.id, subject.form_of)


def _matches(rule: Rule, a: Substance, b: Substance) -> bool:
    first, second = rule.sides
    return (_side_matches(first, a) and _side_matches(second, b)) or (
        _side_matches(first, b) and _side_matches(second, a)
    )


# Loading --------------------------------------------------------------------------------------


def load_rules(path: Path | str, kb: KnowledgeBase, broad: frozenset = frozenset(), language: str = "en") -> list[Rule]:
    """Haven's rules; in another language, the explanations and mechanisms come from the translation
    (`data/i18n/<language>/interactions.yaml`), rule by rule, English where it has none."""
    path = Path(path)
    data = knowledge.read_yaml(path)
    if not isinstance(data, dict) or set(data) != {"rules"} or not isinstance(data["rules"], list):
        raise KnowledgeError(path, "expected a mapping with one key, 'rules', holding a list")
    translated = knowledge.read_translation(path.parent, path, language)
    in_english: set[int] = set()
    if translated is not None:
        data, missing = translations.overlay(data, translated, translations.text_keys_for("interactions.yaml"))
        in_english = {int(m.group(1)) for m in map(re.compile(r"^rules\[(\d+)\]").match, missing) if m}
    rules: list[Rule] = []
    seen: dict[frozenset, int] = {}
    for index, raw in enumerate(data["rules"], start=1):
        entry = f"rule #{index}"
        if not isinstance(raw, dict):
            raise KnowledgeError(path, "each rule must be a mapping", entry)
        if isinstance(raw.get("between"), list):
            entry = f"rule #{index} ({' + '.join(map(str, raw['between']))})"
        unknown = sorted(map(str, set(raw) - RULE_KEYS))
        if unknown:
            raise KnowledgeError(path, f"unknown key(s) {', '.join(unknown)}", entry)
        missing = sorted(RULE_KEYS - set(raw))
        if missing:
            raise KnowledgeError(path, f"missing key(s) {', '.join(missing)}", entry)
        sides = raw["between"]
        if not isinstance(sides, list) or len(sides) != 2 or not all(isinstance(side, str) for side in sides):
            raise KnowledgeError(path, "'between' must list exactly two sides", entry)
        for side in sides:
            _check_side(path, entry, side, kb)
        key = frozenset(sides) if sides[0] != sides[1] else frozenset([sides[0], sides[0] + "#"])
        if key in seen:
            raise KnowledgeError(path, f"the same pair is already covered by rule #{seen[key]}", entry)
        seen[key] = index
        if raw["risk"] not in RISKS:
            raise KnowledgeError(path, f"'risk' must be one of {', '.join(RISKS)}", entry)
        if raw["direction"] not in DIRECTIONS:
            raise KnowledgeError(path, f"'direction' must be one of {', '.join(DIRECTIONS)}", entry)
        if raw["reliability"] not in RELIABILITY or raw["reliability"] == "chart":
            raise KnowledgeError(path, f"'reliability' must be one of {', '.join(RELIABILITY)}", entry)
        for name in ("explanation", "mechanism"):
            if not isinstance(raw[name], str) or not raw[name].strip():
                raise KnowledgeError(path, f"{name!r} must be non-empty text", entry)
        if not isinstance(raw["sources"], list) or not raw["sources"]:
            raise KnowledgeError(path, "every rule needs at least one source", entry)
        missing_sources = [key for key in raw["sources"] if key not in kb.sources]
        if missing_sources:
            raise KnowledgeError(path, f"unknown source(s) {', '.join(map(str, missing_sources))} "
                                       "(add them to sources.yaml)", entry)
        rules.append(Rule(
            sides=(sides[0], sides[1]), risk=raw["risk"], direction=raw["direction"],
            explanation=raw["explanation"].strip(), mechanism=raw["mechanism"].strip(),
            reliability=raw["reliability"], sources=tuple(kb.sources[key] for key in raw["sources"]), order=index,
            broad=broad, language=language if translated is not None and index - 1 not in in_english else "en",
        ))
    return rules


def _check_side(path: Path, entry: str, side: str, kb: KnowledgeBase) -> None:
    if side.startswith(CLASS_PREFIX):
        name = side[len(CLASS_PREFIX):]
        if name not in kb.classes:
            raise KnowledgeError(path, f"unknown class {name!r} (known: {', '.join(kb.classes)})", entry)
    elif side not in kb.substances:
        close = kb.suggest(side)
        hint = f"; did you mean {', '.join(close)}?" if close else ""
        raise KnowledgeError(path, f"unknown substance id {side!r}{hint} (a class is written class:NAME)", entry)


QUERY_KEYS = {"broad_classes", "groups", "words", "tripsit"}
GROUP_KEYS = {"name", "classes", "words"}


def load_queries(path: Path, kb: KnowledgeBase, language: str = "en") -> tuple[
        frozenset, dict[str, Group], dict[str, tuple[str, str]], dict[str, str]]:
    """queries.yaml: broad classes, groups (a class asked about as a whole), extra words, TripSit's categories.
    In another language the groups' names come from its translation (the words people type do not change)."""
    data = knowledge.read_yaml(path)
    if not isinstance(data, dict) or set(data) != QUERY_KEYS:
        raise KnowledgeError(path, f"expected a mapping with the keys {', '.join(sorted(QUERY_KEYS))}")
    translated = knowledge.read_translation(path.parent, path, language)
    shown_names: dict[str, str] = {}
    if isinstance(data["groups"], dict):
        shown_names = {class_name: raw["name"] for class_name, raw in data["groups"].items() if isinstance(raw, dict)
                       and isinstance(raw.get("name"), str)}
        if translated is not None:
            merged, _missing = translations.overlay(data, translated, translations.text_keys_for("queries.yaml"))
            shown_names = {class_name: raw["name"] for class_name, raw in merged["groups"].items()
                           if isinstance(raw, dict) and isinstance(raw.get("name"), str)}
    broad = data["broad_classes"]
    if not isinstance(broad, list) or not all(name in kb.classes for name in broad):
        raise KnowledgeError(path, "'broad_classes' must list classes from vocabulary.yaml")
    names: dict[str, tuple[str, str]] = {}

    def add_name(word: Any, target: str, entry: str, strict: bool = True) -> None:
        if not isinstance(word, str) or not knowledge.name_key(word):
            raise KnowledgeError(path, f"{word!r} is not a name", entry)
        key = knowledge.name_key(word)
        owner = kb._names.get(key) or names.get(key, (None, None))[1]
        if owner is not None and owner != target:
            if strict:
                raise KnowledgeError(path, f"the name {word!r} already stands for {owner!r}", entry)
            return
        if key not in kb._names:
            names.setdefault(key, (word, target))

    groups: dict[str, Group] = {}
    if not isinstance(data["groups"], dict):
        raise KnowledgeError(path, "'groups' must map class names to {name, classes, words}")
    for class_name, raw in data["groups"].items():
        entry = f"group {class_name!r}"
        if class_name not in kb.classes:
            raise KnowledgeError(path, "not a class in vocabulary.yaml", entry)
        if not isinstance(raw, dict) or set(raw) != GROUP_KEYS:
            raise KnowledgeError(path, f"expected the keys {', '.join(sorted(GROUP_KEYS))}", entry)
        classes = raw["classes"]
        if not isinstance(classes, list) or class_name not in classes or not all(c in kb.classes for c in classes):
            raise KnowledgeError(path, "'classes' must list the class itself and other classes from vocabulary.yaml",
                                 entry)
        if not isinstance(raw["words"], list):
            raise KnowledgeError(path, "'words' must be a list", entry)
        group = Group(id=CLASS_PREFIX + class_name, name=str(shown_names.get(class_name, raw["name"])),
                      classes=tuple(classes), names=tuple(raw["words"]))
        groups[group.id] = group
        for word in (raw["name"], group.name, *group.names):
            add_name(word, group.id, entry)
    if not isinstance(data["words"], dict):
        raise KnowledgeError(path, "'words' must map a word to a substance id")
    for word, target in data["words"].items():
        if target not in kb.substances:
            raise KnowledgeError(path, f"unknown substance id {target!r}", f"word {word!r}")
        add_name(word, target, f"word {word!r}")
    tripsit = data["tripsit"]
    if not isinstance(tripsit, dict):
        raise KnowledgeError(path, "'tripsit' must map TripSit's categories to a substance id or class:NAME")
    for category, side in tripsit.items():
        entry = f"TripSit category {category!r}"
        if not isinstance(side, str):
            raise KnowledgeError(path, "expected a substance id or class:NAME", entry)
        _check_side(path, entry, side, kb)
        if side.startswith(CLASS_PREFIX) and side not in groups:
            # Fine when the category's name is a fact sheet of that class (lithium, MAOIs, SSRIs, alcohol).
            sheet = kb.substances.get(kb._names.get(knowledge.name_key(category), ""))
            if sheet is None or side[len(CLASS_PREFIX):] not in sheet.classes:
                raise KnowledgeError(path, f"{side} has no entry under 'groups', so nobody could ask for it", entry)
        add_name(category, side, entry, strict=False)
    return frozenset(broad), groups, names, dict(tripsit)


def load_tripsit(path: Path, kb: KnowledgeBase, categories: dict[str, str], names: dict[str, tuple[str, str]],
                 broad: frozenset, language: str = "en") -> tuple[list[Rule], dict[str, Any]]:
    """TripSit's ratings (tripsit/combos.yaml) as rules between the sides its categories map to, explained
    in Haven's own words in the language asked for."""
    _ = commandline.translator(language)
    data = knowledge.read_yaml(path)
    if not isinstance(data, dict) or set(data) != {"source", "categories", "names", "pairs"}:
        raise KnowledgeError(path, "expected the keys source, categories, names, pairs (rebuild it with "
                                   "python -m haven.education.tripsit)")
    raw_source = data["source"]
    if not isinstance(raw_source, dict) or not {"title", "publisher", "year", "url", "commit", "licence"} <= set(raw_source):
        raise KnowledgeError(path, "'source' must give title, publisher, year, url, commit and licence")
    source = Source(key="tripsit-combos", title=raw_source["title"], publisher=raw_source["publisher"],
                    year=raw_source["year"], url=raw_source["url"])
    listed = data["categories"]
    unmapped = sorted(set(listed) - set(categories))
    if unmapped:
        raise KnowledgeError(path, f"TripSit categories with no mapping in queries.yaml: {', '.join(unmapped)}")
    for category, words in (data["names"] or {}).items():
        for word in words or []:
            key = knowledge.name_key(word)
            if key and key not in kb._names and key not in names and category in categories:
                names[key] = (word, categories[category])
    rules = []
    for index, pair in enumerate(data["pairs"] or [], start=1):
        if not (isinstance(pair, list) and len(pair) == 4 and pair[0] in categories and pair[1] in categories
                and pair[2] in RISKS and pair[3] in (*DIRECTIONS, UNKNOWN)):
            raise KnowledgeError(path, "expected [category, category, risk, direction] with known categories",
                                 f"pair #{index}")
        first, second, risk, direction = pair
        rules.append(Rule(
            sides=(categories[first], categories[second]), risk=risk, direction=direction,
            explanation=f"{_(TRIPSIT_EXPLANATION[risk])} {_(TRIPSIT_DIRECTION[direction]) if direction != UNKNOWN else ''}".strip(),
            mechanism="", reliability="chart", sources=(source,), order=100_000 + index,
            origin=TRIPSIT, broad=broad, language=language if _(TRIPSIT_EXPLANATION[risk]) != TRIPSIT_EXPLANATION[risk]
            else "en",
        ))
    info = {"source": {**raw_source}, "categories": list(listed), "sides": dict(categories),
            "pairs": [tuple(pair) for pair in data["pairs"] or []]}
    return rules, info


def load(data_dir: Path | str = knowledge.DATA_DIR, language: str = "en") -> Checker:
    data_dir = Path(data_dir)
    return _checker(knowledge.load(data_dir, language), data_dir)


def _checker(kb: KnowledgeBase, data_dir: Path) -> Checker:
    language = kb.language
    broad, groups, names, categories = load_queries(data_dir / "queries.yaml", kb, language)
    rules = load_rules(data_dir / "interactions.yaml", kb, broad, language)
    tripsit_rules, tripsit = load_tripsit(data_dir / "tripsit" / "combos.yaml", kb, categories, names, broad,
                                          language)
    return Checker(kb, rules + tripsit_rules, groups, names, tripsit, language)


@functools.lru_cache(maxsize=4)
def default_checker(language: str = "en") -> Checker:
    """Haven's own knowledge base and rules, loaded once per process and language."""
    code = commandline.language_code(language)
    return _checker(knowledge.default(code), knowledge.DATA_DIR)


def check(names: list[str]) -> list[PairResult]:
    return default_checker().check(names)
