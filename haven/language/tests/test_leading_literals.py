"""The shortcut for patterns whose every match starts with known words (Matcher.starts,
Matcher.anchor_starts, patterns.leading_literals) finds exactly what a full scan finds."""

import random
import re
from pathlib import Path

import pytest
import yaml

from haven.language import patterns
from haven.language.checker import Checker
from haven.language.rules import LANGUAGE_RULES


def _full_scan(checker: Checker) -> Checker:
    rules = [
        rule.replace(matchers=[m.replace(starts=(), anchor_starts=()) for m in rule.matchers])
        for rule in checker.rules
    ]
    return Checker(rules=rules)


def _texts(checker: Checker) -> list[str]:
    texts = []
    for path in sorted((Path(__file__).parent / "data").glob("*.yaml")):
        loaded = yaml.safe_load(path.read_text(encoding="utf-8"))
        items = loaded.get("items", loaded) if isinstance(loaded, dict) else loaded
        texts += [item["text"] for item in items or [] if isinstance(item, dict) and "text" in item]
    texts += [e.text for rule in checker.rules for e in rule.examples_match + rule.examples_no_match]
    texts += [
        "DEALERS OF FENTANYL and Pushers of dope; abusers   of\nalcohol",
        "ſuffering from addiction, ABUSE OF DRUGS, Kelvin K USERS",  # letters that fold to ASCII
        "İs a user; ıs a user; was a user; 's a user",
        "superusers, nonusers, abuser-of, user's guide, Users of our syringe services",
        "x" * 300 + " users of heroin " + "y" * 300,
    ]
    generator = random.Random(13)
    texts += ["".join(c.upper() if generator.random() < 0.3 else c for c in t) for t in texts[:400]]
    return texts


@pytest.mark.parametrize("language", sorted(LANGUAGE_RULES))
def test_the_shortcut_finds_exactly_what_a_full_scan_finds(language):
    fast = Checker(rules_paths=[LANGUAGE_RULES[language]])
    slow = _full_scan(fast)
    texts = _texts(fast)
    for text in [*texts, "\n\n".join(texts)]:
        assert [f.to_dict() for f in fast.check(text)] == [f.to_dict() for f in slow.check(text)], text[:80]


def test_most_english_patterns_without_an_anchor_get_the_shortcut():
    matchers = [m for rule in Checker().rules for m in rule.matchers if not (m.anchor or m.literals)]
    assert sum(1 for m in matchers if m.starts) >= 40


@pytest.mark.parametrize(
    "pattern, expected",
    [
        (r"(?<![\w])(?:(?:dealers?|pushers?) of x)(?![\w])", ("dealer", "pusher")),
        (r"(?<![\w])(?:Abus(?:e|ed) x)", ("abuse",)),  # the parser takes the common "e" out
        (r"(?<![\w])(?:(?:is|'s|been) (?P<hit>x))", ("'s", "been", "is")),
        (r"(?<![\w])(?:(?:non-?)?compliant)", ()),  # may start with either
        (r"(?<![\w])(?:\$?\d+ a day)", ()),
        (r"(?<![\w])(?:[ab]x)", ()),
    ],
)
def test_the_leading_words_of_a_pattern(pattern, expected, monkeypatch):
    monkeypatch.setenv("HAVEN_CACHE_DIR", "")
    monkeypatch.setattr(patterns, "_programs", None)
    assert patterns.leading_literals(pattern, re.IGNORECASE) == expected


@pytest.mark.parametrize(
    "pattern, expected",
    [
        (r"(?<![\w])(?:MAT)(?![\w])", ("MAT",)),  # kept as written: the pattern minds case
        (r"(?<![\w])(?:IDUs?|PWID)(?![\w])", ("IDU", "PWID")),
        (r"(?<![\w])(?i:mat)(?![\w])", ()),  # a part that ignores case: no shortcut
    ],
)
def test_the_leading_words_of_a_pattern_that_minds_case(pattern, expected, monkeypatch):
    monkeypatch.setenv("HAVEN_CACHE_DIR", "")
    monkeypatch.setattr(patterns, "_programs", None)
    assert patterns.leading_literals(pattern) == expected


def test_a_pattern_that_minds_case_is_found_only_as_written():
    checker = Checker()
    assert "medication-assisted-treatment" in checker.rule_ids_in("Our MAT program is open.")
    assert "medication-assisted-treatment" not in checker.rule_ids_in("Sit on the mat by the door.")


@pytest.mark.parametrize("language", sorted(LANGUAGE_RULES))
def test_names_and_allowed_phrases_are_found_where_a_full_scan_finds_them(language):
    from haven.language.prepare import prepare

    checker = Checker(rules_paths=[LANGUAGE_RULES[language]], allow=["clean slate program", "Users' Union"])
    assert all(starts for _regex, starts in checker._protected)
    for text in _texts(checker) + ["The Clean Slate Program and the drug USERS' UNION met; clean slate programs"]:
        clean = prepare(text).clean
        folded = clean.casefold().replace("\u0131", "i")
        full = [(m.start(), m.end()) for regex, _ in checker._protected for m in regex.finditer(clean)]
        assert checker._protected_spans(clean, folded if len(folded) == len(clean) else None) == full, text[:80]
