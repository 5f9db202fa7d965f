"""The parsed-rules cache that keeps the command line's start-up short (bench/language/run.py)."""

import datetime
import sys
from pathlib import Path

import pytest

from haven.language.checker import Checker
from haven.language.rules import RulesError, _read_yaml, load_yaml_text


@pytest.fixture
def cache(tmp_path, monkeypatch):
    monkeypatch.setenv("HAVEN_CACHE_DIR", str(tmp_path))
    return tmp_path / "language"


def test_a_second_parse_comes_from_the_cache_without_pyyaml(cache, monkeypatch):
    text = "rules:\n  - id: example\n    terms: [one, two]\n"
    first = load_yaml_text(text)
    assert len(list(cache.glob("*.json"))) == 1
    monkeypatch.setitem(sys.modules, "yaml", None)  # importing PyYAML now fails
    assert load_yaml_text(text) == first == {"rules": [{"id": "example", "terms": ["one", "two"]}]}


def test_an_edited_file_is_parsed_again(cache):
    assert load_yaml_text("a: 1\n") == {"a": 1}
    assert load_yaml_text("a: 2\n") == {"a": 2}
    assert len(list(cache.glob("*.json"))) == 2


def test_data_json_cannot_give_back_is_not_cached(cache):
    assert load_yaml_text("when: 2026-12-07\n") == {"when": datetime.date(2026, 12, 7)}
    assert load_yaml_text("1: one\n") == {1: "one"}  # JSON would turn the key into "1"
    assert not list(cache.glob("*.json"))


def test_a_corrupt_cache_entry_is_ignored(cache):
    load_yaml_text("b: [1, 2]\n")
    (entry,) = cache.glob("*.json")
    entry.write_text("{not json", encoding="utf-8")
    assert load_yaml_text("b: [1, 2]\n") == {"b": [1, 2]}


def test_an_unwritable_cache_is_skipped(tmp_path, monkeypatch):
    blocker = tmp_path / "file"
    blocker.write_text("", encoding="utf-8")
    monkeypatch.setenv("HAVEN_CACHE_DIR", str(blocker))  # a file where a folder should be
    assert load_yaml_text("c: true\n") == {"c": True}


def test_the_cache_can_be_turned_off(monkeypatch, tmp_path):
    monkeypatch.setenv("HAVEN_CACHE_DIR", "")
    monkeypatch.setenv("XDG_CACHE_HOME", str(tmp_path))
    assert load_yaml_text("d: 1\n") == {"d": 1}
    assert not any(tmp_path.rglob("*.json"))


def test_invalid_yaml_still_names_the_line(cache, tmp_path):
    broken = tmp_path / "broken.yaml"
    broken.write_text("rules:\n  - id: [unclosed\n", encoding="utf-8")
    with pytest.raises(RulesError, match=r"invalid YAML \(line \d+"):
        _read_yaml(broken)
    assert not list(cache.glob("*.json"))


def test_the_checker_finds_the_same_with_a_warm_cache(cache):
    text = "The addict got clean."
    cold = [finding.rule for finding in Checker().check(text)]
    warm = [finding.rule for finding in Checker().check(text)]
    assert cold == warm and "addict" in cold


def _contexts(rules):
    return [
        p
        for rule in rules
        for m in rule.matchers
        for p in (*m.unless_preceded_by, *m.unless_followed_by, *m.unless_context, *m.requires_context)
    ]


@pytest.mark.parametrize("language", ["en", "es", "fr"])
def test_havens_own_context_patterns_compile_when_first_needed_and_all_are_valid(language):
    from haven.language.rules import LANGUAGE_RULES, LazyPattern, load_rules

    lazy = load_rules([LANGUAGE_RULES[language]])
    assert all(isinstance(p, LazyPattern) for p in _contexts(lazy))
    if language == "en":
        assert _contexts(lazy)
    # Compiled at once, every one of them is a valid pattern (a bad one raises RulesError here).
    eager = load_rules([LANGUAGE_RULES[language]], lazy_context=False)
    assert not any(isinstance(p, LazyPattern) for p in _contexts(eager))


def test_a_bad_context_pattern_in_a_given_file_is_reported_at_load(tmp_path):
    from haven.language.rules import load_rules

    rules = tmp_path / "rules.yaml"
    rules.write_text(
        "rules:\n  - id: sample\n    terms: [word]\n    unless_context: ['(unclosed']\n"
        "    suggestions: [other]\n    note: A note.\n    source: nida\n    severity: warning\n"
        "    examples: {match: [a word], no_match: [none]}\n",
        encoding="utf-8",
    )
    with pytest.raises(RulesError, match="invalid regular expression"):
        load_rules([rules])


def _without_prefilter(checker):
    rules = [
        rule.replace(matchers=[m.replace(literals=()) for m in rule.matchers])
        for rule in checker.rules
    ]
    return Checker(rules=rules)


@pytest.mark.parametrize("language", ["en", "es", "fr"])
def test_the_literal_prefilter_finds_exactly_what_a_full_scan_finds(language):
    import yaml

    from haven.language.rules import LANGUAGE_RULES

    data = Path(__file__).parent / "data"
    texts = []
    for path in sorted(data.glob("*.yaml")):
        loaded = yaml.safe_load(path.read_text(encoding="utf-8"))
        items = loaded.get("items", loaded) if isinstance(loaded, dict) else loaded
        texts += [item["text"] for item in items or [] if isinstance(item, dict) and "text" in item]
    fast = Checker(rules_paths=[LANGUAGE_RULES[language]])
    assert any(m.literals for rule in fast.rules for m in rule.matchers)
    slow = _without_prefilter(fast)
    texts += [example.text for rule in fast.rules for example in rule.examples_match + rule.examples_no_match]
    texts += [
        "EX-ADDICT",
        "ex addict",
        "ſtraße junkie",
        "Kelvin K ADDİCT ıs",
        "x" * 400 + " addict " + "y" * 400,
    ]
    whole = "\n\n".join(texts)
    for text in [*texts, whole]:
        assert [(f.start, f.end, f.rule) for f in fast.check(text)] == [
            (f.start, f.end, f.rule) for f in slow.check(text)
        ], text[:80]
