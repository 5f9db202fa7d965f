"""The fact sheets and interaction explanations pass Haven's own language checker."""

from haven.education import interactions, knowledge
from haven.language.checker import Checker


def published_text():
    for substance in knowledge.default().substances.values():
        yield substance.id, substance.summary
        for group in (substance.timing, substance.dose, substance.risks, substance.safer_use, substance.overdose,
                      substance.drug_checking):
            for value in group.values.values():
                for text in value if isinstance(value, list) else [value]:
                    if isinstance(text, str):
                        yield substance.id, text
    for rule in interactions.default_checker().rules:
        yield rule.label, rule.explanation
        yield rule.label, rule.mechanism


def test_every_fact_sheet_and_explanation_uses_person_first_language():
    checker = Checker()
    findings = [f"{where}: {finding.text!r} in {text!r}"
                for where, text in published_text() for finding in checker.check(text, "text")]

    assert not findings, "\n".join(findings)
