"""The reagent engine: a likelihood over what was seen, groups it cannot split, and what it cannot tell."""

import pytest

from haven.drugchecking.reagents import UnknownColourError, UnknownReagentError, interpret
from haven.drugchecking.reagents.engine import ALWAYS_CAUTIONS, report_likelihood, scores, sequence_fit
from haven.drugchecking.reagents.table import default_table, only_source, parse_table
from haven.drugchecking.reagents.vocabulary import colour_readings

TABLE = default_table()
KEYS = [reference.key for reference in TABLE.references]


def total(observations, key, table=TABLE):
    totals, _used = scores(observations, table=table)
    return totals[[reference.key for reference in table.references].index(key)]


def best_group(observations, table=None):
    return interpret(observations, table=table).groups[0]


def small_table(**reactions_by_key):
    """A table of a few substances written in the literature format, for tests that need exact control."""
    return parse_table({
        "sources": {"chart": "A kit maker's chart"},
        "substances": [{"key": key, "name": key.upper(), "class": "test", "sources": ["chart"], "reactions": reactions}
                       for key, reactions in reactions_by_key.items()],
    })


def test_the_table_has_every_substance_with_two_reagents_and_every_reagent_including_4_ap():
    published = only_source(TABLE, "psychonautwiki")
    assert len(published.references) == 725  # every PsychonautWiki substance with results for 2+ reagents
    reagents = {reagent for reference in TABLE.references for reagent in reference.reports}
    assert "4_ap" in reagents and len(reagents) == 15


def test_names_aliases_and_salt_forms_resolve():
    assert TABLE.find("cocaine HCl").key == "cocaine"
    assert TABLE.find("crack").name == "Cocaine (Crack)"
    assert TABLE.find("Molly").key == "mdma"
    assert TABLE.find("ketamine hydrochloride").key == "ketamine"
    assert TABLE.find("moon rocks") is None


def test_literature_entries_are_kept_and_disagreements_are_shown():
    heroin = TABLE.get("heroin")
    assert {report.source for report in heroin.reports["marquis"]} == {"psychonautwiki", "literature"}
    assert heroin.describe("marquis").startswith("sources differ:")
    assert any("UNODC" in citation or "United Nations" in citation for citation in heroin.sources)


def test_no_reaction_is_evidence_both_ways():
    table = small_table(a={"marquis": "no reaction", "mecke": "green"}, b={"marquis": "purple", "mecke": "green"})
    assert interpret({"marquis": "no reaction", "mecke": "green"}, table=table).candidates[0].key == "a"
    assert interpret({"marquis": "purple", "mecke": "green"}, table=table).candidates[0].key == "b"


def test_a_reagent_not_used_says_nothing():
    table = small_table(a={"marquis": "purple", "simon": "blue"}, b={"marquis": "purple", "simon": "no reaction"})
    group = best_group({"marquis": "purple", "simon": ""}, table)
    assert set(group["keys"]) == {"a", "b"}  # Simon's was left blank: it tells them apart only when used
    assert group["separate_with"] == ["simon"]


def test_a_reagent_the_table_does_not_know_neither_helps_nor_rules_out():
    table = small_table(known={"marquis": "purple", "mecke": "green"}, vague={"marquis": "purple"},
                        wrong={"marquis": "purple", "mecke": "orange"})
    ranked = [candidate.key for candidate in interpret({"marquis": "purple", "mecke": "green"}, table=table).candidates]
    # A substance the data describes only vaguely is not favoured over one whose known reactions fit,
    # and is not ruled out like one whose known reaction disagrees.
    assert ranked == ["known", "vague", "wrong"]


def test_alternatives_are_read_as_either():
    table = small_table(a={"marquis": "purple"}, b={"marquis": "black"}, c={"marquis": "yellow"})
    fit = interpret({"marquis": "purple or black"}, table=table)
    assert set(fit.groups[0]["keys"]) == {"a", "b"} and "c" not in fit.groups[0]["keys"]


def test_a_sequence_need_not_be_in_exact_order_and_an_extra_colour_does_not_rule_out():
    expected = parse_table({"sources": {"c": "chart"}, "substances": [
        {"key": "m", "name": "M", "class": "x", "sources": ["c"], "reactions": {"marquis": "purple, black"}}]})
    readings = expected.get("m").reactions["marquis"].readings
    in_order = sequence_fit(("purple", "black"), readings)
    swapped = sequence_fit(("black", "purple"), readings)
    extra = sequence_fit(("purple", "black", "green"), readings)
    unrelated = sequence_fit(("yellow",), readings)
    assert in_order > swapped > unrelated
    assert extra > unrelated
    assert sequence_fit(("purple",), readings) > unrelated  # someone stopped watching before it went black


def test_words_and_hex_codes_are_on_the_same_footing():
    words = interpret({"marquis": "purple, black", "simon": "blue"})
    codes = interpret({"marquis": ["#50268d", "#333333"], "simon": "#2b37f6"})
    assert words.groups[0]["keys"][:1] == codes.groups[0]["keys"][:1]


def test_a_reagent_that_stayed_its_own_colour_counts_as_no_reaction():
    # Mandelin is yellow before it reacts (the published data starts its sequences with it).
    assert TABLE.own_colours["mandelin"]
    stayed = total({"mandelin": "yellow", "marquis": "no reaction"}, "cocaine")
    nothing = total({"mandelin": "no reaction", "marquis": "no reaction"}, "cocaine")
    assert stayed == pytest.approx(nothing, abs=0.3)


def test_substances_the_reagents_cannot_tell_apart_are_one_group_with_the_reagent_that_would():
    result = interpret({"marquis": "purple, black", "mecke": "blue, black"})
    top = [group for group in result.groups if "mdma" in group["keys"]][0]
    assert "mda" in top["keys"] or "mdea" in top["keys"]
    assert set(top["separate_with"]) & {"simon", "robadope"}
    assert any("would tell them apart" in caution for caution in result.cautions)


def test_mdma_cocaine_heroin_ketamine_rank_in_the_first_two_groups_on_typical_kit_colours():
    cases = {
        "mdma": {"marquis": "purple, black", "mecke": "green, black", "mandelin": "purple, black", "simon": "blue"},
        "cocaine": {"marquis": "no reaction", "mecke": "no reaction", "scott": "blue", "simon": "no reaction"},
        "ketamine": {"marquis": "no reaction", "mecke": "no reaction", "mandelin": "orange"},
    }
    for key, observations in cases.items():
        keys = [k for group in interpret(observations).groups[:2] for k in group["keys"]]
        assert key in keys, (key, interpret(observations).groups[:2])


def test_the_cautions_always_say_what_reagents_cannot_tell():
    result = interpret({"marquis": "no reaction"})
    for caution in ALWAYS_CAUTIONS:
        assert caution in result.cautions
    assert any("fentanyl" in caution for caution in result.cautions)
    assert any("One reagent" in caution for caution in result.cautions)


def test_one_reagent_never_gives_a_strong_answer():
    assert interpret({"ehrlich": "purple"}).groups[0]["confidence"] != "strong"


def test_a_contradiction_flags_a_possible_mixture():
    result = interpret({"marquis": "purple, black", "mandelin": "orange", "simon": "blue", "mecke": "green"})
    assert result.possibly_mixture in (True, False)  # computed, never an error
    if result.possibly_mixture:
        assert any("mixture" in caution for caution in result.cautions)


def test_likelihoods_are_probabilities():
    readings = (tuple(colour_readings("purple")),)
    expected = type("E", (), {"reacts": True, "may_not_react": False, "readings": readings})()
    assert 0 < report_likelihood(("purple",), expected) <= 1
    assert report_likelihood(("no reaction",), expected) < report_likelihood(("purple",), expected)


@pytest.mark.parametrize(("observations", "error", "message"), [
    ({"marquee": "purple"}, UnknownReagentError, "Did you mean Marquis"),
    ({"marquis": "purpel"}, UnknownColourError, "did you mean 'purple'"),
    ({"marquis": "#zz0000"}, UnknownColourError, "not a colour code"),
    ({"marquis": ""}, ValueError, "every reagent given was blank"),
    ({}, ValueError, "at least one reagent"),
])
def test_bad_input_gets_a_clear_message(observations, error, message):
    with pytest.raises(error, match=message):
        interpret(observations)


def test_the_interpretation_is_json_ready():
    import json

    data = interpret({"marquis": "purple, black", "simon": "blue"}).as_dict()
    assert json.loads(json.dumps(data))["groups"][0]["keys"]
    assert data["observations"] == {"marquis": ["purple", "black"], "simon": ["blue"]}


def test_the_4_ap_reagent_tells_thc_from_cbd():
    thc = interpret({"4-ap": "blue"}).groups[0]["keys"]
    cbd = interpret({"4-ap": "pink"}).groups[0]["keys"]
    assert TABLE.find("THC").key not in cbd and TABLE.find("CBD").key not in thc
    assert any("thc" in key for key in thc) and "cannabidiol" in cbd


@pytest.mark.parametrize("colours", ["purple", "#5a2d82", "purple, black", "black, purple", "yellow > green",
                                     "orange or red, brown", "no reaction or yellow", "no reaction",
                                     "purple, black, green"])
@pytest.mark.parametrize("reagent", ["marquis", "mandelin", "simon"])
def test_the_fast_paths_give_the_same_numbers_as_the_general_matcher(reagent, colours):
    from haven.drugchecking.reagents.engine import _index, report_values
    from haven.drugchecking.reagents.vocabulary import parse_sequence

    index = _index(TABLE)
    observed = parse_sequence(colours)
    fast = report_values(reagent, observed, index)
    general = [report_likelihood(observed, expected, index.optional[reagent][i])
               for i, expected in enumerate(index.reports[reagent])]
    assert fast == pytest.approx(general, rel=1e-9)
