"""alert_draft: the contract the overdose module and drug checking call. One source event, one alert."""

import pytest
from django.core.exceptions import ValidationError

from haven.alerts import actions
from haven.alerts.models import Alert
from haven.alerts.tests.support import CLEAN_BODY, SPIKE_CONTEXT
from haven.core.models import AuditEvent


def draft(**overrides):
    arguments = {"source_kind": "overdose_spike", "source_key": "spike-1", "title": "More overdoses in Northside",
                 "body": CLEAN_BODY, "context": SPIKE_CONTEXT}
    return actions.alert_draft(**{**arguments, **overrides})


def test_a_spike_drafts_one_alert_with_its_context(places):
    alert, created = draft(areas=[places["north"]])

    assert created
    assert alert.status == Alert.Status.DRAFT
    assert alert.severity == Alert.Severity.WARNING
    assert alert.context["baseline"] == 2.1
    assert list(alert.areas.all()) == [places["north"]]
    event = AuditEvent.objects.get(object_type="alerts.alert", object_id=str(alert.pk))
    assert event.action == "create"
    assert "context" in event.detail["fields"]
    assert "Northside" not in str(event.detail)


def test_the_same_spike_on_the_next_day_updates_the_draft_instead_of_making_another(places):
    first, _ = draft(areas=[places["north"]])
    second, created = draft(context={**SPIKE_CONTEXT, "observed": 14}, areas=[places["east"]], title="Another title")

    assert not created
    assert second.pk == first.pk
    assert Alert.objects.count() == 1
    second.refresh_from_db()
    assert second.context["observed"] == 14
    assert second.title == "More overdoses in Northside"  # staff may have edited it: kept
    assert set(second.areas.all()) == {places["north"], places["east"]}


def test_a_second_call_changes_nothing_once_the_alert_is_reviewed(places, bob):
    alert, _ = draft()
    actions.alert_review(actor=bob, alert=alert)

    again, created = draft(context={"observed": 99})

    assert not created
    again.refresh_from_db()
    assert again.status == Alert.Status.REVIEWED
    assert again.context == SPIKE_CONTEXT


def test_a_dismissed_spike_is_not_drafted_again(places, dana):
    alert, _ = draft()
    actions.alert_dismiss(actor=dana, alert=alert, reason="Known cluster")

    again, created = draft()

    assert not created
    assert again.status == Alert.Status.DISMISSED


def test_the_same_key_from_another_source_is_another_alert(places):
    draft()
    other, created = draft(source_kind="drug_checking")

    assert created
    assert Alert.objects.count() == 2


@pytest.mark.parametrize("overrides", [{"title": "  "}, {"source_key": ""}, {"source_kind": "rumour"},
                                       {"severity": "apocalyptic"}])
def test_a_draft_with_bad_input_is_refused(places, overrides):
    with pytest.raises(ValidationError):
        draft(**overrides)
    assert not Alert.objects.exists()


def test_draft_texts_are_encrypted_in_the_database(places, dana):
    from django.db import connection


    alert, _ = actions.alert_draft(source_kind="manual", source_key="enc", title="Strong batch near the harbour",
                                   body="Someone said the pills at the harbour were stronger.")
    actions.alert_dismiss(actor=dana, alert=alert, reason="Heard it from the harbour staff already")

    with connection.cursor() as cursor:
        cursor.execute("SELECT title, body, dismiss_reason FROM alerts_alert")
        assert all("harbour" not in str(value) for value in cursor.fetchone())
    alert = Alert.objects.get(pk=alert.pk)
    assert (alert.title, alert.dismiss_reason) == ("Strong batch near the harbour",
                                                   "Heard it from the harbour staff already")
