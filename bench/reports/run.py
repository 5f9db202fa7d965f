"""The reports benchmark in one command: monthly and annual reports on SQLite and PostgreSQL,
against DuckDB over an export of the same rows.

Run: python bench/reports/run.py [--sqlite-dir /work/bench-data/sqlite-2m]
         [--postgres-url postgres://postgres@127.0.0.1:5432/haven_bench_enc --postgres-dir /work/bench-data/pg-2m]
         [--runs 5]
The data sets come from bench/encounters/generate.py (2,000,000 visits over five years); this
benchmark only reads them. Each database is measured in its own process (measure.py). The
report timed is the "Syringe services annual summary" template (every indicator family, by
site), for one month and for the last whole year, exact (computation only) and suppressed (plus
small-cell suppression). p50 of --runs warm runs.
"""

from __future__ import annotations

import argparse
import json
import os
import subprocess
import sys
from pathlib import Path

HERE = Path(__file__).resolve().parent


def measure(env: dict, runs: int) -> dict:
    env = {**env, "BENCH_RUNS": str(runs), "DJANGO_SETTINGS_MODULE": "haven.settings"}
    output = subprocess.run([sys.executable, str(HERE / "measure.py")], env=env, check=True, capture_output=True,
                            text=True).stdout
    return json.loads(output.strip().splitlines()[-1])


def table(results: list[dict]) -> str:
    lines = ["| database | period | all indicators, program-wide p50 s | annual-summary template by site, exact p50 s "
             "| same, suppressed p50 s | DuckDB same aggregate p50 s | ratio (by site, exact / DuckDB) |",
             "|---|---|---:|---:|---:|---:|---:|"]
    for result in results:
        for name in ("monthly", "annual"):
            duck = result["duckdb_annual_s"] if name == "annual" else None
            exact = result[f"{name}_exact_s"]
            lines.append(f"| {result['database']} | {name} ({result['month' if name == 'monthly' else 'year']}) | "
                         f"{result[f'{name}_program_wide_s']:.3f} | {exact:.3f} | {result[f'{name}_shareable_s']:.3f} | "
                         f"{'' if duck is None else f'{duck:.4f}'} | {'' if duck is None else f'{exact / duck:.2f}x'} |")
    return "\n".join(lines)


def main() -> None:
    parser = argparse.ArgumentParser(description=__doc__.splitlines()[0])
    parser.add_argument("--sqlite-dir", default="/work/bench-data/sqlite-2m")
    parser.add_argument("--postgres-url", default="postgres://postgres@127.0.0.1:5432/haven_bench_enc")
    parser.add_argument("--postgres-dir", default="/work/bench-data/pg-2m")
    parser.add_argument("--database", choices=["sqlite", "postgres", "both"], default="both")
    parser.add_argument("--runs", type=int, default=5)
    args = parser.parse_args()
    base = {key: value for key, value in os.environ.items() if key != "DATABASE_URL"}
    results = []
    if args.database in ("sqlite", "both"):
        results.append(measure({**base, "HAVEN_DATA_DIR": args.sqlite_dir}, args.runs))
    if args.database in ("postgres", "both"):
        results.append(measure({**base, "HAVEN_DATA_DIR": args.postgres_dir, "DATABASE_URL": args.postgres_url},
                               args.runs))
    for result in results:
        print(json.dumps(result))
        same = (result["annual_encounters"] == result["duckdb_encounters"]
                and result["annual_unique_participants"] == result["duckdb_unique_participants"]
                and result["annual_syringes"] == result["duckdb_syringes"])
        print(f"{result['database']}: Haven and DuckDB agree on the annual totals: {same}")
    print()
    print(table(results))
    print(f"\nload average: {os.getloadavg()}")


if __name__ == "__main__":
    main()
