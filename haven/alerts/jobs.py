"""The alerts' background work: fan-out on publish, one job per delivery, expiry and clean-up.

A failed delivery raises, so the worker retries it with its backoff (30 s, doubling, at most an
hour) up to DELIVERY_ATTEMPTS times.
"""

from __future__ import annotations

import datetime

from haven.alerts import actions, delivery
from haven.alerts.models import Delivery, Subscriber, Webhook
from haven.core.worker import job, periodic


@job("alerts.fan_out")
def alerts_fan_out(payload):
    actions.deliveries_fan_out(alert_id=payload["alert"], base_url=payload["base_url"])


def _pending(payload) -> Delivery | None:
    found = Delivery.objects.select_related("alert").filter(pk=payload["delivery"]).first()
    if found is None or found.status != Delivery.Status.QUEUED:
        return None
    return found


def _attempt(record: Delivery, send) -> None:
    try:
        send()
    except delivery.DeliveryFailed as error:
        actions.delivery_record(delivery=record, ok=False, error=str(error))
        raise
    actions.delivery_record(delivery=record, ok=True)


@job("alerts.deliver_email")
def alerts_deliver_email(payload):
    record = _pending(payload)
    if record is None:
        return
    subscriber = Subscriber.objects.filter(pk=record.target_id, status=Subscriber.Status.CONFIRMED).first()
    if subscriber is None or not record.alert.is_public():
        actions.delivery_record(delivery=record, ok=None)
        return
    message = delivery.alert_email(record.alert, subscriber, payload["base_url"])
    _attempt(record, lambda: delivery.send_email(message))


@job("alerts.deliver_webhook")
def alerts_deliver_webhook(payload):
    record = _pending(payload)
    if record is None:
        return
    webhook = Webhook.objects.filter(pk=record.target_id, active=True).first()
    if webhook is None or not record.alert.is_public():
        actions.delivery_record(delivery=record, ok=None)
        return
    _attempt(record, lambda: delivery.webhook_post(webhook, record.alert, payload["base_url"],
                                                   delivery_id=record.pk))


@job("alerts.send_confirmation")
def alerts_send_confirmation(payload):
    subscriber = Subscriber.objects.filter(pk=payload["subscriber"], status=Subscriber.Status.PENDING).first()
    if subscriber is not None:
        delivery.send_email(delivery.confirmation_email(subscriber, payload["base_url"]))


@periodic("alerts.expire_due", every=datetime.timedelta(minutes=5))
def alerts_expire_due():
    actions.alerts_expire_due()


@periodic("alerts.remove_unconfirmed_subscribers", every=datetime.timedelta(hours=6))
def alerts_remove_unconfirmed_subscribers():
    actions.subscribers_remove_unconfirmed()


