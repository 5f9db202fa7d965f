"""The advocacy report's tables: counts of rights reports by type, area and month, with small cells
suppressed by the shared engine (haven/reports/suppression.py). Plain Python, no Django import: the
caller counts, this module shapes and protects.
"""

from __future__ import annotations

import csv
import datetime
import io
from collections import Counter
from dataclasses import dataclass

from haven.reports.suppression import DEFAULT_POLICY, SuppressionError, SuppressionPolicy, suppress_table


def month_starts(today: datetime.date, months: int) -> list[datetime.date]:
    """The first day of each of the last `months` months, oldest first, this month included."""
    year, month = today.year, today.month
    starts = []
    for _ in range(months):
        starts.append(datetime.date(year, month, 1))
        year, month = (year - 1, 12) if month == 1 else (year, month - 1)
    return starts[::-1]


BY_MONTH, BY_QUARTER, WHOLE_PERIOD = "month", "quarter", "period"
GROUPINGS = (BY_MONTH, BY_QUARTER, WHOLE_PERIOD)


@dataclass(frozen=True)
class Column:
    """One column of the tables: a month, a calendar quarter, or the whole period."""

    label: str  # language neutral, as in the CSV: "2026-01", "2026-Q1", "2026-01/2026-12"
    months: tuple[datetime.date, ...]


def _span(months) -> str:
    return f"{months[0]:%Y-%m}" if len(months) == 1 else f"{months[0]:%Y-%m}/{months[-1]:%Y-%m}"


def columns(months: list[datetime.date], by: str) -> list[Column]:
    """The months grouped into columns: one each, by calendar quarter, or all together."""
    if by == WHOLE_PERIOD:
        return [Column(_span(months), tuple(months))]
    if by == BY_QUARTER:
        grouped: dict[tuple[int, int], list[datetime.date]] = {}
        for month in months:
            grouped.setdefault((month.year, (month.month - 1) // 3 + 1), []).append(month)
        # A quarter the window cuts short is labelled by its months, so no one reads it as a whole quarter.
        return [Column(f"{year}-Q{quarter}" if len(group) == 3 else _span(group), tuple(group))
                for (year, quarter), group in grouped.items()]
    return [Column(f"{month:%Y-%m}", (month,)) for month in months]


@dataclass
class CountsTable:
    """One table: a row per label, a column per month; cells are ints or a suppression label."""

    name: str  # "category", "type" or "area": the CSV's first column
    title: str
    labels: list[str]
    cells: list[list[object]]
    row_totals: list[object]
    column_totals: list[object]
    grand_total: object
    withheld: bool = False  # no pattern could protect every small count: nothing is shown

    @property
    def rows(self) -> list[tuple[str, list[object], object]]:
        return list(zip(self.labels, self.cells, self.row_totals, strict=True))


def build_table(name: str, title: str, keys: list[str], labels: dict[str, str], columns: list[Column],
                counts: Counter, *, exact: bool, policy: SuppressionPolicy = DEFAULT_POLICY) -> CountsTable:
    """counts[(key, month)] -> a table of every key x column, suppressed unless `exact`."""
    grid = [[sum(counts.get((key, month), 0) for month in column.months) for column in columns] for key in keys]
    names = [labels.get(key, key) for key in keys]
    if not grid:
        return CountsTable(name, title, [], [], [], [0] * len(columns), 0)
    if exact:
        return CountsTable(name, title, names, grid, [sum(row) for row in grid],
                           [sum(column) for column in zip(*grid, strict=True)], sum(map(sum, grid)))
    try:
        outcome = suppress_table(grid, policy=policy)
    except SuppressionError:
        return CountsTable(name, title, names, [], [], [], None, withheld=True)
    return CountsTable(name, title, names, outcome.display_rows(), [cell.display for cell in outcome.row_totals],
                       [cell.display for cell in outcome.column_totals], outcome.grand_total.display)


def tables_csv(tables: list[CountsTable], columns: list[Column], *, note: str) -> bytes:
    """One long table a council clerk or a journalist can open: table, row, period, reports."""
    buffer = io.StringIO()
    writer = csv.writer(buffer)
    writer.writerow(["table", "row", "period", "reports"])
    for table in tables:
        if table.withheld:
            writer.writerow([table.name, "all", "all", "withheld"])
            continue
        for label, cells, total in zip(table.labels, table.cells, table.row_totals, strict=True):
            for column, cell in zip(columns, cells, strict=True):
                writer.writerow([table.name, label, column.label, cell])
            writer.writerow([table.name, label, "all", total])
        for column, cell in zip(columns, table.column_totals, strict=True):
            writer.writerow([table.name, "all", column.label, cell])
        writer.writerow([table.name, "all", "all", table.grand_total])
    writer.writerow([])
    writer.writerow(["note", note, "", ""])
    return buffer.getvalue().encode("utf-8-sig")
