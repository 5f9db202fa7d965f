"""Signed webhooks: a real HTTP receiver on loopback verifies each delivery's signature."""

import datetime
import hashlib
import hmac

import pytest
from django.core.exceptions import ValidationError
from django.db import connection
from django.utils import timezone

from haven.alerts import actions
from haven.alerts.models import Delivery, Webhook
from haven.alerts.tests.support import payload_of, run_worker
from haven.core.models import AuditEvent, Job


def signature_is_valid(request, secret) -> bool:
    """What a receiver does (docs/ALERTS.md)."""
    expected = "sha256=" + hmac.new(secret.encode(), request["body"], hashlib.sha256).hexdigest()
    return hmac.compare_digest(expected, request["headers"]["X-Haven-Signature"])


def test_a_published_alert_reaches_the_webhook_signed_with_its_secret(webhook_receiver, dana, spike_draft):
    webhook, secret = actions.webhook_create(actor=dana, name="City outreach", url=webhook_receiver.url)

    actions.alert_publish(actor=dana, alert=spike_draft, base_url="http://haven.test")
    assert webhook_receiver.requests == []  # nothing is sent during the request
    run_worker()

    assert len(webhook_receiver.requests) == 1
    request = webhook_receiver.requests[0]
    assert request["path"] == "/haven-alerts"
    assert request["headers"]["Content-Type"].startswith("application/json")
    assert signature_is_valid(request, secret)
    assert not signature_is_valid(request, "some other secret")
    payload = payload_of(request)
    assert payload["event"] == "alert.published"
    assert request["headers"]["X-Haven-Timestamp"] == payload["sent_at"]
    assert payload["alert"]["title"] == spike_draft.title
    assert payload["alert"]["areas"] == ["Northside"]
    assert payload["alert"]["url"] == f"http://haven.test/alerts/{spike_draft.pk}/"
    assert "context" not in payload["alert"]
    assert b"ears-c2" not in request["body"]
    webhook.refresh_from_db()
    assert webhook.last_status == Webhook.LastStatus.OK
    assert Delivery.objects.get().status == Delivery.Status.SENT


def test_a_failing_receiver_is_retried_with_backoff_until_it_answers(webhook_receiver, dana, spike_draft):
    webhook, secret = actions.webhook_create(actor=dana, name="Flaky partner", url=webhook_receiver.url)
    webhook_receiver.status = 503
    actions.alert_publish(actor=dana, alert=spike_draft, base_url="http://haven.test")

    run_worker()

    delivery = Delivery.objects.get()
    assert (delivery.status, delivery.attempts, delivery.last_error) == ("queued", 1, "HTTP 503")
    webhook.refresh_from_db()
    assert (webhook.last_status, webhook.last_error) == ("failed", "HTTP 503")
    job = Job.objects.get(name="alerts.deliver_webhook")
    assert job.status == Job.Status.QUEUED
    assert job.run_at > timezone.now()  # not again at once: the worker's backoff

    webhook_receiver.status = 200
    run_worker(now=timezone.now() + datetime.timedelta(minutes=2))

    assert len(webhook_receiver.requests) == 2
    assert all(signature_is_valid(r, secret) for r in webhook_receiver.requests)
    delivery.refresh_from_db()
    assert (delivery.status, delivery.attempts) == ("sent", 2)


def test_an_inactive_webhook_gets_nothing(webhook_receiver, dana, spike_draft):
    webhook, _ = actions.webhook_create(actor=dana, name="Paused", url=webhook_receiver.url, active=False)

    actions.alert_publish(actor=dana, alert=spike_draft, base_url="http://haven.test")
    run_worker()

    assert webhook_receiver.requests == []


@pytest.mark.parametrize("url", ["ftp://example.org/hook", "file:///etc/passwd", "javascript:alert(1)",
                                 "example.org/hook", "https://user:pass@example.org/hook"])
def test_only_http_and_https_addresses_are_accepted(dana, url):
    with pytest.raises(ValidationError):
        actions.webhook_create(actor=dana, name="Bad", url=url)
    assert not Webhook.objects.exists()


def test_the_secret_is_encrypted_in_the_database_and_not_in_the_audit_log(dana):
    webhook, secret = actions.webhook_create(actor=dana, name="Partner", url="https://partner.example/hook")

    with connection.cursor() as cursor:
        cursor.execute("SELECT secret FROM alerts_webhook")
        (raw,) = cursor.fetchone()
    assert secret not in raw
    assert secret not in str(list(AuditEvent.objects.values_list("detail", flat=True)))


def test_a_coordinator_adds_a_webhook_and_sees_the_secret_once(dana, client_as):
    client = client_as(dana)

    response = client.post("/alerts/webhooks/", {"name": "Partner", "url": "https://partner.example/hook",
                                                  "active": "on"})

    webhook = Webhook.objects.get()
    assert response.status_code == 200
    assert webhook.secret in response.content.decode()
    assert webhook.secret not in client.get("/alerts/webhooks/").content.decode()


def test_a_coordinator_makes_a_new_secret(dana, client_as):
    webhook, old_secret = actions.webhook_create(actor=dana, name="Partner", url="https://partner.example/hook")

    response = client_as(dana).post(f"/alerts/webhooks/{webhook.pk}/", {
        "name": "Partner", "url": "https://partner.example/hook", "active": "on", "rotate_secret": "on"})

    webhook.refresh_from_db()
    assert webhook.secret != old_secret
    assert webhook.secret in response.content.decode()


def test_staff_cannot_add_webhooks(bob, client_as):
    response = client_as(bob).post("/alerts/webhooks/", {"name": "Mine", "url": "https://example.org/"})

    assert response.status_code == 403
    assert not Webhook.objects.exists()
