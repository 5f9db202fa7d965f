"""Language rules: loading, validating and compiling the YAML rule files.

A rules file is a YAML mapping with two optional keys:

``vocabulary``
    named word lists that patterns can use as ``{name}``;
``rules``
    a list of rules (see docs/LANGUAGE.md for every key).

Everything here is plain Python (no Django), so the checker can run in a
pre-commit hook, in CI or from the command line.
"""

from __future__ import annotations

import json
import os
import re
from collections.abc import Iterable
from pathlib import Path
from typing import Any

from . import patterns
from .records import Record

try:  # the BLAKE2 that hashlib itself uses; importing hashlib would also load OpenSSL (~3 ms a run)
    from _blake2 import blake2b as _blake2b
except ImportError:  # pragma: no cover - a Python built without it
    from hashlib import blake2b as _blake2b

PACKAGE_DIR = Path(__file__).resolve().parent
DEFAULT_RULES_DIR = PACKAGE_DIR / "rules"
# The rules for each language: English in rules/, the others in a folder of their own.
LANGUAGE_RULES = {"en": DEFAULT_RULES_DIR, "es": DEFAULT_RULES_DIR / "es", "fr": DEFAULT_RULES_DIR / "fr"}
LANGUAGES = tuple(LANGUAGE_RULES)
SOURCES_FILE = PACKAGE_DIR / "sources.yaml"

SEVERITIES = ("error", "warning", "info")

# Keys that describe *how* a rule matches.  They may sit directly on the rule
# (one matcher) or inside a ``match:`` list (several matchers, one rule id).
MATCHER_KEYS = {
    "terms",
    "pattern",
    "unless_preceded_by",
    "unless_followed_by",
    "unless_context",
    "requires_context",
    "context_window",
    "case_sensitive",
    "anchor",
}
RULE_KEYS = {
    "id",
    "match",
    "suggestions",
    "note",
    "source",
    "severity",
    "examples",
} | MATCHER_KEYS

DEFAULT_CONTEXT_WINDOW = 8
_ID_RE = re.compile(r"^[a-z0-9]+(?:-[a-z0-9]+)*$")
_PLACEHOLDER_RE = re.compile(r"\{([A-Za-z_][A-Za-z0-9_]*)\}")
_VOCAB_NAME_RE = re.compile(r"^[A-Za-z_][A-Za-z0-9_]*$")


class RulesError(ValueError):
    """A rules file (or allow-list file) is not valid.

    The message always names the file and, when known, the rule.
    """

    def __init__(self, path: Path | str, message: str, rule_id: str | None = None):
        self.path = str(path)
        self.rule_id = rule_id
        self.detail = message
        where = f"{self.path}: rule {rule_id!r}" if rule_id else self.path
        super().__init__(f"{where}: {message}")


class Source(Record):
    __slots__ = ("key", "name", "short")
    frozen = True


class Example(Record):
    __slots__ = ("text", "format", "found")  # found: the words the rule should report (match examples)
    defaults = {"format": "text", "found": None}
    frozen = True


class Matcher(Record):
    __slots__ = (
        "regex",
        "unless_preceded_by",
        "unless_followed_by",
        "unless_context",
        "requires_context",
        "context_window",
        # A quick first pass: words every match contains. The full pattern is then only tried near them.
        "anchor",
        # For a list of terms: one piece of text per term (its longest word, case-folded) that every
        # match contains; the checker finds them with str.find and tries the pattern only around them.
        "literals",
        # For any other pattern: pieces of text that every match starts with (case-folded when the
        # pattern ignores case); the checker tries the pattern only where they are
        # (patterns.leading_literals).
        "starts",
        # The same for the anchor: pieces of text (case-folded) that every match of the anchor starts with.
        "anchor_starts",
    )
    defaults = {
        "unless_preceded_by": [],
        "unless_followed_by": [],
        "unless_context": [],
        "requires_context": [],
        "context_window": DEFAULT_CONTEXT_WINDOW,
        "anchor": None,
        "literals": (),
        "starts": (),
        "anchor_starts": (),
    }


class Rule(Record):
    __slots__ = (
        "id",
        "matchers",
        "suggestions",
        "note",
        "sources",
        "severity",
        "examples_match",
        "examples_no_match",
        "path",
    )
    defaults = {"path": ""}

    @property
    def source(self) -> str:
        """Short, human-readable source line, e.g. ``NIDA Words Matter; AP Stylebook``."""
        return "; ".join(s.short for s in self.sources)


# --------------------------------------------------------------------------
# Sources
# --------------------------------------------------------------------------


def load_sources(path: Path = SOURCES_FILE) -> dict[str, Source]:
    data = _read_yaml(path)
    if not isinstance(data, dict) or not data:
        raise RulesError(path, "expected a mapping of source keys to {name, short}")
    sources: dict[str, Source] = {}
    for key, value in data.items():
        if not isinstance(value, dict) or not isinstance(value.get("name"), str):
            raise RulesError(path, f"source {key!r} needs a 'name' (text)")
        short = value.get("short", value["name"])
        sources[str(key)] = Source(key=str(key), name=value["name"], short=str(short))
    return sources


# --------------------------------------------------------------------------
# Loading
# --------------------------------------------------------------------------


def rule_files(paths: Iterable[Path | str] | None = None) -> list[Path]:
    """Expand directories into their ``*.yaml``/``*.yml`` files (sorted)."""
    if paths is None:
        paths = [DEFAULT_RULES_DIR]
    files: list[Path] = []
    for p in paths:
        p = Path(p)
        if p.is_dir():
            files.extend(sorted([*p.glob("*.yaml"), *p.glob("*.yml")]))
        elif p.exists():
            files.append(p)
        else:
            raise RulesError(p, "rules file or folder not found")
    if not files:
        raise RulesError(", ".join(str(p) for p in paths), "no rules files (*.yaml) found")
    return files


def load_rules(
    paths: Iterable[Path | str] | None = None,
    sources: dict[str, Source] | None = None,
    *,
    lazy_context: bool | None = None,
) -> list[Rule]:
    """Load, validate and compile rules from files or folders.

    Raises :class:`RulesError` with the file and rule named on any problem.

    ``lazy_context`` leaves the context patterns (``unless_*``, ``requires_context``) to be compiled
    the first time a match needs them: most are never needed in a short text, and compiling them is
    a large part of a command-line run's start-up. It is the default for Haven's own rule files only
    (those under rules/), which the test suite compiles in full (test_rules_cache.py); other rule
    files are compiled at once, so a bad pattern is reported before any text is checked.
    """
    files = rule_files(paths)
    if lazy_context is None:
        lazy_context = all(path.resolve().is_relative_to(DEFAULT_RULES_DIR) for path in files)
    sources = sources if sources is not None else load_sources()

    raw_docs: list[tuple[Path, dict[str, Any]]] = []
    vocabulary: dict[str, str] = {}
    for path in files:
        data = _read_yaml(path)
        if data is None:
            continue  # an empty file adds nothing
        if not isinstance(data, dict):
            raise RulesError(path, "expected a mapping with 'rules' (and optionally 'vocabulary')")
        unknown = set(data) - {"rules", "vocabulary"}
        if unknown:
            raise RulesError(path, f"unknown top-level key(s): {', '.join(sorted(map(str, unknown)))}")
        for name, words in (data.get("vocabulary") or {}).items():
            if not isinstance(name, str) or not _VOCAB_NAME_RE.match(name):
                raise RulesError(path, f"vocabulary name {name!r} must be letters, digits or _")
            if name in vocabulary:
                raise RulesError(path, f"vocabulary {name!r} is defined twice")
            if (
                not isinstance(words, list)
                or not words
                or not all(isinstance(w, str) and w.strip() for w in words)
            ):
                raise RulesError(path, f"vocabulary {name!r} must be a non-empty list of words")
            vocabulary[name] = _alternation(words)
        raw_docs.append((path, data))

    rules: list[Rule] = []
    seen: dict[str, str] = {}
    for path, data in raw_docs:
        raw_rules = data.get("rules", [])
        if raw_rules is None:
            continue
        if not isinstance(raw_rules, list):
            raise RulesError(path, "'rules' must be a list")
        for index, raw in enumerate(raw_rules, start=1):
            rule = _build_rule(path, index, raw, vocabulary, sources, lazy_context)
            if rule.id in seen:
                raise RulesError(path, f"duplicate rule id (also in {seen[rule.id]})", rule.id)
            seen[rule.id] = str(path)
            rules.append(rule)
    if not rules:
        raise RulesError(", ".join(str(f) for f in files), "no rules defined")
    return rules


def yaml_error() -> type[Exception]:
    """PyYAML's error class, imported only when a parse failed (``except yaml_error() as exc``)."""
    import yaml

    return yaml.YAMLError


def cache_dir() -> Path | None:
    """Where parsed rule files are kept between runs: HAVEN_CACHE_DIR, else the user's cache folder.
    HAVEN_CACHE_DIR set to an empty value turns the cache off."""
    configured = os.environ.get("HAVEN_CACHE_DIR")
    if configured is not None:
        return Path(configured) / "language" if configured else None
    base = os.environ.get("XDG_CACHE_HOME") or os.path.join(os.path.expanduser("~"), ".cache")
    return Path(base) / "haven" / "language"


def load_yaml_text(text: str) -> Any:
    """Parse YAML (the safe subset), through a cache keyed by the text's BLAKE2b hash (256 bits).

    A command-line run spends most of its start-up importing PyYAML and building Python objects from
    the rule files; the cache keeps each file's parsed form as JSON, which loads several times faster,
    and PyYAML is not imported at all when every file is cached. Only data that JSON gives back
    unchanged is cached; a cache that cannot be read or written is skipped silently."""
    folder = cache_dir()
    entry = folder / f"{_blake2b(text.encode('utf-8'), digest_size=32).hexdigest()}.json" if folder else None
    if entry is not None:
        try:
            return json.loads(entry.read_text(encoding="utf-8"))
        except (OSError, ValueError):
            pass
    import yaml

    data = yaml.load(text, Loader=getattr(yaml, "CSafeLoader", yaml.SafeLoader))
    if entry is not None:
        try:
            encoded = json.dumps(data, ensure_ascii=False)
            if json.loads(encoded) == data:
                folder.mkdir(parents=True, exist_ok=True)
                partial = entry.with_name(f"{entry.name}.{os.getpid()}.tmp")
                partial.write_text(encoded, encoding="utf-8")
                os.replace(partial, entry)
        except (OSError, TypeError, ValueError):
            pass
    return data


def _read_yaml(path: Path) -> Any:
    try:
        text = Path(path).read_text(encoding="utf-8")
    except FileNotFoundError:
        raise RulesError(path, "file not found") from None
    except UnicodeDecodeError:
        raise RulesError(path, "not UTF-8 text") from None
    except OSError as exc:
        raise RulesError(path, f"cannot read: {exc.strerror or exc}") from None
    try:
        return load_yaml_text(text)
    except yaml_error() as exc:
        mark = getattr(exc, "problem_mark", None)
        where = f" (line {mark.line + 1}, column {mark.column + 1})" if mark else ""
        problem = getattr(exc, "problem", None) or str(exc).splitlines()[0]
        raise RulesError(path, f"invalid YAML{where}: {problem}") from None


def _build_rule(
    path: Path,
    index: int,
    raw: Any,
    vocabulary: dict[str, str],
    sources: dict[str, Source],
    lazy_context: bool = False,
) -> Rule:
    if not isinstance(raw, dict):
        raise RulesError(path, f"rule #{index} must be a mapping")
    rule_id = raw.get("id")
    if not isinstance(rule_id, str) or not _ID_RE.match(rule_id):
        raise RulesError(
            path, f"rule #{index}: 'id' must be lower-case words joined by '-' (got {rule_id!r})"
        )

    def fail(message: str) -> RulesError:
        return RulesError(path, message, rule_id)

    unknown = set(raw) - RULE_KEYS
    if unknown:
        raise fail(f"unknown key(s): {', '.join(sorted(map(str, unknown)))}")

    suggestions = raw.get("suggestions")
    if (
        not isinstance(suggestions, list)
        or not suggestions
        or not all(isinstance(s, str) and s.strip() for s in suggestions)
    ):
        raise fail("'suggestions' must be a non-empty list of text")
    note = raw.get("note")
    if not isinstance(note, str) or not note.strip():
        raise fail("'note' must be a short text")
    severity = raw.get("severity")
    if severity not in SEVERITIES:
        raise fail(f"'severity' must be one of {', '.join(SEVERITIES)} (got {severity!r})")
    source_keys = raw.get("source")
    if isinstance(source_keys, str):
        source_keys = [source_keys]
    if not isinstance(source_keys, list) or not source_keys:
        raise fail(f"'source' must name one or more of: {', '.join(sorted(sources))}")
    rule_sources = []
    for key in source_keys:
        if key not in sources:
            raise fail(f"unknown source {key!r} (known: {', '.join(sorted(sources))})")
        rule_sources.append(sources[key])

    if "match" in raw:
        if set(raw) & MATCHER_KEYS:
            raise fail("use either 'match' (a list of matchers) or matcher keys on the rule, not both")
        raw_matchers = raw["match"]
        if not isinstance(raw_matchers, list) or not raw_matchers:
            raise fail("'match' must be a non-empty list of matchers")
    else:
        raw_matchers = [{k: v for k, v in raw.items() if k in MATCHER_KEYS}]
    matchers = [
        _build_matcher(m, n, fail, vocabulary, lazy_context) for n, m in enumerate(raw_matchers, start=1)
    ]

    examples = raw.get("examples")
    if not isinstance(examples, dict):
        raise fail("'examples' must have 'match' and 'no_match' lists")
    unknown = set(examples) - {"match", "no_match"}
    if unknown:
        raise fail(f"unknown key(s) in 'examples': {', '.join(sorted(map(str, unknown)))}")
    ex_match = _build_examples(examples.get("match"), "match", fail)
    ex_no = _build_examples(examples.get("no_match"), "no_match", fail)

    return Rule(
        id=rule_id,
        matchers=matchers,
        suggestions=[s.strip() for s in suggestions],
        note=" ".join(note.split()),
        sources=rule_sources,
        severity=severity,
        examples_match=ex_match,
        examples_no_match=ex_no,
        path=str(path),
    )


def _build_matcher(raw: Any, number: int, fail, vocabulary: dict[str, str], lazy: bool = False) -> Matcher:
    if not isinstance(raw, dict):
        raise fail(f"matcher #{number} must be a mapping")
    unknown = set(raw) - MATCHER_KEYS
    if unknown:
        raise fail(f"matcher #{number}: unknown key(s): {', '.join(sorted(map(str, unknown)))}")
    terms = raw.get("terms")
    pattern = raw.get("pattern")
    if (terms is None) == (pattern is None):
        raise fail(
            f"matcher #{number}: needs exactly one of 'terms' (a list of words/phrases) or 'pattern' (a regular expression)"
        )
    case_sensitive = raw.get("case_sensitive", False)
    if not isinstance(case_sensitive, bool):
        raise fail(f"matcher #{number}: 'case_sensitive' must be true or false")
    flags = 0 if case_sensitive else re.IGNORECASE

    if terms is not None:
        if (
            not isinstance(terms, list)
            or not terms
            or not all(isinstance(t, str) and t.strip() for t in terms)
        ):
            raise fail(f"matcher #{number}: 'terms' must be a non-empty list of words or phrases")
        body = _alternation(terms)
        literals = tuple(sorted({_longest_piece(term) for term in terms}))
    else:
        literals = ()
        if not isinstance(pattern, str) or not pattern.strip():
            raise fail(f"matcher #{number}: 'pattern' must be a regular expression (text)")
        body = _expand(pattern.strip(), vocabulary, fail, f"matcher #{number}: pattern")
    regex = _compile(r"(?<![\w])(?:" + body + r")(?![\w])", flags, fail, f"matcher #{number}: pattern")

    def context_list(key: str, template: str) -> list[re.Pattern[str]]:
        value = raw.get(key)
        if value is None:
            return []
        if isinstance(value, str):
            value = [value]
        if not isinstance(value, list) or not all(isinstance(v, str) and v.strip() for v in value):
            raise fail(f"matcher #{number}: '{key}' must be a list of patterns")
        out = []
        for v in value:
            expanded = _expand(v.strip(), vocabulary, fail, f"matcher #{number}: {key}")
            regex = template.replace("<P>", expanded)
            if lazy:
                out.append(LazyPattern(regex, re.IGNORECASE))
            else:
                out.append(_compile(regex, re.IGNORECASE, fail, f"matcher #{number}: {key} {v!r}"))
        return out

    anchor = raw.get("anchor")
    if anchor is not None:
        if not isinstance(anchor, str) or not anchor.strip():
            raise fail(f"matcher #{number}: 'anchor' must be a regular expression (text)")
        anchor = _compile(
            r"(?<![\w])(?:"
            + _expand(anchor.strip(), vocabulary, fail, f"matcher #{number}: anchor")
            + r")(?![\w])",
            flags,
            fail,
            f"matcher #{number}: anchor",
        )

    window = raw.get("context_window", DEFAULT_CONTEXT_WINDOW)
    if not isinstance(window, int) or isinstance(window, bool) or not 1 <= window <= 50:
        raise fail(f"matcher #{number}: 'context_window' must be a whole number of words from 1 to 50")

    literals = literals if anchor is None and all(literals) else ()
    starts = ()
    if anchor is None and not literals:
        starts = patterns.leading_literals(regex.pattern, regex.flags & ~re.UNICODE)
    anchor_starts = ()
    if anchor is not None and flags & re.IGNORECASE:
        anchor_starts = patterns.leading_literals(anchor.pattern, anchor.flags & ~re.UNICODE)
    return Matcher(
        regex=regex,
        # the words just before the match end with one of these
        unless_preceded_by=context_list("unless_preceded_by", r"(?:^|(?<![\w]))(?:<P>)[\s\-\u2010\u2011]*$"),
        # the words just after the match start with one of these
        unless_followed_by=context_list("unless_followed_by", r"^[\s\-\u2010\u2011]*(?:<P>)(?![\w])"),
        unless_context=context_list("unless_context", r"(?<![\w])(?:<P>)(?![\w])"),
        requires_context=context_list("requires_context", r"(?<![\w])(?:<P>)(?![\w])"),
        context_window=window,
        anchor=anchor,
        literals=literals,
        starts=starts,
        anchor_starts=anchor_starts,
    )


def _build_examples(value: Any, key: str, fail) -> list[Example]:
    if not isinstance(value, list) or not value:
        raise fail(f"'examples.{key}' must be a non-empty list")
    out = []
    for item in value:
        if isinstance(item, str) and item.strip():
            out.append(Example(text=item))
        elif isinstance(item, dict) and isinstance(item.get("text"), str):
            extra = set(item) - {"text", "format", "found"}
            if extra:
                raise fail(f"unknown key(s) in an example: {', '.join(sorted(map(str, extra)))}")
            out.append(Example(text=item["text"], format=item.get("format", "text"), found=item.get("found")))
        else:
            raise fail(f"each 'examples.{key}' item must be text or {{text, format, found}}")
    return out


def _words_regex(phrase: str) -> str:
    """A literal word or phrase as a regex: flexible spaces/hyphens, both apostrophes."""
    words = phrase.strip().split()
    parts = []
    for word in words:
        pieces = [re.escape(p) for p in re.split(r"-", word)]
        part = r"[\-\u2010\u2011\s]?".join(pieces)
        parts.append(part.replace("'", "['\u2019]"))
    return r"[\s\-\u2010\u2011]+".join(parts)


def _longest_piece(phrase: str) -> str:
    """The longest run of letters that any match of the phrase (see _words_regex) contains, case-folded.
    Spaces and hyphens are flexible and apostrophes come in two forms, so the pieces between them are
    the parts that always appear as they are."""
    pieces = re.split(r"[\s\-'’]+", phrase.strip())
    return max(pieces, key=len).casefold()


def _alternation(phrases: list[str]) -> str:
    # longest first; ties in a fixed order, so the pattern is the same text in every run (patterns.py)
    alts = sorted({_words_regex(p) for p in phrases}, key=lambda alt: (-len(alt), alt))
    return "(?:" + "|".join(alts) + ")"


def _expand(pattern: str, vocabulary: dict[str, str], fail, what: str) -> str:
    def repl(m: re.Match[str]) -> str:
        name = m.group(1)
        if name not in vocabulary:
            raise fail(f"{what}: unknown vocabulary {{{name}}}")
        return vocabulary[name]

    expanded = _PLACEHOLDER_RE.sub(repl, pattern)
    # A plain space in a pattern matches any run of white space (line breaks too).
    return expanded.replace(" ", r"\s+")


class LazyPattern:
    """A regular expression compiled on its first search (see load_rules' ``lazy_context``)."""

    __slots__ = ("pattern", "flags", "_compiled")

    def __init__(self, pattern: str, flags: int = 0):
        self.pattern, self.flags, self._compiled = pattern, flags, None

    def compiled(self) -> re.Pattern[str]:
        if self._compiled is None:
            self._compiled = patterns.compile(self.pattern, self.flags)
        return self._compiled

    def search(self, string: str, *args) -> re.Match[str] | None:
        return self.compiled().search(string, *args)


def _compile(regex: str, flags: int, fail, what: str) -> re.Pattern[str]:
    try:
        return patterns.compile(regex, flags)
    except re.error as exc:
        raise fail(f"{what}: invalid regular expression: {exc}") from None
