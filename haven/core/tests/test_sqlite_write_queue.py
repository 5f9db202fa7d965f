"""SQLite writers of one process queue on a lock: the lock is always handed back, whatever happens in the
transaction, and many threads writing at once all succeed."""

import threading

import pytest
from django.db import OperationalError, connection, transaction

from haven.core.audit import audit_record, audit_verify
from haven.core.sqlite_backend import base as sqlite_backend


@pytest.fixture
def sqlite_only():
    if connection.vendor != "sqlite":
        pytest.skip("the write queue is part of Haven's SQLite backend")


def _lock_is_free() -> bool:
    if sqlite_backend._write_lock.acquire(blocking=False):
        sqlite_backend._write_lock.release()
        return True
    return False


@pytest.mark.django_db(transaction=True)
def test_a_committed_transaction_hands_the_write_lock_back(sqlite_only):
    with transaction.atomic():
        assert not _lock_is_free()
        audit_record(action="view", object_type="test.thing", object_id="1")
    assert _lock_is_free()


@pytest.mark.django_db(transaction=True)
def test_a_failed_transaction_hands_the_write_lock_back_and_writes_nothing(sqlite_only):
    with pytest.raises(RuntimeError), transaction.atomic():
        audit_record(action="view", object_type="test.thing", object_id="2")
        raise RuntimeError("the visit could not be saved")
    assert _lock_is_free()
    assert audit_verify().checked == 0


@pytest.mark.django_db(transaction=True)
def test_a_connection_closed_inside_a_transaction_hands_the_lock_back(sqlite_only):
    connection.set_autocommit(False)
    connection.ensure_connection()
    connection._start_transaction_under_autocommit()
    assert not _lock_is_free()
    connection.close()
    assert _lock_is_free()


@pytest.mark.django_db(transaction=True)
def test_a_writer_that_waits_longer_than_the_busy_timeout_gets_a_clear_error(sqlite_only):
    options = connection.settings_dict["OPTIONS"]
    saved = options["timeout"]
    sqlite_backend._write_lock.acquire()
    try:
        options["timeout"] = 0.05
        with pytest.raises(OperationalError, match="database is locked"), transaction.atomic():
            audit_record(action="view", object_type="test.thing", object_id="3")
    finally:
        options["timeout"] = saved
        sqlite_backend._write_lock.release()
    assert audit_verify().checked == 0


@pytest.mark.django_db(transaction=True)
def test_eight_threads_writing_at_once_all_succeed_in_one_unbroken_chain(sqlite_only):
    errors = []

    def write(worker):
        try:
            for n in range(10):
                with transaction.atomic():
                    audit_record(action="view", object_type="test.thing", object_id=f"{worker}-{n}")
        except Exception as error:  # collected and asserted below
            errors.append(error)
        finally:
            connection.close()

    threads = [threading.Thread(target=write, args=(worker,)) for worker in range(8)]
    for thread in threads:
        thread.start()
    for thread in threads:
        thread.join()
    assert not errors
    assert _lock_is_free()
    result = audit_verify()
    assert result.ok, result.problems
    assert result.checked == 80
