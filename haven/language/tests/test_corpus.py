"""Precision and recall over the labelled corpus (sentence level, per rule id)."""

from __future__ import annotations

import hashlib
from pathlib import Path

import yaml

from haven.language.checker import Checker

CORPUS = Path(__file__).parent / "data" / "corpus.yaml"
MIN_PRECISION = 0.95
MIN_RECALL = 0.90


def load_corpus() -> list[dict]:
    return yaml.safe_load(CORPUS.read_text(encoding="utf-8"))


def score(checker: Checker, items: list[dict]) -> dict:
    """Sentence-level scoring per rule id.

    For each sentence: expected ids that are reported are true positives,
    reported ids that are not expected are false positives, expected ids that
    are not reported are false negatives.
    """
    tp = fp = fn = 0
    misses = []
    for item in items:
        expected = set(item["expect"])
        found = {f.rule for f in checker.check(item["text"], item.get("format", "text"))}
        tp += len(expected & found)
        fp += len(found - expected)
        fn += len(expected - found)
        if expected != found:
            misses.append((item["text"], sorted(expected), sorted(found)))
    precision = tp / (tp + fp) if tp + fp else 1.0
    recall = tp / (tp + fn) if tp + fn else 1.0
    return {"tp": tp, "fp": fp, "fn": fn, "precision": precision, "recall": recall, "misses": misses}


def test_the_corpus_has_at_least_300_sentences_and_40_percent_that_must_not_be_flagged():
    items = load_corpus()
    assert len(items) >= 300
    unflagged = [i for i in items if not i["expect"]]
    assert len(unflagged) / len(items) >= 0.40


def test_every_label_in_the_corpus_is_a_known_rule(checker):
    known = {r.id for r in checker.rules}
    for item in load_corpus():
        assert set(item["expect"]) <= known, item


def test_precision_and_recall_over_the_corpus_meet_the_bar(checker):
    result = score(checker, load_corpus())
    detail = "\n".join(f"  {t!r}: expected {e}, found {f}" for t, e, f in result["misses"])
    assert result["precision"] >= MIN_PRECISION, f"precision {result['precision']:.3f}\n{detail}"
    assert result["recall"] >= MIN_RECALL, f"recall {result['recall']:.3f}\n{detail}"


def test_precision_and_recall_on_the_holdout_part_meet_the_bar(checker):
    holdout = [i for i in load_corpus() if i.get("split") == "holdout"]
    assert len(holdout) >= 60
    result = score(checker, holdout)
    assert result["precision"] >= MIN_PRECISION and result["recall"] >= MIN_RECALL, result["misses"]


# The registers corpus (clinical notes, news, grant text, social posts, program materials), written and
# committed before the rules were changed for it. Its held-out part is fixed by a hash of each sentence,
# so nobody chose which sentences to hold out; it was never used for tuning (docs/LANGUAGE.md).
REGISTERS = Path(__file__).parent / "data" / "corpus_registers.yaml"
REGISTERS_KINDS = {"clinical", "news", "grant", "social", "program", "mixed"}


def is_heldout(text: str) -> bool:
    return hashlib.sha256(text.encode("utf-8")).digest()[0] < 103


def load_registers() -> list[dict]:
    return yaml.safe_load(REGISTERS.read_text(encoding="utf-8"))


def test_both_corpora_together_hold_at_least_600_sentences_from_varied_registers():
    registers = load_registers()
    assert len(load_corpus()) + len(registers) >= 600
    assert {item["register"] for item in registers} == REGISTERS_KINDS
    assert len({item["text"] for item in registers}) == len(registers), "a sentence appears twice"


def test_the_hash_split_holds_out_about_40_percent_of_the_registers_corpus():
    registers = load_registers()
    share = sum(is_heldout(item["text"]) for item in registers) / len(registers)
    assert 0.33 <= share <= 0.47


def test_every_label_in_the_registers_corpus_is_a_known_rule(checker):
    known = {r.id for r in checker.rules}
    for item in load_registers():
        assert set(item["expect"]) <= known, item


def test_precision_and_recall_on_the_held_out_registers_meet_the_bar(checker):
    heldout = [item for item in load_registers() if is_heldout(item["text"])]
    assert len(heldout) >= 80
    result = score(checker, heldout)
    assert result["precision"] >= MIN_PRECISION and result["recall"] >= MIN_RECALL, result["misses"]


def test_precision_and_recall_on_the_registers_development_part_meet_the_bar(checker):
    development = [item for item in load_registers() if not is_heldout(item["text"])]
    result = score(checker, development)
    assert result["precision"] >= MIN_PRECISION and result["recall"] >= MIN_RECALL, result["misses"]
