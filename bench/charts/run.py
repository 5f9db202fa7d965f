"""Time chart rendering (60 months x 4 series) and a 20-page PDF report.

Run from the repository root:  python bench/charts/run.py [--repeat N]

Prints the median and worst wall time and the median CPU time of N runs for each case (CPU time is
the steadier number on a shared machine). The PDF has a title, four charts (two pages) and an
806-row table of weekly counts that runs to page 20.
"""

from __future__ import annotations

import argparse
import os
import platform
import random
import statistics
import sys
import time
from pathlib import Path

sys.path.insert(0, str(Path(__file__).resolve().parents[2]))

from haven.reports.charts import (  # noqa: E402
    Series,
    bar_chart,
    bar_chart_spec,
    line_chart,
    line_chart_spec,
    render_svg,
    stacked_bar_chart,
    stacked_bar_chart_spec,
)
from haven.reports.pdf import ReportDocument  # noqa: E402

MONTHS = [f"{2021 + i // 12}-{i % 12 + 1:02d}" for i in range(60)]
TABLE_ROWS = 4 + 46 * 17 + 20  # 4 rows under the charts on page 2, then 46 a page: 20 pages in all


def monthly_series(rng: random.Random) -> list[Series]:
    names = ["Sterile syringes given", "Naloxone kits given", "Drug checking samples", "Overdose reports"]
    series = []
    for name in names:
        mean = rng.uniform(5, 400)
        values = []
        for _ in MONTHS:
            value = max(0, round(rng.gauss(mean, mean / 4)))
            values.append("<11" if 0 < value < 11 else value)
        series.append(Series(name, values))
    return series


def timed(function, repeat: int) -> tuple[float, float, float, object]:
    """Median wall ms, worst wall ms, median CPU ms (steadier on a shared machine), last result."""
    walls, cpus, result = [], [], None
    for _ in range(repeat):
        wall, cpu = time.perf_counter(), time.process_time()
        result = function()
        cpus.append((time.process_time() - cpu) * 1000)
        walls.append((time.perf_counter() - wall) * 1000)
    return statistics.median(walls), max(walls), statistics.median(cpus), result


def twenty_page_report(series: list[Series]) -> ReportDocument:
    doc = ReportDocument(
        title="Five-year program report",
        subtitle="Monthly counts, 2021 to 2025",
        kind_note="Shareable: counts of 1 to 10 people shown as <11",
        program="North drop-in",
    )
    for spec_of in (line_chart_spec, bar_chart_spec, stacked_bar_chart_spec, line_chart_spec):
        doc.add_chart(spec_of(title="Monthly counts", categories=MONTHS, series=series, y_label="People"))
    rng = random.Random(7)
    doc.add_table(
        ["Week", "Site", "Visits", "Kits"],
        [
            [f"week {i + 1}", "North drop-in", rng.randint(0, 300), rng.choice(["<11", 40, 12])]
            for i in range(TABLE_ROWS)
        ],
        caption="Visits and kits by week",
    )
    return doc


def main() -> None:
    parser = argparse.ArgumentParser(description=__doc__.splitlines()[0])
    parser.add_argument("--repeat", type=int, default=20)
    args = parser.parse_args()
    series = monthly_series(random.Random(20261125))

    print(f"python {platform.python_version()}, {os.cpu_count()} cpus, {args.repeat} runs each")
    print(f"{'case':<52}{'median ms':>10}{'max ms':>9}{'CPU ms':>9}{'bytes':>10}")
    cases = [
        (
            "line chart, 60 months x 4 series (HTML figure)",
            lambda: line_chart(title="Monthly counts", categories=MONTHS, series=series, y_label="People"),
        ),
        (
            "bar chart, 60 months x 4 series (HTML figure)",
            lambda: bar_chart(title="Monthly counts", categories=MONTHS, series=series, y_label="People"),
        ),
        (
            "stacked bar chart, 60 months x 4 series (HTML figure)",
            lambda: stacked_bar_chart(
                title="Monthly counts", categories=MONTHS, series=series, y_label="People"
            ),
        ),
        (
            "line chart, standalone SVG for the PDF",
            lambda: render_svg(
                line_chart_spec(title="Monthly counts", categories=MONTHS, series=series), standalone=True
            ),
        ),
    ]
    for label, function in cases:
        median, worst, cpu, output = timed(function, args.repeat)
        print(f"{label:<52}{median:>10.2f}{worst:>9.2f}{cpu:>9.2f}{len(output):>10,}", flush=True)

    pdf_runs = max(1, args.repeat // 4)
    median, worst, cpu, pdf = timed(lambda: ReportDocument(title="Empty").render(), pdf_runs)
    print(
        f"{'PDF, 1 empty page (loading the two fonts)':<52}{median:>10.1f}{worst:>9.1f}{cpu:>9.1f}{len(pdf):>10,}"
    )
    documents = []
    median, worst, cpu, pdf = timed(
        lambda: documents.append(twenty_page_report(series)) or documents[-1].render(), pdf_runs
    )
    label = f"PDF, {documents[-1].page_count} pages (4 charts + table)"
    print(f"{label:<52}{median:>10.1f}{worst:>9.1f}{cpu:>9.1f}{len(pdf):>10,}", flush=True)


if __name__ == "__main__":
    main()
