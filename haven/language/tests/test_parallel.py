"""Checking a large text on two cores (--jobs 2) finds exactly what one process finds, and a child
process that fails leaves its half to the parent."""

import os

import pytest

from haven.language import parallel
from haven.language.checker import Checker
from haven.language.tests.test_leading_literals import _texts

pytestmark = pytest.mark.skipif(not parallel.can_fork(), reason="needs fork and two CPUs")


def test_two_processes_find_what_one_finds_in_a_large_text():
    checker = Checker()
    text = "\n\n".join(_texts(checker))
    assert len(text) > parallel.MIN_CHARACTERS
    one = [f.to_dict() for f in checker.check(text, jobs=1)]
    two = [f.to_dict() for f in checker.check(text, jobs=2)]
    assert one == two and len(one) > 100


def test_the_halves_come_back_together():
    assert sorted(parallel.in_two_processes(lambda items: [i * 2 for i in items], list(range(9)))) == list(
        range(0, 18, 2)
    )


def test_a_child_that_fails_leaves_its_half_to_the_parent():
    parent = os.getpid()

    def work(items):
        if os.getpid() != parent:
            raise RuntimeError("the child fails")
        return [(i, i) for i in items]

    assert sorted(parallel.in_two_processes(work, list(range(6)))) == [(i, i) for i in range(6)]


def test_a_result_that_cannot_be_sent_back_is_computed_by_the_parent():
    class Opaque:
        def __init__(self, value):
            self.value = value

    found = parallel.in_two_processes(lambda items: [Opaque(i) for i in items], list(range(4)))
    assert sorted(item.value for item in found) == [0, 1, 2, 3]
