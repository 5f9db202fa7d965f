"""Files that leave the program: CSV, XLSX, PDF and the de-identified open-data CSV.

Every exporter takes a SHAREABLE report (suppressed) and refuses an exact one, and every file
says which kind it is on its first line. Text cells that a spreadsheet would run as a formula
(starting with =, +, -, @, a tab or a carriage return) are neutralised with a leading apostrophe,
the OWASP advice against CSV injection, in CSV and XLSX alike.
"""

from __future__ import annotations

import csv
import io

from haven.reports.indicators import BY_KEY, INDICATORS
from haven.reports.periods import Period
from haven.reports.queries import compute
from haven.reports.report import SHAREABLE, Report, kind_note
from haven.reports.suppression import (
    DEFAULT_POLICY,
    SHOWN,
    SuppressionPolicy,
    suppress_counts,
    suppress_table,
)

FORMULA_STARTS = ("=", "+", "-", "@", "\t", "\r")


class NotShareable(ValueError):
    pass


def neutralise(value):
    """A cell that is safe to open in a spreadsheet: numbers as they are, risky text quoted."""
    if isinstance(value, (int, float)) and not isinstance(value, bool):
        return value
    text = "" if value is None else str(value)
    return "'" + text if text.startswith(FORMULA_STARTS) else text


def _require_shareable(report: Report) -> None:
    if report.kind != SHAREABLE:
        raise NotShareable("exports are built from the suppressed (shareable) report only")


def report_rows(report: Report) -> list[list]:
    """The report as plain rows: the kind first, then each section's table, then definitions."""
    rows: list[list] = [[report.note], [report.title], [report.subtitle],
                        [f"Generated {report.generated_at:%Y-%m-%d %H:%M %Z}"], [report.counted_from]]
    if report.empty:
        rows.append(["No visits were recorded in this period and scope."])
    for section in report.sections:
        rows.append([])
        rows.append([section.title])
        rows.append(["Indicator", "Unit", *report.columns])
        for row in section.rows:
            rows.append([("  " if row.level else "") + row.label, row.unit, *row.cells])
    rows.append([])
    rows.append(["Definitions"])
    for indicator in report.definitions:
        rows.append([indicator.label, f"{indicator.definition} Source: {indicator.source}"])
    return rows


def to_csv(report: Report) -> bytes:
    _require_shareable(report)
    buffer = io.StringIO()
    writer = csv.writer(buffer)
    for row in report_rows(report):
        writer.writerow([neutralise(cell) for cell in row])
    return buffer.getvalue().encode("utf-8-sig")  # the BOM makes spreadsheet programs read UTF-8


def to_xlsx(report: Report) -> bytes:
    from openpyxl import Workbook
    from openpyxl.styles import Font

    _require_shareable(report)
    workbook = Workbook()
    sheet = workbook.active
    sheet.title = "Report"
    bold = Font(bold=True)
    for row_number, row in enumerate(report_rows(report), start=1):
        for column_number, value in enumerate(row, start=1):
            safe = neutralise(value)
            cell = sheet.cell(row=row_number, column=column_number)
            cell.value = safe
            if isinstance(safe, str):
                cell.data_type = "s"  # never a formula, whatever the text says
            if row_number <= 2:
                cell.font = bold
    sheet.column_dimensions["A"].width = 48
    workbook.properties.title = report.title
    workbook.properties.subject = report.note
    buffer = io.BytesIO()
    workbook.save(buffer)
    return buffer.getvalue()


def to_pdf(report: Report, charts: list | None = None) -> bytes:
    """A printable report through pdf.py (fpdf2): the kind on top, every table, the charts."""
    from haven.branding.queries import current_program
    from haven.reports.pdf import ReportDocument

    _require_shareable(report)
    program = current_program()
    logo = None
    if program.logo_path is not None:
        try:
            logo = program.logo_path.read_bytes()
        except FileNotFoundError:  # the data folder restored without it: the report still prints
            logo = None
    document = ReportDocument(title=report.title, subtitle=report.subtitle, kind_note=report.note,
                              program=program.name, logo_png=logo, accent=program.accent_colour or program.main_colour)
    if report.empty:
        document.add_paragraph("No visits were recorded in this period and scope.")
    for section in report.sections:
        document.add_heading(section.title)
        document.add_table(columns=["Indicator", *report.columns],
                           rows=[[("   " if row.level else "") + row.label, *[str(cell) for cell in row.cells]]
                                 for row in section.rows])
    for chart in charts or []:
        document.add_chart(chart)
    document.add_heading("Definitions")
    for indicator in report.definitions:
        document.add_paragraph(f"{indicator.label}: {indicator.definition} Source: {indicator.source}")
    return document.render()


# ---------------------------------------------------------------------------------------------
# Open data: month x site, suppressed, no ids, no codes, no dates finer than the month.
# ---------------------------------------------------------------------------------------------

OPEN_DATA_INDICATORS = [indicator for indicator in INDICATORS
                        if not indicator.fact and indicator.additive and indicator.unit != "band"]
ALL_SITES, ALL_MONTHS = "All sites", "All months"


def open_data_csv(period: Period, *, policy: SuppressionPolicy = DEFAULT_POLICY) -> bytes:
    """Long format (month, site, indicator, value) with margins; people counts suppressed per table.

    Unique participants are not additive over sites, so they are published by month only (with the
    rule of report._Protector for a total that is not a sum)."""
    grid = compute(period, by=("month", "site"))
    by_month = compute(period, by=("month",))
    months = [f"{day:%Y-%m}" for day in period.months()]
    sites = [(column.key[1], column.label.split(" / ", 1)[1]) for column in grid.columns[:len(grid.columns)
                                                                                          // max(1, len(months))]]
    buffer = io.StringIO()
    writer = csv.writer(buffer)
    writer.writerow([neutralise(kind_note(SHAREABLE, policy))])
    writer.writerow(["month", "site", "indicator", "unit", "value"])

    for indicator in OPEN_DATA_INDICATORS:
        rows = [[int(grid.value(indicator.key, (month_index, site_id)) or 0) for site_id, _name in sites]
                for month_index in range(len(months))]
        if indicator.counts_people:
            outcome = suppress_table(rows, policy=policy)
            cells = outcome.display_rows()
            row_totals = [cell.display for cell in outcome.row_totals]
            column_totals = [cell.display for cell in outcome.column_totals]
            grand = outcome.grand_total.display
        else:
            cells = rows
            row_totals = [sum(row) for row in rows]
            column_totals = [sum(column) for column in zip(*rows, strict=True)] if rows else []
            grand = sum(row_totals)
        for month_index, month in enumerate(months):
            for site_index, (_site_id, name) in enumerate(sites):
                writer.writerow([month, neutralise(name), indicator.key, indicator.unit, cells[month_index][site_index]])
            writer.writerow([month, ALL_SITES, indicator.key, indicator.unit, row_totals[month_index]])
        for site_index, (_site_id, name) in enumerate(sites):
            writer.writerow([ALL_MONTHS, neutralise(name), indicator.key, indicator.unit, column_totals[site_index]])
        writer.writerow([ALL_MONTHS, ALL_SITES, indicator.key, indicator.unit, grand])

    people = BY_KEY["unique_participants"]
    counts = [int(by_month.value(people.key, (index,)) or 0) for index in range(len(months))]
    outcome = suppress_counts(counts, publish_total=True, policy=policy)
    for month, cell in zip(months, outcome.cells, strict=True):
        writer.writerow([month, ALL_SITES, people.key, people.unit, cell.display])
    total = int(by_month.value(people.key) or 0)
    if policy.is_small(total):
        shown = policy.small_label
    elif outcome.total.reason != SHOWN:
        shown = policy.complementary_label
    else:
        shown = total
    writer.writerow([ALL_MONTHS, ALL_SITES, people.key, people.unit, shown])
    return buffer.getvalue().encode("utf-8-sig")
