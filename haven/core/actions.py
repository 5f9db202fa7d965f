"""Every write of the core app: key set-up and rotation, and queueing background jobs."""

from __future__ import annotations

import datetime

from django.db import DatabaseError, transaction
from django.utils import timezone

from haven import conf
from haven.core import crypto, keys
from haven.core.audit import audit_record
from haven.core.models import Job, KeyCheck
from haven.core.privacy import encrypted_fields


def current_key_checks() -> dict[str, str]:
    ring = keys.encryption_keyring()
    checks = {f"encryption:{key_id}": crypto.fingerprint(key, purpose="encryption") for key_id, key in ring.keys.items()}
    checks["blind_index"] = crypto.fingerprint(keys.blind_index_key(), purpose="blind_index")
    checks["audit"] = crypto.fingerprint(keys.audit_key(), purpose="audit")
    return checks


def key_problems() -> list[str]:
    """Keys that differ from the ones this database was made with (empty when all is well)."""
    try:
        current = current_key_checks()
    except conf.ConfigError as error:
        return [str(error)]
    problems = []
    for check in KeyCheck.objects.all():
        if check.purpose not in current:
            if check.purpose.startswith("encryption:"):
                problems.append(
                    f"The encryption key {check.purpose.split(':', 1)[1]!r} is no longer in the keyring, "
                    "but this database was written with it."
                )
            continue
        if current[check.purpose] != check.check_value:
            problems.append(
                f"The {check.purpose.replace('_', ' ')} key is not the one this database was made with: "
                "restore the data folder's keys/ from your backup."
            )
    return problems


@transaction.atomic
def keychecks_record() -> None:
    """Remember which keys this database uses (check values, not keys)."""
    existing = set(KeyCheck.objects.values_list("purpose", flat=True))
    for purpose, value in current_key_checks().items():
        if purpose not in existing:
            KeyCheck.objects.create(purpose=purpose, check_value=value)


def keys_ensure() -> list[str]:
    """Create missing keys on a new installation; refuse when data already depends on them.

    Returns the paths of the files it created. Call after migrations have run.
    """
    missing = keys.missing_key_files()
    if missing:
        try:
            has_data = KeyCheck.objects.exists()
        except DatabaseError:
            has_data = False
        if has_data:
            raise keys.MissingKeyError(
                f"The key file {missing[0]} is missing, but this database holds data made with it. "
                "Restore the data folder's keys/ from your backup; Haven will not make a new key that "
                "cannot read what is stored."
            )
        created = [str(path) for path in keys.keys_create_missing()]
    else:
        created = []
    problems = key_problems()
    if problems:
        raise keys.MissingKeyError(problems[0])
    keychecks_record()
    return created


def keys_rotate(*, actor=None, retire_old: bool = False, batch_size: int = 500) -> dict:
    """Make a new primary encryption key and re-encrypt every encrypted column with it.

    Each batch is its own transaction, so a rotation interrupted halfway leaves every value
    readable (old keys stay in the keyring) and can simply be run again.
    """
    new_key_id = keys.keyring_add_primary()
    keychecks_record()
    rewritten = 0
    for model, field in encrypted_fields():
        queryset = model._base_manager.exclude(**{f"{field.attname}__isnull": True}).order_by("pk")
        last_pk = None
        while True:
            page = queryset if last_pk is None else queryset.filter(pk__gt=last_pk)
            rows = list(page.only("pk", field.attname)[:batch_size])
            if not rows:
                break
            with transaction.atomic():
                # Reading decrypts with the old key; saving encrypts with the new primary key.
                model._base_manager.bulk_update(rows, [field.attname])
            rewritten += len(rows)
            last_pk = rows[-1].pk
    retired = []
    if retire_old:
        retired = sorted(k for k in keys.encryption_keyring().keys if k != new_key_id)
        keys.keyring_remove(set(retired))
        KeyCheck.objects.filter(purpose__in=[f"encryption:{k}" for k in retired]).delete()
    audit_record(
        actor=actor,
        action="security",
        object_type="core.key",
        object_id=new_key_id,
        detail={"event": "encryption key rotated", "values_reencrypted": rewritten, "keys_retired": retired},
    )
    return {"key_id": new_key_id, "reencrypted": rewritten, "retired": retired}


def job_enqueue(*, name: str, payload: dict | None = None, run_at: datetime.datetime | None = None,
                unique_key: str | None = None, max_attempts: int = 5) -> Job:
    """Queue background work. With `unique_key`, queueing the same work twice gives one job."""
    from haven.core import worker

    if name not in worker.registered_jobs():
        raise ValueError(f"no job is registered as {name!r}")
    if unique_key:
        job, _ = Job.objects.get_or_create(
            unique_key=unique_key,
            defaults={"name": name, "payload": payload or {}, "run_at": run_at or timezone.now(),
                      "max_attempts": max_attempts},
        )
        return job
    return Job.objects.create(name=name, payload=payload or {}, run_at=run_at or timezone.now(),
                              max_attempts=max_attempts)
