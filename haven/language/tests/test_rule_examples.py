"""Every rule carries examples that must and must not match; run them all."""

from __future__ import annotations

import pytest

from haven.language.checker import Checker
from haven.language.rules import LANGUAGE_RULES, load_rules

# Every language's rules, each run by a checker holding that language's rules only.
_BY_LANGUAGE = {language: load_rules([folder]) for language, folder in LANGUAGE_RULES.items()}
_RULES = [rule for rules in _BY_LANGUAGE.values() for rule in rules]
_LANGUAGE_OF = {rule.id: language for language, rules in _BY_LANGUAGE.items() for rule in rules}


def _cases():
    for rule in _RULES:
        for n, example in enumerate(rule.examples_match, start=1):
            yield pytest.param(rule.id, example, True, id=f"{rule.id}-match-{n}")
        for n, example in enumerate(rule.examples_no_match, start=1):
            yield pytest.param(rule.id, example, False, id=f"{rule.id}-no_match-{n}")


_CHECKERS = {language: Checker(rules) for language, rules in _BY_LANGUAGE.items()}


@pytest.mark.parametrize("rule_id, example, should_match", list(_cases()))
def test_every_rule_example_behaves_as_labelled(rule_id, example, should_match):
    checker = _CHECKERS[_LANGUAGE_OF[rule_id]]
    findings = [f for f in checker.check(example.text, example.format) if f.rule == rule_id]
    if should_match:
        assert findings, f"{rule_id} should report something in: {example.text!r}"
        if example.found:
            assert example.found in [f.text for f in findings], (
                f"{rule_id} should report {example.found!r} in {example.text!r}, got {[f.text for f in findings]}"
            )
    else:
        assert not findings, f"{rule_id} should not report {[f.text for f in findings]} in: {example.text!r}"


def test_every_rule_has_examples_both_ways():
    for rule in _RULES:
        assert rule.examples_match and rule.examples_no_match, rule.id


def test_every_rule_names_a_source_a_note_and_suggestions():
    for rule in _RULES:
        assert rule.sources and rule.note and rule.suggestions, rule.id
        assert rule.severity in ("error", "warning", "info"), rule.id
