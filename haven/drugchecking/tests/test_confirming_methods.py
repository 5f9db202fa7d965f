"""Only methods that can confirm are "found": a strip for its own target, a spectrometer at or above its
match threshold, a laboratory. Weak matches and reagent colours are "possible", never found."""

from haven.drugchecking import actions, queries


def test_a_spectrum_below_the_match_threshold_is_possible_not_found(mdma_pill, bob):
    sample, _code = mdma_pill
    actions.components_record(actor=bob, sample=sample, method="ftir", components=[
        {"substance": "mdma", "match_score": 0.91}, {"substance": "caffeine", "match_score": 0.55}])

    finding = queries.finding_for(sample)

    assert finding.keys == ["mdma"]
    assert set(finding.possible) == {"caffeine"}


def test_a_spectrum_without_a_score_is_possible_and_a_laboratory_is_found(mdma_pill, bob):
    sample, _code = mdma_pill
    actions.components_record(actor=bob, sample=sample, method="raman", components=[{"substance": "ketamine"}])
    actions.components_record(actor=bob, sample=sample, method="gcms", components=[{"substance": "mdma"}])

    finding = queries.finding_for(sample)

    assert finding.keys == ["mdma"] and "ketamine" in finding.possible


def test_a_strip_confirms_only_its_own_target(mdma_pill, bob):
    sample, _code = mdma_pill
    actions.strip_record(actor=bob, sample=sample, strip="fentanyl", result="positive")
    actions.reagent_record(actor=bob, sample=sample, observations={"marquis": "purple, black", "simon": "blue"})

    finding = queries.finding_for(sample)

    assert finding.keys == ["fentanyl"]  # what the colours fit is never added
    assert finding.classification == "unexpected"


def test_the_participant_sees_per_method_what_it_found_and_what_it_can_miss(mdma_pill, bob):
    sample, _code = mdma_pill
    actions.strip_record(actor=bob, sample=sample, strip="fentanyl", result="negative")
    actions.reagent_record(actor=bob, sample=sample, observations={"marquis": "purple, black"})

    methods = queries.participant_methods(sample)

    strip, reagent = methods
    assert strip.found == [] and strip.note == "Negative" and "small amounts" in strip.limits
    assert reagent.found == [] and reagent.suggested and "never confirm" in reagent.limits
