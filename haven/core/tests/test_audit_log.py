"""The audit log is append-only and chained: any edit or deletion is detected."""

import threading

import pytest
from django.db import DatabaseError, connection, transaction

from haven.core.audit import audit_record, audit_verify
from haven.core.models import AuditEvent
from haven.testing import audit_triggers


def record_three(actor=None):
    return [
        audit_record(actor=actor, action="create", object_type="participants.participant", object_id=n,
                     detail={"fields": ["nickname"]})
        for n in (1, 2, 3)
    ]


def as_an_attacker(sql, params=()):
    """Someone with direct database access: drops the triggers, then edits."""
    audit_triggers.remove()
    with connection.cursor() as cursor:
        cursor.execute(sql, params)


def test_a_fresh_log_verifies(alice):
    record_three(alice)
    result = audit_verify()
    assert result.ok, result.problems
    assert result.checked == 3
    assert result.head_sequence == 3


def test_each_entry_names_who_did_what(alice):
    event = record_three(alice)[0]
    assert (event.actor_id, event.actor_label, event.action) == (alice.pk, "alice", "create")
    assert event.object_type == "participants.participant"


def test_the_database_refuses_to_change_an_entry(db):
    record_three()
    with pytest.raises(DatabaseError, match="append-only"), transaction.atomic():
        AuditEvent.objects.filter(sequence=2).update(object_id="99")


def test_the_database_refuses_to_delete_an_entry(db):
    record_three()
    with pytest.raises(DatabaseError, match="append-only"), transaction.atomic():
        AuditEvent.objects.filter(sequence=2).delete()


def test_verify_detects_an_edited_entry(db):
    record_three()
    as_an_attacker("UPDATE core_auditevent SET object_id = %s WHERE sequence = 2", ["7"])
    result = audit_verify()
    assert not result.ok
    assert "entry 2 was changed after it was written" in result.problems


def test_verify_detects_an_edited_actor(alice, bob):
    record_three(alice)
    as_an_attacker("UPDATE core_auditevent SET actor_id = %s, actor_label = 'bob' WHERE sequence = 1", [bob.pk])
    assert "entry 1 was changed after it was written" in audit_verify().problems


def test_verify_detects_a_deleted_entry(db):
    record_three()
    as_an_attacker("DELETE FROM core_auditevent WHERE sequence = 2")
    problems = audit_verify().problems
    assert "entries 2 to 2 are missing (deleted)" in problems
    assert "entry 3 does not link to the entry before it" in problems


def test_verify_detects_a_recomputed_digest_without_the_key(db):
    """Editing a row and recomputing a plain SHA-256 is not enough: the chain is keyed."""
    import hashlib

    record_three()
    forged = hashlib.sha256(b"forged").hexdigest()
    as_an_attacker("UPDATE core_auditevent SET object_id = '8', digest = %s WHERE sequence = 3", [forged])
    assert "entry 3 was changed after it was written" in audit_verify().problems


def test_verify_detects_deleting_the_newest_entries_against_a_recorded_head(db):
    events = record_three()
    head = f"{events[-1].sequence}:{events[-1].digest}"
    assert audit_verify(expect_head=head).ok
    as_an_attacker("DELETE FROM core_auditevent WHERE sequence = 3")
    result = audit_verify(expect_head=head)
    assert not result.ok
    assert "entry 3, recorded earlier as the head, is gone (deleted)" in result.problems


@pytest.mark.django_db(transaction=True)
def test_concurrent_writers_keep_one_unbroken_chain():
    errors = []

    def write(worker):
        try:
            for n in range(8):
                audit_record(action="view", object_type="test.thing", object_id=f"{worker}-{n}")
        except Exception as error:  # collected and asserted below
            errors.append(error)
        finally:
            connection.close()

    threads = [threading.Thread(target=write, args=(worker,)) for worker in range(4)]
    for thread in threads:
        thread.start()
    for thread in threads:
        thread.join()
    assert not errors
    result = audit_verify()
    assert result.ok, result.problems
    assert result.checked == 32
