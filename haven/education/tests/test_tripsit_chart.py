"""TripSit's chart in Haven: every pair of its categories answers, by CLI, API and page, and every place
Haven's answer differs from TripSit's rating is listed, with its reason, in docs/EDUCATION.md."""

import itertools
import json
from pathlib import Path

import pytest
from ninja.testing import TestClient

from haven.education import interactions
from haven.education.api import router
from haven.education.cli import main

DOCS = Path(__file__).resolve().parents[3] / "docs" / "EDUCATION.md"
checker = interactions.default_checker()
CATEGORIES = checker.tripsit["categories"]
RATED = {frozenset(pair[:2]): pair[2] for pair in checker.tripsit["pairs"]}
ALL_PAIRS = list(itertools.combinations(CATEGORIES, 2))


def test_the_chart_has_tripsits_31_categories_and_421_rated_pairs():
    assert len(CATEGORIES) == 31 and len(RATED) == 421


def test_every_category_name_is_a_name_people_can_type():
    for category in CATEGORIES:
        checker.find(category)


def test_every_pair_of_categories_answers_and_a_rated_pair_is_never_unknown():
    for a, b in ALL_PAIRS:
        result = checker.pair(checker.find(a), checker.find(b))
        if frozenset((a, b)) in RATED:
            assert result.known, (a, b)


def test_an_unrated_pair_without_a_haven_rule_stays_unknown_never_low():
    unknown = [(a, b) for a, b in ALL_PAIRS if not checker.pair(checker.find(a), checker.find(b)).known]
    assert unknown, "some pairs are not rated by TripSit nor by Haven"
    assert all(frozenset(pair) not in RATED for pair in unknown)


def test_the_pairs_the_issue_found_missing_are_answered():
    for a, b, risk in [
        ("tramadol", "lithium", "dangerous"),
        ("mdma", "lithium", "dangerous"),
        ("dxm", "lithium", "dangerous"),
        ("benzodiazepines", "alcohol", "dangerous"),
    ]:
        assert checker.pair(checker.find(a), checker.find(b)).risk == risk, (a, b)
    assert checker.pair(checker.find("alcohol"), checker.find("MAOIs")).known


def test_havens_answer_equals_tripsits_rating_except_where_listed_in_the_docs():
    differences = interactions.chart_differences(checker)
    docs = DOCS.read_text()
    section = docs[docs.index("### Where Haven differs from TripSit") :]
    for row in differences:
        line = f"| {row['a']} + {row['b']} | {row['tripsit']} | {row['haven']} |"
        assert line in section, f"docs/EDUCATION.md must list and explain {line}"
    listed = [line for line in section.splitlines() if line.startswith("| ") and " + " in line.split("|")[1]]
    assert len(listed) == len(differences), "the docs list a difference that no longer exists"


def test_where_haven_differs_its_rule_is_a_proven_one_with_sources():
    for row in interactions.chart_differences(checker):
        result = checker.pair(checker.find(row["a"]), checker.find(row["b"]))
        assert result.rule.origin == "haven" and result.rule.reliability == "proven" and result.rule.sources


def test_a_class_rating_reaches_each_member_unless_a_specific_rule_overrides_it():
    # TripSit's "opioids + ketamine" reaches heroin, oxycodone and fentanyl through class:opioid ...
    opioid_ketamine = checker.pair(checker.find("opioids"), checker.find("ketamine"))
    assert opioid_ketamine.rule.sides == ("ketamine", "class:opioid")
    for member in ("heroin", "oxycodone", "fentanyl"):
        assert checker.pair(checker.find(member), checker.find("ketamine")).rule == opioid_ketamine.rule
    # ... but tramadol has its own TripSit row, which overrides the opioid row.
    assert (
        checker.pair(checker.find("tramadol"), checker.find("ketamine")).rule.sides
        != opioid_ketamine.rule.sides
    )


def test_a_rating_from_the_chart_cites_tripsit_and_uses_havens_own_words():
    result = checker.pair(checker.find("mdma"), checker.find("lithium"))
    assert result.rule.origin == "tripsit" and result.rule.reliability == "chart"
    assert result.rule.sources[0].url.startswith("https://github.com/TripSit/drugs/blob/")
    assert result.rule.explanation.startswith("Rated dangerous")


def test_every_pair_answers_through_the_command_line(capsys):
    for a, b in ALL_PAIRS:
        assert main(["--json", a, b]) == 0, (a, b)
        [pair] = json.loads(capsys.readouterr().out)
        assert pair["risk"] in (*interactions.RISKS, "unknown")
        if frozenset((a, b)) in RATED:
            assert pair["risk"] != "unknown"


def test_every_pair_answers_through_the_api():
    client = TestClient(router)
    for a, b in ALL_PAIRS:
        response = client.get("/interactions", query_params={"substance": [a, b]})
        assert response.status_code == 200, (a, b, response.json())
        assert len(response.json()["pairs"]) == 1


@pytest.mark.django_db
def test_every_category_answers_on_the_page_eight_at_a_time(anonymous_client):
    for start in range(0, len(CATEGORIES), 8):
        group = CATEGORIES[start : start + 8]
        response = anonymous_client.get("/learn/interactions/", {"q": ", ".join(group)})
        assert response.status_code == 200, group
        assert response.content.decode().count('class="card pair risk-') == len(group) * (len(group) - 1) // 2
