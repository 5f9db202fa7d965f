"""The catalog, participants and helpers that the encounter tests share."""

import uuid

import pytest

from haven.encounters.models import Service
from haven.inventory.models import Item, Kit, KitItem


def _item(name, category, **fields):
    item, _created = Item.objects.get_or_create(name=name, defaults={"category": category, **fields})
    return item


def _kit(name, lines):
    kit, _created = Kit.objects.get_or_create(name=name)
    for item, quantity in lines:
        KitItem.objects.get_or_create(kit=kit, item=item, defaults={"quantity": quantity})
    return kit


@pytest.fixture
def catalog(db):
    """A few supplies and kits: the inventory seed's names, created here if the seed changes."""
    syringe = _item('1 mL 28G 1/2" syringe', "syringe", syringes_per_unit=1)
    cooker = _item("Cooker", "injection")
    water = _item("Sterile water ampoule (10 mL)", "injection")
    naloxone = _item("Naloxone nasal spray 4 mg (2-dose kit)", "naloxone", unit="kit", naloxone_doses_per_unit=2)
    vial = _item("Naloxone injectable 0.4 mg/mL vial", "naloxone", unit="vial", naloxone_doses_per_unit=1)
    fentanyl_strip = _item("Fentanyl test strip", "test_strip", strip_target="fentanyl", tests_per_unit=1)
    condom = _item("Condom", "sexual_health")
    injection_kit = _kit("Safer injection kit", [(syringe, 10), (cooker, 10), (water, 10)])
    naloxone_kit = _kit("Naloxone kit", [(naloxone, 1)])
    return {
        "syringe": syringe, "cooker": cooker, "water": water, "naloxone": naloxone, "vial": vial,
        "fentanyl_strip": fentanyl_strip, "condom": condom,
        "injection_kit": injection_kit, "naloxone_kit": naloxone_kit,
        "hiv_test": Service.objects.get_or_create(name="HIV test", defaults={"kind": "testing"})[0],
        "housing": Service.objects.get_or_create(name="Housing", defaults={"kind": "referral",
                                                                           "referral_type": "housing"})[0],
    }


@pytest.fixture
def participant(bob, places):
    from haven.participants.actions import participant_enroll

    return participant_enroll(actor=bob, code="MA0385B", site=places["fixed"])


@pytest.fixture
def new_client_id():
    return lambda: uuid.uuid4()
