"""Benchmark the audit log: how fast entries are appended and how fast the chain verifies.

Run: python bench/audit/run.py [--entries 20000] [--no-anchor]   (SQLite in a temporary data folder)
     DATABASE_URL=postgres://postgres@127.0.0.1:5432/haven_bench python bench/audit/run.py
The PostgreSQL database is dropped and created anew, with keys of this run's own.
"""

import argparse
import os
import statistics
import sys
import tempfile
import time
from pathlib import Path

sys.path.insert(0, str(Path(__file__).resolve().parents[2]))


def main():
    parser = argparse.ArgumentParser(description=__doc__.splitlines()[0])
    parser.add_argument("--entries", type=int, default=20000)
    parser.add_argument("--no-anchor", action="store_true",
                        help="do not anchor the head in keys/ after each append (to measure what anchoring costs)")
    args = parser.parse_args()
    os.environ.setdefault("HAVEN_DATA_DIR", tempfile.mkdtemp(prefix="haven-bench-"))
    os.environ.setdefault("DJANGO_SETTINGS_MODULE", "haven.settings")
    import django

    django.setup()
    from django.core.management import call_command
    from django.db import connection

    if connection.vendor == "postgresql":
        _create_postgres_database(connection)
    call_command("migrate", verbosity=0)
    from haven.core import actions
    from haven.core.audit import audit_record, audit_verify
    from haven.testing import audit_triggers

    actions.keys_ensure()
    if args.no_anchor:
        from haven.core import anchor

        anchor.anchor_on_commit = lambda sequence, digest: None
    audit_triggers.remove()
    with connection.cursor() as cursor:
        cursor.execute("DELETE FROM core_auditevent")
    audit_triggers.install()

    latencies = []
    started = time.perf_counter()
    for n in range(args.entries):
        t0 = time.perf_counter()
        audit_record(action="view", object_type="participants.participant", object_id=n, detail={"fields": ["code"]})
        latencies.append(time.perf_counter() - t0)
    append_seconds = time.perf_counter() - started
    latencies.sort()
    t0 = time.perf_counter()
    result = audit_verify()
    verify_seconds = time.perf_counter() - t0
    assert result.ok, result.problems
    print(f"database: {connection.vendor}; head anchored in keys/ after each append: {not args.no_anchor}")
    print(f"entries: {args.entries}")
    print(f"append: {args.entries / append_seconds:,.0f} entries/s; "
          f"p50 {statistics.median(latencies) * 1000:.2f} ms, p95 {latencies[int(0.95 * len(latencies))] * 1000:.2f} ms")
    print(f"verify: {result.checked / verify_seconds:,.0f} entries/s ({verify_seconds:.2f} s)")


def _create_postgres_database(connection):
    import psycopg

    settings = connection.settings_dict
    connection.close()
    with psycopg.connect(host=settings["HOST"], port=settings["PORT"] or 5432, user=settings["USER"],
                         password=settings["PASSWORD"] or None, dbname="postgres", autocommit=True) as admin:
        admin.execute(f'DROP DATABASE IF EXISTS "{settings["NAME"]}"')
        admin.execute(f'CREATE DATABASE "{settings["NAME"]}"')


if __name__ == "__main__":
    main()
