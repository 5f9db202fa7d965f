"""Interpreting reagent reactions: ranking, evidence, sequences, mixtures and the limits it states."""

import json

import pytest
from hypothesis import HealthCheck, given, settings
from hypothesis import strategies as st

from haven.drugchecking.reagents import (
    Candidate,
    Interpretation,
    ReagentEvidence,
    UnknownColourError,
    UnknownReagentError,
    interpret,
)
from haven.drugchecking.reagents.engine import ALWAYS_CAUTIONS, reagent_weights
from haven.drugchecking.reagents.table import default_table, parse_table
from haven.drugchecking.reagents.vocabulary import NO_REACTION

TABLE = default_table()


def rank_of(result, key):
    """Competition rank: 1 + how many candidates score strictly higher (ties share a rank)."""
    mine = next(candidate for candidate in result.candidates if candidate.key == key)
    return 1 + sum(1 for candidate in result.candidates if candidate.score > mine.score)


def candidate(result, key):
    return next(candidate for candidate in result.candidates if candidate.key == key)


def evidence(result, key, reagent):
    return next(item for item in candidate(result, key).evidence if item.reagent == reagent)


def reference_observation(reference):
    """What a person would report for this reference entry: the first colour of every step."""
    return {
        reagent: NO_REACTION if not expected.reacts else [step[0] for step in expected.steps]
        for reagent, expected in reference.reactions.items()
    }


@pytest.mark.parametrize("reference", TABLE.references, ids=[reference.key for reference in TABLE.references])
def test_every_substance_ranks_first_or_second_on_its_own_reference_reactions(reference):
    result = interpret(reference_observation(reference))
    assert rank_of(result, reference.key) <= 2
    assert not result.possibly_mixture


def test_the_example_from_the_issue_points_to_mda_not_mdma():
    result = interpret({"marquis": "purple,black", "mecke": ["green"], "simon": "no reaction"})
    assert isinstance(result, Interpretation)
    best = result.candidates[0]
    assert isinstance(best, Candidate) and best.key == "mda"
    assert result.reagents_used == ("marquis", "mecke", "simon")
    # MDMA is a secondary amine: Simon's should have turned blue.
    simon = evidence(result, "mdma", "simon")
    assert isinstance(simon, ReagentEvidence)
    assert simon.observed == (NO_REACTION,) and simon.expected == "blue" and not simon.agrees
    assert candidate(result, "mdma").score < best.score


def test_candidates_are_sorted_best_first_with_scores_between_0_and_1():
    result = interpret({"marquis": "orange, brown", "simon": "blue"})
    scores = [candidate.score for candidate in result.candidates]
    assert scores == sorted(scores, reverse=True)
    assert all(0.0 <= score <= 1.0 for score in scores)
    assert result.candidates[0].key == "methamphetamine"
    assert len(result.candidates) == len(TABLE.references)


def test_each_candidate_carries_the_sources_of_its_reference_entry():
    best = interpret({"marquis": "purple, black", "simon": "blue"}).candidates[0]
    assert best.sources
    assert any("UNODC" in source or "United Nations" in source for source in best.sources)


def test_no_reaction_where_a_reaction_is_expected_is_evidence_against():
    result = interpret({"marquis": "no reaction"})
    marquis = evidence(result, "mdma", "marquis")
    assert not marquis.agrees and marquis.expected == "purple, black"
    assert candidate(result, "mdma").confidence == "poor"
    assert rank_of(result, "caffeine") < rank_of(result, "mdma")


def test_a_reaction_where_none_is_expected_is_evidence_against():
    result = interpret({"marquis": "purple, black", "mecke": "blue"})
    assert not evidence(result, "caffeine", "marquis").agrees
    assert candidate(result, "caffeine").confidence == "poor"


def test_no_reaction_agrees_with_a_substance_that_gives_none():
    result = interpret({"marquis": "no reaction", "mecke": "no reaction", "mandelin": "orange"})
    assert result.candidates[0].key == "ketamine"
    assert evidence(result, "ketamine", "marquis").agrees


def test_a_faint_reaction_that_was_missed_still_fits():
    result = interpret({"marquis": "no reaction", "simon": "blue", "zimmermann": "pink"})
    assert evidence(result, "mephedrone", "marquis").agrees
    assert rank_of(result, "mephedrone") <= 2


def test_a_subset_of_reagents_is_enough_and_unknown_reactions_rank_between_fit_and_misfit():
    result = interpret({"ehrlich": "purple"})
    assert result.reagents_used == ("ehrlich",)
    assert result.candidates[0].substance_class.startswith("psychedelic")
    assert not evidence(result, "methamphetamine", "ehrlich").agrees  # its charts say no reaction
    assert evidence(result, "glucose", "ehrlich").expected == "unknown"  # no chart we used tested it
    assert rank_of(result, "lsd") < rank_of(result, "glucose") < rank_of(result, "methamphetamine")


def test_a_reagent_the_table_lacks_for_a_substance_is_reported_as_unknown():
    result = interpret({"marquis": "yellow", "hofmann": "blue"})
    item = evidence(result, "methylone", "hofmann")
    assert item.expected == "unknown" and item.distance is None and not item.agrees
    assert candidate(result, "methylone").confidence != "strong"


def test_a_colour_sequence_is_compared_in_order():
    in_order = interpret({"marquis": "purple, black"})
    reversed_order = interpret({"marquis": "black, purple"})
    assert candidate(in_order, "mdma").score > candidate(reversed_order, "mdma").score
    assert evidence(in_order, "mdma", "marquis").agrees
    assert not evidence(reversed_order, "mdma", "marquis").agrees


def test_seeing_only_part_of_a_sequence_still_fits():
    first_only = evidence(interpret({"marquis": "purple"}), "mdma", "marquis")
    last_only = evidence(interpret({"marquis": "black"}), "mdma", "marquis")
    assert first_only.agrees and last_only.agrees
    assert 0 < first_only.distance < 10


def test_every_colour_seen_must_be_explained():
    # Heroin turns Marquis purple but never black.
    result = interpret({"marquis": "purple, black"})
    assert not evidence(result, "heroin", "marquis").agrees
    assert rank_of(result, "mdma") < rank_of(result, "heroin")


def test_hex_codes_from_a_photo_are_compared_like_words():
    result = interpret({"marquis": ["#3a1650", "#161116"], "simon": "#1d3f8f"})
    assert result.candidates[0].key in {"mdma", "mdea", "mbdb"}


def test_shades_and_blends_of_the_expected_colour_still_agree():
    result = interpret({"marquis": "dark purple, black", "gallic_acid": "dark green", "scott": "blue-green"})
    assert evidence(result, "mdma", "marquis").agrees
    assert evidence(result, "mdma", "gallic_acid").agrees
    assert evidence(result, "heroin", "scott").agrees


def test_a_single_substance_that_fits_is_not_called_a_mixture():
    result = interpret({"marquis": "purple, black", "mecke": "blue, black", "simon": "blue", "ehrlich": "no reaction"})
    assert not result.possibly_mixture
    assert result.candidates[0].confidence == "strong"


def test_reactions_no_single_substance_explains_are_flagged_as_a_possible_mixture():
    # MDA's Marquis/Mecke/Simon's with ketamine's orange Mandelin.
    result = interpret({"marquis": "purple, black", "mecke": "green", "simon": "no reaction", "mandelin": "orange"})
    assert result.possibly_mixture
    assert ("mda", "ketamine") in {(first, second) for first, second, _score in result.mixtures} | {
        (second, first) for first, second, _score in result.mixtures
    }
    assert any("mixture" in caution for caution in result.cautions[3:])


def test_colours_that_match_nothing_are_flagged_and_score_poorly():
    result = interpret({"marquis": "white", "simon": "red", "ehrlich": "green"})
    assert result.possibly_mixture
    assert result.candidates[0].confidence in {"weak", "poor"}


REQUIRED_CAUTIONS = ("purity", "fentanyl", "nitazenes", "mixture")


@pytest.mark.parametrize(
    "observations",
    [
        {"marquis": "purple, black", "simon": "blue"},
        {"marquis": "no reaction"},
        {"ehrlich": "purple"},
        {"marquis": "white", "simon": "red"},
        {"scott": "blue", "marquis": "no reaction", "mecke": "no reaction"},
    ],
)
def test_the_limits_of_reagents_are_always_stated(observations):
    cautions = " ".join(interpret(observations).cautions).lower()
    for word in REQUIRED_CAUTIONS:
        assert word in cautions, word
    assert "amount" in cautions and "strips" in cautions


def test_no_reaction_everywhere_never_suggests_the_sample_is_clean():
    result = interpret({"marquis": "no reaction", "mecke": "no reaction", "simon": "no reaction"})
    assert any("does not mean nothing is there" in caution for caution in result.cautions)
    fentanyl = candidate(result, "fentanyl")
    assert fentanyl.note and "strips" in fentanyl.note


def test_one_reagent_alone_never_gives_strong_confidence():
    result = interpret({"marquis": "purple, black"})
    assert result.candidates[0].score == pytest.approx(1.0)
    assert {candidate.confidence for candidate in result.candidates[:3]} == {"moderate"}
    assert any("One reagent" in caution for caution in result.cautions)


def test_substances_the_reagents_cannot_tell_apart_are_named_with_a_reagent_that_could():
    result = interpret({"marquis": "violet"})
    assert {"heroin", "morphine", "codeine"} <= set(result.alike)
    assert result.suggested_reagents and set(result.suggested_reagents) <= {"froehde", "mecke", "liebermann", "scott"}
    assert any("cannot tell apart" in caution for caution in result.cautions)


def test_the_result_is_json_serialisable():
    result = interpret({"marquis": "purple, black", "Simon's": "blue"})
    data = json.loads(json.dumps(result.as_dict()))
    assert data["candidates"][0]["substance"] == "MDMA"
    assert data["candidates"][0]["evidence"][0]["observed"] == ["purple", "black"]
    assert data["reagents_used"] == ["marquis", "simon"]
    assert isinstance(data["cautions"], list) and isinstance(data["possibly_mixture"], bool)


def test_limit_keeps_only_the_best_candidates():
    assert len(interpret({"marquis": "orange"}, limit=3).candidates) == 3


def test_an_empty_observation_is_refused():
    with pytest.raises(ValueError, match="at least one reagent"):
        interpret({})


def test_the_same_reagent_twice_under_two_spellings_is_refused():
    with pytest.raises(UnknownReagentError, match="given twice"):
        interpret({"simon": "blue", "Simon's": "no reaction"})


def test_bad_reagents_and_colours_raise_value_errors_naming_the_input():
    with pytest.raises(UnknownReagentError, match="'marqui'"):
        interpret({"marqui": "purple"})
    with pytest.raises(UnknownColourError, match="'purpel'"):
        interpret({"marquis": "purpel"})
    assert issubclass(UnknownReagentError, ValueError) and issubclass(UnknownColourError, ValueError)


def test_reagents_that_tell_more_substances_apart_weigh_more():
    weights = reagent_weights(TABLE)
    assert set(weights) == {"marquis", "mecke", "mandelin", "simon", "froehde", "liebermann", "ehrlich", "hofmann",
                            "folin", "robadope", "gallic_acid", "zimmermann", "morris", "scott"}
    assert all(0.5 <= weight <= 1.0 for weight in weights.values())
    assert weights["marquis"] == 1.0
    assert weights["marquis"] > weights["simon"] > weights["hofmann"]


def test_another_table_can_be_used():
    table = parse_table({
        "sources": {"chart": "A test chart"},
        "substances": [
            {"key": "a", "name": "A", "class": "test", "sources": ["chart"], "reactions": {"marquis": "red"}},
            {"key": "b", "name": "B", "class": "test", "sources": ["chart"], "reactions": {"marquis": "blue"}},
        ],
    })
    result = interpret({"marquis": "blue"}, table=table)
    assert [candidate.key for candidate in result.candidates] == ["b", "a"]


def test_a_reagent_left_blank_was_not_used_and_is_not_no_reaction():
    result = interpret({"marquis": "purple, black", "mecke": "", "simon": None, "ehrlich": []})
    assert result.reagents_used == ("marquis",)
    with pytest.raises(ValueError, match="blank"):
        interpret({"marquis": "", "simon": "  "})


COLOUR_WORDS = ["no reaction", "clear", "white", "yellow", "orange", "red", "pink", "purple", "violet", "blue",
                "green", "brown", "grey", "gray", "black", "light blue", "dark purple", "blue-green",
                "greenish blue", "#5a2d82", "#000"]
REAGENT_NAMES = ["marquis", "Mecke", "mandelin", "Simon's", "froehde", "liebermann", "ehrlich", "hofmann", "folin",
                 "robadope", "gallic acid", "zimmermann", "morris", "scott"]


@settings(max_examples=60, deadline=None, suppress_health_check=[HealthCheck.too_slow])
@given(st.dictionaries(st.sampled_from(REAGENT_NAMES),
                       st.lists(st.sampled_from(COLOUR_WORDS), min_size=1, max_size=4), min_size=1, max_size=6))
def test_any_valid_observation_gives_a_ranked_cautioned_result(observations):
    result = interpret({reagent: ", ".join(colours) for reagent, colours in observations.items()})
    scores = [candidate.score for candidate in result.candidates]
    assert scores == sorted(scores, reverse=True) and all(0 <= score <= 1 for score in scores)
    assert len(result.reagents_used) == len(observations)
    assert result.cautions[:3] == list(ALWAYS_CAUTIONS)
    assert all(candidate.confidence in {"strong", "moderate", "weak", "poor"} for candidate in result.candidates)
    json.dumps(result.as_dict())
