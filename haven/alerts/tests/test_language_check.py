"""Stigma-free language: an alert with a finding is published only with a reviewer's recorded reason."""

import pytest
from django.core.exceptions import ValidationError

from haven.alerts import actions
from haven.alerts.models import Alert
from haven.core.models import AuditEvent

STIGMATISING = "Addicts in Northside: dirty needles are being shared. Carry naloxone."


@pytest.fixture
def worded_draft(places):
    alert, _ = actions.alert_draft(source_kind="manual", source_key="words", title="Warning for drug abusers",
                                   body=STIGMATISING)
    return alert


def test_the_language_check_blocks_publishing_and_suggests_other_words(worded_draft, dana):
    with pytest.raises(ValidationError) as refused:
        actions.alert_publish(actor=dana, alert=worded_draft)

    text = " ".join(refused.value.messages)
    assert "“dirty needles”: try “used needles”" in text
    assert "person who uses drugs" in text
    worded_draft.refresh_from_db()
    assert worded_draft.status == Alert.Status.DRAFT


def test_an_override_with_a_reason_publishes_and_is_recorded_and_audited(worded_draft, dana):
    alert = actions.alert_publish(actor=dana, alert=worded_draft,
                                  override_reason="Quoting the words a community group asked us to use.")

    assert alert.status == Alert.Status.PUBLISHED
    assert alert.language_override_by == dana
    assert alert.language_override_reason.startswith("Quoting")
    assert "dirty-needles" in alert.language_override_rules
    event = AuditEvent.objects.filter(object_type="alerts.alert", object_id=str(alert.pk)).last()
    assert event.detail["event"] == "published"
    assert event.detail["language_override"] is True
    assert "dirty-needles" in event.detail["rules"]
    assert "Quoting" not in str(event.detail)  # the reason is on the alert, not copied into the log


def test_a_blank_reason_is_no_override(worded_draft, dana):
    with pytest.raises(ValidationError):
        actions.alert_publish(actor=dana, alert=worded_draft, override_reason="   ")


def test_clean_words_publish_without_any_override(spike_draft, dana):
    alert = actions.alert_publish(actor=dana, alert=spike_draft)

    assert alert.language_override_reason == ""
    assert alert.language_override_rules == []


def test_the_publish_page_shows_each_finding_with_suggestions_and_the_override_box(worded_draft, dana, client_as):
    page = client_as(dana).get(f"/alerts/review/{worded_draft.pk}/publish/").content.decode()

    assert "dirty needles" in page.lower()
    assert "used needles" in page
    assert 'name="override_reason"' in page


def test_publishing_through_the_page_with_a_reason_works(worded_draft, dana, client_as):
    response = client_as(dana).post(f"/alerts/review/{worded_draft.pk}/publish/",
                                    {"override_reason": "A quotation from a participant's poem."})

    assert response.status_code == 302
    worded_draft.refresh_from_db()
    assert worded_draft.status == Alert.Status.PUBLISHED


def test_publishing_through_the_page_without_a_reason_shows_why(worded_draft, dana, client_as):
    response = client_as(dana).post(f"/alerts/review/{worded_draft.pk}/publish/", {"override_reason": ""})

    assert response.status_code == 200
    assert "The language check found words" in response.content.decode()
    worded_draft.refresh_from_db()
    assert worded_draft.status == Alert.Status.DRAFT
