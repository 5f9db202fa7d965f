"""Housekeeping that every installation needs, run by the worker (`haven worker`).

Old sign-in records and sessions hold usernames and addresses: keeping them no longer than
needed is part of collecting less.
"""

from __future__ import annotations

import datetime
from importlib import import_module

from django.conf import settings
from django.utils import timezone

from haven.core.models import Job
from haven.core.worker import periodic

# Sign-in records expire with the retention settings (accounts/retention.py, haven/retention).
KEEP_FINISHED_JOBS = datetime.timedelta(days=30)


@periodic("sessions.clear_expired", every=datetime.timedelta(hours=1))
def sessions_clear_expired():
    # What `manage.py clearsessions` does.
    import_module(settings.SESSION_ENGINE).SessionStore.clear_expired()


@periodic("jobs.remove_old_done", every=datetime.timedelta(days=1))
def jobs_remove_old_done():
    cutoff = timezone.now() - KEEP_FINISHED_JOBS
    Job.objects.filter(status=Job.Status.DONE, finished_at__lt=cutoff).delete()


@periodic("audit.anchor", every=datetime.timedelta(minutes=1))
def audit_anchor():
    # Appends anchor the head as they commit; this catches any that could not (see anchor.py).
    from haven.core.anchor import anchor_current

    anchor_current()


@periodic("audit.anchor_send", every=datetime.timedelta(days=1))
def audit_anchor_send():
    from haven.core.anchor import anchor_send

    anchor_send()


@periodic("backup.scheduled", every=datetime.timedelta(days=1), lease=datetime.timedelta(hours=2))
def backup_scheduled():
    """A daily backup into HAVEN_BACKUP_DIR, keeping the newest HAVEN_BACKUP_KEEP (haven/core/backup.py)."""
    if not settings.HAVEN_BACKUP_DIR:
        return
    from haven.core import backup

    passphrase = (
        backup.passphrase_from_file(settings.HAVEN_BACKUP_PASSPHRASE_FILE)
        if settings.HAVEN_BACKUP_PASSPHRASE_FILE
        else None
    )
    backup.backup_scheduled(
        folder=settings.HAVEN_BACKUP_DIR, keep=settings.HAVEN_BACKUP_KEEP, passphrase=passphrase
    )
