"""The admin sets each kind's period; a period shorter than reports need, or not a number, is refused."""

import pytest
from django.core.exceptions import PermissionDenied, ValidationError

from haven.core.models import AuditEvent
from haven.core.retention import kinds
from haven.retention.actions import retention_set
from haven.retention.queries import days_for

pytestmark = pytest.mark.django_db


def test_without_a_setting_each_kind_keeps_its_default():
    assert {key: days_for(key) for key in kinds()} == {key: kind.default_days for key, kind in kinds().items()}


def test_an_admin_lengthens_a_period_and_it_is_audited(alice):
    retention_set(actor=alice, kind="encounters.visit", days="400")
    assert days_for("encounters.visit") == 400
    event = AuditEvent.objects.get(object_type="retention.setting", object_id="encounters.visit")
    assert event.detail == {"days": 400, "was": 92} and event.actor_id == alice.pk


@pytest.mark.parametrize("key", list(kinds()))
def test_a_period_shorter_than_the_minimum_is_refused_with_the_reason(alice, key):
    kind = kinds()[key]
    if kind.minimum_days == 0:
        pytest.skip("no minimum")
    with pytest.raises(ValidationError) as refused:
        retention_set(actor=alice, kind=key, days=kind.minimum_days - 1)
    message = " ".join(refused.value.message_dict["days"])
    assert f"at least {kind.minimum_days} days" in message and str(kind.reason) in message
    retention_set(actor=alice, kind=key, days=kind.minimum_days)  # the minimum itself is fine
    assert days_for(key) == kind.minimum_days


def test_the_participant_period_names_the_yearly_reports():
    with pytest.raises(ValidationError) as refused:
        retention_set(actor=None, kind="participants.participant", days=365)
    assert "Yearly reports" in str(refused.value) and "366" in str(refused.value)


@pytest.mark.parametrize("days", ["", "  ", "ninety", "3.5", "1e3", "-1", "-400", "0x10", None, True, "99999999"])
def test_a_period_that_is_not_a_whole_number_of_days_is_refused(alice, days):
    with pytest.raises(ValidationError) as refused:
        retention_set(actor=alice, kind="support.note", days=days)
    assert "days" in refused.value.message_dict
    assert days_for("support.note") == kinds()["support.note"].default_days


def test_an_unknown_kind_is_refused(alice):
    with pytest.raises(ValidationError) as refused:
        retention_set(actor=alice, kind="made.up", days=400)
    assert "Unknown kind" in str(refused.value)


def test_only_an_admin_sets_periods(dana, bob, carol):
    for person in (dana, bob, carol):
        with pytest.raises(PermissionDenied):
            retention_set(actor=person, kind="encounters.visit", days=400)
