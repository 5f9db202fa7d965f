"""Time the start of the `haven` command: --help, each algorithm's --help, and `haven spikes` on 17 series.

Run from the repository root:  python bench/cli/run.py [--repeat N] [--checkout PATH]
(--checkout times the `haven` of another checkout, e.g. an older version for a before and after.)

Each command runs N times in a fresh interpreter (`python -m haven ...`, as the installed `haven`
script does), the commands taking turns so that a burst of load from other jobs spreads over all of
them. Prints, per command, the median and best wall time and the median CPU time (user + system of
the child process: the steadier number on a shared machine), next to a bare `python -c pass`.

The 17-series CSV joins the surveillance reference files the spike tests use
(haven/overdose/tests/data/surveillance: 3 daily series of 1,095 days, 14 weekly series of 624 weeks)
into one file with an `area` column: 12,021 rows.
"""

from __future__ import annotations

import argparse
import csv
import os
import platform
import resource
import statistics
import subprocess
import sys
import tempfile
import time
from pathlib import Path

REPOSITORY = Path(__file__).resolve().parents[2]
SURVEILLANCE = REPOSITORY / "haven" / "overdose" / "tests" / "data" / "surveillance"
TARGETS = {"help": 0.3, "spikes": 0.6}


def seventeen_series(folder: Path) -> Path:
    path = folder / "seventeen_series.csv"
    with path.open("w", newline="") as out:
        writer = csv.writer(out)
        writer.writerow(["area", "t", "observed"])
        for source in sorted(SURVEILLANCE.glob("*.csv")):
            with source.open(newline="") as handle:
                for row in csv.DictReader(handle):
                    writer.writerow([source.stem, row["t"], row["observed"]])
    return path


def timed(argv: list[str], checkout: Path = REPOSITORY) -> tuple[float, float]:
    """Wall and CPU seconds of one run."""
    before = resource.getrusage(resource.RUSAGE_CHILDREN)
    start = time.perf_counter()
    result = subprocess.run(argv, cwd=checkout, stdout=subprocess.DEVNULL, stderr=subprocess.PIPE)
    wall = time.perf_counter() - start
    after = resource.getrusage(resource.RUSAGE_CHILDREN)
    if result.returncode != 0:
        raise SystemExit(f"{' '.join(argv)} failed: {result.stderr.decode()[-500:]}")
    return wall, (after.ru_utime - before.ru_utime) + (after.ru_stime - before.ru_stime)


def main() -> None:
    parser = argparse.ArgumentParser(description=__doc__.splitlines()[0])
    parser.add_argument("--repeat", type=int, default=15)
    parser.add_argument("--checkout", type=Path, default=REPOSITORY, help="the checkout whose haven to time")
    args = parser.parse_args()
    python = sys.executable
    with tempfile.TemporaryDirectory() as folder:
        csv_path = str(seventeen_series(Path(folder)))
        haven = [python, "-m", "haven"]
        commands = {
            "python -c pass": ([python, "-c", "pass"], None),
            "haven --help": ([*haven, "--help"], "help"),
            "haven spikes --help": ([*haven, "spikes", "--help"], "help"),
            "haven reagents --help": ([*haven, "reagents", "--help"], "help"),
            "haven interactions --help": ([*haven, "interactions", "--help"], "help"),
            "haven lint-language --help": ([*haven, "lint-language", "--help"], "help"),
            "haven spikes (17 series, ears-c1)": ([*haven, "spikes", csv_path, "--area-column", "area"], "spikes"),
            "haven spikes (17 series, --method all)": (
                [*haven, "spikes", csv_path, "--area-column", "area", "--method", "all", "--threshold", "5"], None),
        }
        if not (args.checkout / "haven" / "overdose" / "spikes" / "names.py").exists():
            del commands["haven spikes (17 series, --method all)"]  # a version from before --method all
        for argv, _target in commands.values():  # warm the file cache and .pyc files
            timed(argv, args.checkout)
        walls = {name: [] for name in commands}
        cpus = {name: [] for name in commands}
        for _ in range(args.repeat):
            for name, (argv, _target) in commands.items():
                wall, cpu = timed(argv, args.checkout)
                walls[name].append(wall)
                cpus[name].append(cpu)

    print(f"{args.checkout} · {platform.node()} · {platform.platform()} · Python {platform.python_version()} · "
          f"{os.cpu_count()} cores · {time.strftime('%Y-%m-%d %H:%M UTC', time.gmtime())} · "
          f"load average {' '.join(f'{x:.2f}' for x in os.getloadavg())} · {args.repeat} runs each")
    print(f"{'command':42} {'median wall':>12} {'best wall':>10} {'median CPU':>11}  target")
    for name, (_argv, target) in commands.items():
        limit = f"< {TARGETS[target]} s" if target else ""
        print(f"{name:42} {statistics.median(walls[name]):11.3f}s {min(walls[name]):9.3f}s "
              f"{statistics.median(cpus[name]):10.3f}s  {limit}")


if __name__ == "__main__":
    main()
