"""Every write to alerts, subscribers, webhooks and deliveries: validated, transactional, audited.

Audit entries name ids, field names and rule ids; never an e-mail address, never alert context.
Publishing only queues the deliveries (`job_enqueue`): the worker sends them, never the request.
"""

from __future__ import annotations

import datetime
import secrets
import uuid
from urllib.parse import urlsplit

from django.core.exceptions import ValidationError
from django.core.validators import URLValidator, validate_email
from django.db import IntegrityError, transaction
from django.db.models import Q
from django.utils import timezone
from django.utils.translation import gettext as _

from haven.alerts import queries
from haven.alerts.models import EMAIL_INDEX_PURPOSE, Alert, Delivery, Subscriber, Webhook
from haven.core import ratelimit
from haven.core.actions import job_enqueue
from haven.core.audit import audit_record
from haven.core.privacy import blind_index

TITLE_MAX_LENGTH = 200
SUBSTANCE_MAX_LENGTH = 60
SUBSTANCES_MAX = 20
ALERT_FIELDS = ("title", "body", "severity", "substances", "areas", "expires_at")
# A confirmation e-mail at most every 10 minutes and 5 times in all per address, so the form
# cannot be used to flood someone's inbox.
CONFIRMATION_RESEND_AFTER = datetime.timedelta(minutes=10)
CONFIRMATION_SENDS_MAX = 5
# Subscription requests (each can send a confirmation e-mail): a few per connection, and a ceiling
# for everyone together, so a script on many addresses cannot turn Haven into a mail cannon.
SUBSCRIBE_LIMIT = ratelimit.Limit("alerts-subscribe", per_client=5, overall=100, window=3600)
UNCONFIRMED_KEPT_FOR = datetime.timedelta(days=7)
DELIVERY_ATTEMPTS = 6
WEBHOOK_SECRET_BYTES = 32


# Alerts -----------------------------------------------------------------------------------------------


def _clean_substances(values) -> list[str]:
    if isinstance(values, str):
        values = values.split(",")
    cleaned, seen = [], set()
    for value in values or ():
        text = " ".join(str(value).split())
        if text and text.casefold() not in seen:
            seen.add(text.casefold())
            cleaned.append(text)
    return cleaned


def _validate_alert(alert: Alert) -> None:
    errors: dict[str, list[str]] = {}
    if not alert.title:
        errors["title"] = [_("Give the alert a title.")]
    elif len(alert.title) > TITLE_MAX_LENGTH:
        errors["title"] = [_("Keep the title under %(n)s characters.") % {"n": TITLE_MAX_LENGTH}]
    if alert.severity not in Alert.Severity.values:
        errors["severity"] = [_("Choose information, warning or urgent.")]
    if len(alert.substances) > SUBSTANCES_MAX:
        errors["substances"] = [_("Name at most %(n)s substances.") % {"n": SUBSTANCES_MAX}]
    elif any(len(s) > SUBSTANCE_MAX_LENGTH for s in alert.substances):
        errors["substances"] = [_("A substance name is too long.")]
    if not isinstance(alert.context, dict):
        errors["context"] = [_("The context must be a mapping.")]
    if errors:
        raise ValidationError(errors)


def _touch(alert: Alert, now=None) -> datetime.datetime:
    alert.updated_at = now or timezone.now()
    return alert.updated_at


def _refuse_unless_open(alert: Alert, doing: str) -> None:
    if not alert.is_open:
        raise ValidationError(
            _("This alert is %(status)s: it can no longer be %(doing)s.")
            % {"status": alert.get_status_display().lower(), "doing": doing},
            code="wrong_status",
        )


@transaction.atomic
def alert_draft(*, source_kind, source_key, title, body, severity=Alert.Severity.WARNING, context=None,
                areas=(), substances=(), expires_at=None, actor=None, request=None) -> tuple[Alert, bool]:
    """Draft the alert for one source event; (alert, created).

    Idempotent by (source_kind, source_key): one spike makes one alert however many days it lasts.
    A second call for a source that still has a draft refreshes its context and adds new areas; the
    title and text are kept, because staff may have edited them. Once reviewed, published or
    dismissed, the alert is left as it is.
    """
    if source_kind not in Alert.SourceKind.values:
        raise ValidationError({"source_kind": [_("Unknown alert source.")]})
    source_key = str(source_key or "").strip()
    if not source_key:
        raise ValidationError({"source_key": [_("An alert needs a source key.")]})
    existing = Alert.objects.select_for_update().filter(source_kind=source_kind, source_key=source_key).first()
    if existing is None:
        alert = Alert(source_kind=source_kind, source_key=source_key, title=" ".join((title or "").split()),
                      body=(body or "").strip(), severity=severity, context=context or {},
                      substances=_clean_substances(substances), expires_at=expires_at,
                      created_by=actor if getattr(actor, "pk", None) else None)
        _validate_alert(alert)
        try:
            with transaction.atomic():
                alert.save()
        except IntegrityError:
            # Another worker drafted the same source a moment ago: update that one instead.
            existing = Alert.objects.select_for_update().get(source_kind=source_kind, source_key=source_key)
        else:
            if areas:
                alert.areas.set(areas)
            audit_record(actor=actor, action="create", obj=alert, request=request,
                         detail={"fields": ["title", "body", "severity", "substances", "areas", "context",
                                            "expires_at"], "source_kind": source_kind})
            return alert, True
    alert = existing
    if alert.status != Alert.Status.DRAFT:
        return alert, False
    changed = []
    if context is not None and context != alert.context:
        alert.context = context
        _validate_alert(alert)
        changed.append("context")
    new_areas = {getattr(area, "pk", area) for area in areas} - set(alert.areas.values_list("pk", flat=True))
    if new_areas:
        alert.areas.add(*new_areas)
        changed.append("areas")
    if changed:
        _touch(alert)
        alert.save(update_fields=[f for f in changed if f != "areas"] + ["updated_at"])
        audit_record(actor=actor, action="update", obj=alert, request=request,
                     detail={"fields": changed, "event": "source seen again"})
    return alert, False


@transaction.atomic
def alert_create(*, actor, title, body, severity=Alert.Severity.WARNING, areas=(), substances=(),
                 expires_at=None, request=None) -> Alert:
    """An alert written by staff (not drafted by a rule)."""
    alert, _created = alert_draft(source_kind=Alert.SourceKind.MANUAL, source_key=uuid.uuid4().hex, title=title,
                                  body=body, severity=severity, areas=areas, substances=substances,
                                  expires_at=expires_at, actor=actor, request=request)
    return alert


@transaction.atomic
def alert_update(*, actor, alert: Alert, request=None, **changes) -> Alert:
    """Edit a draft or reviewed alert. Editing a reviewed alert's words sends it back to draft."""
    unknown = sorted(set(changes) - set(ALERT_FIELDS))
    if unknown:
        raise TypeError(f"cannot change {', '.join(unknown)}")
    alert = Alert.objects.select_for_update().get(pk=alert.pk)
    _refuse_unless_open(alert, _("edited"))
    if "title" in changes:
        changes["title"] = " ".join((changes["title"] or "").split())
    if "body" in changes:
        changes["body"] = (changes["body"] or "").strip()
    if "substances" in changes:
        changes["substances"] = _clean_substances(changes["substances"])
    new_areas = None
    if "areas" in changes:
        new_areas = {getattr(area, "pk", area) for area in changes.pop("areas") or ()}
    changed = [field for field, value in changes.items() if getattr(alert, field) != value]
    for field in changed:
        setattr(alert, field, changes[field])
    _validate_alert(alert)
    if new_areas is not None and new_areas != set(alert.areas.values_list("pk", flat=True)):
        alert.areas.set(new_areas)
        changed.append("areas")
    if not changed:
        return alert
    fields = [field for field in changed if field != "areas"]
    if alert.status == Alert.Status.REVIEWED and {"title", "body", "severity", "substances"} & set(changed):
        alert.status, alert.reviewed_at, alert.reviewed_by = Alert.Status.DRAFT, None, None
        fields += ["status", "reviewed_at", "reviewed_by"]
    _touch(alert)
    alert.save(update_fields=fields + ["updated_at"])
    audit_record(actor=actor, action="update", obj=alert, request=request, detail={"fields": changed})
    return alert


@transaction.atomic
def alert_review(*, actor, alert: Alert, request=None) -> Alert:
    """A reviewer has read the draft and its context and thinks it can go out."""
    alert = Alert.objects.select_for_update().get(pk=alert.pk)
    if alert.status != Alert.Status.DRAFT:
        raise ValidationError(_("Only a draft can be marked as reviewed."), code="wrong_status")
    now = timezone.now()
    alert.status, alert.reviewed_at, alert.reviewed_by = Alert.Status.REVIEWED, now, actor
    _touch(alert, now)
    alert.save(update_fields=["status", "reviewed_at", "reviewed_by", "updated_at"])
    audit_record(actor=actor, action="update", obj=alert, request=request,
                 detail={"event": "reviewed", "fields": ["status", "reviewed_at", "reviewed_by"]})
    return alert


def _identifying_error(found) -> ValidationError:
    kinds = {
        "email": _("an e-mail address"),
        "phone": _("a phone number"),
        "name": _("a person's name"),
        "birth_date": _("a date of birth"),
        "code": _("a code (like a sample code or a participant's display id)"),
        "participant": _("a participant's display id"),
    }
    return ValidationError(
        [ValidationError(_("“%(text)s” looks like %(kind)s. A published alert must never contain anything "
                           "that could identify a person: remove or reword it.")
                         % {"text": item.text, "kind": kinds[item.kind]}, code="identifying")
         for item in found]
    )


def _language_error(findings) -> ValidationError:
    messages = []
    for finding in findings:
        if finding.suggestions:
            messages.append(_("“%(text)s”: try %(suggestions)s.") % {
                "text": finding.text, "suggestions": ", ".join(f"“{s}”" for s in finding.suggestions)})
        else:
            messages.append(_("“%(text)s”: reword it.") % {"text": finding.text})
    intro = _("The language check found words that can push people away. Reword them, or give a reason to "
              "publish as it is.")
    return ValidationError([ValidationError(intro, code="language")]
                           + [ValidationError(m, code="language") for m in messages])


@transaction.atomic
def alert_publish(*, actor, alert: Alert, override_reason="", request=None, base_url=None) -> Alert:
    """Publish a draft or reviewed alert and queue its e-mails and webhooks.

    Refused when the text holds anything that could identify a person (no override), and when the
    language checker finds something, unless a reviewer gives a reason to publish anyway (recorded
    and audited with the rules it overrode).
    """
    from haven.alerts import links

    alert = Alert.objects.select_for_update().get(pk=alert.pk)
    _refuse_unless_open(alert, _("published"))
    if not alert.title or not alert.body:
        raise ValidationError(_("An alert needs a title and a text before it is published."), code="incomplete")
    now = timezone.now()
    if alert.expires_at is not None and alert.expires_at <= now:
        raise ValidationError({"expires_at": [_("The expiry time has already passed. Choose a later one or "
                                                "leave it empty.")]})
    found = queries.identifying_details(title=alert.title, body=alert.body, substances=alert.substances)
    if found:
        raise _identifying_error(found)
    findings = queries.language_findings(title=alert.title, body=alert.body)
    override_reason = (override_reason or "").strip()
    if findings and not override_reason:
        raise _language_error(findings)
    fields = ["status", "published_at", "published_by", "updated_at"]
    alert.status, alert.published_at, alert.published_by = Alert.Status.PUBLISHED, now, actor
    if alert.reviewed_at is None:
        # Publishing is itself a review: the publisher has read it.
        alert.reviewed_at, alert.reviewed_by = now, actor
        fields += ["reviewed_at", "reviewed_by"]
    detail = {"event": "published", "fields": list(fields)}
    if findings:
        alert.language_override_reason = override_reason
        alert.language_override_by = actor
        alert.language_override_rules = sorted({f.rule for f in findings})
        fields += ["language_override_reason", "language_override_by", "language_override_rules"]
        detail.update(language_override=True, rules=alert.language_override_rules)
    _touch(alert, now)
    alert.save(update_fields=fields)
    audit_record(actor=actor, action="update", obj=alert, request=request, detail=detail)
    job_enqueue(name="alerts.fan_out",
                payload={"alert": alert.pk, "base_url": base_url or links.public_base_url(request)},
                unique_key=f"alerts.fan_out:{alert.pk}")
    return alert


@transaction.atomic
def alert_dismiss(*, actor, alert: Alert, reason="", request=None) -> Alert:
    """Not worth an alert (a false alarm, a duplicate): kept for the record, never published."""
    alert = Alert.objects.select_for_update().get(pk=alert.pk)
    _refuse_unless_open(alert, _("dismissed"))
    now = timezone.now()
    alert.status, alert.dismissed_at, alert.dismissed_by = Alert.Status.DISMISSED, now, actor
    alert.dismiss_reason = (reason or "").strip()
    _touch(alert, now)
    alert.save(update_fields=["status", "dismissed_at", "dismissed_by", "dismiss_reason", "updated_at"])
    audit_record(actor=actor, action="update", obj=alert, request=request,
                 detail={"event": "dismissed", "fields": ["status", "dismissed_at", "dismissed_by", "dismiss_reason"]})
    return alert


@transaction.atomic
def alerts_dismiss(*, actor, alerts, reason: str, request=None) -> list[Alert]:
    """Dismiss several drafts at once (duplicates, a burst of false alarms) with one reason; all or none."""
    reason = " ".join((reason or "").split())
    if not reason:
        raise ValidationError({"reason": [_("Say why these alerts are dismissed, for the record.")]})
    alerts = list(alerts)
    if not alerts:
        raise ValidationError({"alerts": [_("Tick the alerts to dismiss.")]})
    return [alert_dismiss(actor=actor, alert=alert, reason=reason, request=request) for alert in alerts]


@transaction.atomic
def alert_expire(*, alert: Alert, actor=None, request=None) -> Alert:
    """Take a published alert off the public page and feed (on its expiry, or earlier by hand)."""
    alert = Alert.objects.select_for_update().get(pk=alert.pk)
    if alert.status != Alert.Status.PUBLISHED:
        raise ValidationError(_("Only a published alert can expire."), code="wrong_status")
    now = timezone.now()
    alert.status, alert.expired_at = Alert.Status.EXPIRED, now
    fields = ["status", "expired_at", "updated_at"]
    if alert.expires_at is None or alert.expires_at > now:
        alert.expires_at = now
        fields.append("expires_at")
    _touch(alert, now)
    alert.save(update_fields=fields)
    audit_record(actor=actor, action="update", obj=alert, request=request,
                 detail={"event": "expired", "fields": fields})
    return alert


def alerts_expire_due(*, now=None) -> int:
    """Expire every published alert past its expiry; each in its own transaction."""
    now = now or timezone.now()
    due = Alert.objects.filter(status=Alert.Status.PUBLISHED, expires_at__lte=now).values_list("pk", flat=True)
    expired = 0
    for alert in Alert.objects.filter(pk__in=list(due)):
        try:
            alert_expire(alert=alert)
        except ValidationError:
            continue  # expired by hand in the meantime
        expired += 1
    return expired


# Subscribers ---------------------------------------------------------------------------------------


def normalise_email(value: str) -> str:
    # Addresses are compared case-insensitively: what every mainstream provider does.
    return (value or "").strip().lower()


def email_index(value: str) -> str:
    return blind_index(normalise_email(value), purpose=EMAIL_INDEX_PURPOSE)


@transaction.atomic
def subscriber_subscribe(*, email, areas=(), base_url, client: str | None = None,
                         now=None) -> tuple[Subscriber | None, bool]:
    """Ask for alerts by e-mail; (subscriber, whether a confirmation e-mail was queued).

    Every request counts towards SUBSCRIBE_LIMIT (per client, `ratelimit.client_of(request)`, and
    overall), so no one can make Haven send confirmation e-mails without end; raises
    ratelimit.RateLimited past it.

    Double opt-in: nothing is sent but the confirmation until the link in it is followed. The answer
    to the visitor is the same whether the address was new, waiting or already confirmed, so the
    form does not tell who subscribes. Not audited with the visitor's address (IP): there is none.
    """
    ratelimit.take(SUBSCRIBE_LIMIT, client=client)
    address = normalise_email(email)
    try:
        validate_email(address)
    except ValidationError:
        raise ValidationError({"email": [_("Enter an e-mail address like name@example.org.")]}) from None
    now = now or timezone.now()
    index = email_index(address)
    subscriber = Subscriber.objects.select_for_update().filter(email_index=index).first()
    if subscriber is None:
        subscriber = Subscriber(email=address, email_index=index)
        try:
            with transaction.atomic():
                subscriber.save()
        except IntegrityError:
            return None, False  # the same address at the same moment: the other request sends the e-mail
        if areas:
            subscriber.areas.set(areas)
        audit_record(action="create", obj=subscriber, detail={"fields": ["email", "areas"], "event": "subscribed"})
    elif subscriber.status == Subscriber.Status.CONFIRMED:
        return subscriber, False
    if subscriber.confirmation_sends >= CONFIRMATION_SENDS_MAX or (
        subscriber.confirmation_sent_at and now - subscriber.confirmation_sent_at < CONFIRMATION_RESEND_AFTER
    ):
        return subscriber, False
    subscriber.confirmation_sent_at = now
    subscriber.confirmation_sends += 1
    subscriber.save(update_fields=["confirmation_sent_at", "confirmation_sends"])
    job_enqueue(name="alerts.send_confirmation", payload={"subscriber": subscriber.pk, "base_url": base_url},
                max_attempts=DELIVERY_ATTEMPTS)
    return subscriber, True


@transaction.atomic
def subscriber_confirm(*, subscriber: Subscriber) -> Subscriber:
    subscriber = Subscriber.objects.select_for_update().get(pk=subscriber.pk)
    if subscriber.status == Subscriber.Status.CONFIRMED:
        return subscriber
    subscriber.status, subscriber.confirmed_at = Subscriber.Status.CONFIRMED, timezone.now()
    subscriber.save(update_fields=["status", "confirmed_at"])
    audit_record(action="update", obj=subscriber, detail={"event": "confirmed", "fields": ["status", "confirmed_at"]})
    return subscriber


@transaction.atomic
def subscriber_unsubscribe(*, subscriber: Subscriber) -> None:
    """Delete the subscriber: an address Haven no longer needs is not kept."""
    subscriber_id = subscriber.pk
    Subscriber.objects.filter(pk=subscriber_id).delete()
    Delivery.objects.filter(channel=Delivery.Channel.EMAIL, target_id=subscriber_id,
                            status=Delivery.Status.QUEUED).update(status=Delivery.Status.SKIPPED)
    audit_record(action="delete", object_type="alerts.subscriber", object_id=subscriber_id,
                 detail={"event": "unsubscribed"})


def subscribers_remove_unconfirmed(*, now=None) -> int:
    """Addresses never confirmed are deleted after a week."""
    cutoff = (now or timezone.now()) - UNCONFIRMED_KEPT_FOR
    removed = 0
    for subscriber_id in list(Subscriber.objects.filter(status=Subscriber.Status.PENDING, created_at__lt=cutoff)
                              .values_list("pk", flat=True)):
        with transaction.atomic():
            Subscriber.objects.filter(pk=subscriber_id).delete()
            audit_record(action="delete", object_type="alerts.subscriber", object_id=subscriber_id,
                         detail={"event": "never confirmed"})
        removed += 1
    return removed


# Webhooks ------------------------------------------------------------------------------------------


def _validate_webhook(webhook: Webhook) -> None:
    errors = {}
    if not webhook.name:
        errors["name"] = [_("Give the webhook a name.")]
    url = webhook.url or ""
    try:
        URLValidator(schemes=["http", "https"])(url)
    except ValidationError:
        errors["url"] = [_("Enter an address starting with https:// (or http://).")]
    else:
        parts = urlsplit(url)
        if parts.username or parts.password:
            errors["url"] = [_("Do not put a user name or password in the address: every delivery is signed.")]
    if errors:
        raise ValidationError(errors)


@transaction.atomic
def webhook_create(*, actor, name, url, active=True, request=None) -> tuple[Webhook, str]:
    """A new webhook and its signing secret (shown once to the person who made it)."""
    secret = secrets.token_urlsafe(WEBHOOK_SECRET_BYTES)
    webhook = Webhook(name=" ".join((name or "").split()), url=(url or "").strip(), secret=secret, active=active,
                      created_by=actor)
    _validate_webhook(webhook)
    webhook.save()
    audit_record(actor=actor, action="create", obj=webhook, request=request,
                 detail={"fields": ["name", "url", "secret", "active"]})
    return webhook, secret


@transaction.atomic
def webhook_update(*, actor, webhook: Webhook, request=None, rotate_secret=False, **changes) -> tuple[Webhook, str | None]:
    """Change a webhook; with `rotate_secret`, a new secret is made and returned (else None)."""
    unknown = sorted(set(changes) - {"name", "url", "active"})
    if unknown:
        raise TypeError(f"cannot change {', '.join(unknown)}")
    webhook = Webhook.objects.select_for_update().get(pk=webhook.pk)
    if "name" in changes:
        changes["name"] = " ".join((changes["name"] or "").split())
    if "url" in changes:
        changes["url"] = (changes["url"] or "").strip()
    changed = [field for field, value in changes.items() if getattr(webhook, field) != value]
    for field in changed:
        setattr(webhook, field, changes[field])
    _validate_webhook(webhook)
    secret = None
    if rotate_secret:
        secret = secrets.token_urlsafe(WEBHOOK_SECRET_BYTES)
        webhook.secret = secret
        changed.append("secret")
    if changed:
        webhook.save(update_fields=changed)
        audit_record(actor=actor, action="update", obj=webhook, request=request, detail={"fields": changed})
    return webhook, secret


# Deliveries (called by the worker) ------------------------------------------------------------------


@transaction.atomic
def deliveries_fan_out(*, alert_id: int, base_url: str) -> int:
    """One Delivery and one job per confirmed subscriber and active webhook; safe to run twice."""
    alert = Alert.objects.filter(pk=alert_id).first()
    if alert is None or alert.status != Alert.Status.PUBLISHED:
        return 0
    area_ids = list(alert.areas.values_list("pk", flat=True))
    subscribers = Subscriber.objects.filter(status=Subscriber.Status.CONFIRMED)
    if area_ids:
        subscribers = subscribers.filter(Q(areas__isnull=True) | Q(areas__in=area_ids))
    targets = [(Delivery.Channel.EMAIL, pk) for pk in subscribers.values_list("pk", flat=True).distinct()]
    targets += [(Delivery.Channel.WEBHOOK, pk) for pk in Webhook.objects.filter(active=True).values_list("pk", flat=True)]
    Delivery.objects.bulk_create([Delivery(alert=alert, channel=channel, target_id=target_id)
                                  for channel, target_id in targets], ignore_conflicts=True)
    queued = 0
    for delivery in Delivery.objects.filter(alert=alert, status=Delivery.Status.QUEUED).only("pk", "channel"):
        job_enqueue(name=f"alerts.deliver_{delivery.channel}", payload={"delivery": delivery.pk, "base_url": base_url},
                    unique_key=f"alerts.delivery:{delivery.pk}", max_attempts=DELIVERY_ATTEMPTS)
        queued += 1
    return queued


@transaction.atomic
def delivery_record(*, delivery: Delivery, ok: bool | None, error: str = "", status_code: int | None = None) -> Delivery:
    """The outcome of one attempt. `ok=None`: nothing to send any more (unsubscribed, expired).

    `error` is a short summary with no personal data (an exception's class, an HTTP status).
    """
    delivery = Delivery.objects.select_for_update().get(pk=delivery.pk)
    now = timezone.now()
    if ok is None:
        delivery.status = Delivery.Status.SKIPPED
    else:
        delivery.attempts += 1
        if ok:
            delivery.status, delivery.sent_at, delivery.last_error = Delivery.Status.SENT, now, ""
        else:
            delivery.last_error = error[:200]
            delivery.status = Delivery.Status.FAILED if delivery.attempts >= DELIVERY_ATTEMPTS else Delivery.Status.QUEUED
    delivery.save(update_fields=["status", "attempts", "sent_at", "last_error"])
    if delivery.channel == Delivery.Channel.WEBHOOK and ok is not None:
        Webhook.objects.filter(pk=delivery.target_id).update(
            last_delivery_at=now, last_status=Webhook.LastStatus.OK if ok else Webhook.LastStatus.FAILED,
            last_error="" if ok else error[:200])
    return delivery
