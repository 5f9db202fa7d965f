"""Helpers shared by the drug checking tests."""

from haven.drugchecking import actions


def fentanyl_positive(sample, by):
    return actions.strip_record(actor=by, sample=sample, strip="fentanyl", result="positive", lot="FTS-2026-01")


def reviewed(sample, by, advice="- Do not use alone.\n- Carry naloxone."):
    return actions.sample_review(actor=by, sample=sample, advice=advice)
