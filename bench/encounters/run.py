"""The syringe services benchmark in one command: generate a large program, then load-test it.

Run: python bench/encounters/run.py [--encounters 2000000 | --scale 0.01] [--database sqlite|postgres|both]
         [--duration 60] [--clients 20] [--threads 8] [--mix]
SQLite goes in a new temporary data folder; PostgreSQL uses --postgres-url (default
postgres://postgres@127.0.0.1:5432/haven_bench_enc), dropped and created anew, with a temporary
data folder for its keys. Each database gets its own processes (generate.py, then load.py), so
that settings never mix. Prints a Markdown table; the full results are saved next to the data.
"""

import argparse
import json
import os
import subprocess
import sys
import tempfile
import time
from pathlib import Path

HERE = Path(__file__).resolve().parent
DEFAULT_POSTGRES = "postgres://postgres@127.0.0.1:5432/haven_bench_enc"


def main():
    parser = argparse.ArgumentParser(description=__doc__.splitlines()[0])
    parser.add_argument("--encounters", type=int, default=None)
    parser.add_argument("--scale", type=float, default=None)
    parser.add_argument("--ledger-fraction", type=float, default=1.0)
    parser.add_argument("--database", choices=["sqlite", "postgres", "both"], default="both")
    parser.add_argument("--postgres-url", default=os.environ.get("DATABASE_URL") or DEFAULT_POSTGRES)
    parser.add_argument("--duration", type=float, default=60.0)
    parser.add_argument("--clients", type=int, default=20)
    parser.add_argument("--threads", type=int, default=8)
    parser.add_argument("--think", type=float, default=0.0, help="mean pause before each visit (0: stress test)")
    parser.add_argument("--in-process", type=int, default=200)
    parser.add_argument("--data-dir", help="reuse a data folder that generate.py filled (skips generation)")
    parser.add_argument("--mix", action="store_true", help="mixed workload: visits, lookups, reports, public pages")
    args = parser.parse_args()

    rows = []
    for database in (["sqlite", "postgres"] if args.database == "both" else [args.database]):
        env = {key: value for key, value in os.environ.items() if key != "DATABASE_URL"}
        if database == "postgres":
            env["DATABASE_URL"] = args.postgres_url
        if args.data_dir:
            env["HAVEN_DATA_DIR"] = args.data_dir
        else:
            env["HAVEN_DATA_DIR"] = tempfile.mkdtemp(prefix=f"haven-bench-enc-{database}-")
            size = ["--encounters", str(args.encounters)] if args.encounters else (
                ["--scale", str(args.scale)] if args.scale else [])
            _run([sys.executable, str(HERE / "generate.py"), *size, "--ledger-fraction", str(args.ledger_fraction)],
                 env)
        results_file = Path(env["HAVEN_DATA_DIR"],
                            f"bench-encounters-results-think{args.think:g}{'-mix' if args.mix else ''}.json")
        _run([sys.executable, str(HERE / "load.py"), "--clients", str(args.clients), "--duration", str(args.duration),
              "--threads", str(args.threads), "--think", str(args.think), "--in-process", str(args.in_process), "--json", str(results_file),
              *(["--mix"] if args.mix else [])], env)
        manifest = json.loads(Path(env["HAVEN_DATA_DIR"], "bench-encounters.json").read_text())
        rows.append((database, manifest, json.loads(results_file.read_text())))
        print(f"{database}: data and results in {env['HAVEN_DATA_DIR']}", flush=True)
    print()
    print(table(rows))


def _run(command, env):
    started = time.perf_counter()
    completed = subprocess.run(command, env=env, stdout=subprocess.PIPE, stderr=subprocess.STDOUT, text=True)
    print(completed.stdout[-4000:] if completed.returncode else completed.stdout.splitlines()[0], flush=True)
    if completed.returncode:
        raise SystemExit(f"{Path(command[1]).name} failed (exit {completed.returncode})")
    print(f"  ({Path(command[1]).name}: {time.perf_counter() - started:.0f} s)", flush=True)


def table(rows) -> str:
    lines = [
        "| database | visits | supply lines | ledger lines | generate | operation | p50 | p95 | p99 | max | per s "
        "| errors | server CPU | load avg |",
        "|---|---:|---:|---:|---:|---|---:|---:|---:|---:|---:|---:|---:|---:|",
    ]
    for database, manifest, results in rows:
        load, counts = results["load"], manifest["rows"]
        for operation in [name for name in ("encounter", "lookup", "report", "public", "all_requests") if name in load]:
            numbers = load[operation]
            errors = numbers["errors"] if isinstance(numbers["errors"], int) else sum(numbers["errors"].values())
            lines.append(
                f"| {database} | {counts['encounters']:,} | {counts['supply_lines']:,} | {counts['stock_entries']:,} "
                f"| {manifest['timings']['total_s']:.0f} s | {operation} (HTTP, {load['clients']} clients, "
                f"think {load['think_seconds']:g} s) "
                f"| {numbers['p50_ms']} ms | {numbers['p95_ms']} ms | {numbers['p99_ms']} ms | {numbers['max_ms']} ms "
                f"| {numbers['per_second']} | {errors} "
                f"| {load['server_cpu_seconds']} s / {load['wall_seconds']} s "
                f"| {load['load_average'].get('mean', '')} |")
        in_process = results.get("in_process") or {}
        for name, label in [] if not in_process else (("encounter_record", "encounter_record in-process"),
                            ("of_which_stock_draw", "  of which stock draw"), ("of_which_audit", "  of which audit"),
                            ("lookup", "lookup in-process")):
            numbers = in_process[name]
            lines.append(f"| {database} | | | | | {label} | {numbers['p50_ms']} ms | {numbers['p95_ms']} ms "
                         f"| {numbers['p99_ms']} ms | {numbers['max_ms']} ms | | | | |")
    return "\n".join(lines)


if __name__ == "__main__":
    main()
