"""Which findings draft an alert, and that the words never carry a code or an id."""

import re

from haven.alerts.screening import find_identifying
from haven.drugchecking import rules
from haven.drugchecking.findings import Evidence, combine


def rules_met(expected, evidence, **kwargs):
    return [item.rule for item in rules.notable(combine(expected, evidence), seen_before={
        "mdma", "fentanyl", "heroin", "xylazine", "cocaine", "alprazolam", "bromazolam"}, **kwargs)]


def test_fentanyl_in_a_stimulant_is_urgent():
    found = rules.notable(combine("mdma", [Evidence("strip", strip="fentanyl", result="positive")]), form="pill",
                          area_name="Northside")
    assert found[0].rule == rules.FENTANYL_IN_NON_OPIOID and found[0].severity == "urgent"
    assert found[0].title == "Fentanyl found in a pill sold as MDMA in Northside"


def test_fentanyl_in_heroin_is_not_the_non_opioid_rule():
    assert rules.FENTANYL_IN_NON_OPIOID not in rules_met("heroin", [Evidence("gcms", substances=("heroin", "fentanyl"))])


def test_a_nitazene_in_a_benzodiazepine_pill_is_urgent():
    assert rules_met("alprazolam", [Evidence("lcms", substances=("isotonitazene",))])[0] == rules.FENTANYL_IN_NON_OPIOID


def test_xylazine_and_medetomidine_draft_a_sedative_alert():
    assert rules.SEDATIVE in rules_met("fentanyl", [Evidence("gcms", substances=("fentanyl", "xylazine"))])
    assert rules.SEDATIVE in rules_met("fentanyl", [Evidence("strip", strip="medetomidine", result="positive")])


def test_a_substance_sold_as_another_drafts_an_alert():
    assert rules.SOLD_AS_ANOTHER in rules_met("alprazolam", [Evidence("lcms", substances=("bromazolam",))])


def test_a_substance_the_program_never_saw_drafts_an_alert_once():
    evidence = [Evidence("gcms", substances=("cocaine", "levamisole", "phenacetin"))]
    assert rules_met("cocaine", evidence) == []  # cutting agents are not news
    evidence = [Evidence("gcms", substances=("mdma", "n-ethylpentylone"))]
    assert rules.NEW_SUBSTANCE in rules_met("mdma", evidence)


def test_a_pill_with_an_unusual_dose_drafts_an_alert_once_the_program_knows_the_usual():
    evidence = [Evidence("gcms", substances=("mdma",))]
    usual = [110, 120, 125, 130, 140]
    assert rules.UNUSUAL_DOSE in rules_met("mdma", evidence, form="pill", dose_mg=240, earlier_doses_mg=usual)
    assert rules.UNUSUAL_DOSE not in rules_met("mdma", evidence, form="pill", dose_mg=150, earlier_doses_mg=usual)
    assert rules.UNUSUAL_DOSE not in rules_met("mdma", evidence, form="pill", dose_mg=240, earlier_doses_mg=usual[:4])


def test_no_alert_text_trips_the_identifying_details_screen():
    cases = [("mdma", [Evidence("strip", strip="fentanyl", result="positive")]),
             ("fentanyl", [Evidence("gcms", substances=("fentanyl", "xylazine", "medetomidine"))]),
             ("alprazolam", [Evidence("lcms", substances=("bromazolam", "isotonitazene"))])]
    for expected, evidence in cases:
        for item in rules.notable(combine(expected, evidence), form="pill", area_name="Northside",
                                  dose_mg=300, earlier_doses_mg=[100] * 5):
            for text in (item.title, item.body, *item.substances):
                assert find_identifying(text) == [], text
            assert not re.search(r"[A-Z0-9]{4}-[A-Z0-9]{4}", item.body)
