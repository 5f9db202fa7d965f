"""Helpers for the inventory tests: seeded supplies by name, deliveries and encounters.

Encounters are made directly here (the encounter actions belong to another app).
"""

import datetime
import uuid

import pytest
from django.utils import timezone

from haven.encounters.models import Encounter, EncounterSupply
from haven.inventory import actions
from haven.inventory.models import Item

SYRINGE = "1 mL 28G 1/2\" syringe"
NALOXONE = "Naloxone nasal spray 4 mg (2-dose kit)"
COOKER = "Cooker"


@pytest.fixture
def supply():
    """supply(name) is the seeded catalog item of that name."""
    return lambda name: Item.objects.get(name=name)


@pytest.fixture
def receive(dana):
    """receive(site, item, quantity, lot_number="", expires_in_days=None) records a delivery as Dana."""

    def make(site, item, quantity, lot_number="", expires_in_days=None):
        expires_on = None if expires_in_days is None else timezone.localdate() + datetime.timedelta(days=expires_in_days)
        return actions.stock_receive(actor=dana, site=site, item=item, quantity=quantity, lot_number=lot_number,
                                     expires_on=expires_on, confirm_expired=True)

    return make


@pytest.fixture
def encounter_giving(bob):
    """encounter_giving(site, {item: quantity}) is an encounter with those supplies (not yet drawn)."""

    def make(site, supplies):
        encounter = Encounter.objects.create(client_id=uuid.uuid4(), site=site, service_mode="fixed", staff=bob)
        for item, quantity in supplies.items():
            EncounterSupply.objects.create(encounter=encounter, item=item, quantity=quantity)
        return encounter

    return make
