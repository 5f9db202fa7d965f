"""Participants, visits and supplies the participants tests talk about."""

import uuid
from datetime import timedelta

import pytest
from django.utils import timezone

CODE = "AB0385C"
OTHER_CODE = "JO1190M"


@pytest.fixture
def enrol():
    """enrol(code, by=person, site=None) enrols through the action, as the pages do."""
    from haven.participants.actions import participant_enroll

    def make(code=CODE, *, by, site=None):
        return participant_enroll(actor=by, code=code, site=site)

    return make


@pytest.fixture
def supplies(db):
    from haven.inventory.models import Item

    return {
        "syringes": Item.objects.create(name="1 mL syringe", category=Item.Category.SYRINGE, syringes_per_unit=1),
        "naloxone": Item.objects.create(name="Nasal naloxone (2 doses)", category=Item.Category.NALOXONE,
                                        naloxone_doses_per_unit=2),
    }


@pytest.fixture
def visit(supplies):
    """visit(participant, site, days_ago=0, given={"syringes": 10}) records an encounter directly."""
    from haven.encounters.models import Encounter, EncounterSupply

    def make(participant, site, *, days_ago=0, given=None, staff=None):
        encounter = Encounter.objects.create(
            client_id=uuid.uuid4(), participant=participant, site=site, service_mode="fixed", staff=staff,
            occurred_at=timezone.now() - timedelta(days=days_ago),
        )
        for name, quantity in (given or {}).items():
            EncounterSupply.objects.create(encounter=encounter, item=supplies[name], quantity=quantity)
        return encounter

    return make
