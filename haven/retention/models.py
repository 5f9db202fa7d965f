"""Retention: how long each kind of record keeps its identifying detail, legal holds, and the runs.

The kinds themselves (what expires, the minimum and why) are declared by each app in its
`retention.py` (haven.core.retention). Only haven.retention.actions writes these rows.
"""

from django.conf import settings
from django.db import models
from django.utils import timezone
from django.utils.translation import gettext_lazy as _

from haven.core.fields import EncryptedTextField


class RetentionSetting(models.Model):
    """The period an admin chose for a kind (no row: the kind's default), and how far expiry has gone."""

    kind = models.CharField(max_length=60, unique=True)
    days = models.PositiveIntegerField(_("days"))
    updated_at = models.DateTimeField(default=timezone.now)
    updated_by = models.ForeignKey(settings.AUTH_USER_MODEL, null=True, blank=True, on_delete=models.SET_NULL,
                                   related_name="+")

    def __str__(self):
        return f"{self.kind}: {self.days} days"


class ExpiryState(models.Model):
    """Per kind: every record before `expired_before` that existed at `checked_at` (id up to
    `newest_id`) has expired, but those under a legal hold (which expire when it is released)."""

    kind = models.CharField(max_length=60, unique=True)
    expired_before = models.DateTimeField(null=True, blank=True)
    checked_at = models.DateTimeField(null=True, blank=True)
    newest_id = models.BigIntegerField(null=True, blank=True)  # the kind's newest id when that run began

    def __str__(self):
        return f"{self.kind} expired before {self.expired_before}"


class ExpiryRun(models.Model):
    """One kind's expiry by the worker or an admin: when, up to when, how many records, how purged."""

    kind = models.CharField(max_length=60)
    started_at = models.DateTimeField(default=timezone.now)
    finished_at = models.DateTimeField(null=True, blank=True)
    cutoff = models.DateTimeField()
    records = models.PositiveIntegerField(default=0)
    held = models.PositiveIntegerField(default=0)
    purge = models.CharField(max_length=200, blank=True)  # what was done to the files: "checkpoint", "vacuum ..."

    class Meta:
        ordering = ["-started_at", "-pk"]
        indexes = [models.Index(fields=["kind", "started_at"])]

    def __str__(self):
        return f"{self.kind} run at {self.started_at}"


class LegalHold(models.Model):
    """A record that must not expire (a subpoena, a court order, a complaint), until released.

    The record is named by its kind and id as text (a backup's id is its folder name)."""

    kind = models.CharField(_("kind of record"), max_length=60)
    object_id = models.CharField(_("record"), max_length=200)
    reason = EncryptedTextField(_("reason"))  # may name a case or a person: encrypted
    placed_at = models.DateTimeField(default=timezone.now)
    placed_by = models.ForeignKey(settings.AUTH_USER_MODEL, null=True, blank=True, on_delete=models.SET_NULL,
                                  related_name="+")
    released_at = models.DateTimeField(null=True, blank=True)
    released_by = models.ForeignKey(settings.AUTH_USER_MODEL, null=True, blank=True, on_delete=models.SET_NULL,
                                    related_name="+")

    class Meta:
        ordering = ["-placed_at", "-pk"]
        indexes = [models.Index(fields=["kind", "object_id"])]
        verbose_name = _("legal hold")

    def __str__(self):
        return f"hold {self.pk} on {self.kind} {self.object_id}"

    @property
    def active(self) -> bool:
        return self.released_at is None
