"""Fixtures for the support tests: a participant Bob works with, and a directory to refer to."""

import pytest

from haven.directory.tests.conftest import drop_in_directory  # noqa: F401  (the shared small directory)
from haven.participants.actions import participant_enroll
from haven.support import actions


@pytest.fixture
def participant(bob, places):
    return participant_enroll(actor=bob, code="MA0385B", site=places["fixed"])


@pytest.fixture
def bob_works_with_them(dana, bob, participant):
    return actions.assignment_add(actor=dana, participant=participant, staff=bob)


@pytest.fixture
def goal(bob, participant, bob_works_with_them):
    return actions.goal_create(actor=bob, participant=participant, category="never_alone",
                               text="Have someone with me on Fridays")
