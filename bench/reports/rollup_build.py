"""The rollup's first build over a generated program, while visits are being logged.

Run: HAVEN_DATA_DIR=/path/to/sqlite-2m python bench/reports/rollup_build.py [--chunk 100000] [--no-visits] [--rebuild]
     (DATABASE_URL=... for PostgreSQL; the data set comes from bench/encounters/generate.py)

It forgets the rollup (RollupState) and empties its tables (with --rebuild it leaves them: the
build's first step deletes them), then builds it as the worker does (`_build_step` until built,
then a catch-up), timing each step: wall and CPU time of this process (SQLite runs in-process, so
its CPU time is the database's work too). Meanwhile a second process logs an anonymous visit
with a kit every 200 ms through `encounter_record`, and reports how long each took: what the build
costs the people logging visits. Prints one JSON object.
"""

from __future__ import annotations

import argparse
import atexit
import json
import os
import statistics
import subprocess
import sys
import time
from pathlib import Path

sys.path.insert(0, str(Path(__file__).resolve().parents[2]))

LOGGER = """
import json, os, sys, time, uuid
sys.path.insert(0, {root!r})
os.environ.setdefault("DJANGO_SETTINGS_MODULE", "haven.settings")
import django; django.setup()
from haven.accounts.models import User
from haven.encounters.actions import encounter_record
from haven.inventory.models import Kit
user = User.objects.filter(username__startswith="bench-staff-").first()
site = user.sites.first()
kit = Kit.objects.filter(active=True).first()
times = []
while not os.path.exists({stop!r}):
    started, at = time.perf_counter(), time.time()
    encounter_record(actor=user, client_id=uuid.uuid4(), site=site, service_mode="fixed", kits=[(kit, 1)])
    times.append((at, time.perf_counter() - started))
    time.sleep(0.2)
print(json.dumps(times))
"""


def main() -> None:
    parser = argparse.ArgumentParser(description=__doc__.splitlines()[0])
    parser.add_argument("--chunk", type=int, default=None)
    parser.add_argument("--no-visits", action="store_true", help="build without logging visits meanwhile")
    parser.add_argument("--rebuild", action="store_true",
                        help="leave the last build's rows for the build to delete (timed) instead of emptying "
                             "the rollup tables first")
    args = parser.parse_args()
    os.environ.setdefault("DJANGO_SETTINGS_MODULE", "haven.settings")
    import django

    django.setup()
    from django.db import connection

    from haven.reports import rollup
    from haven.reports.models import RollupState
    from haven.reports.queries import SUMMARY, compute
    from haven.reports.rollup import rollup_current, rollup_refresh

    chunk = args.chunk or rollup.BUILD_CHUNK[connection.vendor]
    writes = []  # how long each chunk's write took (inside its transaction: what a visit may wait for)
    write_chunk = rollup._write_chunk

    def timed_write(*args, **kwargs):
        started = time.perf_counter()
        write_chunk(*args, **kwargs)
        writes.append(time.perf_counter() - started)

    rollup._write_chunk = timed_write
    RollupState.objects.all().delete()  # before the visits start: the emptying is not timed
    cleared = 0.0
    if not args.rebuild:
        # A first build starts from empty rollup tables: empty them before the clock starts (a
        # rebuild deletes what the last build left in batches of short transactions, in its first step).
        from django.db import transaction

        from haven.reports.models import ActivityRollup, FirstVisit, ParticipantVisit, ParticipantYear

        started = time.perf_counter()
        for model in (ParticipantVisit, ParticipantYear, FirstVisit, ActivityRollup):
            with transaction.atomic(), connection.cursor() as cursor:
                cursor.execute(f"DELETE FROM {model._meta.db_table}")
        cleared = time.perf_counter() - started
    stop = Path(os.environ.get("TMPDIR", "/tmp")) / f"rollup-build-stop-{os.getpid()}"
    logger = None
    if not args.no_visits:
        root = str(Path(__file__).resolve().parents[2])
        logger = subprocess.Popen([sys.executable, "-c", LOGGER.format(root=root, stop=str(stop))],
                                  stdout=subprocess.PIPE, text=True)
        atexit.register(logger.kill)  # a failed build must not leave it logging visits
        time.sleep(5)  # let it start logging
    steps = []

    def server_cpu() -> float:
        """CPU seconds of this connection's PostgreSQL backend (same machine: /proc), else 0."""
        if connection.vendor != "postgresql":
            return 0.0
        with connection.cursor() as cursor:
            cursor.execute("SELECT pg_backend_pid()")
            pid = cursor.fetchone()[0]
        fields = Path(f"/proc/{pid}/stat").read_text().rsplit(")", 1)[1].split()
        return (int(fields[11]) + int(fields[12])) / os.sysconf("SC_CLK_TCK")

    server0 = server_cpu()
    wall0, cpu0 = time.perf_counter(), time.process_time()
    while RollupState.objects.filter(built_at__isnull=False).count() == 0:
        started, cpu, at = time.perf_counter(), time.process_time(), time.time()
        rollup._build_step(chunk)
        steps.append((time.perf_counter() - started, time.process_time() - cpu, at))
    build_wall, build_cpu = time.perf_counter() - wall0, time.process_time() - cpu0
    build_server_cpu = server_cpu() - server0
    started = time.perf_counter()
    rollup_refresh()
    catch_up = time.perf_counter() - started
    visits = []
    if logger:
        stop.touch()
        logged = json.loads(logger.communicate(timeout=120)[0].strip().splitlines()[-1])
        visits = [seconds for _at, seconds in logged]
        stop.unlink()
        rollup_refresh()
    from haven.reports.periods import calendar_year

    assert rollup_current() is not None
    assert compute(calendar_year(2025)).source == SUMMARY
    result = {
        "database": connection.vendor, "chunk": chunk, "rebuild": args.rebuild,
        "emptied_before_s": None if args.rebuild else round(cleared, 1), "build_s": round(build_wall, 1),
        "build_cpu_s": round(build_cpu, 1), "steps": len(steps),
        "build_server_cpu_s": round(build_server_cpu, 1) if connection.vendor == "postgresql" else None,
        "longest_step_s": round(max(wall for wall, _cpu, _at in steps), 2),
        "catch_up_after_build_s": round(catch_up, 3),
        "longest_chunk_write_s": round(max(writes), 2), "chunk_write_p50_s": round(statistics.median(writes), 2),
        "visits_logged_during_build": len(visits),
        "visit_p50_ms": round(statistics.median(visits) * 1000) if visits else None,
        "visit_max_ms": round(max(visits) * 1000) if visits else None,
        "load_average": os.getloadavg(),
    }
    if visits:
        # Which build step the slowest visit waited for (the step running when it started).
        at, _seconds = max(logged, key=lambda visit: visit[1])
        during = [number for number, (_wall, _cpu, begun) in enumerate(steps) if begun <= at]
        result["slowest_visit_during_step"] = f"{during[-1] + 1} of {len(steps)}" if during else "before the build"
    print(json.dumps(result))


if __name__ == "__main__":
    main()
