"""The language checker: runs the rules over prepared text and returns findings."""

from __future__ import annotations

import bisect
import re
from collections.abc import Iterable
from pathlib import Path

from . import patterns
from .prepare import BARRIER, FORMATS, prepare
from .records import Record
from .rules import (
    PACKAGE_DIR,
    Matcher,
    Rule,
    RulesError,
    _words_regex,
    load_rules,
    load_yaml_text,
    yaml_error,
)

PROPER_NAMES_FILE = PACKAGE_DIR / "proper_names.yaml"

_SENTENCE_BOUNDARY = patterns.compile(r"[.!?](?=[\s\"\u201d')\]]|$)|\n[ \t]*\n|\x00")
_WORD = patterns.compile(r"[\w'\u2019]+(?:[\-\u2010\u2011][\w'\u2019]+)*")
_CONTEXT_REACH = 300  # characters looked at on each side of a match

# Capitalised-phrase heuristic for names of organisations, programmes and laws
_CONNECTORS = {"of", "on", "for", "and", "the", "&", "in", "at", "to", "de", "la", "against"}
_NAME_HEADS = {
    "anonymous",
    "association",
    "associations",
    "society",
    "institute",
    "institutes",
    "network",
    "alliance",
    "foundation",
    "center",
    "centre",
    "centers",
    "centres",
    "council",
    "administration",
    "office",
    "department",
    "coalition",
    "union",
    "project",
    "agency",
    "services",
    "clinic",
    "organization",
    "organisation",
    "committee",
    "commission",
    "board",
    "fellowship",
    "journal",
    "inc",
    "inc.",
    "llc",
    "ltd",
    "trust",
    "collective",
    "league",
    "federation",
    "partnership",
    "initiative",
    "campaign",
    "act",
    "court",
    "conference",
    "university",
    "college",
    "school",
    "hospital",
    "ministry",
    "bureau",
    "division",
    "group",
    "survey",
    "registry",
    "consortium",
    "forum",
    "taskforce",
    "academy",
    "press",
    "review",
    "professional",
    "professionals",
    "summit",
    "caucus",
    "coalitions",
    "day",
}
_LEFT_RUN = patterns.compile(
    r"((?:(?:[A-Z][\w'\u2019.\-]*|of|on|for|and|the|&|in|at|to|de|la|against)[ \t]+)*)$"
)
_RIGHT_RUN = patterns.compile(
    r"((?:[ \t]+(?:[A-Z][\w'\u2019.\-]*|of|on|for|and|the|&|in|at|to|de|la|against))*)"
)
_ACRONYM_AFTER = patterns.compile(r"^[ \t]*\((?:the[ \t]+)?[A-Z][A-Za-z]*[A-Z][A-Za-z]*\)")


class Finding(Record):
    __slots__ = (
        "start",  # character offset into the original input (inclusive)
        "end",  # character offset into the original input (exclusive)
        "line",  # 1-based
        "column",  # 1-based, in characters
        "end_line",
        "end_column",  # 1-based column of the last character + 1
        "text",  # the matched words, white space collapsed
        "rule",
        "suggestions",
        "source",
        "severity",
        "note",
        "file",
    )
    defaults = {"file": None}

    def to_dict(self) -> dict:
        data = self.fields()
        data["suggestions"] = list(self.suggestions)
        return data


class AllowList(Record):
    """Per-program exceptions: phrases that are fine here, and rules turned off."""

    __slots__ = ("phrases", "rules")
    defaults = {"phrases": [], "rules": []}

    def __bool__(self) -> bool:
        return bool(self.phrases or self.rules)


def load_allow_file(path: Path | str) -> AllowList:
    """Read an allow-list YAML file.

    Either a plain list of phrases, or a mapping with ``phrases:`` and/or
    ``rules:`` (rule ids to switch off).
    """
    path = Path(path)
    try:
        text = path.read_text(encoding="utf-8")
    except FileNotFoundError:
        raise RulesError(path, "allow-list file not found") from None
    except UnicodeDecodeError:
        raise RulesError(path, "allow-list file is not UTF-8 text") from None
    except OSError as exc:
        raise RulesError(path, f"cannot read allow-list file: {exc.strerror or exc}") from None
    try:
        data = load_yaml_text(text)
    except yaml_error() as exc:
        mark = getattr(exc, "problem_mark", None)
        where = f" (line {mark.line + 1})" if mark else ""
        raise RulesError(path, f"invalid YAML in allow-list file{where}") from None
    if data is None:
        return AllowList()
    if isinstance(data, list):
        data = {"phrases": data}
    if not isinstance(data, dict) or set(data) - {"phrases", "rules"}:
        raise RulesError(
            path, "an allow list is a list of phrases, or a mapping with 'phrases' and/or 'rules'"
        )
    phrases = data.get("phrases") or []
    rules = data.get("rules") or []
    for name, value in (("phrases", phrases), ("rules", rules)):
        if not isinstance(value, list) or not all(isinstance(v, str) and v.strip() for v in value):
            raise RulesError(path, f"'{name}' must be a list of text")
    return AllowList(phrases=[p.strip() for p in phrases], rules=[r.strip() for r in rules])


def load_proper_names(path: Path | str = PROPER_NAMES_FILE) -> list[str]:
    path = Path(path)
    try:
        data = load_yaml_text(path.read_text(encoding="utf-8"))
    except OSError as exc:
        raise RulesError(path, f"cannot read proper names: {exc}") from None
    except yaml_error() as exc:
        raise RulesError(path, f"cannot read proper names: {exc}") from None
    names = (data or {}).get("names") if isinstance(data, dict) else None
    if not isinstance(names, list) or not all(isinstance(n, str) and n.strip() for n in names):
        raise RulesError(path, "expected 'names:' with a list of proper names")
    return names


def _phrase_regex(phrases: Iterable[str]) -> re.Pattern[str] | None:
    alts = sorted({_words_regex(p) for p in phrases if p.strip()}, key=lambda alt: (-len(alt), alt))
    if not alts:
        return None
    return patterns.compile(r"(?<![\w])(?:" + "|".join(alts) + r")(?![\w])", re.IGNORECASE)


class Checker:
    """Checks text against the stigma-free language rules.

    >>> Checker().check("We met three drug users at the park.")[0].rule
    'drug-user'
    """

    def __init__(
        self,
        rules: list[Rule] | None = None,
        *,
        rules_paths: Iterable[Path | str] | None = None,
        allow: AllowList | Iterable[str] | None = None,
        proper_names: Iterable[str] | None = None,
    ):
        self.rules = rules if rules is not None else load_rules(rules_paths)
        if allow is None:
            allow = AllowList()
        elif not isinstance(allow, AllowList):
            allow = AllowList(phrases=list(allow))
        self.allow = allow
        disabled = set(allow.rules)
        self._active = [r for r in self.rules if r.id not in disabled]
        self._names = _phrase_regex(load_proper_names() if proper_names is None else proper_names)
        self._allowed = _phrase_regex(allow.phrases)
        # the words the names and allowed phrases start with, to look for them only there
        self._protected = [
            (regex, patterns.leading_literals(regex.pattern, regex.flags & ~re.UNICODE))
            for regex in (self._names, self._allowed)
            if regex is not None
        ]

    # ------------------------------------------------------------------
    def check(self, text: str, fmt: str = "text", file: str | None = None) -> list[Finding]:
        if fmt not in FORMATS:
            raise ValueError(f"unknown format {fmt!r}")
        prepared = prepare(text, fmt)
        clean = prepared.clean
        folded = clean.casefold().replace("\u0131", "i")  # dotless i: re's IGNORECASE matches it to i
        if len(folded) != len(clean):
            folded = None  # a letter that folds to two ("ß") would shift positions: scan in full
        candidates: list[tuple[int, int, int, Rule]] = []
        for order, rule in enumerate(self._active):
            for matcher in rule.matchers:
                has_hit = "hit" in matcher.regex.groupindex
                for m in _matches(matcher, clean, folded):
                    if _context_allows(clean, m.start(), m.end(), matcher):
                        # a named group "hit" narrows the reported words
                        start, end = m.span("hit") if has_hit and m.group("hit") is not None else m.span()
                        candidates.append((start, end, order, rule))
        if not candidates:
            return []

        kept = _drop_nested(candidates)

        protected = self._protected_spans(clean, folded)
        line_starts = _line_starts(text)
        findings = []
        for start, end, _order, rule in kept:
            if any(s < end and start < e for s, e in protected):
                continue
            if _in_capitalised_name(clean, start, end):
                continue
            line, column = _position(line_starts, start)
            if line in prepared.ignored_lines:
                continue
            end_line, end_column = _position(line_starts, end - 1)
            findings.append(
                Finding(
                    start=start,
                    end=end,
                    line=line,
                    column=column,
                    end_line=end_line,
                    end_column=end_column + 1,
                    text=" ".join(clean[start:end].replace(BARRIER, " ").split()),
                    rule=rule.id,
                    suggestions=list(rule.suggestions),
                    source=rule.source,
                    severity=rule.severity,
                    note=rule.note,
                    file=file,
                )
            )
        return findings

    def _protected_spans(self, clean: str, folded: str | None = None) -> list[tuple[int, int]]:
        spans = []
        for regex, starts in self._protected:
            found = _match_at_starts(regex, starts, clean, folded) if starts and folded else regex.finditer(clean)
            spans.extend((m.start(), m.end()) for m in found)
        return spans

    def rule_ids_in(self, text: str, fmt: str = "text") -> set[str]:
        return {f.rule for f in self.check(text, fmt)}


def _drop_nested(candidates: list) -> list:
    """The candidates (start, end, rule order, rule) to report, in order of position."""
    # A finding inside a longer finding (from any rule) is dropped, and so is
    # one that overlaps an earlier finding of the same rule.
    candidates.sort(key=lambda c: (c[0], -(c[1] - c[0]), c[2]))
    # Every kept finding starts at or before the candidate (the sort), so "inside a longer one" is
    # "ends at or before the furthest end kept so far"; the same-rule test looks at that rule's only.
    kept: list[tuple[int, int, int, Rule]] = []
    kept_by_rule: dict[int, list[tuple[int, int, int, Rule]]] = {}
    furthest_end = -1
    for cand in candidates:
        if cand[1] <= furthest_end:
            continue
        same_rule = kept_by_rule.setdefault(id(cand[3]), [])
        if any(k[0] < cand[1] and cand[0] < k[1] for k in same_rule):
            continue
        kept.append(cand)
        same_rule.append(cand)
        furthest_end = max(furthest_end, cand[1])
    return kept


# ----------------------------------------------------------------------
# Context helpers
# ----------------------------------------------------------------------

# How far before and after an anchor word a match may reach (the longest phrases are far shorter).
_ANCHOR_REACH = 160
_WORD_CHAR = patterns.compile(r"\w")


def _matches(matcher, clean: str, folded: str | None = None):
    """The matcher's matches. With an anchor (a pattern every match contains) or literals (a piece of
    text every match of a term list contains), the full pattern runs only in windows around their
    hits (merged, and widened to whole words), which gives the same matches much faster. `folded`
    is the text case-folded, when that keeps every character's position."""
    if matcher.anchor is not None:
        if matcher.anchor_starts and folded is not None:
            found = _match_at_starts(matcher.anchor, matcher.anchor_starts, clean, folded)
        else:
            found = matcher.anchor.finditer(clean)
        hits = [(hit.start(), hit.end()) for hit in found]
    elif matcher.literals and folded is not None:
        hits = []
        for literal in matcher.literals:
            start = folded.find(literal)
            while start != -1:
                hits.append((start, start + len(literal)))
                start = folded.find(literal, start + 1)
        hits.sort()
    elif matcher.starts and not matcher.regex.flags & re.IGNORECASE:
        yield from _match_at_starts(matcher.regex, matcher.starts, clean, clean)
        return
    elif matcher.starts and folded is not None:
        yield from _match_at_starts(matcher.regex, matcher.starts, clean, folded)
        return
    else:
        yield from matcher.regex.finditer(clean)
        return
    windows: list[list[int]] = []
    for hit_start, hit_end in hits:
        lo, hi = max(0, hit_start - _ANCHOR_REACH), min(len(clean), hit_end + _ANCHOR_REACH)
        if windows and lo <= windows[-1][1]:
            windows[-1][1] = max(windows[-1][1], hi)
            continue
        while lo > 0 and _WORD_CHAR.match(clean, lo - 1):
            lo -= 1
        windows.append([lo, hi])
    for window in windows:
        lo, hi = window
        while hi < len(clean) and _WORD_CHAR.match(clean, hi):
            hi += 1
        yield from matcher.regex.finditer(clean, lo, hi)


def _match_at_starts(regex, pieces: tuple[str, ...], clean: str, folded: str):
    """What ``regex.finditer(clean)`` finds, when every match starts with one of `pieces`, looked for
    in `folded` (the text case-folded, or the text itself for a pattern that minds case): the pattern
    is tried only where a piece is, in order, from the end of the last match on (which is what
    finditer's search does at every position)."""
    starts = []
    for piece in pieces:
        start = folded.find(piece)
        while start != -1:
            starts.append(start)
            start = folded.find(piece, start + 1)
    starts.sort()
    resume = 0
    for start in starts:
        if start >= resume:
            found = regex.match(clean, start)
            if found is not None:
                yield found
                resume = found.end()


def sentence_before(clean: str, start: int) -> str:
    lo = max(0, start - _CONTEXT_REACH)
    segment = clean[lo:start]
    cut = 0
    for m in _SENTENCE_BOUNDARY.finditer(segment):
        cut = m.end()
    return segment[cut:]


def sentence_after(clean: str, end: int) -> str:
    segment = clean[end : end + _CONTEXT_REACH]
    m = _SENTENCE_BOUNDARY.search(segment)
    return segment[: m.start()] if m else segment


def _context_allows(clean: str, start: int, end: int, matcher: Matcher) -> bool:
    if not (
        matcher.unless_preceded_by
        or matcher.unless_followed_by
        or matcher.unless_context
        or matcher.requires_context
    ):
        return True
    before = sentence_before(clean, start)
    after = sentence_after(clean, end)
    for regex in matcher.unless_preceded_by:
        if regex.search(before):
            return False
    for regex in matcher.unless_followed_by:
        if regex.search(after):
            return False
    if matcher.unless_context or matcher.requires_context:
        n = matcher.context_window
        window = " ".join(_WORD.findall(before)[-n:]) + " \x00 " + " ".join(_WORD.findall(after)[:n])
        if any(regex.search(window) for regex in matcher.unless_context):
            return False
        if matcher.requires_context and not any(regex.search(window) for regex in matcher.requires_context):
            return False
    return True


def _in_capitalised_name(clean: str, start: int, end: int) -> bool:
    """True when the match sits in a Capitalised Name Like This Network."""
    matched = _WORD.findall(clean[start:end])
    if not matched or not all(w[0].isupper() or w.lower() in _CONNECTORS for w in matched):
        return False
    left = _LEFT_RUN.search(clean[max(0, start - 150) : start])
    right = _RIGHT_RUN.match(clean[end : end + 150])
    left_words = left.group(1).split() if left else []
    right_words = right.group(1).split() if right else []
    # trim connectors from the outer ends
    while left_words and left_words[0].lower() in _CONNECTORS:
        left_words.pop(0)
    while right_words and right_words[-1].lower() in _CONNECTORS:
        right_words.pop()
    run = left_words + matched + right_words
    capitalised = [w for w in run if w[0].isupper()]
    if len(capitalised) < 2 or len(run) > 10:
        return False
    after_run = clean[end + (right.end(1) if right else 0) :]
    if _ACRONYM_AFTER.match(after_run[:40]):
        return True
    lowered = [w.lower().strip(".") for w in run]
    for i, word in enumerate(lowered):
        if word in _NAME_HEADS:
            if word not in {w.lower() for w in matched} or len(capitalised) > len(matched):
                # at either end of the name, or followed by "of/on/for"
                if (
                    i == 0
                    or i == len(lowered) - 1
                    or (i + 1 < len(lowered) and lowered[i + 1] in {"of", "on", "for", "against"})
                ):
                    return True
    return False


def _line_starts(text: str) -> list[int]:
    starts = [0]
    index = text.find("\n")
    while index != -1:
        starts.append(index + 1)
        index = text.find("\n", index + 1)
    return starts


def _position(line_starts: list[int], offset: int) -> tuple[int, int]:
    line_index = bisect.bisect_right(line_starts, offset) - 1
    return line_index + 1, offset - line_starts[line_index] + 1
