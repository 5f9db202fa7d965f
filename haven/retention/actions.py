"""Every write of the retention app: periods, legal holds, and the expiry the worker runs.

Legal holds are meant to be called by other apps too (the rights app's legal-requests log places a
hold when a request arrives and releases it when the matter closes): `hold_place(actor=, kind=,
object_id=, reason=)` and `hold_release(actor=, hold=)`. Both are audited.
"""

from __future__ import annotations

import datetime

from django.core.exceptions import PermissionDenied, ValidationError
from django.db import transaction
from django.utils import timezone
from django.utils.translation import gettext as _

from haven.core.audit import audit_record
from haven.core.models import AuditEvent
from haven.core.retention import kinds
from haven.retention import queries
from haven.retention.models import ExpiryRun, ExpiryState, LegalHold, RetentionSetting
from haven.retention.purge import purge_expected, purge_files, secure_delete

PERMISSION = "retention.manage"
MAX_DAYS = 36_500  # a hundred years: anything longer is a typing mistake
OBJECT_ID_MAX = 200
REASON_MAX = 2_000


def _require(actor) -> None:
    # actor None: the command line, run by whoever holds the server (as `haven backup` is).
    if actor is not None and not actor.has_role_permission(PERMISSION):
        raise PermissionDenied


def _kind(key):
    found = kinds().get(str(key or ""))
    if found is None:
        raise ValidationError({"kind": _("Unknown kind of record “%(kind)s”. Choose one of: %(kinds)s.")
                                       % {"kind": key, "kinds": ", ".join(kinds())}})
    return found


def parse_days(value) -> int:
    """A whole number of days from a form, the API or the command line; a clear error otherwise."""
    text = str(value).strip() if value is not None and not isinstance(value, bool) else ""
    if not text.lstrip("-").isdigit():
        raise ValidationError({"days": _("Give the period as a whole number of days, such as 366.")})
    days = int(text)
    if days < 0:
        raise ValidationError({"days": _("A period cannot be negative.")})
    if days > MAX_DAYS:
        raise ValidationError({"days": _("At most %(max)s days.") % {"max": MAX_DAYS}})
    return days


@transaction.atomic
def retention_set(*, actor, kind: str, days, request=None) -> RetentionSetting:
    """Set how long a kind of record keeps its identifying detail; refused below what reports need."""
    _require(actor)
    record_kind = _kind(kind)
    days = parse_days(days)
    if days < record_kind.minimum_days:
        raise ValidationError({"days": _("%(label)s must be kept at least %(minimum)s days. %(reason)s") % {
            "label": record_kind.label, "minimum": record_kind.minimum_days, "reason": record_kind.reason}})
    setting = RetentionSetting.objects.filter(kind=kind).first()
    before = setting.days if setting else record_kind.default_days
    if setting is None:
        setting = RetentionSetting(kind=kind, days=days)
    setting.days, setting.updated_at = days, timezone.now()
    setting.updated_by = actor
    setting.save()
    audit_record(actor=actor, action=AuditEvent.Action.UPDATE, object_type="retention.setting", object_id=kind,
                 request=request, detail={"days": days, "was": before})
    return setting


@transaction.atomic
def hold_place(*, actor, kind: str, object_id, reason: str, request=None) -> LegalHold:
    """Keep one record from expiring until the hold is released. Refused when it is already gone."""
    _require(actor)
    _kind(kind)
    object_id = str(object_id if object_id is not None else "").strip()
    if object_id.isdigit() and len(object_id) < 19:
        object_id = str(int(object_id))  # "0012" and "12" are the same record
    errors = {}
    if not object_id:
        errors["object_id"] = _("Name the record to hold (its number, or a backup's folder name).")
    elif len(object_id) > OBJECT_ID_MAX:
        errors["object_id"] = _("A record's name is at most %(max)s characters.") % {"max": OBJECT_ID_MAX}
    reason = (reason or "").strip()
    if not reason:
        errors["reason"] = _("Say why the record is held (the request or order), so that someone can tell "
                             "when to release it.")
    elif len(reason) > REASON_MAX:
        errors["reason"] = _("At most %(max)s characters.") % {"max": REASON_MAX}
    if errors:
        raise ValidationError(errors)
    if queries.record_gone(kind, object_id):
        raise ValidationError({"object_id": _("There is no %(label)s record %(id)s with its detail still kept: "
                                              "it has already expired or never existed, so there is nothing to "
                                              "hold.") % {"label": _kind(kind).label, "id": object_id}})
    hold = LegalHold.objects.create(kind=kind, object_id=object_id, reason=reason, placed_by=actor)
    audit_record(actor=actor, action=AuditEvent.Action.CREATE, obj=hold, request=request,
                 detail={"event": "legal hold placed", "kind": kind, "record": object_id})
    return hold


@transaction.atomic
def hold_release(*, actor, hold: LegalHold, request=None) -> LegalHold:
    """End a hold. If the record's time has passed and no other hold keeps it, it expires now."""
    _require(actor)
    hold = LegalHold.objects.select_for_update().get(pk=hold.pk)
    if hold.released_at is not None:
        raise ValidationError(_("This hold was already released."))
    hold.released_at, hold.released_by = timezone.now(), actor
    hold.save(update_fields=["released_at", "released_by"])
    expired = 0
    record_kind = kinds().get(hold.kind)
    state = ExpiryState.objects.filter(kind=hold.kind).first()
    still_held = hold.object_id in queries.held_ids(hold.kind)
    if record_kind and state and state.expired_before and not still_held:
        moment = record_kind.moment_of(hold.object_id)
        if moment is not None and moment < state.expired_before:
            with secure_delete():
                expired = record_kind.expire(before=state.expired_before, held=set(), only=hold.object_id)
    audit_record(actor=actor, action=AuditEvent.Action.UPDATE, obj=hold, request=request,
                 detail={"event": "legal hold released", "kind": hold.kind, "record": hold.object_id,
                         "expired_now": expired})
    return hold


def retention_expire(*, now: datetime.datetime | None = None, only_kinds=None, actor=None) -> list[ExpiryRun]:
    """Expire every kind's records older than its period (the worker's job, or `haven retention run`).

    `now` moves the clock (tests fast-forward it); the kinds commit in their own batches, so a
    long first run never holds the write lock for long, and a run that stops half-way is finished
    by the next (expiry is idempotent). Then the files are purged (purge.py)."""
    _require(actor)
    started = timezone.now()
    now = now or started
    runs, tables = [], []
    for key, record_kind in kinds().items():
        if only_kinds and key not in only_kinds:
            continue
        cutoff = now - datetime.timedelta(days=queries.days_for(key))
        state, _created = ExpiryState.objects.get_or_create(kind=key)
        held = queries.held_ids(key)
        since = min(state.expired_before, cutoff) if state.expired_before else None
        run = ExpiryRun(kind=key, started_at=timezone.now(), cutoff=cutoff, held=len(held))
        # Read before the run: a record added while it runs has a higher id, and is done next time.
        newest = record_kind.newest_id() if record_kind.newest_id else None
        with secure_delete():
            run.records = record_kind.expire(before=cutoff, held=held, since=since,
                                             above_id=state.newest_id if since is not None else None)
        with transaction.atomic():
            state.expired_before = max(filter(None, [state.expired_before, cutoff]))
            state.checked_at = started
            state.newest_id = newest
            state.save()
            run.finished_at = timezone.now()
            # A run that changed nothing (most hours) leaves no row and no audit entry: the
            # state's checked_at says it ran.
            if run.records:
                run.save()
                audit_record(actor=actor, action=AuditEvent.Action.DELETE, object_type="retention.expiry",
                             object_id=key, detail={"records": run.records, "held": run.held,
                                                    "cutoff": cutoff.isoformat(timespec="seconds")})
        if run.records:
            tables += [model._meta.db_table for model in record_kind.models()]
        runs.append(run)
    changed = [run for run in runs if run.records]
    if changed:
        # The note is written first, so that the purge is the run's last write (on SQLite the
        # checkpoint then leaves an empty log); it is corrected if the purge fell short.
        expected = purge_expected(tables)
        ExpiryRun.objects.filter(pk__in=[run.pk for run in changed]).update(purge=expected[:200])
        note = purge_files(tables)
        if note != expected:
            ExpiryRun.objects.filter(pk__in=[run.pk for run in changed]).update(purge=note[:200])
        for run in changed:
            run.purge = note[:200]
    return runs
