"""The audit log: record who did what to participant-level data, and verify the chain.

`audit_record` is called by actions inside their transaction, so an audited change and its
audit entry are written together or not at all.
"""

from __future__ import annotations

import datetime
import json
from dataclasses import dataclass

from django.db import connection, transaction
from django.utils import timezone

from haven.core import anchor, crypto, keys
from haven.core.models import AuditEvent
from haven.core.proxy import client_address  # noqa: F401  (imported from here by the apps)

GENESIS = "0" * 64
# Any fixed number: it names the advisory lock that serialises appends on PostgreSQL.
_POSTGRES_LOCK_ID = 0x4A5E17


def _payload(event: AuditEvent) -> bytes:
    at = event.at.astimezone(datetime.UTC).isoformat(timespec="microseconds")
    fields = [
        event.sequence,
        at,
        event.actor_id,
        event.actor_label,
        event.action,
        event.object_type,
        str(event.object_id),
        event.ip_address,
        event.detail,
    ]
    return json.dumps(fields, sort_keys=True, separators=(",", ":"), ensure_ascii=True).encode()


def audit_record(*, actor=None, action: str, obj=None, object_type: str = "", object_id="", request=None,
                 detail: dict | None = None) -> AuditEvent:
    """Append one entry. `detail` must hold ids and field names, never personal values."""
    if obj is not None:
        object_type = object_type or obj._meta.label_lower
        object_id = object_id or obj.pk
    if actor is None and request is not None and request.user.is_authenticated:
        actor = request.user
    # Part of the caller's transaction (no savepoint): the entry and the change it records commit or
    # roll back together.
    with transaction.atomic(savepoint=False):
        if connection.vendor == "postgresql":
            with connection.cursor() as cursor:
                cursor.execute("SELECT pg_advisory_xact_lock(%s)", [_POSTGRES_LOCK_ID])
        # On SQLite the IMMEDIATE transaction already holds the database's write lock.
        last = AuditEvent.objects.order_by("-sequence").values("sequence", "digest").first()
        event = AuditEvent(
            sequence=(last["sequence"] + 1) if last else 1,
            at=timezone.now(),
            actor_id=getattr(actor, "pk", None),
            actor_label=getattr(actor, "username", "") or "",
            action=action,
            object_type=object_type,
            object_id=str(object_id or ""),
            ip_address=client_address(request),
            detail=detail or {},
            previous_digest=last["digest"] if last else GENESIS,
        )
        event.digest = crypto.chain_digest(event.previous_digest, _payload(event), key=keys.audit_key())
        event.save(force_insert=True)
        anchor.anchor_on_commit(event.sequence, event.digest)
    return event


@dataclass
class VerifyResult:
    checked: int
    problems: list[str]
    head_sequence: int
    head_digest: str
    anchored: anchor.Head | None = None

    @property
    def ok(self) -> bool:
        return not self.problems


def audit_verify(*, expect_head: str | None = None, batch_size: int = 2000) -> VerifyResult:
    """Walk the whole chain; report every row that was edited, deleted or inserted out of order.

    Deleting the newest rows leaves a shorter but intact chain: the head anchored in the key folder
    (haven/core/anchor.py) detects that, and so does a head recorded elsewhere (`expect_head`,
    "SEQUENCE:DIGEST", e.g. from the daily e-mail) if the key folder was rolled back too.
    """
    key = keys.audit_key()
    problems: list[str] = []
    previous_digest, previous_sequence, checked = GENESIS, 0, 0
    for event in AuditEvent.objects.order_by("sequence").iterator(chunk_size=batch_size):
        checked += 1
        if event.sequence != previous_sequence + 1:
            problems.append(
                f"entries {previous_sequence + 1} to {event.sequence - 1} are missing (deleted)"
                if event.sequence > previous_sequence + 1
                else f"entry {event.sequence} is out of order"
            )
        if event.previous_digest != previous_digest:
            problems.append(f"entry {event.sequence} does not link to the entry before it")
        expected = crypto.chain_digest(event.previous_digest, _payload(event), key=key)
        if expected != event.digest:
            problems.append(f"entry {event.sequence} was changed after it was written")
        previous_digest, previous_sequence = event.digest, event.sequence
    if expect_head:
        sequence_text, _, digest = expect_head.partition(":")
        try:
            expected_sequence = int(sequence_text)
        except ValueError:
            problems.append(f"the expected head {expect_head!r} is not SEQUENCE:DIGEST")
        else:
            match = AuditEvent.objects.filter(sequence=expected_sequence).values_list("digest", flat=True).first()
            if match is None:
                problems.append(f"entry {expected_sequence}, recorded earlier as the head, is gone (deleted)")
            elif digest and match != digest:
                problems.append(f"entry {expected_sequence} is not the one recorded earlier")
    anchored = None
    try:
        anchored = anchor.head_read()
    except anchor.AnchorError as error:
        problems.append(str(error))
    if anchored is not None:
        problems.extend(anchor.head_problems(anchored, origin=str(anchor.head_path())))
    return VerifyResult(checked=checked, problems=problems, head_sequence=previous_sequence,
                        head_digest=previous_digest, anchored=anchored)
