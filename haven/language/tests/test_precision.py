"""Where a word list would fail: the phrases that matter, and the look-alikes that do not."""

from __future__ import annotations

import pytest

# --- "user" -------------------------------------------------------------


def test_it_flags_drug_users(rules_in):
    assert "drug-user" in rules_in("We talked with drug users at the camp.")


def test_it_flags_heroin_user(rules_in):
    assert "drug-user" in rules_in("A heroin user asked for sterile water.")


def test_it_flags_iv_user(rules_in):
    assert "drug-user" in rules_in("The clinic treats IV users for abscesses.")


def test_it_flags_users_of_the_program(rules_in):
    assert "program-user" in rules_in("Users of the program get a monthly newsletter.")


def test_it_flags_bare_users_in_a_sentence_about_injecting(rules_in):
    assert "drug-user" in rules_in("Users often reuse needles when the exchange is closed.")


def test_it_does_not_flag_user_interface(rules_in):
    assert not rules_in("The user interface lists every overdose reversal.")


def test_it_does_not_flag_database_user(rules_in):
    assert not rules_in("The database user needs read access to the naloxone table.")


def test_it_does_not_flag_user_account(rules_in):
    assert not rules_in("Each outreach worker has a user account.")


def test_it_does_not_flag_power_user(rules_in):
    assert not rules_in("Power users can export overdose reports.")


def test_it_does_not_flag_software_users_in_a_sentence_about_naloxone(rules_in):
    assert not rules_in("Users can log naloxone kits from the dashboard.")


def test_it_does_not_flag_people_who_use_drugs(rules_in):
    assert not rules_in("People who use drugs run our peer program.")


# --- "abuse" ------------------------------------------------------------


@pytest.mark.parametrize(
    "text",
    [
        "The county runs a drug abuse hotline.",
        "She has a history of substance abuse.",
        "He started abusing pills.",
    ],
)
def test_it_flags_abuse_of_substances(rules_in, text):
    assert "substance-abuse" in rules_in(text)


def test_it_flags_drug_abuser(rules_in):
    assert "abuser" in rules_in("The flyer warns about drug abusers.")


def test_it_does_not_flag_child_abuse(rules_in):
    assert not rules_in("Staff must report child abuse.")


def test_it_does_not_flag_elder_abuse(rules_in):
    assert not rules_in("Elder abuse is often hidden.")


def test_it_does_not_flag_abuse_of_power(rules_in):
    assert not rules_in("The inquiry found an abuse of power.")


def test_it_does_not_flag_a_domestic_abuser(rules_in):
    assert not rules_in("Her abuser was arrested after the overdose call.")


# --- "relapse" ----------------------------------------------------------


def test_it_flags_relapse_of_substance_use(rules_in):
    assert "relapse" in rules_in("He relapsed a week after detox.")


def test_it_does_not_flag_cancer_relapse(rules_in):
    assert not rules_in("Her cancer relapse was caught early.")


def test_it_does_not_flag_relapsing_remitting_ms(rules_in):
    assert not rules_in("He has relapsing-remitting multiple sclerosis.")


# --- "clean" and "dirty" ------------------------------------------------


@pytest.mark.parametrize(
    "text, rule",
    [
        ("We give out clean needles.", "clean-needles"),
        ("His dirty urine was sent to the court.", "dirty-urine"),
        ("She tested clean last month.", "tested-clean"),
        ("He got clean in 2020.", "got-clean"),
        ("She celebrated her clean time.", "clean-time"),
        ("Sharing dirty needles spreads HIV.", "dirty-needles"),
    ],
)
def test_it_flags_clean_and_dirty_phrases(rules_in, text, rule):
    assert rule in rules_in(text)


def test_it_does_not_flag_the_bare_word_clean(rules_in):
    assert not rules_in("The clinic is clean.")


def test_it_does_not_flag_clean_the_table(rules_in):
    assert not rules_in("Please clean the table after lunch.")


def test_it_does_not_flag_cleaning_needles_with_bleach(rules_in):
    assert not rules_in("You can clean needles with bleach.")


def test_it_does_not_flag_a_drug_sample_that_tested_clean(rules_in):
    assert not rules_in("The sample tested clean for fentanyl.")


# --- "alcoholic" --------------------------------------------------------


def test_it_flags_alcoholic_as_a_person(rules_in):
    assert "alcoholic" in rules_in("Her father was an alcoholic.")


def test_it_does_not_flag_alcoholic_beverages(rules_in):
    assert not rules_in("No alcoholic beverages at the drop-in.")


def test_it_does_not_flag_alcoholic_drinks(rules_in):
    assert not rules_in("Alcoholic drinks are not served.")


# --- other labels and treatment words -----------------------------------


@pytest.mark.parametrize(
    "text, rule",
    [
        ("Two addicts came to the van.", "addict"),
        ("They called him a junkie.", "junkie"),
        ("A crackhead, the caller said.", "crackhead"),
        ("The post mocked druggies.", "druggie"),
        ("He spent it all on his drug habit.", "drug-habit"),
        ("Methadone replacement therapy is available.", "replacement-therapy"),
        ("Opioid substitution therapy is available.", "opioid-substitution"),
        ("The ward had addicted babies.", "addicted-baby"),
    ],
)
def test_it_flags_labels_and_treatment_words(rules_in, text, rule):
    assert rule in rules_in(text)


def test_it_does_not_flag_addictive_or_addiction(rules_in):
    assert not rules_in("Opioids are addictive, and addiction is treatable.")


def test_it_does_not_flag_hormone_replacement_therapy(rules_in):
    assert not rules_in("Hormone replacement therapy is offered at the clinic.")


def test_it_reports_one_finding_for_nested_matches(checker):
    findings = checker.check("Heroin users need naloxone.")
    assert [(f.rule, f.text) for f in findings] == [("drug-user", "Heroin users")]


def test_it_reports_overlapping_matches_of_one_rule_once(checker):
    findings = checker.check("He was clean for two years before the overdose.")
    assert [(f.rule, f.text) for f in findings] == [("got-clean", "was clean")]
