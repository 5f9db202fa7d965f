"""Core records: the audit log, the job queue, and key check values."""

from __future__ import annotations

from django.db import models
from django.utils import timezone
from django.utils.translation import gettext_lazy as _


class AuditEvent(models.Model):
    """One entry of the append-only audit log, chained to the previous entry by a keyed digest.

    The actor is stored as an id and a name snapshot, not a foreign key: the log must outlive
    accounts and never be changed by a cascade. `detail` holds field names and ids, never the
    values of personal data.
    """

    class Action(models.TextChoices):
        CREATE = "create", _("created")
        UPDATE = "update", _("changed")
        DELETE = "delete", _("deleted")
        VIEW = "view", _("viewed")
        MERGE = "merge", _("merged")
        EXPORT = "export", _("exported")
        LOGIN = "login", _("signed in")
        LOGOUT = "logout", _("signed out")
        LOGIN_FAILED = "login_failed", _("failed to sign in")
        SECURITY = "security", _("security change")
        IMPORT = "import", _("imported")
        REVIEW = "review", _("reviewed")
        VOID = "void", _("voided")
        STOCK_RECEIVE = "stock_receive", _("received stock")
        STOCK_TRANSFER = "stock_transfer", _("transferred stock")
        STOCK_ADJUST = "stock_adjust", _("adjusted stock")
        STOCK_DISPOSE = "stock_dispose", _("disposed of stock")
        STOCK_RETURN = "stock_return", _("returned stock")
        STOCK_SHORTFALL = "stock_shortfall", _("recorded a shortfall")
        SHORTFALL_RESOLVE = "shortfall_resolve", _("resolved a shortfall")
        BALANCE_REBUILD = "balance_rebuild", _("rebuilt stock balances")

    sequence = models.PositiveBigIntegerField(unique=True)
    at = models.DateTimeField(default=timezone.now, db_index=True)
    actor_id = models.PositiveBigIntegerField(null=True, blank=True)
    actor_label = models.CharField(max_length=150, blank=True)
    action = models.CharField(max_length=20, choices=Action.choices)
    object_type = models.CharField(max_length=100, blank=True)
    object_id = models.CharField(max_length=64, blank=True)
    ip_address = models.GenericIPAddressField(null=True, blank=True)
    detail = models.JSONField(default=dict, blank=True)
    previous_digest = models.CharField(max_length=64)
    digest = models.CharField(max_length=64)

    class Meta:
        ordering = ["sequence"]
        indexes = [models.Index(fields=["object_type", "object_id"])]

    def __str__(self):
        return f"#{self.sequence} {self.actor_label or 'system'} {self.action} {self.object_type}:{self.object_id}"


class KeyCheck(models.Model):
    """A check value per key kind, so Haven can tell at start-up that the right keys are present.

    It is an HMAC of a fixed label, not the key: the key cannot be derived from it.
    """

    purpose = models.CharField(max_length=40, unique=True)
    check_value = models.CharField(max_length=32)
    created_at = models.DateTimeField(default=timezone.now)

    def __str__(self):
        return self.purpose


class Job(models.Model):
    """A unit of background work. The database is the queue: no broker needed."""

    class Status(models.TextChoices):
        QUEUED = "queued", _("queued")
        RUNNING = "running", _("running")
        DONE = "done", _("done")
        FAILED = "failed", _("failed")

    name = models.CharField(max_length=100)
    payload = models.JSONField(default=dict, blank=True)
    run_at = models.DateTimeField(default=timezone.now)
    status = models.CharField(max_length=10, choices=Status.choices, default=Status.QUEUED)
    attempts = models.PositiveIntegerField(default=0)
    max_attempts = models.PositiveIntegerField(default=5)
    locked_by = models.CharField(max_length=64, blank=True)
    locked_until = models.DateTimeField(null=True, blank=True)
    last_error = models.TextField(blank=True)
    unique_key = models.CharField(max_length=200, null=True, blank=True, unique=True)
    created_at = models.DateTimeField(default=timezone.now)
    finished_at = models.DateTimeField(null=True, blank=True)

    class Meta:
        indexes = [models.Index(fields=["status", "run_at"])]

    def __str__(self):
        return f"{self.name} ({self.status})"


class PeriodicJobState(models.Model):
    """When each scheduled job last ran and is next due; a lease stops two workers running it twice."""

    name = models.CharField(max_length=100, unique=True)
    next_run_at = models.DateTimeField(default=timezone.now)
    locked_by = models.CharField(max_length=64, blank=True)
    locked_until = models.DateTimeField(null=True, blank=True)
    last_started_at = models.DateTimeField(null=True, blank=True)
    last_finished_at = models.DateTimeField(null=True, blank=True)
    last_status = models.CharField(max_length=10, blank=True)
    last_error = models.TextField(blank=True)

    def __str__(self):
        return self.name
