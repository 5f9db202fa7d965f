"""Fixtures for the drug checking tests: the alerts app's real SMTP server on loopback, and samples."""

import pytest

from haven.alerts.tests.conftest import smtp_server  # noqa: F401  (a real aiosmtpd server on 127.0.0.1)
from haven.drugchecking import actions


@pytest.fixture
def mdma_pill(places, bob):
    """A pill sold as MDMA, taken in by staff Bob at North drop-in, consent to publish; (sample, code)."""
    return actions.sample_intake(actor=bob, site=places["fixed"], expected="mdma", form="pill",
                                 area=places["north"], colour="pink", pill_marks="heart", pill_weight_mg="250",
                                 consent_publish=True)
