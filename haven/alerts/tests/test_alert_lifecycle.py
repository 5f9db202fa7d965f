"""Draft -> reviewed -> published -> expired (or dismissed), and the transitions that are refused."""

import datetime

import pytest
from django.core.exceptions import ValidationError
from django.utils import timezone

from haven.alerts import actions
from haven.alerts.models import Alert
from haven.core.models import AuditEvent, Job


def audit_events(alert):
    return list(AuditEvent.objects.filter(object_type="alerts.alert", object_id=str(alert.pk)).order_by("sequence"))


def test_staff_review_then_a_coordinator_publishes(spike_draft, bob, dana):
    actions.alert_review(actor=bob, alert=spike_draft)
    alert = actions.alert_publish(actor=dana, alert=spike_draft, base_url="http://haven.test")

    assert alert.status == Alert.Status.PUBLISHED
    assert (alert.reviewed_by, alert.published_by) == (bob, dana)
    assert alert.published_at is not None
    assert [e.detail.get("event") for e in audit_events(alert)][-2:] == ["reviewed", "published"]


def test_publishing_a_draft_counts_as_its_review(spike_draft, dana):
    alert = actions.alert_publish(actor=dana, alert=spike_draft, base_url="http://haven.test")

    assert alert.reviewed_by == dana


def test_publishing_queues_the_deliveries_instead_of_sending_them(spike_draft, dana):
    actions.alert_publish(actor=dana, alert=spike_draft, base_url="http://haven.test")

    job = Job.objects.get(name="alerts.fan_out")
    assert job.payload == {"alert": spike_draft.pk, "base_url": "http://haven.test"}
    assert job.status == Job.Status.QUEUED


def test_a_dismissed_alert_cannot_be_published(spike_draft, dana):
    actions.alert_dismiss(actor=dana, alert=spike_draft)

    with pytest.raises(ValidationError, match="dismissed"):
        actions.alert_publish(actor=dana, alert=spike_draft)
    spike_draft.refresh_from_db()
    assert spike_draft.status == Alert.Status.DISMISSED
    assert not Job.objects.filter(name="alerts.fan_out").exists()


def test_a_published_alert_cannot_be_published_again_dismissed_or_edited(published_alert, dana):
    for attempt in (
        lambda: actions.alert_publish(actor=dana, alert=published_alert),
        lambda: actions.alert_dismiss(actor=dana, alert=published_alert),
        lambda: actions.alert_update(actor=dana, alert=published_alert, title="Changed after the fact"),
        lambda: actions.alert_review(actor=dana, alert=published_alert),
    ):
        with pytest.raises(ValidationError):
            attempt()
    published_alert.refresh_from_db()
    assert published_alert.status == Alert.Status.PUBLISHED
    assert published_alert.title == "More overdoses than usual in Northside"


def test_only_a_published_alert_can_expire(spike_draft, dana):
    with pytest.raises(ValidationError):
        actions.alert_expire(actor=dana, alert=spike_draft)


def test_taking_an_alert_down_expires_it_now(published_alert, dana):
    alert = actions.alert_expire(actor=dana, alert=published_alert)

    assert alert.status == Alert.Status.EXPIRED
    assert alert.expires_at <= timezone.now()
    assert audit_events(alert)[-1].detail["event"] == "expired"


def test_editing_the_words_of_a_reviewed_alert_sends_it_back_to_draft(spike_draft, bob):
    actions.alert_review(actor=bob, alert=spike_draft)

    alert = actions.alert_update(actor=bob, alert=spike_draft, body="New advice: carry naloxone.")

    assert alert.status == Alert.Status.DRAFT
    assert alert.reviewed_by is None
    assert audit_events(alert)[-1].detail == {"fields": ["body"]}


def test_an_alert_cannot_be_published_with_an_expiry_in_the_past(spike_draft, dana):
    actions.alert_update(actor=dana, alert=spike_draft, expires_at=timezone.now() - datetime.timedelta(hours=1))

    with pytest.raises(ValidationError) as refused:
        actions.alert_publish(actor=dana, alert=spike_draft)
    assert "expires_at" in refused.value.message_dict


def test_an_alert_without_text_cannot_be_published(places, dana):
    alert, _ = actions.alert_draft(source_kind="manual", source_key="empty", title="Heads up", body="")

    with pytest.raises(ValidationError, match="title and a text"):
        actions.alert_publish(actor=dana, alert=alert)
