"""An anchor is only a faster way to find the same matches: with and without anchors, every example and
every corpus sentence gives the same findings."""

from __future__ import annotations

from pathlib import Path

import yaml

from haven.language.checker import Checker
from haven.language.rules import load_rules

DATA = Path(__file__).parent / "data"


def without_anchors(rules):
    return [
        rule.replace(matchers=[m.replace(anchor=None, anchor_starts=()) for m in rule.matchers])
        for rule in rules
    ]


def texts():
    rules = load_rules()
    for rule in rules:
        yield from ((e.text, e.format) for e in (*rule.examples_match, *rule.examples_no_match))
    for name in ("corpus.yaml", "corpus_registers.yaml"):
        for item in yaml.safe_load((DATA / name).read_text(encoding="utf-8")):
            yield item["text"], item.get("format", "text")


def test_the_anchored_rules_find_exactly_what_the_full_patterns_find():
    rules = load_rules()
    assert any(m.anchor is not None for rule in rules for m in rule.matchers)
    fast, slow = Checker(rules), Checker(without_anchors(rules))
    everything = "\n\n".join(text for text, fmt in texts() if fmt == "text")
    for text, fmt in [*texts(), (everything, "text")]:
        assert [(f.start, f.end, f.rule) for f in fast.check(text, fmt)] == [
            (f.start, f.end, f.rule) for f in slow.check(text, fmt)
        ], text[:80]
