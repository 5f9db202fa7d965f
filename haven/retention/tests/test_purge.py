"""After expiry, expired detail is gone from the database itself: on SQLite from the database file,
its write-ahead log and a backup made afterwards (the raw bytes are searched for markers planted in
plain and encrypted columns); on PostgreSQL the rows no longer hold it and VACUUM ran on the
tables. The annual report gives the same numbers before and after.

The clock is moved by passing `now` to the expiry (two years on); nothing sleeps.
"""

from pathlib import Path

import pytest
from django.db import connection

from haven.core import backup
from haven.reports.periods import calendar_year
from haven.reports.queries import EXACT, SUMMARY, compute
from haven.reports.rollup import rollup_refresh
from haven.retention.actions import retention_expire
from haven.retention.tests.conftest import LATER

# (table, column, id column) of every planted value that expiry must remove.
ENCRYPTED = [("encounters_encounter", "void_reason", "voided_visit"),
             ("support_supportcontact", "note", "contact"),
             ("support_goalprogress", "note", "progress"),
             ("drugchecking_sample", "effects", "sample"),
             ("overdose_overdosereport", "notes", "overdose")]
PURGED_TABLES = {"encounters_encounter", "participants_participant", "support_supportcontact",
                 "support_goalprogress", "drugchecking_sample", "drugchecking_analysis", "overdose_overdosereport",
                 "axes_accesslog"}


def _ciphertexts(world) -> list[str]:
    found = []
    with connection.cursor() as cursor:
        for table, column, name in ENCRYPTED:
            cursor.execute(f"SELECT {column} FROM {table} WHERE id = %s", [getattr(world, name).pk])
            found.append(cursor.fetchone()[0])
        cursor.execute("SELECT notes FROM drugchecking_analysis WHERE sample_id = %s", [world.sample.pk])
        found += [row[0] for row in cursor.fetchall()]
    assert all(found) and not any(world.marker in value for value in found)  # stored encrypted
    return found


def _plain_markers(world) -> list[str]:
    # Plain-text columns: the overdose report's sample code, the sign-in's username, a participant's display id.
    return [f"S{world.marker}", f"u{world.marker}", world.display_marker]


def _raw_bytes() -> bytes:
    database = Path(connection.settings_dict["NAME"])
    wal = database.with_name(database.name + "-wal")
    return database.read_bytes() + (wal.read_bytes() if wal.exists() else b"")


def _annual():
    rollup_refresh()  # as the worker does
    summary, exact = compute(calendar_year(2025)), compute(calendar_year(2025), use_rollup=False)
    assert (summary.source, exact.source) == (SUMMARY, EXACT)
    return summary.values, exact.values


def _vacuum_counts() -> dict[str, int]:
    with connection.cursor() as cursor:
        cursor.execute("SELECT pg_stat_clear_snapshot()")
        cursor.execute("SELECT relname, vacuum_count FROM pg_stat_user_tables WHERE relname = ANY(%s)",
                       [sorted(PURGED_TABLES)])
        return dict(cursor.fetchall())


@pytest.mark.django_db(transaction=True)
def test_expired_detail_is_gone_from_the_database_its_log_and_new_backups(world, tmp_path):
    from haven.participants.models import Participant

    world.display_marker = f"D{world.marker}"[:12]
    Participant.objects.filter(pk=world.p1.pk).update(display_id=world.display_marker)
    ciphertexts, plain = _ciphertexts(world), _plain_markers(world)
    annual_before = _annual()

    if connection.vendor == "sqlite":
        planted = _raw_bytes()
        assert all(value.encode() in planted for value in ciphertexts + plain)  # the search can find them
    else:
        vacuums_before = _vacuum_counts()

    runs = retention_expire(now=LATER)
    assert sum(run.records for run in runs) > 0

    if connection.vendor == "sqlite":
        assert {run.purge for run in runs if run.records} == {"checkpoint (TRUNCATE)"}
        remaining = _raw_bytes()
        assert [value for value in ciphertexts + plain if value.encode() in remaining] == []
        wal = Path(connection.settings_dict["NAME"] + "-wal")
        assert not wal.exists() or wal.stat().st_size == 0
    else:
        with connection.cursor() as cursor:
            for table, column, _name in ENCRYPTED:
                cursor.execute(f"SELECT COUNT(*) FROM {table} WHERE {column} = ANY(%s)", [ciphertexts])
                assert cursor.fetchone()[0] == 0, table
            cursor.execute("SELECT COUNT(*) FROM overdose_overdosereport WHERE drug_checking_sample = %s", [plain[0]])
            assert cursor.fetchone()[0] == 0
            cursor.execute("SELECT COUNT(*) FROM axes_accesslog WHERE username = %s", [plain[1]])
            assert cursor.fetchone()[0] == 0
            cursor.execute("SELECT COUNT(*) FROM participants_participant WHERE display_id = %s", [plain[2]])
            assert cursor.fetchone()[0] == 0
        after = _vacuum_counts()
        assert {table for table in PURGED_TABLES if after.get(table, 0) > vacuums_before.get(table, 0)} == PURGED_TABLES
        assert all(run.purge.startswith("vacuum ") for run in runs if run.records)

    # A backup made now holds none of it.
    backup.backup_create(tmp_path / "after")
    if connection.vendor == "sqlite":
        copied = (tmp_path / "after" / backup.SQLITE_FILE).read_bytes()
    else:
        copied = (tmp_path / "after" / backup.POSTGRES_FILE).read_bytes()
    assert [value for value in ciphertexts + plain if value.encode() in copied] == []

    assert _annual() == annual_before
