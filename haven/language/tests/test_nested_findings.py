"""Dropping nested and same-rule overlapping findings (checker._drop_nested) keeps exactly what the
straightforward comparison of every candidate with every finding kept so far keeps."""

import random

import pytest

from haven.language import checker as checker_module
from haven.language.checker import Checker, _drop_nested
from haven.language.rules import LANGUAGE_RULES
from haven.language.tests.test_corpus import load_corpus, load_registers


def reference_drop_nested(candidates):
    candidates = sorted(candidates, key=lambda c: (c[0], -(c[1] - c[0]), c[2]))
    kept = []
    for cand in candidates:
        if any(
            (k[0] <= cand[0] and cand[1] <= k[1]) or (k[3] is cand[3] and k[0] < cand[1] and cand[0] < k[1])
            for k in kept
        ):
            continue
        kept.append(cand)
    return kept


def test_random_candidates_are_kept_as_the_reference_keeps_them():
    generator = random.Random(13)
    rules = [object() for _ in range(4)]
    for _ in range(3000):
        candidates = []
        for _ in range(generator.randint(0, 12)):
            start = generator.randint(0, 40)
            order = generator.randrange(len(rules))
            candidates.append((start, start + generator.randint(0, 12), order, rules[order]))
        assert _drop_nested(list(candidates)) == reference_drop_nested(candidates), candidates


@pytest.mark.parametrize("language", sorted(LANGUAGE_RULES))
def test_the_corpus_gives_the_same_findings_as_with_the_reference(language, monkeypatch):
    text = "\n\n".join(i["text"] for i in load_corpus() + load_registers()) + "\n"
    checker = Checker(rules_paths=[LANGUAGE_RULES[language]])
    fast = [f.to_dict() for f in checker.check(text)]
    monkeypatch.setattr(checker_module, "_drop_nested", reference_drop_nested)
    assert [f.to_dict() for f in checker.check(text)] == fast
    assert fast or language != "en"
