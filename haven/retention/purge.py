"""Making deleted detail really gone from the database's files, after an expiry run.

SQLite keeps deleted bytes in free pages and the old versions of changed pages in its write-ahead
log until a checkpoint. The expiry runs with `secure_delete` on (freed space is overwritten with
zeros), then a TRUNCATE checkpoint copies every page back into the database file and cuts the log
to nothing. PostgreSQL keeps old row versions until VACUUM marks their space free; VACUUM (not
FULL, which locks the table) is run on every table an expiry changed. The space is then reused by
new rows; the bytes may stay on disk until then, which is why backups and the disk itself must be
encrypted as well (docs/PRIVACY.md).
"""

from __future__ import annotations

from contextlib import contextmanager

from django.db import connection


@contextmanager
def secure_delete():
    """On SQLite, overwrite what is deleted or rewritten with zeros while the block runs."""
    if connection.vendor != "sqlite":
        yield
        return
    with connection.cursor() as cursor:
        cursor.execute("PRAGMA secure_delete")
        before = cursor.fetchone()[0]
        cursor.execute("PRAGMA secure_delete = ON")
    try:
        yield
    finally:
        with connection.cursor() as cursor:
            cursor.execute(f"PRAGMA secure_delete = {int(before)}")


CHECKPOINTED = "checkpoint (TRUNCATE)"


def purge_expected(tables: list[str]) -> str:
    """What `purge_files` will say when all goes well."""
    if connection.in_atomic_block:
        return "purge skipped: inside a transaction"
    if connection.vendor == "sqlite":
        return CHECKPOINTED
    return "vacuum " + ", ".join(sorted(set(tables))) if tables else ""


def purge_files(tables: list[str]) -> str:
    """Checkpoint (SQLite) or VACUUM `tables` (PostgreSQL); a short note of what was done."""
    if connection.in_atomic_block:
        # Inside a transaction (a test, or a caller's own): the caller purges after committing.
        return "purge skipped: inside a transaction"
    if connection.vendor == "sqlite":
        with connection.cursor() as cursor:
            cursor.execute("PRAGMA wal_checkpoint(TRUNCATE)")
            busy, _log, _done = cursor.fetchone()
        return CHECKPOINTED if not busy else "checkpoint incomplete: a reader was busy"
    if connection.vendor == "postgresql":
        if not tables:
            return ""
        with connection.cursor() as cursor:
            for table in sorted(set(tables)):
                cursor.execute(f"VACUUM {connection.ops.quote_name(table)}")
        return "vacuum " + ", ".join(sorted(set(tables)))
    return ""
