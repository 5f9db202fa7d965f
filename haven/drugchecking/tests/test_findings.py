"""The combined finding: expected, something unexpected, a different substance, or inconclusive."""

from haven.drugchecking.findings import (
    DIFFERENT,
    EXPECTED,
    INCONCLUSIVE,
    UNEXPECTED,
    Evidence,
    advice_text,
    combine,
    draft_advice,
)


def strip(name, result):
    return Evidence("strip", strip=name, result=result)


def lab(*keys, method="gcms"):
    return Evidence(method, substances=keys)


def test_mdma_confirmed_by_a_laboratory_is_as_expected():
    assert combine("mdma", [lab("mdma", "caffeine")]).classification == EXPECTED


def test_a_cutting_agent_alone_does_not_make_a_sample_unexpected():
    finding = combine("cocaine", [lab("cocaine", "levamisole", method="ftir")])
    assert finding.classification == EXPECTED
    assert "levamisole" in finding.keys


def test_a_positive_fentanyl_strip_on_mdma_is_something_unexpected():
    finding = combine("mdma", [strip("fentanyl", "positive")])
    assert finding.classification == UNEXPECTED
    assert finding.keys == ["fentanyl"]


def test_fentanyl_in_heroin_found_by_ftir_is_something_unexpected_besides_the_heroin():
    assert combine("heroin", [lab("heroin", "fentanyl", method="ftir")]).classification == UNEXPECTED


def test_a_sample_sold_as_alprazolam_that_is_bromazolam_is_a_different_substance():
    assert combine("alprazolam", [lab("bromazolam", method="lcms")]).classification == DIFFERENT


def test_sold_as_fentanyl_and_an_analogue_found_counts_as_expected():
    assert combine("fentanyl", [lab("fluorofentanyl")]).classification == EXPECTED


def test_negative_and_invalid_strips_alone_are_inconclusive():
    finding = combine("mdma", [strip("fentanyl", "negative"), strip("xylazine", "invalid")])
    assert finding.classification == INCONCLUSIVE
    assert finding.keys == []


def test_no_tests_at_all_is_inconclusive():
    assert combine("mdma", []).classification == INCONCLUSIVE


def test_a_positive_strip_and_a_negative_laboratory_result_is_a_contradiction():
    finding = combine("mdma", [strip("fentanyl", "positive"), lab("mdma")])
    assert len(finding.contradictions) == 1
    contradiction = finding.contradictions[0]
    assert (contradiction.strip, contradiction.strip_result, contradiction.laboratory_found) == (
        "fentanyl", "positive", False)
    # Kept as a finding: a reviewer decides, and caution errs towards the strip.
    assert "fentanyl" in finding.keys


def test_a_negative_strip_and_a_laboratory_finding_is_a_contradiction_too():
    finding = combine("heroin", [strip("fentanyl", "negative"), lab("heroin", "carfentanil")])
    assert [c.laboratory_found for c in finding.contradictions] == [True]


def test_a_positive_strip_agreeing_with_the_laboratory_is_no_contradiction():
    finding = combine("heroin", [strip("fentanyl", "positive"), lab("heroin", "fluorofentanyl")])
    assert finding.contradictions == []
    assert finding.keys.count("fluorofentanyl") == 1 and "fentanyl" not in finding.keys


def test_spectrometry_is_not_a_laboratory_for_contradictions():
    assert combine("mdma", [strip("fentanyl", "positive"), lab("mdma", method="ftir")]).contradictions == []


def test_fentanyl_advice_says_do_not_use_alone_and_carry_naloxone_with_a_source():
    advice = draft_advice(combine("mdma", [strip("fentanyl", "positive")]))
    text = advice_text(advice)
    assert "Do not use alone" in text and "naloxone" in text and "small amount" in text
    assert "tolerance" in text  # sold as a non-opioid
    assert all(item.source for item in advice)


def test_xylazine_advice_covers_wound_care_and_that_naloxone_still_works():
    text = advice_text(draft_advice(combine("heroin", [lab("heroin", "fentanyl", "xylazine")])))
    assert "wound" in text
    assert "Naloxone still works" in text


def test_inconclusive_advice_says_to_treat_it_as_unknown():
    assert "unknown" in advice_text(draft_advice(combine("mdma", [strip("fentanyl", "negative")])))
