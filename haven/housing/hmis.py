"""HMIS CSV files and their validation report against the FY2026 CSV specification.

Plain Python, no Django: rows in, CSV text and a report out. The columns, their types, lengths,
required flags and value lists come from `hmis_spec/fy2026.json` (see hmis_spec/SOURCE.md); nothing
about the specification is typed here.
"""

from __future__ import annotations

import csv
import datetime
import io
import re
from dataclasses import dataclass, field

from haven.housing.vocabulary import spec

EXPORT_FILES = ["Project", "Enrollment", "CurrentLivingSituation", "Exit", "Services", "Client"]
_DATE = re.compile(r"\d{4}-\d{2}-\d{2}\Z")
_DATETIME = re.compile(r"\d{4}-\d{2}-\d{2} \d{2}:\d{2}:\d{2}\Z")
_INTEGER = re.compile(r"-?\d+\Z")


def columns(file: str) -> list[dict]:
    return spec()["files"][file]


def header(file: str) -> list[str]:
    return [column["name"] for column in columns(file)]


def cell(value) -> str:
    if value is None:
        return ""
    if isinstance(value, datetime.datetime):
        return value.strftime("%Y-%m-%d %H:%M:%S")
    if isinstance(value, datetime.date):
        return value.isoformat()
    return str(value)


def to_csv(file: str, rows: list[dict]) -> str:
    """One CSV file: the specification's header in its order, every row with every column."""
    names = header(file)
    unknown = {key for row in rows for key in row} - set(names)
    if unknown:
        raise ValueError(f"{file}: columns not in the FY{spec()['version']} specification: {sorted(unknown)}")
    buffer = io.StringIO()
    writer = csv.writer(buffer, lineterminator="\r\n")
    writer.writerow(names)
    for row in rows:
        writer.writerow([cell(row.get(name)) for name in names])
    return buffer.getvalue()


@dataclass
class Report:
    version: str
    files: dict[str, int] = field(default_factory=dict)  # file -> rows
    problems: list[str] = field(default_factory=list)
    left_out: dict[str, list[str]] = field(default_factory=dict)  # reason -> display ids

    @property
    def ok(self) -> bool:
        return not self.problems

    def as_text(self) -> str:
        lines = [f"HMIS CSV export, validated against the FY{self.version} CSV specification's columns and value lists."]
        for name, count in self.files.items():
            lines.append(f"{name}.csv: {count} rows")
        lines.append("Result: valid" if self.ok else f"Result: {len(self.problems)} problems")
        lines += [f"  - {problem}" for problem in self.problems]
        for reason, people in self.left_out.items():
            lines.append(f"Left out ({reason}): {len(people)}" + (f" [{', '.join(people)}]" if people else ""))
        return "\n".join(lines) + "\n"


def validate(texts: dict[str, str], *, report: Report | None = None) -> Report:
    """Check each CSV's header and every value against the specification."""
    report = report or Report(version=spec()["version"])
    lists = spec()["lists"]
    for file, text in texts.items():
        if file not in spec()["files"]:
            report.problems.append(f"{file}.csv is not a file of the specification")
            continue
        rows = list(csv.reader(io.StringIO(text)))
        expected = header(file)
        if not rows or rows[0] != expected:
            report.problems.append(f"{file}.csv: the header does not match the specification's columns")
            continue
        report.files[file] = len(rows) - 1
        for number, row in enumerate(rows[1:], start=2):
            if len(row) != len(expected):
                report.problems.append(f"{file}.csv line {number}: {len(row)} values, expected {len(expected)}")
                continue
            for column, value in zip(columns(file), row, strict=True):
                problem = _check(column, value, lists)
                if problem:
                    report.problems.append(f"{file}.csv line {number}, {column['name']}: {problem}")
    return report


def _check(column: dict, value: str, lists: dict) -> str | None:
    if value == "":
        return "required, but empty" if column["required"] else None
    kind = column["type"]
    if kind == "integer" and not _INTEGER.match(value):
        return f"“{value}” is not a whole number"
    if kind == "date" and not _DATE.match(value):
        return f"“{value}” is not a date (YYYY-MM-DD)"
    if kind == "datetime" and not _DATETIME.match(value):
        return f"“{value}” is not a date and time (YYYY-MM-DD hh:mm:ss)"
    if column.get("limit") and len(value) > column["limit"]:
        return f"longer than {column['limit']} characters"
    if "list" in column and value not in lists[column["list"]]["values"]:
        return f"“{value}” is not in the {column['list']} list"
    return None
