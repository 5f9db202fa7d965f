"""The participants app's enrol fixture, for the card test."""

from haven.participants.tests.conftest import enrol  # noqa: F401
