"""The default catalog a new installation starts with (migration 0003)."""

import importlib

from django.apps import apps

from haven.inventory.models import Item, Kit


def test_a_two_dose_nasal_naloxone_kit_counts_as_two_doses(db):
    item = Item.objects.get(name="Naloxone nasal spray 4 mg (2-dose kit)")

    assert item.category == Item.Category.NALOXONE
    assert item.naloxone_doses_per_unit == 2
    assert Item.objects.get(name="Naloxone injectable 0.4 mg/mL vial").naloxone_doses_per_unit == 1


def test_a_box_of_ten_syringes_counts_as_ten_syringes(db):
    assert Item.objects.get(name="Box of 10 1 mL 28G syringes").syringes_per_unit == 10
    assert Item.objects.get(name="1 mL 28G 1/2\" syringe").syringes_per_unit == 1


def test_every_kind_of_test_strip_says_what_it_detects(db):
    targets = set(Item.objects.filter(category=Item.Category.TEST_STRIP).values_list("strip_target", flat=True))

    assert targets == {"fentanyl", "xylazine", "benzodiazepine", "nitazene", "medetomidine"}
    assert not Item.objects.filter(category=Item.Category.TEST_STRIP, tests_per_unit=0).exists()


def test_naloxone_and_syringes_warn_when_stock_runs_low(db):
    assert Item.objects.get(name="Naloxone nasal spray 4 mg (2-dose kit)").low_stock_threshold
    assert Item.objects.get(name="1 mL 28G 1/2\" syringe").low_stock_threshold


def test_the_safer_injection_kit_expands_to_its_supplies(db):
    kit = Kit.objects.get(name="Safer injection kit")
    contents = {line.item.name: line.quantity for line in kit.items.select_related("item")}

    assert contents == {
        "1 mL 28G 1/2\" syringe": 10, "Cooker": 10, "Cotton filter": 10, "Sterile water ampoule (10 mL)": 10,
        "Alcohol pad": 10, "Tourniquet": 1,
    }
    assert {"Naloxone kit", "Fentanyl test strip pack", "Safer smoking kit", "Wound care kit"} <= set(
        Kit.objects.values_list("name", flat=True))


def test_seeding_again_changes_nothing_and_keeps_a_programs_edits(db):
    seed = importlib.import_module("haven.inventory.migrations.0003_default_catalog").seed_catalog
    kit = Kit.objects.get(name="Naloxone kit")
    kit.items.all().delete()
    items_before = Item.objects.count()

    seed(apps, None)

    assert Item.objects.count() == items_before
    assert not kit.items.exists()


def test_the_catalog_uses_person_first_words(db):
    names = " ".join(Item.objects.values_list("name", flat=True)).lower()

    assert "clean" not in names and "dirty" not in names and "needle" not in names
