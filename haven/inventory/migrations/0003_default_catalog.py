"""A realistic starting catalog for a syringe services program; coordinators change it in the UI.

Idempotent: items and kits are looked up by name and left alone when they exist, so running it
again (or after a program renamed or edited an entry) changes nothing. Reversing it does nothing:
the catalog belongs to the program once it is installed.
"""

from django.db import migrations

# (name, category, unit, extra fields). Sort order follows the list.
ITEMS = [
    # Syringes: counted as syringes, so a box of 10 is 10 syringes in every report.
    ("1 mL 28G 1/2\" syringe", "syringe", "each", {"syringes_per_unit": 1, "low_stock_threshold": 500}),
    ("1 mL 27G 1/2\" syringe", "syringe", "each", {"syringes_per_unit": 1, "low_stock_threshold": 200}),
    ("1 mL 29G 1/2\" syringe", "syringe", "each", {"syringes_per_unit": 1, "low_stock_threshold": 200}),
    ("0.5 mL 30G 5/16\" syringe", "syringe", "each", {"syringes_per_unit": 1}),
    ("3 mL 25G 1\" syringe", "syringe", "each", {"syringes_per_unit": 1}),
    ("Box of 10 1 mL 28G syringes", "syringe", "box of 10", {"syringes_per_unit": 10, "low_stock_threshold": 20}),
    # Other injection equipment
    ("Cooker", "injection", "each", {}),
    ("Cotton filter", "injection", "each", {}),
    ("Sterile water ampoule (10 mL)", "injection", "each", {}),
    ("Alcohol pad", "injection", "each", {}),
    ("Tourniquet", "injection", "each", {}),
    ("Vitamin C (ascorbic acid) sachet", "injection", "each", {}),
    # Safer smoking and snorting
    ("Safer smoking pipe", "smoking", "each", {}),
    ("Pipe mouthpiece", "smoking", "each", {}),
    ("Safer snorting kit", "snorting", "kit", {}),
    # Naloxone: counted in doses.
    ("Naloxone nasal spray 4 mg (2-dose kit)", "naloxone", "kit",
     {"naloxone_doses_per_unit": 2, "low_stock_threshold": 20}),
    ("Naloxone injectable 0.4 mg/mL vial", "naloxone", "vial",
     {"naloxone_doses_per_unit": 1, "low_stock_threshold": 20}),
    ("Naloxone 8 mg nasal (2-dose kit)", "naloxone", "kit", {"naloxone_doses_per_unit": 2}),
    # Drug checking test strips: one test each.
    ("Fentanyl test strip", "test_strip", "strip",
     {"strip_target": "fentanyl", "tests_per_unit": 1, "low_stock_threshold": 100}),
    ("Xylazine test strip", "test_strip", "strip", {"strip_target": "xylazine", "tests_per_unit": 1}),
    ("Benzodiazepine test strip", "test_strip", "strip", {"strip_target": "benzodiazepine", "tests_per_unit": 1}),
    ("Nitazene test strip", "test_strip", "strip", {"strip_target": "nitazene", "tests_per_unit": 1}),
    ("Medetomidine test strip", "test_strip", "strip", {"strip_target": "medetomidine", "tests_per_unit": 1}),
    # Wound care, sexual health, sharps disposal
    ("Wound care supplies pack", "wound_care", "pack", {}),
    ("Condom", "sexual_health", "each", {}),
    ("Lubricant sachet", "sexual_health", "each", {}),
    ("Sharps container 1 qt", "sharps", "each", {}),
    ("Sharps container 1 gal", "sharps", "each", {}),
]

# (kit name, [(item name, quantity)])
KITS = [
    ("Safer injection kit", [
        ("1 mL 28G 1/2\" syringe", 10),
        ("Cooker", 10),
        ("Cotton filter", 10),
        ("Sterile water ampoule (10 mL)", 10),
        ("Alcohol pad", 10),
        ("Tourniquet", 1),
    ]),
    ("Naloxone kit", [("Naloxone nasal spray 4 mg (2-dose kit)", 1)]),
    ("Fentanyl test strip pack", [("Fentanyl test strip", 2), ("Xylazine test strip", 1)]),
    ("Safer smoking kit", [("Safer smoking pipe", 1), ("Pipe mouthpiece", 2), ("Alcohol pad", 2)]),
    ("Wound care kit", [("Wound care supplies pack", 1), ("Alcohol pad", 4)]),
]


def seed_catalog(apps, schema_editor):
    Item = apps.get_model("inventory", "Item")
    Kit = apps.get_model("inventory", "Kit")
    KitItem = apps.get_model("inventory", "KitItem")
    for position, (name, category, unit, extra) in enumerate(ITEMS, start=1):
        Item.objects.get_or_create(name=name, defaults={
            "category": category, "unit": unit, "sort_order": position * 10, **extra,
        })
    for position, (name, lines) in enumerate(KITS, start=1):
        kit, created = Kit.objects.get_or_create(name=name, defaults={"sort_order": position * 10})
        if not created:
            continue  # a program's own edits to a kit are kept
        for item_name, quantity in lines:
            item = Item.objects.filter(name=item_name).first()
            if item is not None:
                KitItem.objects.get_or_create(kit=kit, item=item, defaults={"quantity": quantity})


class Migration(migrations.Migration):
    dependencies = [("inventory", "0002_stockentry_resolves")]

    operations = [migrations.RunPython(seed_catalog, migrations.RunPython.noop)]
