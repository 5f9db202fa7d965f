"""A small bar chart of a market table as SVG, drawn on the server. Plain Python, no Django import.

No JavaScript and no inline styles (the CSP refuses them): shapes carry classes styled in
static/haven/drugchecking.css. A suppressed cell is drawn as an empty dashed box labelled with
what the table shows ("<11", "suppressed"), never as a height that would give the number away.
"""

from __future__ import annotations

from collections.abc import Sequence
from html import escape

BAR_WIDTH = 18
BAR_GAP = 6
ROW_HEIGHT = 64
LABEL_WIDTH = 150
TOP = 24
HIDDEN_HEIGHT = 14


def market_svg(*, title: str, months: Sequence[str], rows: Sequence[tuple[str, Sequence]], chart_id: str) -> str:
    """One row of bars per substance found, one bar per month; numbers scaled to the largest shown."""
    shown = [cell for _name, cells in rows for cell in cells if isinstance(cell, int)]
    largest = max(shown, default=0) or 1
    width = LABEL_WIDTH + len(months) * (BAR_WIDTH + BAR_GAP) + BAR_GAP
    height = TOP + len(rows) * ROW_HEIGHT + 20
    bar_room = ROW_HEIGHT - 20
    parts = [
        f'<svg xmlns="http://www.w3.org/2000/svg" class="market-chart" viewBox="0 0 {width} {height}" '
        f'role="img" aria-labelledby="{chart_id}-title">',
        f'<title id="{chart_id}-title">{escape(title)}</title>',
    ]
    for index, month in enumerate(months):
        x = LABEL_WIDTH + BAR_GAP + index * (BAR_WIDTH + BAR_GAP)
        parts.append(f'<text class="chart-month" x="{x + BAR_WIDTH / 2}" y="{TOP - 8}">{escape(month)}</text>')
    for row_index, (name, cells) in enumerate(rows):
        base = TOP + (row_index + 1) * ROW_HEIGHT - 10
        parts.append(f'<text class="chart-label" x="{LABEL_WIDTH - 8}" y="{base - 4}">{escape(name)}</text>')
        parts.append(f'<line class="chart-axis" x1="{LABEL_WIDTH}" y1="{base}" x2="{width}" y2="{base}"/>')
        for index, cell in enumerate(cells):
            x = LABEL_WIDTH + BAR_GAP + index * (BAR_WIDTH + BAR_GAP)
            if isinstance(cell, int):
                if cell == 0:
                    continue
                bar = max(2, round(bar_room * cell / largest))
                parts.append(f'<rect class="chart-bar" x="{x}" y="{base - bar}" width="{BAR_WIDTH}" height="{bar}">'
                             f'<title>{escape(name)}, {escape(months[index])}: {cell}</title></rect>')
            else:
                parts.append(f'<rect class="chart-hidden" x="{x}" y="{base - HIDDEN_HEIGHT}" width="{BAR_WIDTH}" '
                             f'height="{HIDDEN_HEIGHT}"><title>{escape(name)}, {escape(months[index])}: '
                             f'{escape(str(cell))}</title></rect>')
    parts.append("</svg>")
    return "".join(parts)
