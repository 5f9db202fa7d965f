"""Precision and recall over the labelled corpus (sentence level, per rule id)."""

from __future__ import annotations

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
