"""A separate test set drawn from other published descriptions of reagent reactions.

The cases (data/reagent_published_cases.yaml) are worded as their sources word them ("orange-red to
brown", "weak olive green", "blue/purple", hex codes), not as Haven's table does; the engine must
still rank the substance that was tested first or second.
"""

from pathlib import Path

import pytest
import yaml

from haven.drugchecking.reagents import interpret, substances

CASES_FILE = Path(__file__).parent / "data" / "reagent_published_cases.yaml"
DATA = yaml.safe_load(CASES_FILE.read_text(encoding="utf-8"))
CASES = DATA["cases"]


def rank_of(result, key):
    mine = next(candidate for candidate in result.candidates if candidate.key == key)
    return 1 + sum(1 for candidate in result.candidates if candidate.score > mine.score)


def test_the_published_set_is_large_enough_and_every_case_is_sourced():
    assert len(CASES) >= 25
    known = {substance.key for substance in substances()}
    for case in CASES:
        assert case["source"] in DATA["sources"], case["id"]
        assert case["truth"] in known, case["id"]


@pytest.mark.parametrize("case", CASES, ids=[case["id"] for case in CASES])
def test_the_tested_substance_ranks_first_or_second(case):
    result = interpret(case["observations"])
    assert rank_of(result, case["truth"]) <= 2, [(c.key, c.score) for c in result.candidates[:4]]


def test_most_published_cases_are_not_mistaken_for_mixtures():
    flagged = [case["id"] for case in CASES if interpret(case["observations"]).possibly_mixture]
    assert len(flagged) <= len(CASES) // 10, flagged
