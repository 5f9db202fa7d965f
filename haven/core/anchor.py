"""The audit chain's head, anchored outside the database.

The chain (haven/core/audit.py) detects an edited or deleted entry in the middle, but a shorter
chain is still a valid chain: deleting the newest entries, wiping the table after dropping its
triggers, or putting back an older copy of the database all leave a log that verifies on its own.
So the head (newest sequence number and digest) is also kept in the data folder's `keys/`, signed
with the audit key: `keys/audit_head.json`, rewritten atomically after every commit that appends
an entry, and every minute by the worker. Someone who can change the database but not the key
folder cannot move it back. It can also be e-mailed or posted to a webhook once a day, to keep a
copy that no one on the server can change.
"""

from __future__ import annotations

import datetime
import fcntl
import hmac
import json
import logging
import os
from dataclasses import dataclass
from pathlib import Path

from haven import conf
from haven.core import crypto, keys

logger = logging.getLogger("haven.audit")

HEAD_FILE = "audit_head.json"
_LOCK_FILE = ".audit_head.lock"
_SIGNATURE_PURPOSE = "audit head"

# The append-only triggers of migration core 0002, by database.
TRIGGERS = {
    "sqlite": ("core_auditevent_no_update", "core_auditevent_no_delete"),
    "postgresql": ("core_auditevent_append_only",),
}


class AnchorError(conf.ConfigError):
    """The head file is there but cannot be trusted (unreadable, or its signature is wrong)."""


@dataclass(frozen=True)
class Head:
    sequence: int
    digest: str
    anchored_at: str

    @property
    def text(self) -> str:
        return f"{self.sequence}:{self.digest}"


def head_path() -> Path:
    return conf.keys_dir() / HEAD_FILE


def _signature(sequence: int, digest: str, anchored_at: str, key: bytes) -> str:
    return crypto.blind_index(f"{sequence}:{digest}:{anchored_at}", key=key, purpose=_SIGNATURE_PURPOSE)


def head_document(sequence: int, digest: str, *, key: bytes | None = None) -> bytes:
    """The signed head file's content for this head."""
    anchored_at = datetime.datetime.now(datetime.UTC).isoformat(timespec="seconds")
    signature = _signature(sequence, digest, anchored_at, key or keys.audit_key())
    document = {"sequence": sequence, "digest": digest, "anchored_at": anchored_at, "signature": signature}
    return json.dumps(document, indent=2).encode()


def head_parse(content: bytes, *, origin: str, key: bytes | None = None) -> Head:
    try:
        document = json.loads(content)
        head = Head(
            sequence=int(document["sequence"]),
            digest=str(document["digest"]),
            anchored_at=str(document["anchored_at"]),
        )
        signature = str(document["signature"])
    except (ValueError, KeyError, TypeError):
        raise AnchorError(
            f"The anchored audit head {origin} is not readable: it was damaged or replaced."
        ) from None
    expected = _signature(head.sequence, head.digest, head.anchored_at, key or keys.audit_key())
    if not hmac.compare_digest(expected, signature):
        raise AnchorError(f"The anchored audit head {origin} has a wrong signature: it was changed by hand.")
    return head


def _read(path: Path) -> Head | None:
    try:
        content = path.read_bytes()
    except FileNotFoundError:
        return None
    return head_parse(content, origin=str(path))


def _locked(path: Path, operation: int) -> int:
    path.parent.mkdir(parents=True, exist_ok=True, mode=0o700)
    fd = os.open(path.parent / _LOCK_FILE, os.O_RDWR | os.O_CREAT, 0o600)
    fcntl.flock(fd, operation)
    return fd  # closing it releases the lock


def head_read(path: Path | None = None) -> Head | None:
    """The anchored head, None if nothing was anchored yet; AnchorError if it cannot be trusted."""
    path = path or head_path()
    if not path.exists():
        return None
    fd = _locked(path, fcntl.LOCK_SH)  # appends rewrite the file in place
    try:
        return _read(path)
    finally:
        os.close(fd)


def head_write(sequence: int, digest: str, *, sync: bool = True) -> bool:
    """Anchor this head unless a newer one is anchored already; True if the file was written.

    Commits can finish out of order (threads, the worker): a lock and the comparison keep the file
    moving forward only. Appends rewrite it in place without fsync (an atomic rename and fsync cost
    3-10 ms per audited action); the worker's job every minute writes it durably."""
    path = head_path()
    fd = _locked(path, fcntl.LOCK_EX)
    try:
        try:
            current = _read(path)
        except AnchorError:
            current = None  # reported by `haven audit verify` until a good head replaces it
        if current is not None and current.sequence >= sequence:
            return False
        if current is not None and not _database_holds(current):
            # The anchored entry is gone or different (a restored older copy written to since, a
            # replaced log): keep the old head, so that `haven audit verify` goes on saying so.
            logger.error(
                "The audit log no longer holds the anchored head %s: not moving it (run `haven audit "
                "verify`).",
                current.sequence,
            )
            return False
        content = head_document(sequence, digest)
        if sync or current is None:
            conf.write_private_file(path, content)  # a new file, atomically, durably
        else:
            # In place, under the lock that readers take too: a rename costs an implicit flush on ext4.
            out = os.open(path, os.O_WRONLY)
            try:
                os.pwrite(out, content, 0)
                os.ftruncate(out, len(content))
            finally:
                os.close(out)
        return True
    finally:
        os.close(fd)  # releases the lock


def _database_holds(head: Head) -> bool:
    from haven.core.models import AuditEvent

    return AuditEvent.objects.filter(sequence=head.sequence, digest=head.digest).exists()


def anchor_on_commit(sequence: int, digest: str) -> None:
    """Called by audit_record inside its transaction: anchor the new head once it is committed."""
    from django.db import transaction

    transaction.on_commit(lambda: _anchor_quietly(sequence, digest))


def _anchor_quietly(sequence: int, digest: str) -> None:
    # The entry is committed already: a key folder that cannot be written must not fail the request.
    # The worker tries again every minute, and `haven check` and `haven audit verify` tell.
    try:
        head_write(sequence, digest, sync=False)
    except OSError as error:
        logger.warning("Could not anchor the audit head in %s: %s", head_path(), error.strerror or error)


def database_head() -> tuple[int, str] | None:
    from haven.core.models import AuditEvent

    last = AuditEvent.objects.order_by("-sequence").values_list("sequence", "digest").first()
    return (last[0], last[1]) if last else None


def anchor_current() -> bool:
    """Anchor the database's current head, durably (the worker's job every minute)."""
    head = database_head()
    if head is None:
        return False
    written = head_write(*head)
    if not written:
        # Already anchored by the append, perhaps without fsync: make that version durable.
        path = head_path()
        if path.exists():
            fd = os.open(path, os.O_RDONLY)
            try:
                os.fsync(fd)
            finally:
                os.close(fd)
    return written


def head_problems(head: Head, *, origin: str) -> list[str]:
    """What is wrong with the database's audit log, compared with an anchored head."""
    from haven.core.models import AuditEvent

    current = database_head()
    if current is None:
        return [
            f"the audit log is empty, but {head.sequence} entries were anchored in {origin}: "
            "the table was wiped, or an empty database was put in its place"
        ]
    if current[0] < head.sequence:
        return [
            f"entries {current[0] + 1} to {head.sequence} are missing: the newest entries were deleted, or "
            f"an older copy of the database was restored (head anchored in {origin})"
        ]
    digest = AuditEvent.objects.filter(sequence=head.sequence).values_list("digest", flat=True).first()
    if digest is None:
        return [f"entry {head.sequence}, anchored in {origin}, is gone (deleted)"]
    if digest != head.digest:
        return [
            f"entry {head.sequence} is not the one anchored in {origin}: the log was replaced, or an older "
            "copy of the database was restored and written to since"
        ]
    return []


def audit_triggers_missing(connection) -> list[str]:
    """The append-only triggers that should be on the audit table but are not (none if not migrated yet)."""
    wanted = TRIGGERS.get(connection.vendor)
    if not wanted:
        return []
    tables = connection.introspection.table_names()
    if "core_auditevent" not in tables:
        return []
    with connection.cursor() as cursor:
        if connection.vendor == "sqlite":
            cursor.execute(
                "SELECT name FROM sqlite_master WHERE type = 'trigger' AND tbl_name = 'core_auditevent'"
            )
        else:
            cursor.execute(
                "SELECT tgname FROM pg_trigger WHERE tgrelid = 'core_auditevent'::regclass "
                "AND NOT tgisinternal"
            )
        present = {row[0] for row in cursor.fetchall()}
    return [name for name in wanted if name not in present]


def audit_triggers_install(connection) -> None:
    """Put the append-only triggers back (after someone removed them)."""
    import importlib

    migration = importlib.import_module("haven.core.migrations.0002_audit_append_only")
    statements = {
        "sqlite": migration.SQLITE_DROP + migration.SQLITE_CREATE,
        "postgresql": migration.POSTGRES_DROP + migration.POSTGRES_CREATE,
    }.get(connection.vendor, [])
    with connection.cursor() as cursor:
        for statement in statements:
            cursor.execute(statement)


# Sending the head away once a day -------------------------------------------------------------


def anchor_message(head: Head, program: str) -> str:
    return (
        f"The audit log of {program} had {head.sequence} entries at {head.anchored_at}.\n\n"
        f"Head: {head.text}\n\n"
        "Keep this message. If the server is ever in doubt (a restored backup, a suspected intrusion), run\n"
        f"    haven audit verify --expect-head {head.text}\n"
        "to check that no entry up to this one was deleted or changed.\n"
    )


def anchor_send() -> list[str]:
    """E-mail the anchored head and/or post it to a webhook, as configured; what was done."""
    from django.conf import settings

    anchor_current()
    head = head_read()
    if head is None:
        return []
    done = []
    program = settings.HAVEN_PROGRAM_NAME
    if settings.HAVEN_AUDIT_ANCHOR_EMAIL:
        from django.core.mail import send_mail

        send_mail(
            f"{program}: audit log head {head.sequence}",
            anchor_message(head, program),
            None,
            settings.HAVEN_AUDIT_ANCHOR_EMAIL,
        )
        done.append("email")
    if settings.HAVEN_AUDIT_ANCHOR_WEBHOOK:
        import urllib.request

        body = json.dumps(
            {
                "event": "audit.head",
                "program": program,
                "sequence": head.sequence,
                "digest": head.digest,
                "anchored_at": head.anchored_at,
            }
        ).encode()
        request = urllib.request.Request(
            settings.HAVEN_AUDIT_ANCHOR_WEBHOOK,
            data=body,
            method="POST",
            headers={"Content-Type": "application/json", "X-Haven-Event": "audit.head"},
        )
        with urllib.request.urlopen(request, timeout=15) as response:
            if not 200 <= response.status < 300:
                raise OSError(f"the audit head webhook answered HTTP {response.status}")
        done.append("webhook")
    return done
