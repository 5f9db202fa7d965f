"""The one personal-details screener: every pattern, in English, Spanish and French, finds what it
must and leaves ordinary harm reduction text alone."""

import datetime
import logging

import pytest

from haven.core.screening import LABELS, Finding, redact, screen_personal_details

TODAY = datetime.date(2026, 12, 7)


def found(text, **options):
    options.setdefault("today", TODAY)
    return [(finding.kind, finding.value_in(text)) for finding in screen_personal_details(text, **options)]


@pytest.mark.parametrize(("text", "kind", "value"), [
    # Names after the phrases that introduce them.
    ("My name is Maria Lopez and I need help.", "name", "Maria Lopez"),
    ("my name is sam", "name", "sam"),
    ("Her name was Tess.", "name", "Tess"),
    ("I am Sam, tell the nurse.", "name", "Sam"),
    ("Ask for Dee at the desk.", "name", "Dee"),
    ("Me llamo Ana García.", "name", "Ana García"),
    ("Mi nombre es josé", "name", "josé"),
    ("Soy Lucía, vivo cerca.", "name", "Lucía"),
    ("Se llama Pedro.", "name", "Pedro"),
    ("Je m'appelle Jean-Pierre.", "name", "Jean-Pierre"),
    ("je suis Marie", "name", "Marie"),
    ("Il s’appelle Karim.", "name", "Karim"),
    # Two capitalised words that are not place, substance or sentence words.
    ("Maria Lopez was there.", "name", "Maria Lopez"),
    # Phone numbers.
    ("Call 555-123-4567 now.", "phone", "555-123-4567"),
    ("Ring +44 20 7946 0958.", "phone", "+44 20 7946 0958"),
    ("callback requested at +1 (415) 555-0199", "phone", "+1 (415) 555-0199"),
    ("Llámame al 612 345 678.", "phone", "612 345 678"),
    ("Appelle-moi au 06 12 34 56 78.", "phone", "06 12 34 56 78"),
    # E-mail addresses.
    ("Write to sam.jones@example.org.", "email", "sam.jones@example.org"),
    ("Escribe a ana_g+test@correo.es", "email", "ana_g+test@correo.es"),
    # Street addresses.
    ("He stays at 221B Baker Street.", "address", "221B Baker Street"),
    ("found at 12 elm st yesterday", "address", "12 elm st"),
    ("Vive en la calle Mayor 12.", "address", "calle Mayor 12"),
    ("Av. de América, nº 3", "address", "Av. de América, nº 3"),
    ("C/ Alcalá 45, 2º", "address", "C/ Alcalá 45"),
    ("Il habite 12 rue de la Paix.", "address", "12 rue de la Paix"),
    ("au 3 bis avenue Victor Hugo hier", "address", "3 bis avenue Victor Hugo"),
    # Dates of birth.
    ("born on 3 May 1990", "birth_date", "born on 3 May 1990"),
    ("DOB: 05/03/1990", "birth_date", "DOB: 05/03/1990"),
    ("born May 3rd, 1990", "birth_date", "born May 3rd, 1990"),
    ("nacido el 3 de mayo de 1990", "birth_date", "nacido el 3 de mayo de 1990"),
    ("fecha de nacimiento: 03/05/1990", "birth_date", "fecha de nacimiento: 03/05/1990"),
    ("née le 3 mai 1990", "birth_date", "née le 3 mai 1990"),
    ("date de naissance : 1990-05-03", "birth_date", "date de naissance : 1990-05-03"),
    ("He said 1990-05-03, I think.", "birth_date", "1990-05-03"),
])
def test_each_kind_of_personal_detail_is_found_in_each_language(text, kind, value):
    assert found(text) == [(kind, value)]


@pytest.mark.parametrize("text", [
    # Doses, times, counts, years and dates of events.
    "Doses of 0.5 mg at 00:30:15; 100 syringes in 2019.",
    "Gave 2 doses of naloxone, 4 mg each, at 23:45.",
    "Between 2026-03-01 and 2026-03-07, 12 overdoses were reported.",
    "Since 2026-11-20 we handed out 1500 sterile syringes.",
    "job 1234 ran at 2026-11-25 00:30:15",
    "Open 9 to 5. The 2019-2020 figures are in the report.",
    "Pills marked M30 contained fentanyl; 2C-B and 4-FA were also seen.",
    "Se dieron 2 dosis de naloxona a las 22:30; 50 jeringas el 12/11/2026.",
    "On a donné 3 doses à 14h30, 200 seringues en 2025.",
    # Places, substances and days are not names; counts are not addresses.
    "Near Northside Park on Friday Night. Blue Pressed pills, Narcan given twice.",
    "Cerca del Parque Norte el viernes por la noche. Fentanilo y xilacina.",
    "Près de la Gare du Nord lundi soir, du fentanyl.",
    "5 doses on the street, gave 3 syringes near Main Street.",
    "Seen near the bakery on Quay Lane with blue pills.",
    "Vive en la calle durante 2 horas; la calle 3 personas.",
    "Il reste 1 place libre.",
    "a baby was born in the park",
    # Phrases that introduce names, followed by something else.
    "I am tired. This is Fentanyl. I'm not sure.",
    "je suis allé au parc, c'est grave",
    "soy de aquí, me llamo... no importa",
    "Staff called 911 and EMS came.",
])
def test_ordinary_text_is_not_flagged(text):
    assert found(text) == []


def test_area_names_given_by_the_caller_are_not_names():
    assert found("Seen at Harbour Front.") == [("name", "Harbour Front")]
    assert found("Seen at Harbour Front.", allowed_words=["Harbour", "Front"]) == []


def test_the_capitalisation_guesses_can_be_turned_off_but_introduced_names_cannot():
    assert found("Maria Lopez was there.", guess_names=False) == []
    assert found("A new substance called Medetomidine.", guess_names=False) == []
    assert found("A new substance called Medetomidine.") == [("name", "Medetomidine")]
    assert found("My name is Maria Lopez.", guess_names=False) == [("name", "Maria Lopez")]


def test_only_the_kinds_asked_for_are_reported():
    text = "Maria Lopez, 555-123-4567, maria@example.org"
    assert [kind for kind, _value in found(text, kinds=("email",))] == ["email"]
    assert [kind for kind, _value in found(text)] == ["name", "phone", "email"]


def test_an_old_full_date_is_a_birth_date_only_when_it_is_years_back():
    assert found("Seen on 03/05/2014.") == [("birth_date", "03/05/2014")]
    assert found("Seen on 03/05/2024.") == []


def test_findings_carry_a_safe_label_never_the_value(caplog):
    text = "Call Sam on 555-123-4567."
    findings = screen_personal_details(text)
    with caplog.at_level(logging.INFO):
        logging.getLogger("haven.test").info("found %s", findings)
    assert "555" not in caplog.text and "Sam" not in caplog.text
    assert {finding.label for finding in findings} <= set(LABELS.values())
    assert all(isinstance(finding, Finding) for finding in findings)


def test_redact_replaces_each_finding_and_keeps_the_rest():
    text = "Call Sam Jones on 555-123-4567 or sam@example.org, thanks."
    findings = screen_personal_details(text)
    assert redact(text, findings) == "Call [removed] on [removed] or [removed], thanks."
    assert redact(text, findings, {"phone": "[number]", "email": "[email]", "name": "[name]"}) == \
        "Call [name] on [number] or [email], thanks."


def test_empty_text_has_nothing():
    assert screen_personal_details("") == [] and screen_personal_details("   ") == []
