"""Class rules, overrides and unknown pairs."""

import itertools

from haven.education import interactions, knowledge


def members(class_name):
    return [s for s in knowledge.default().substances.values() if class_name in s.classes]


def pair(a, b):
    checker = interactions.default_checker()
    return checker.pair(checker.kb.find(a), checker.kb.find(b))


def test_the_opioid_and_benzodiazepine_rule_applies_to_every_member_of_both_classes():
    opioids, benzodiazepines = members("opioid"), members("benzodiazepine")
    assert len(opioids) >= 8 and len(benzodiazepines) >= 4
    checker = interactions.default_checker()

    for opioid, benzodiazepine in itertools.product(opioids, benzodiazepines):
        result = checker.pair(opioid, benzodiazepine)
        assert (result.risk, result.risk_rank) == ("dangerous", 3), (opioid.id, benzodiazepine.id)
        assert result.rule.label == "class:opioid + class:benzodiazepine"


def test_serotonergic_drugs_with_maois_are_dangerous_for_every_serotonergic_drug():
    for substance in members("serotonergic"):
        assert pair(substance.id, "maois").risk == "dangerous", substance.id


def test_depressants_together_are_at_least_unsafe():
    checker = interactions.default_checker()
    for a, b in itertools.combinations(members("depressant"), 2):
        if a.root != b.root and "buprenorphine" not in (a.id, b.id):
            assert checker.pair(a, b).risk_rank >= 2, (a.id, b.id)


def test_a_specific_pair_overrides_its_class_rule_even_when_lower():
    # Both are serotonergic (class rule: unsafe), but SSRIs blunt MDMA: the pair rule says caution.
    assert pair("nicotine", "heroin").risk == "unsafe"  # stimulant + opioid, class rule
    result = pair("mdma", "ssris")

    assert (result.risk, result.direction, result.rule.label) == ("caution", "decrease", "mdma + ssris")
    assert pair("tramadol", "ssris").rule.label == "tramadol + ssris"


def test_a_substance_and_class_rule_overrides_a_rule_between_two_classes():
    result = pair("cocaine", "heroin")

    assert (result.risk, result.rule.label) == ("dangerous", "cocaine + class:opioid")


def test_buprenorphine_with_another_opioid_warns_of_precipitated_withdrawal_not_more_effect():
    result = pair("fentanyl", "buprenorphine")

    assert (result.risk, result.direction) == ("unsafe", "decrease")
    assert "withdrawal" in result.rule.explanation


def test_cocaine_and_alcohol_explains_cocaethylene():
    result = pair("alcohol", "cocaine")

    assert result.risk == "dangerous" and "cocaethylene" in result.rule.explanation


def test_tramadol_and_ssris_warns_of_seizures_and_serotonin_syndrome():
    explanation = pair("tramadol", "prozac").rule.explanation

    assert "seizures" in explanation and "serotonin syndrome" in explanation


def test_a_form_of_a_substance_inherits_its_rules():
    assert pair("crack", "booze").rule.label == "cocaine + alcohol"


def test_an_unknown_pair_says_unknown_and_has_no_risk_rank():
    result = pair("cannabis", "lithium")

    assert (result.risk, result.risk_rank, result.known) == ("unknown", None, False)
    data = result.as_dict()
    assert data["risk"] == "unknown" and "risk_rank" not in data
    assert "does not mean it is safe" in data["explanation"]


def test_several_substances_are_checked_pair_by_pair():
    results = interactions.check(["heroin", "xanax", "alcohol", "cocaine"])

    assert [(r.a.id, r.b.id) for r in results] == [
        ("heroin", "alprazolam"), ("heroin", "alcohol"), ("heroin", "cocaine"),
        ("alprazolam", "alcohol"), ("alprazolam", "cocaine"), ("alcohol", "cocaine"),
    ]


def test_two_names_for_one_substance_are_checked_once():
    assert interactions.check(["dope", "HEROIN", "xanax"])[0].a.id == "heroin"
    assert len(interactions.check(["dope", "HEROIN", "xanax"])) == 1


def test_every_rule_has_sources_and_valid_levels():
    for rule in interactions.default_checker().rules:
        assert rule.sources
        assert rule.risk in interactions.RISKS
        assert rule.direction in interactions.DIRECTIONS or (rule.origin == "tripsit" and rule.direction == "unknown")
        assert rule.reliability in interactions.RELIABILITY
