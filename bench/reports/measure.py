"""One database: time the monthly and annual reports, then the same annual aggregate in DuckDB.

Run by run.py in its own process (settings come from HAVEN_DATA_DIR and DATABASE_URL).
Prints one JSON object on the last line.
"""

from __future__ import annotations

import csv
import datetime
import json
import os
import statistics
import sys
import tempfile
import time
from pathlib import Path

sys.path.insert(0, str(Path(__file__).resolve().parents[2]))


CPU = {}  # the same runs' median CPU time of this process, by label (SQLite works in-process)


def p50(function, runs: int, label: str = "") -> tuple[float, list[float]]:
    function()  # warm: caches, query plans, the database's pages
    times, cpu = [], []
    for _ in range(runs):
        started, started_cpu = time.perf_counter(), time.process_time()
        function()
        times.append(time.perf_counter() - started)
        cpu.append(time.process_time() - started_cpu)
    if label:
        CPU[label] = round(statistics.median(cpu), 3)
    return statistics.median(times), times


def main() -> None:
    os.environ.setdefault("DJANGO_SETTINGS_MODULE", "haven.settings")
    import django

    django.setup()
    from django.db import connection
    from django.db.models import Max

    from haven.encounters.models import Encounter
    from haven.reports.periods import calendar_year, month
    from haven.reports.queries import compute
    from haven.reports.report import EXACT, SHAREABLE, build_report
    from haven.reports.rollup import rollup_refresh
    from haven.reports.templates_lookup import template_by_slug

    runs = int(os.environ.get("BENCH_RUNS", "5"))
    latest = Encounter.objects.aggregate(latest=Max("occurred_at"))["latest"]
    year = calendar_year(latest.year - 1)  # the last whole year of data
    one_month = month(latest.year - 1, 10)
    annual = template_by_slug("ssp-annual-summary")  # every indicator family, by site
    results = {"database": connection.vendor, "year": year.label, "month": one_month.label, "runs": runs}
    # Catch the rollup up first, as the worker does (the first run on a new data set builds it:
    # bench/reports/rollup_build.py times that); reports only read it.
    started = time.perf_counter()
    rollup_refresh()
    results["rollup_catch_up_s"] = round(time.perf_counter() - started, 2)
    results["rollup_refresh_s"] = round(p50(rollup_refresh, runs)[0], 4)
    results["read_from"] = compute(year).source  # "summary": the rollup; "exact": counted from the visits
    for name, period in (("monthly", one_month), ("annual", year)):
        results[f"{name}_program_wide_s"] = round(p50(lambda period=period: compute(period), runs,
                                                      f"{name}_program_wide")[0], 3)
        for kind in (EXACT, SHAREABLE):
            seconds, _times = p50(lambda period=period, kind=kind: build_report(annual, period, kind=kind), runs,
                                  f"{name}_{kind}")
            results[f"{name}_{kind}_s"] = round(seconds, 3)
    results["cpu_s"] = CPU
    report = build_report(annual, year, kind=EXACT)
    people = report.sections[0].rows
    results["annual_encounters"] = people[0].cells[-1]
    results["annual_unique_participants"] = people[1].cells[-1]
    results["annual_syringes"] = report.sections[1].rows[0].cells[-1]
    results.update(duckdb_reference(connection, year))
    print(json.dumps(results))


def duckdb_reference(connection, period) -> dict:
    """Export the year's visits and supply lines (CSV written from the database), load them in
    DuckDB, and time the same annual aggregate there: the physical reference."""
    import duckdb

    from haven.reports.queries import local_bounds

    start, end = local_bounds(period)
    folder = Path(tempfile.mkdtemp(prefix="haven-bench-reports-"))
    encounters_sql = ("SELECT id, participant_id, site_id, service_mode, syringes_returned, secondary_people "
                      "FROM encounters_encounter WHERE voided_at IS NULL AND occurred_at >= %s AND occurred_at < %s")
    lines_sql = ("SELECT s.encounter_id, s.item_id, s.quantity FROM encounters_encountersupply s "
                 "JOIN encounters_encounter e ON e.id = s.encounter_id "
                 "WHERE e.voided_at IS NULL AND e.occurred_at >= %s AND e.occurred_at < %s")
    items_sql = "SELECT id, syringes_per_unit, naloxone_doses_per_unit, tests_per_unit FROM inventory_item"
    started = time.perf_counter()
    for name, sql, params in (("encounters", encounters_sql, [start, end]), ("lines", lines_sql, [start, end]),
                              ("items", items_sql, [])):
        with connection.cursor() as cursor, open(folder / f"{name}.csv", "w", newline="") as handle:
            cursor.execute(sql, params)
            writer = csv.writer(handle)
            writer.writerow([column[0] for column in cursor.description])
            while rows := cursor.fetchmany(50_000):
                writer.writerows(rows)
    export_s = time.perf_counter() - started
    duck = duckdb.connect()
    for name in ("encounters", "lines", "items"):
        duck.execute(f"CREATE TABLE {name} AS SELECT * FROM read_csv_auto('{folder / name}.csv', header=true)")
    query = """
        WITH visits AS (
            SELECT site_id, count(*) AS encounters, count(DISTINCT participant_id) AS participants,
                   count(*) FILTER (WHERE participant_id IS NULL) AS anonymous, sum(syringes_returned) AS returned
            FROM encounters GROUP BY site_id),
        given AS (
            SELECT e.site_id, sum(l.quantity * i.syringes_per_unit) AS syringes,
                   sum(l.quantity * i.naloxone_doses_per_unit) AS doses, sum(l.quantity * i.tests_per_unit) AS strips
            FROM lines l JOIN encounters e ON e.id = l.encounter_id JOIN items i ON i.id = l.item_id
            GROUP BY e.site_id)
        SELECT v.*, g.syringes, g.doses, g.strips FROM visits v LEFT JOIN given g USING (site_id)
    """
    seconds, _times = p50(lambda: duck.execute(query).fetchall(), 5, "duckdb_annual")
    total = duck.execute("SELECT count(*), count(DISTINCT participant_id) FROM encounters").fetchone()
    syringes = duck.execute("SELECT sum(l.quantity * i.syringes_per_unit) FROM lines l JOIN items i "
                            "ON i.id = l.item_id").fetchone()[0]
    rows = duck.execute("SELECT (SELECT count(*) FROM encounters), (SELECT count(*) FROM lines)").fetchone()
    for path in folder.iterdir():
        path.unlink()
    folder.rmdir()
    return {"duckdb_annual_s": round(seconds, 4), "duckdb_annual_cpu_s": CPU["duckdb_annual"], "duckdb_export_s": round(export_s, 1),
            "duckdb_encounters": total[0], "duckdb_unique_participants": total[1], "duckdb_syringes": int(syringes),
            "exported_encounters": rows[0], "exported_supply_lines": rows[1],
            "generated": datetime.datetime.now(datetime.UTC).isoformat(timespec="seconds")}


if __name__ == "__main__":
    main()
