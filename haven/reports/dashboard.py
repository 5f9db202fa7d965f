"""What the coordinators' dashboard shows (exact counts, inside the program), and the charts a
PDF report carries (drawn from the suppressed report, so they show "<11" where the table does)."""

from __future__ import annotations

import datetime

from django.utils.safestring import mark_safe

from haven.reports.charts import Series, bar_chart, bar_chart_spec, line_chart, stacked_bar_chart
from haven.reports.periods import last_months
from haven.reports.queries import TOTAL, compute
from haven.reports.report import Report, kind_note

DASHBOARD_MONTHS = 12


def dashboard(today: datetime.date) -> dict:
    period = last_months(today, DASHBOARD_MONTHS)
    by_month = compute(period, by=("month",))
    by_site = compute(period, by=("site",))
    months = [column.label for column in by_month.columns]

    def monthly(key, sub=None):
        return [by_month.value(key, column.key, sub) or 0 for column in by_month.columns]

    sites = [column for column in by_site.columns if by_site.value("encounters", column.key)]
    charts = [
        line_chart(title="Visits and participants each month", categories=months, y_label="people or visits",
                   series=[Series("Encounters (visits)", monthly("encounters")),
                           Series("Unique participants", monthly("unique_participants")),
                           Series("New participants", monthly("new_participants"))], chart_id="trend-people"),
        line_chart(title="Syringes each month", categories=months, y_label="syringes",
                   series=[Series("Distributed", monthly("syringes_distributed")),
                           Series("Returned", monthly("syringes_returned"))], chart_id="trend-syringes"),
        stacked_bar_chart(title="Naloxone doses each month, by product", categories=months, y_label="doses",
                          series=[Series(label, monthly("naloxone_doses", sub))
                                  for sub, label in by_month.sub_rows("naloxone_doses")]
                          or [Series("Naloxone doses", monthly("naloxone_doses"))], chart_id="trend-naloxone"),
        bar_chart(title="Supply mix, last 12 months", y_label="items",
                  categories=["Syringes", "Naloxone doses", "Test strips", "Other supplies"],
                  series=[Series("Given", [by_month.value(key) or 0 for key in (
                      "syringes_distributed", "naloxone_doses", "test_strips", "other_supplies")])],
                  chart_id="supply-mix"),
        bar_chart(title="By site, last 12 months", y_label="people or visits",
                  categories=[column.label for column in sites],
                  series=[Series("Encounters (visits)", [by_site.value("encounters", c.key) for c in sites]),
                          Series("Unique participants", [by_site.value("unique_participants", c.key)
                                                         for c in sites])], chart_id="by-site"),
    ]
    headline = [(label, by_month.value(key)) for key, label in (
        ("encounters", "Encounters (visits)"), ("unique_participants", "Unique participants"),
        ("new_participants", "New participants"), ("syringes_distributed", "Syringes distributed"),
        ("naloxone_doses", "Naloxone doses distributed"), ("reversals_reported", "Reversals reported"))]
    return {"period": period, "charts": [mark_safe(chart) for chart in charts], "headline": headline,
            "empty": by_month.is_empty, "note": kind_note("exact"), "total": TOTAL}


def report_charts(report: Report) -> list:
    """Bar charts of the report's main rows across its columns, as ChartSpecs for the PDF."""
    if len(report.columns) <= 1:
        return []
    charts = []
    for section in report.sections:
        for row in section.rows:
            if row.level == 0 and row.key in ("encounters", "syringes_distributed", "naloxone_doses"):
                values = [cell if isinstance(cell, (int, float, str)) and cell != "—" else None
                          for cell in row.cells[:-1]]
                charts.append(bar_chart_spec(title=f"{row.label}, {report.period.label}",
                                             categories=report.columns[:-1], series=[Series(row.label, values)],
                                             y_label=row.unit, caption=report.note))
    return charts
