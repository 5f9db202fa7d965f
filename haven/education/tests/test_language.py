"""The fact sheets and interaction explanations pass Haven's own language checker, in every language
they are written in (English rules for English, Spanish rules for the Spanish translations, ...)."""

import pytest

from haven.education import interactions, knowledge, translations
from haven.language.checker import Checker
from haven.language.rules import LANGUAGE_RULES


def published_text(language="en"):
    for substance in knowledge.default(language).substances.values():
        if substance.language != language:
            continue  # shown in English; checked with the English rules
        yield substance.id, substance.summary
        for group in (
            substance.timing,
            substance.dose,
            substance.risks,
            substance.safer_use,
            substance.overdose,
            substance.drug_checking,
        ):
            for value in group.values.values():
                for text in value if isinstance(value, list) else [value]:
                    if isinstance(text, str):
                        yield substance.id, text
                    elif isinstance(text, dict):  # timing by route, dose ranges
                        yield from ((substance.id, part) for part in text.values() if isinstance(part, str))
    for rule in interactions.default_checker(language).rules:
        if rule.language == language:
            yield rule.label, rule.explanation
            if rule.mechanism:
                yield rule.label, rule.mechanism


def test_every_fact_sheet_and_explanation_uses_person_first_language():
    checker = Checker()
    findings = [
        f"{where}: {finding.text!r} in {text!r}"
        for where, text in published_text()
        for finding in checker.check(text, "text")
    ]

    assert not findings, "\n".join(findings)


@pytest.mark.parametrize("language", translations.available_languages(knowledge.DATA_DIR))
def test_every_translated_sheet_and_explanation_uses_person_first_language(language):
    checker = Checker(rules_paths=[LANGUAGE_RULES[language]])
    texts = list(published_text(language))
    findings = [
        f"{where}: {finding.text!r} in {text!r}"
        for where, text in texts
        for finding in checker.check(text, "text")
    ]

    assert texts and not findings, "\n".join(findings)
