"""Fixtures for the housing tests: a participant, a low-barrier shelter with two beds, a partner's place."""

import pytest

from haven.directory import actions as directory_actions
from haven.housing import actions
from haven.participants.actions import participant_enroll


@pytest.fixture
def participant(bob, places):
    return participant_enroll(actor=bob, code="MA0385B", site=places["fixed"])


@pytest.fixture
def other_participant(bob, places):
    return participant_enroll(actor=bob, code="JO1190K", site=places["fixed"])


@pytest.fixture
def shelter(dana, places):
    place = actions.property_save(actor=dana, site=places["van"], name="Eastside low-barrier shelter", kind="shelter",
                                  address="12 Harbour Street", phone="555-0100",
                                  low_barrier=["housing_first", "no_conditions", "pets", "no_curfew"])
    for label in ("Bed 1", "Bed 2"):
        actions.bed_add(actor=dana, prop=place, label=label)
    return place


@pytest.fixture
def strict_shelter(dana, places):
    place = actions.property_save(actor=dana, site=places["van"], name="Mission dorm", kind="shelter",
                                  low_barrier=["accessible"])
    actions.bed_add(actor=dana, prop=place, label="Cot A")
    return place


@pytest.fixture
def partner(dana, places):
    """A partner organization running its own place, with its directory partner token."""
    organization = directory_actions.organization_create(actor=dana, name="Harbour Housing Co-op",
                                                         description="Housing First units")
    place = actions.property_save(actor=dana, site=places["fixed"], name="Harbour units", kind="permanent",
                                  organization=organization, low_barrier=["housing_first", "no_conditions"])
    bed = actions.bed_add(actor=dana, prop=place, label="Unit 2B")
    _record, token = directory_actions.partner_create(actor=dana, organization=organization, label="Co-op system")
    return {"organization": organization, "place": place, "bed": bed, "token": token}
