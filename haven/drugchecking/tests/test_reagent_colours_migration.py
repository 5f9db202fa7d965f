"""Migration 0002: reagent colours saved as text become the list of the sequence (and back)."""

import importlib

from django.apps import apps

from haven.drugchecking.models import Analysis

migration = importlib.import_module("haven.drugchecking.migrations.0002_reagent_colours_as_lists")


def test_text_colours_become_lists_and_lists_stay_as_they_are(mdma_pill, bob):
    sample, _code = mdma_pill
    old = Analysis.objects.create(sample=sample, method="reagent", performed_by=bob,
                                  observations={"marquis": "purple, black", "mecke": "orange -> brown"})
    new = Analysis.objects.create(sample=sample, method="reagent", performed_by=bob,
                                  observations={"marquis": ["purple", "black"]})
    strip = Analysis.objects.create(sample=sample, method="strip", strip="fentanyl", strip_result="negative")

    migration.to_lists(apps, None)

    old.refresh_from_db()
    new.refresh_from_db()
    assert old.observations == {"marquis": ["purple", "black"], "mecke": ["orange", "brown"]}
    assert new.observations == {"marquis": ["purple", "black"]}
    strip.refresh_from_db()
    assert strip.observations == {}


def test_the_migration_can_be_reversed(mdma_pill, bob):
    sample, _code = mdma_pill
    analysis = Analysis.objects.create(sample=sample, method="reagent", performed_by=bob,
                                       observations={"marquis": ["purple", "black"]})
    migration.to_text(apps, None)
    analysis.refresh_from_db()
    assert analysis.observations == {"marquis": "purple, black"}
