"""The interaction checker: what is known about taking two substances together.

Plain Python, no Django import. Rules live in `data/interactions.yaml`; each is between two sides,
a substance id or a class (`class:opioid`). For a pair of substances the most specific matching
rules win (two substances, then a substance and a class, then two classes), and among equally
specific rules the highest risk wins: the safest assumption when rules overlap. A pair that no rule
covers is "unknown", which is never reported as low risk.
"""

from __future__ import annotations

import functools
from dataclasses import dataclass
from itertools import combinations
from pathlib import Path
from typing import Any

from haven.education import knowledge
from haven.education.knowledge import KnowledgeBase, KnowledgeError, Source, Substance, UnknownSubstance

RISKS = {"dangerous": 3, "unsafe": 2, "caution": 1, "low": 0}
UNKNOWN = "unknown"
DIRECTIONS = ("increase", "none", "decrease")
RELIABILITY = ("proven", "inferred", "hypothetical", "unknown")
RULE_KEYS = {"between", "risk", "direction", "explanation", "mechanism", "reliability", "sources"}
CLASS_PREFIX = "class:"
UNKNOWN_EXPLANATION = "No information on this combination. This does not mean it is safe."

__all__ = ["Checker", "KnowledgeError", "PairResult", "Rule", "UnknownSubstance", "check", "default_checker"]


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

    @property
    def specificity(self) -> int:
        """How many sides name a substance rather than a class (0, 1 or 2)."""
        return sum(not side.startswith(CLASS_PREFIX) for side in self.sides)

    @property
    def label(self) -> str:
        return " + ".join(self.sides)


@dataclass(frozen=True)
class PairResult:
    a: Substance
    b: Substance
    rule: Rule | None

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
            result.update(direction=UNKNOWN, explanation=UNKNOWN_EXPLANATION, mechanism="", reliability=UNKNOWN,
                          rule=None, sources=[])
            return result
        result.update(
            risk_rank=self.risk_rank, direction=self.rule.direction, explanation=self.rule.explanation,
            mechanism=self.rule.mechanism, reliability=self.rule.reliability, rule=self.rule.label,
            sources=[source.as_dict() for source in self.rule.sources],
        )
        return result


class Checker:
    def __init__(self, kb: KnowledgeBase, rules: list[Rule]):
        self.kb = kb
        self.rules = rules

    def resolve(self, names: list[str]) -> list[Substance]:
        """The substances for the names given, once each: another name for the same substance, or
        another form of it (crack cocaine and cocaine), counts once.

        Raises UnknownSubstance for the first name that matches nothing.
        """
        found: dict[str, Substance] = {}
        for name in names:
            substance = self.kb.find(name)
            found.setdefault(substance.root, substance)
        return list(found.values())

    def check(self, names: list[str]) -> list[PairResult]:
        """Every pair among the named substances, in the order given."""
        return [self.pair(a, b) for a, b in combinations(self.resolve(names), 2)]

    def pair(self, a: Substance, b: Substance) -> PairResult:
        matching = [rule for rule in self.rules if _matches(rule, a, b)]
        if not matching:
            return PairResult(a, b, None)
        best = max(matching, key=lambda rule: (rule.specificity, RISKS[rule.risk], -rule.order))
        return PairResult(a, b, best)


def _side_matches(side: str, substance: Substance) -> bool:
    if side.startswith(CLASS_PREFIX):
        return side[len(CLASS_PREFIX):] in substance.classes
    return side in (substance.id, substance.form_of)


def _matches(rule: Rule, a: Substance, b: Substance) -> bool:
    first, second = rule.sides
    return (_side_matches(first, a) and _side_matches(second, b)) or (
        _side_matches(first, b) and _side_matches(second, a)
    )


# Loading --------------------------------------------------------------------------------------


def load_rules(path: Path | str, kb: KnowledgeBase) -> list[Rule]:
    path = Path(path)
    data = knowledge.read_yaml(path)
    if not isinstance(data, dict) or set(data) != {"rules"} or not isinstance(data["rules"], list):
        raise KnowledgeError(path, "expected a mapping with one key, 'rules', holding a list")
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
        if raw["reliability"] not in RELIABILITY:
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


def load(data_dir: Path | str = knowledge.DATA_DIR) -> Checker:
    kb = knowledge.load(data_dir)
    return Checker(kb, load_rules(Path(data_dir) / "interactions.yaml", kb))


@functools.lru_cache(maxsize=1)
def default_checker() -> Checker:
    """Haven's own knowledge base and rules, loaded once per process."""
    return Checker(knowledge.default(), load_rules(knowledge.DATA_DIR / "interactions.yaml", knowledge.default()))


def check(names: list[str]) -> list[PairResult]:
    return default_checker().check(names)
