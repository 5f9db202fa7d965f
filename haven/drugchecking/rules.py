"""Which findings are notable enough to draft a public alert, and the alert's words.

Plain Python, no Django import. The text names substances and areas only: never a sample code,
an internal id, a date more precise than the month, or anything else about a person.
"""

from __future__ import annotations

import statistics
from collections.abc import Iterable, Sequence
from dataclasses import dataclass, field

from haven.drugchecking import findings, vocabulary

FENTANYL_IN_NON_OPIOID = "opioid-in-non-opioid"
SEDATIVE = "sedative"
SOLD_AS_ANOTHER = "sold-as-another"
NEW_SUBSTANCE = "new-substance"
UNUSUAL_DOSE = "unusual-dose"
RULES = (FENTANYL_IN_NON_OPIOID, SEDATIVE, SOLD_AS_ANOTHER, NEW_SUBSTANCE, UNUSUAL_DOSE)

# A pill is unusual when its dose is this many times the program's median for pills sold as the same
# substance, once there are enough earlier pills to know the median. A program-relative rule: there
# is no single "normal" dose, and the program's own results are the market its participants meet.
UNUSUAL_DOSE_FACTOR = 1.5
UNUSUAL_DOSE_MIN_HISTORY = 5


@dataclass
class Notable:
    rule: str
    substance: str  # vocabulary key the alert is about
    severity: str  # "info", "warning", "urgent" (the alerts app's words)
    title: str
    body: str
    substances: list[str] = field(default_factory=list)  # names for the alert's substance list


def unusual_dose(dose_mg: float | None, earlier_doses_mg: Sequence[float]) -> bool:
    if dose_mg is None or len(earlier_doses_mg) < UNUSUAL_DOSE_MIN_HISTORY:
        return False
    return dose_mg > UNUSUAL_DOSE_FACTOR * statistics.median(earlier_doses_mg)


def notable(finding: findings.Finding, *, form: str = "", area_name: str = "",
            seen_before: Iterable[str] = (), dose_mg: float | None = None,
            earlier_doses_mg: Sequence[float] = ()) -> list[Notable]:
    """Every rule this finding meets, most urgent first."""
    expected = finding.expected
    sold_as = vocabulary.name_of(expected)
    where = f" in {area_name}" if area_name else ""
    form_word = {"pill": "pill", "blotter": "blotter", "crystal": "crystal", "liquid": "liquid"}.get(form, "sample")
    advice = findings.advice_text(findings.draft_advice(finding))
    seen_before = set(seen_before)
    found: list[Notable] = []
    expected_class = vocabulary.class_of(expected)

    potent = [d for d in finding.detected if d.substance_class in ("fentanyl", "nitazene")]
    if potent and expected_class not in vocabulary.OPIOID_CLASSES:
        names = ", ".join(d.name for d in potent)
        found.append(Notable(
            FENTANYL_IN_NON_OPIOID, potent[0].key, "urgent",
            f"{names[0].upper()}{names[1:]} found in a {form_word} sold as {sold_as}{where}",
            f"Drug checking found {names} in a {form_word} sold as {sold_as}{where}. People who do not use "
            f"opioids have no tolerance to them.\n\n{advice}",
            [d.name for d in potent] + [sold_as]))
    for key in ("xylazine", "medetomidine"):
        if key in finding.keys and expected != key:
            name = vocabulary.name_of(key)
            found.append(Notable(
                SEDATIVE, key, "warning",
                f"{name[0].upper()}{name[1:]} found in {sold_as}{where}",
                f"Drug checking found {name}, a sedative, in a {form_word} sold as {sold_as}{where}.\n\n{advice}",
                [name, sold_as]))
    if finding.classification == findings.DIFFERENT:
        other = next((d for d in finding.detected if d.substance_class not in findings.IGNORED_CLASSES
                      and not findings.meets_expectation(expected, d.key)), None)
        if other is not None:
            found.append(Notable(
                SOLD_AS_ANOTHER, other.key, "warning",
                f"{form_word.capitalize()} sold as {sold_as} was {other.name}{where}",
                f"Drug checking found {other.name}, not {sold_as}, in a {form_word} sold as {sold_as}{where}.\n\n"
                f"{advice}",
                [other.name, sold_as]))
    for detected in finding.detected:
        if detected.confirmed and detected.key not in seen_before and detected.substance_class not in (
                findings.IGNORED_CLASSES):
            found.append(Notable(
                NEW_SUBSTANCE, detected.key, "info",
                f"New to our drug checking: {detected.name}{where}",
                f"Our drug checking found {detected.name} for the first time, in a {form_word} sold as "
                f"{sold_as}{where}.\n\n{advice}",
                [detected.name]))
    if form == "pill" and unusual_dose(dose_mg, earlier_doses_mg):
        found.append(Notable(
            UNUSUAL_DOSE, expected, "warning",
            f"Strong {sold_as} pills{where}",
            f"Drug checking found a pill sold as {sold_as} with about {round(dose_mg)} mg, much more than "
            f"the usual pill we test. Take a part of a pill and wait before taking more.\n\n{advice}",
            [sold_as]))
    order = {"urgent": 0, "warning": 1, "info": 2}
    return sorted(found, key=lambda item: order[item.severity])
