"""A separate test set drawn from other published descriptions of reagent reactions.

The cases (data/reagent_published_cases.yaml) are worded as their sources word them ("orange-red to
brown", "weak olive green", "blue/purple", hex codes), not as Haven's table does; the engine must
still rank the substance that was tested first or second.
"""

from pathlib import Path

import pytest
import yaml

from haven.drugchecking.reagents import interpret, substances
from haven.drugchecking.reagents.engine import scores
from haven.drugchecking.reagents.evaluation import rank_of as group_rank
from haven.drugchecking.reagents.table import default_table

CASES_FILE = Path(__file__).parent / "data" / "reagent_published_cases.yaml"
DATA = yaml.safe_load(CASES_FILE.read_text(encoding="utf-8"))
CASES = DATA["cases"]


KEYS = [reference.key for reference in default_table().references]


def rank_of(observations, key):
    """The rank of the group (substances these colours cannot tell apart) holding the tested substance."""
    totals, _used = scores(observations)
    return group_rank(key, totals, KEYS)


def test_the_published_set_is_large_enough_and_every_case_is_sourced():
    assert len(CASES) >= 25
    known = {substance.key for substance in substances()}
    for case in CASES:
        assert case["source"] in DATA["sources"], case["id"]
        assert case["truth"] in known, case["id"]


def test_at_least_nine_in_ten_tested_substances_rank_in_the_first_two_groups():
    """Independent of PsychonautWiki's data: the other published sources' wordings, on the whole table."""
    missed = [case["id"] for case in CASES if rank_of(case["observations"], case["truth"]) > 2]
    assert len(missed) <= len(CASES) // 10, missed


@pytest.mark.parametrize("case", [c for c in CASES if c["truth"] in ("mdma", "cocaine", "heroin", "ketamine")],
                         ids=lambda case: case["id"])
def test_the_substances_seen_most_rank_in_the_first_two_groups(case):
    assert rank_of(case["observations"], case["truth"]) <= 2


def test_most_published_cases_are_not_mistaken_for_mixtures():
    flagged = [case["id"] for case in CASES if interpret(case["observations"]).possibly_mixture]
    assert len(flagged) <= len(CASES) // 10, flagged
