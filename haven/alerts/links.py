"""Signed tokens and absolute links: for e-mails (confirm, unsubscribe) and the subscribe form.

Tokens carry a subscriber's id and the first characters of its blind index, never the address,
and are signed with the site's secret key (django.core.signing), each use with its own salt.
"""

from __future__ import annotations

import time

from django.conf import settings
from django.core import signing
from django.urls import reverse

from haven.alerts.models import Subscriber

CONFIRM_SALT = "haven.alerts.confirm"
UNSUBSCRIBE_SALT = "haven.alerts.unsubscribe"
FORM_SALT = "haven.alerts.subscribe-form"
CONFIRM_MAX_AGE = 7 * 24 * 3600  # seconds; unconfirmed addresses are deleted after the same time
INDEX_PREFIX = 16


def public_base_url(request=None) -> str:
    """Where the public pages are: HAVEN_PUBLIC_URL when set, else the address of this request."""
    configured = getattr(settings, "HAVEN_PUBLIC_URL", "") or ""
    if configured:
        return configured.rstrip("/")
    if request is not None:
        return request.build_absolute_uri("/").rstrip("/")
    return "http://localhost:8000"


def absolute(base_url: str, path: str) -> str:
    return base_url.rstrip("/") + path


def _subscriber_token(subscriber: Subscriber, salt: str) -> str:
    return signing.dumps({"id": subscriber.pk, "ix": subscriber.email_index[:INDEX_PREFIX]}, salt=salt,
                         compress=True)


def confirm_token(subscriber: Subscriber) -> str:
    return _subscriber_token(subscriber, CONFIRM_SALT)


def unsubscribe_token(subscriber: Subscriber) -> str:
    return _subscriber_token(subscriber, UNSUBSCRIBE_SALT)


def _subscriber_for(token: str, salt: str, max_age: int | None) -> Subscriber | None:
    try:
        data = signing.loads(token or "", salt=salt, max_age=max_age)
        subscriber_id, prefix = int(data["id"]), str(data["ix"])
    except (signing.BadSignature, KeyError, TypeError, ValueError):
        return None
    subscriber = Subscriber.objects.filter(pk=subscriber_id).first()
    if subscriber is None or subscriber.email_index[:INDEX_PREFIX] != prefix:
        return None
    return subscriber


def subscriber_for_confirm_token(token: str) -> Subscriber | None:
    return _subscriber_for(token, CONFIRM_SALT, CONFIRM_MAX_AGE)


def subscriber_for_unsubscribe_token(token: str) -> Subscriber | None:
    return _subscriber_for(token, UNSUBSCRIBE_SALT, None)


def confirm_url(base_url: str, subscriber: Subscriber) -> str:
    return absolute(base_url, f"{reverse('alerts-subscribe-confirm')}?token={confirm_token(subscriber)}")


def unsubscribe_url(base_url: str, subscriber: Subscriber) -> str:
    return absolute(base_url, f"{reverse('alerts-unsubscribe')}?token={unsubscribe_token(subscriber)}")


def alert_url(base_url: str, alert) -> str:
    return absolute(base_url, reverse("alert-detail", args=[alert.pk]))


def form_started_token(at: float | None = None) -> str:
    """When the subscribe form was shown, signed so that a bot cannot pretend it waited."""
    return signing.dumps(int(at if at is not None else time.time()), salt=FORM_SALT)


def form_started_at(token: str) -> float | None:
    try:
        return float(signing.loads(token or "", salt=FORM_SALT))
    except (signing.BadSignature, TypeError, ValueError):
        return None
