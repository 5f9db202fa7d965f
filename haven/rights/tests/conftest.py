"""Fixtures for the rights tests: a participant, and a legal aid service in the directory."""

import pytest

from haven.directory.tests.conftest import drop_in_directory  # noqa: F401  (the shared small directory)
from haven.participants.actions import participant_enroll


@pytest.fixture(autouse=True)
def _english():
    """Each test starts in English: a page asked for in French leaves French active in this thread."""
    from django.utils import translation

    with translation.override("en"):
        yield


@pytest.fixture
def participant(bob, places):
    return participant_enroll(actor=bob, code="MA0385B", site=places["fixed"])


@pytest.fixture
def second_participant(bob, places):
    return participant_enroll(actor=bob, code="JO0791K", site=places["fixed"])


@pytest.fixture
def legal_aid(dana):
    """A legal help service in the directory, for referrals to legal aid."""
    from haven.directory import actions

    organization = actions.organization_create(actor=dana, name="Harbour Legal Clinic", description="Free advice")
    return actions.service_save(actor=dana, organization=organization, values={
        "name": "Know your rights clinic", "description": "Free legal advice on police stops.", "status": "active"},
        low_barrier=["free", "walk_in"], category="legal", languages=["en", "es"])


def raw_column(table: str, column: str) -> list:
    from django.db import connection

    with connection.cursor() as cursor:
        cursor.execute(f"SELECT {column} FROM {table}")
        return [row[0] for row in cursor.fetchall()]
