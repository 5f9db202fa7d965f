"""``haven spikes``: run a detector over a CSV of counts and print it back with
``alarm`` and ``upperbound`` columns (``--method all``: every detector in one pass,
with ``<method>_alarm`` and ``<method>_upperbound`` columns).

Bad input ends with one line on stderr and exit code 2, never a traceback.
NumPy and the detectors are imported only once the arguments are read, so that
``haven spikes --help`` answers at once.
"""

from __future__ import annotations

import argparse
import csv
import io
import math
import sys

from .names import MAXIMUM_WORKERS, METHODS

EXIT_BAD_INPUT = 2
ALL = "all"


class InputError(Exception):
    """A problem with the user's input, reported as one line."""


def build_parser() -> argparse.ArgumentParser:
    parser = argparse.ArgumentParser(
        prog="haven spikes",
        description="Flag unusual overdose report counts in a CSV file.",
    )
    parser.add_argument("file", metavar="FILE", help="CSV file with a header row, or - for standard input")
    parser.add_argument("--method", choices=(*METHODS, ALL), default="ears-c1",
                        help="the detector (default: ears-c1); all: every detector in one pass, the count "
                             "threshold only with --threshold")
    parser.add_argument("--count-column", default="observed", help="column holding the counts (default: observed)")
    parser.add_argument("--area-column", default=None,
                        help="column naming the area; each area's rows form one series, in file order")
    parser.add_argument("--start", type=int, default=1,
                        help="first 1-based row (within each area) to evaluate; earlier rows are baseline only")
    parser.add_argument("--freq", choices=("day", "week"), default="day")
    parser.add_argument("--alpha", type=float, default=None, help="significance level (method default if omitted)")
    parser.add_argument("--threshold", type=int, default=None, help="reports that raise an alarm (threshold method)")
    parser.add_argument("--window", type=int, default=1, help="points per window for the threshold method (default 1)")
    parser.add_argument("--workers", type=int, default=None,
                        help="processes for large inputs (default: the number of cores, at most "
                             f"{MAXIMUM_WORKERS}); small inputs always run in this process")
    return parser


def read_rows(path: str, stdin=None) -> tuple[list[str], list[dict]]:
    try:
        if path == "-":
            text = (stdin or sys.stdin).read()
        else:
            with open(path, newline="", encoding="utf-8-sig") as handle:
                text = handle.read()
    except FileNotFoundError:
        raise InputError(f"file not found: {path}") from None
    except (OSError, UnicodeDecodeError) as error:
        raise InputError(f"cannot read {path}: {error}") from None
    if not text.strip():
        raise InputError(f"{'standard input' if path == '-' else path} is empty")
    reader = csv.DictReader(io.StringIO(text))
    fieldnames = reader.fieldnames or []
    try:
        rows = list(reader)
    except csv.Error as error:
        raise InputError(f"not a valid CSV file: {error}") from None
    return fieldnames, rows


def parse_count(value, row_number: int, column: str) -> float:
    text = (value or "").strip()
    if not text:
        raise InputError(f"row {row_number}: no count in column '{column}'")
    try:
        count = float(text)
    except ValueError:
        raise InputError(f"row {row_number}: '{text}' in column '{column}' is not a number") from None
    if not math.isfinite(count):
        raise InputError(f"row {row_number}: '{text}' in column '{column}' is not a finite number")
    if count < 0:
        raise InputError(f"row {row_number}: negative count {text} in column '{column}'")
    return count


def _all_counts(rows, column) -> list[float] | None:
    """Every count at once when all are fine (the usual case); None sends the caller row by row."""
    try:
        counts = [float(row[column]) for row in rows]
    except (TypeError, ValueError, KeyError):
        return None
    if not all(0 <= count < math.inf for count in counts):  # also false for NaN
        return None
    return counts


def group_series(rows, count_column, area_column):
    """Counts per area (file order) and, per area, the row indexes they came from."""
    series: dict[str, list[float]] = {}
    row_indexes: dict[str, list[int]] = {}
    counts = _all_counts(rows, count_column)
    if counts is not None and area_column is None:
        return {"": counts}, {"": list(range(len(rows)))}
    if counts is not None:
        for index, (row, count) in enumerate(zip(rows, counts, strict=True)):
            area = (row.get(area_column) or "").strip()
            if not area:
                raise InputError(f"row {index + 1}: no area in column '{area_column}'")
            series.setdefault(area, []).append(count)
            row_indexes.setdefault(area, []).append(index)
        return series, row_indexes
    for index, row in enumerate(rows):
        row_number = index + 1
        area = "" if area_column is None else (row.get(area_column) or "").strip()
        if area_column is not None and not area:
            raise InputError(f"row {row_number}: no area in column '{area_column}'")
        series.setdefault(area, []).append(parse_count(row.get(count_column), row_number, count_column))
        row_indexes.setdefault(area, []).append(index)
    return series, row_indexes


def format_bound(value: float) -> str:
    if not math.isfinite(value):
        return ""
    return f"{value:.6f}".rstrip("0").rstrip(".")


def _methods(args) -> list[str]:
    if args.method != ALL:
        return [args.method]
    return [method for method in METHODS if method != "threshold" or args.threshold is not None]


def detect(args, fieldnames, rows, stderr=None):
    """{method: (alarms, bounds)}, one text value per row for each method run."""
    import numpy as np

    from .methods import default_workers, minimum_history, run_methods
    from .result import EVALUATED, FEW_RECENT_REPORTS

    for column in [args.count_column] + ([args.area_column] if args.area_column else []):
        if column not in fieldnames:
            raise InputError(f"missing column '{column}' (columns: {', '.join(fieldnames) or 'none'})")
    if not rows:
        raise InputError("no data rows after the header")
    if args.start < 1:
        raise InputError("--start must be 1 or more")
    if args.alpha is not None and not 0 < args.alpha < 1:
        raise InputError("--alpha must be between 0 and 1")
    if args.method == "threshold" and (args.threshold is None or args.threshold < 1):
        raise InputError("the threshold method needs --threshold N (N >= 1)")
    if args.threshold is not None and args.threshold < 1:
        raise InputError("--threshold must be 1 or more")
    if args.window < 1:
        raise InputError("--window must be 1 or more")
    if args.workers is not None and args.workers < 1:
        raise InputError("--workers must be 1 or more")
    workers = default_workers() if args.workers is None else args.workers
    methods = _methods(args)

    series, row_indexes = group_series(rows, args.count_column, args.area_column)
    # One method: a series too short for it is an error. All methods: a method that needs more
    # history than a series has leaves its columns empty there, and says so on stderr.
    needed = {method: minimum_history(method, args.freq, args.window) for method in methods}
    least = min(needed.values())
    for area, counts in series.items():
        name = f"area '{area}'" if args.area_column else "the series"
        if len(counts) <= least:
            method = min(needed, key=needed.get) if args.method == ALL else args.method
            raise InputError(f"{name} has {len(counts)} rows; {method} needs more than {least} "
                             f"(at least {least} earlier points for each evaluated point)")
        if args.start > len(counts):
            raise InputError(f"--start {args.start} is beyond the {len(counts)} rows of {name}")
    for method in methods:
        short = sum(len(counts) <= needed[method] for counts in series.values())
        if short and stderr is not None:
            where = f"{short} of {len(series)} areas" if args.area_column else "the series"
            print(f"haven spikes: note: {method} needs more than {needed[method]} rows; its columns are empty "
                  f"for {where}", file=stderr)

    found = {method: ([""] * len(rows), [""] * len(rows)) for method in methods}
    # Areas with equally long series are run together as one 2-D array.
    by_length: dict[int, list[str]] = {}
    for area, counts in series.items():
        by_length.setdefault(len(counts), []).append(area)
    for areas in by_length.values():
        counts = np.array([series[area] for area in areas])
        results = run_methods(methods, counts, start=args.start - 1, freq=args.freq, alpha=args.alpha,
                              threshold=args.threshold, window=args.window, workers=workers)
        for method, result in results.items():
            alarms, bounds = found[method]
            for area_position, area in enumerate(areas):
                for point, row_index in enumerate(row_indexes[area]):
                    status = result.status[area_position, point]
                    if status == EVALUATED:
                        alarms[row_index] = "1" if result.alarm[area_position, point] else "0"
                        bounds[row_index] = format_bound(result.upperbound[area_position, point])
                    elif status == FEW_RECENT_REPORTS:
                        alarms[row_index] = "0"  # evaluated, but too few reports to ever alarm
    return found


def write_rows(fieldnames, rows, found, out, *, prefixed: bool = False) -> None:
    """The rows as read, with each method's alarm and upperbound (``<method>_`` before them if ``prefixed``)."""
    added = {}
    for method, (alarms, bounds) in found.items():
        prefix = f"{method.replace('-', '_')}_" if prefixed else ""
        added[f"{prefix}alarm"], added[f"{prefix}upperbound"] = alarms, bounds
    names = list(fieldnames) + [name for name in added if name not in fieldnames]
    position = {name: number for number, name in enumerate(names)}
    columns = [(position[name], values) for name, values in added.items()]
    writer = csv.writer(out, lineterminator="\n")
    writer.writerow(names)
    padding = [""] * (len(names) - len(fieldnames))
    for index, row in enumerate(rows):
        line = [row.get(name) for name in fieldnames] + padding  # a short row's missing cells are None: empty
        for number, values in columns:
            line[number] = values[index]
        writer.writerow(line)


def main(argv: list[str] | None = None, stdin=None, stdout=None, stderr=None) -> int:
    stdout = stdout or sys.stdout
    stderr = stderr or sys.stderr
    args = build_parser().parse_args(argv)
    try:
        fieldnames, rows = read_rows(args.file, stdin)
        found = detect(args, fieldnames, rows, stderr)
    except InputError as error:
        print(f"haven spikes: error: {error}", file=stderr)
        return EXIT_BAD_INPUT
    except ValueError as error:  # a parameter the detector itself rejected
        print(f"haven spikes: error: {error}", file=stderr)
        return EXIT_BAD_INPUT
    write_rows(fieldnames, rows, found, stdout, prefixed=args.method == ALL)
    return 0


if __name__ == "__main__":  # pragma: no cover
    sys.exit(main())
