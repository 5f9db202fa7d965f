"""Sending: the alert e-mail, the confirmation e-mail, and the signed webhook POST.

Called by the jobs in jobs.py, never during a request. Errors are summarised without personal
data (an SMTP error can quote the recipient's address): the class of the error and a status code.
"""

from __future__ import annotations

import hashlib
import hmac
import json
import smtplib
import urllib.error
import urllib.request
from email.utils import formataddr, parseaddr

from django.conf import settings
from django.core.mail import EmailMessage, get_connection
from django.utils import timezone, translation
from django.utils.translation import gettext as _

from haven.alerts import links, markup
from haven.alerts.models import Alert, Subscriber, Webhook

WEBHOOK_TIMEOUT_SECONDS = 10
USER_AGENT = "Haven-Alerts/1"


class DeliveryFailed(Exception):
    """A delivery attempt failed; the message is safe to store and log."""


def error_summary(error: BaseException) -> str:
    if isinstance(error, DeliveryFailed):
        return str(error)
    if isinstance(error, smtplib.SMTPResponseException):
        return f"{type(error).__name__} {error.smtp_code}"
    if isinstance(error, urllib.error.HTTPError):
        return f"HTTP {error.code}"
    return type(error).__name__


# E-mail ---------------------------------------------------------------------------------------------


def _program() -> str:
    """The program's name as its admin set it (haven/branding), read fresh: the worker sends e-mails."""
    from haven.branding.queries import current_program

    return current_program(fresh=True).name


def _from_address() -> str:
    """HAVEN_FROM_EMAIL, shown as the program's name unless it already carries a name."""
    name, address = parseaddr(settings.DEFAULT_FROM_EMAIL)
    return settings.DEFAULT_FROM_EMAIL if name else formataddr((_program(), address))


def alert_email(alert: Alert, subscriber: Subscriber, base_url: str) -> EmailMessage:
    unsubscribe = links.unsubscribe_url(base_url, subscriber)
    with translation.override(settings.LANGUAGE_CODE):
        severity = alert.get_severity_display()
        lines = [alert.title, "", f"{_('Severity')}: {severity}"]
        areas = ", ".join(area.name for area in alert.areas.all())
        if areas:
            lines.append(f"{_('Areas')}: {areas}")
        if alert.substances:
            lines.append(f"{_('Substances')}: {', '.join(alert.substances)}")
        lines += ["", markup.to_plain(alert.body), "",
                  f"{_('Read it online')}: {links.alert_url(base_url, alert)}", "", "-- ",
                  _("You receive this because you asked for %(program)s alerts at this address.")
                  % {"program": _program()},
                  f"{_('Stop receiving alerts')}: {unsubscribe}"]
        subject = f"[{severity}] {alert.title}"
    return EmailMessage(
        subject=subject, body="\n".join(lines), from_email=_from_address(), to=[subscriber.email],
        # RFC 2369 and RFC 8058: mail programs show an unsubscribe button that POSTs to the link.
        headers={"List-Unsubscribe": f"<{unsubscribe}>", "List-Unsubscribe-Post": "List-Unsubscribe=One-Click",
                 "Auto-Submitted": "auto-generated"},
    )


def confirmation_email(subscriber: Subscriber, base_url: str) -> EmailMessage:
    with translation.override(settings.LANGUAGE_CODE):
        subject = _("Confirm that you want %(program)s alerts") % {"program": _program()}
        body = "\n".join([
            _("Someone, probably you, asked to receive %(program)s alerts about the drug supply at this "
              "address.") % {"program": _program()},
            "",
            _("To confirm, open this link and press the button:"),
            links.confirm_url(base_url, subscriber),
            "",
            _("If it was not you, ignore this message: nothing more will be sent, and the address is "
              "deleted within a week."),
        ])
    return EmailMessage(subject=subject, body=body, from_email=_from_address(), to=[subscriber.email],
                        headers={"Auto-Submitted": "auto-generated"})


def send_email(message: EmailMessage) -> None:
    try:
        with get_connection(fail_silently=False) as connection:
            sent = connection.send_messages([message])
    except Exception as error:
        raise DeliveryFailed(error_summary(error)) from None
    if not sent:
        raise DeliveryFailed("not accepted")


# Webhooks -------------------------------------------------------------------------------------------


def webhook_payload(alert: Alert, base_url: str, *, sent_at: str) -> dict:
    """What a partner receives: the published alert only, never its context."""
    return {
        "event": "alert.published",
        "sent_at": sent_at,
        "alert": {
            "id": alert.pk,
            "url": links.alert_url(base_url, alert),
            "title": alert.title,
            "body": alert.body,
            "severity": alert.severity,
            "substances": list(alert.substances),
            "areas": [area.name for area in alert.areas.all()],
            "published_at": alert.published_at.isoformat() if alert.published_at else None,
            "expires_at": alert.expires_at.isoformat() if alert.expires_at else None,
        },
    }


def sign(body: bytes, secret: str) -> str:
    return "sha256=" + hmac.new(secret.encode(), body, hashlib.sha256).hexdigest()


class _NoRedirects(urllib.request.HTTPRedirectHandler):
    # A redirect would turn the POST into a GET elsewhere: treat it as a failure to fix.
    def redirect_request(self, *args, **kwargs):
        return None


def webhook_post(webhook: Webhook, alert: Alert, base_url: str, *, delivery_id: int) -> int:
    """POST the signed alert; the receiver's HTTP status, or DeliveryFailed."""
    sent_at = timezone.now().isoformat(timespec="seconds")
    body = json.dumps(webhook_payload(alert, base_url, sent_at=sent_at), ensure_ascii=False,
                      separators=(",", ":")).encode()
    request = urllib.request.Request(webhook.url, data=body, method="POST", headers={
        "Content-Type": "application/json; charset=utf-8",
        "User-Agent": USER_AGENT,
        "X-Haven-Event": "alert.published",
        "X-Haven-Delivery": str(delivery_id),
        "X-Haven-Timestamp": sent_at,
        "X-Haven-Signature": sign(body, webhook.secret),
    })
    opener = urllib.request.build_opener(_NoRedirects)
    try:
        with opener.open(request, timeout=WEBHOOK_TIMEOUT_SECONDS) as response:
            status = response.status
    except Exception as error:
        raise DeliveryFailed(error_summary(error)) from None
    if not 200 <= status < 300:
        raise DeliveryFailed(f"HTTP {status}")
    return status
