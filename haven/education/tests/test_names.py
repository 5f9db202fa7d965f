"""Common, brand and street names match in any case; typos get suggestions."""

import pytest

from haven.education import knowledge
from haven.education.knowledge import UnknownSubstance


@pytest.mark.parametrize(("name", "substance_id"), [
    ("Xanax", "alprazolam"), ("XANAX", "alprazolam"), ("bars", "alprazolam"),
    ("Molly", "mdma"), ("crystal meth", "methamphetamine"), ("Tina", "methamphetamine"),
    ("tranq", "xylazine"), ("Subs", "buprenorphine"), ("Suboxone", "buprenorphine"),
    ("special k", "ketamine"), ("Whippets", "nitrous-oxide"), ("shrooms", "psilocybin"),
    ("2cb", "2c-b"), ("2C-B", "2c-b"), ("  Dope ", "heroin"), ("Isotonitazene", "nitazenes"),
    ("rock", "crack-cocaine"), ("Zoloft", "ssris"), ("phenelzine", "maois"),
])
def test_a_street_or_brand_name_finds_its_substance_in_any_case(name, substance_id):
    assert knowledge.default().find(name).id == substance_id


def test_a_typo_is_refused_with_close_matches():
    with pytest.raises(UnknownSubstance) as raised:
        knowledge.default().find("fentanil")

    assert "Fentanyl" in raised.value.suggestions
    assert "Did you mean" in str(raised.value)


def test_a_name_with_nothing_close_gets_no_suggestions():
    with pytest.raises(UnknownSubstance) as raised:
        knowledge.default().find("zzzzzz")

    assert raised.value.suggestions == []
