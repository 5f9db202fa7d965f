"""Booths at Bob's site (North drop-in) and Carol's (East van); a participant with a code."""

import pytest

from haven.consumption.models import Booth
from haven.participants.actions import participant_enroll

CODE = "MA0385B"


@pytest.fixture
def booths(places):
    fixed = places["fixed"]
    return {
        "one": Booth.objects.create(site=fixed, name="Booth 1", kind=Booth.Kind.INJECTION, sort_order=1),
        "two": Booth.objects.create(site=fixed, name="Booth 2", kind=Booth.Kind.INJECTION, sort_order=2),
        "smoke": Booth.objects.create(site=fixed, name="Smoking room", kind=Booth.Kind.INHALATION, sort_order=3),
        "van": Booth.objects.create(site=places["van"], name="Van booth", kind=Booth.Kind.INJECTION),
    }


@pytest.fixture
def participant(bob, places):
    return participant_enroll(actor=bob, code=CODE, site=places["fixed"])
