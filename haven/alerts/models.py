"""Public alerts: drafted by rules (overdose spikes, drug checking) or by staff, reviewed, published.

An alert's `context` is what a reviewer needs to judge it (counts, baseline, method, related
findings); it is shown to staff only and never leaves Haven. What is published (title, body,
severity, substances, areas, dates) goes out through every channel: the public page, the Atom
feed, e-mail to subscribers and signed webhooks.
"""

from django.conf import settings
from django.db import models
from django.utils import timezone
from django.utils.translation import gettext_lazy as _

from haven.core.fields import BlindIndexField, EncryptedJSONField, EncryptedTextField

EMAIL_INDEX_PURPOSE = "alerts-subscriber-email"


class Alert(models.Model):
    class Severity(models.TextChoices):
        INFO = "info", _("Information")
        WARNING = "warning", _("Warning")
        URGENT = "urgent", _("Urgent")

    class SourceKind(models.TextChoices):
        OVERDOSE_SPIKE = "overdose_spike", _("Overdose spike")
        DRUG_CHECKING = "drug_checking", _("Drug checking")
        MANUAL = "manual", _("Written by staff")

    class Status(models.TextChoices):
        DRAFT = "draft", _("Draft")
        REVIEWED = "reviewed", _("Reviewed")
        PUBLISHED = "published", _("Published")
        EXPIRED = "expired", _("Expired")
        DISMISSED = "dismissed", _("Dismissed")

    # Encrypted while they wait for review, like every text a person writes: a draft may quote what
    # someone said before the screener and a reviewer take it out (searched and sorted in Python only).
    title = EncryptedTextField(_("title"), max_length=200)
    body = EncryptedTextField(_("text"), blank=True)
    severity = models.CharField(_("severity"), max_length=10, choices=Severity.choices, default=Severity.WARNING)
    substances = EncryptedJSONField(_("substances"), default=list, blank=True)
    areas = models.ManyToManyField("places.Area", verbose_name=_("areas"), blank=True, related_name="+")

    # One source event (a spike, a notable sample) makes one alert: the rule that drafts it names it.
    source_kind = models.CharField(_("source"), max_length=20, choices=SourceKind.choices,
                                   default=SourceKind.MANUAL)
    source_key = models.CharField(_("source key"), max_length=200)
    # For reviewers only: never published. Encrypted, as it quotes what reports said (substances).
    context = EncryptedJSONField(_("context"), default=dict, blank=True)

    status = models.CharField(_("status"), max_length=10, choices=Status.choices, default=Status.DRAFT,
                              db_index=True)
    created_at = models.DateTimeField(_("drafted"), default=timezone.now)
    created_by = models.ForeignKey(settings.AUTH_USER_MODEL, null=True, blank=True, on_delete=models.SET_NULL,
                                   related_name="+")
    updated_at = models.DateTimeField(_("last updated"), default=timezone.now)
    reviewed_at = models.DateTimeField(_("reviewed"), null=True, blank=True)
    reviewed_by = models.ForeignKey(settings.AUTH_USER_MODEL, null=True, blank=True, on_delete=models.SET_NULL,
                                    related_name="+")
    published_at = models.DateTimeField(_("published"), null=True, blank=True)
    published_by = models.ForeignKey(settings.AUTH_USER_MODEL, null=True, blank=True, on_delete=models.SET_NULL,
                                     related_name="+")
    expires_at = models.DateTimeField(_("expires"), null=True, blank=True)
    expired_at = models.DateTimeField(_("expired"), null=True, blank=True)
    dismissed_at = models.DateTimeField(_("dismissed"), null=True, blank=True)
    dismissed_by = models.ForeignKey(settings.AUTH_USER_MODEL, null=True, blank=True, on_delete=models.SET_NULL,
                                     related_name="+")
    dismiss_reason = EncryptedTextField(_("why it was dismissed"), blank=True)

    # Publishing despite a finding of the language checker needs a recorded reason.
    language_override_reason = EncryptedTextField(_("language check override"), blank=True)
    language_override_by = models.ForeignKey(settings.AUTH_USER_MODEL, null=True, blank=True,
                                             on_delete=models.SET_NULL, related_name="+")
    language_override_rules = models.JSONField(default=list, blank=True)

    class Meta:
        ordering = ["-published_at", "-created_at"]
        verbose_name = _("alert")
        verbose_name_plural = _("alerts")
        constraints = [
            models.UniqueConstraint(fields=["source_kind", "source_key"], name="alerts_one_alert_per_source"),
        ]
        indexes = [models.Index(fields=["status", "expires_at"])]

    def __str__(self):
        return self.title

    def is_public(self, now=None) -> bool:
        """Published and not past its expiry (the expiry job may not have run yet)."""
        now = now or timezone.now()
        return self.status == self.Status.PUBLISHED and (self.expires_at is None or self.expires_at > now)

    @property
    def is_open(self) -> bool:
        """Still a draft or reviewed: can be edited, published or dismissed."""
        return self.status in {self.Status.DRAFT, self.Status.REVIEWED}


class Subscriber(models.Model):
    """A person who asked for alerts by e-mail. The address is encrypted; its blind index finds it."""

    class Status(models.TextChoices):
        PENDING = "pending", _("Waiting for confirmation")
        CONFIRMED = "confirmed", _("Confirmed")

    email = EncryptedTextField(_("e-mail address"))
    email_index = BlindIndexField(unique=True)
    status = models.CharField(_("status"), max_length=10, choices=Status.choices, default=Status.PENDING)
    # Empty: every alert. Otherwise alerts for these areas, and alerts that name no area.
    areas = models.ManyToManyField("places.Area", verbose_name=_("areas"), blank=True, related_name="+")
    created_at = models.DateTimeField(_("subscribed"), default=timezone.now)
    confirmed_at = models.DateTimeField(_("confirmed"), null=True, blank=True)
    confirmation_sent_at = models.DateTimeField(null=True, blank=True)
    confirmation_sends = models.PositiveSmallIntegerField(default=0)

    class Meta:
        ordering = ["created_at"]
        verbose_name = _("subscriber")
        verbose_name_plural = _("subscribers")

    def __str__(self):
        return f"subscriber {self.pk}"


class Webhook(models.Model):
    """A partner system that receives each published alert as signed JSON."""

    class LastStatus(models.TextChoices):
        NONE = "", _("Nothing sent yet")
        OK = "ok", _("Delivered")
        FAILED = "failed", _("Failed")

    name = models.CharField(_("name"), max_length=120)
    url = models.URLField(_("address (URL)"), max_length=500)
    # Needed in clear to sign each delivery, so it is encrypted rather than hashed.
    secret = EncryptedTextField(_("signing secret"))
    active = models.BooleanField(_("active"), default=True)
    created_at = models.DateTimeField(_("added"), default=timezone.now)
    created_by = models.ForeignKey(settings.AUTH_USER_MODEL, null=True, blank=True, on_delete=models.SET_NULL,
                                   related_name="+")
    last_delivery_at = models.DateTimeField(_("last delivery"), null=True, blank=True)
    last_status = models.CharField(_("last delivery status"), max_length=10, choices=LastStatus.choices,
                                   blank=True)
    last_error = models.CharField(_("last error"), max_length=200, blank=True)

    class Meta:
        ordering = ["name"]
        verbose_name = _("webhook")
        verbose_name_plural = _("webhooks")

    def __str__(self):
        return self.name


class Delivery(models.Model):
    """One alert sent to one subscriber or webhook. Holds ids only: never an e-mail address."""

    class Channel(models.TextChoices):
        EMAIL = "email", _("E-mail")
        WEBHOOK = "webhook", _("Webhook")

    class Status(models.TextChoices):
        QUEUED = "queued", _("Queued")
        SENT = "sent", _("Sent")
        FAILED = "failed", _("Failed")
        SKIPPED = "skipped", _("Not sent")

    alert = models.ForeignKey(Alert, on_delete=models.CASCADE, related_name="deliveries")
    channel = models.CharField(max_length=10, choices=Channel.choices)
    target_id = models.PositiveBigIntegerField()
    status = models.CharField(max_length=10, choices=Status.choices, default=Status.QUEUED)
    attempts = models.PositiveIntegerField(default=0)
    last_error = models.CharField(max_length=200, blank=True)
    created_at = models.DateTimeField(default=timezone.now)
    sent_at = models.DateTimeField(null=True, blank=True)

    class Meta:
        constraints = [
            models.UniqueConstraint(fields=["alert", "channel", "target_id"], name="alerts_one_delivery_per_target"),
        ]

    def __str__(self):
        return f"{self.channel} {self.target_id} for alert {self.alert_id}"
