"""Lift the audit log's append-only triggers for the test framework's own table flush only.

Transactional tests end with a flush (DELETE or TRUNCATE of every table), which the triggers
rightly refuse. The triggers are reinstalled before every test, so each test runs with them.
"""

import importlib

from django.db import connection

_migration = importlib.import_module("haven.core.migrations.0002_audit_append_only")


def install():
    vendor = connection.vendor
    with connection.cursor() as cursor:
        if vendor == "sqlite":
            for statement in _migration.SQLITE_DROP + _migration.SQLITE_CREATE:
                cursor.execute(statement)
        elif vendor == "postgresql":
            for statement in _migration.POSTGRES_DROP + _migration.POSTGRES_CREATE:
                cursor.execute(statement)


def remove():
    statements = {"sqlite": _migration.SQLITE_DROP, "postgresql": _migration.POSTGRES_DROP}
    with connection.cursor() as cursor:
        for statement in statements.get(connection.vendor, []):
            cursor.execute(statement)


def forget_anchored_head():
    """Each test starts a new chain: the head anchored by an earlier test's chain does not apply."""
    from haven.core.anchor import head_path

    head_path().unlink(missing_ok=True)
