"""Accessible SVG charts: line, grouped bar and stacked bar, rendered as strings.

Plain Python, no Django import (``docs/ARCHITECTURE.md`` rule 5), so reports,
the dashboard, the PDF and the benchmarks share one renderer.

What every chart guarantees:

* no external request and no inline style: HTML charts carry class names only,
  styled by ``haven/static/haven/charts.css`` (the CSP allows ``style-src 'self'``);
  the standalone SVG for the PDF carries the same styles as presentation
  attributes (a PDF has no CSS);
* an ``<svg role="img">`` labelled by its ``<title>`` and ``<desc>`` (a one-sentence
  summary), followed by a ``<table>`` with every value, for screen readers and
  for anyone who prefers numbers;
* series told apart by more than colour: the Okabe-Ito palette (safe for the
  common colour-vision deficiencies), dash patterns and marker shapes on lines,
  a fixed left-to-right / bottom-to-top order for bars, direct labels on lines;
* a suppressed cell (a string such as ``"<11"``) is drawn as a hatched mark of
  fixed size, never as a bar or point at a guessed height; a missing cell
  (``None``) breaks the line and draws nothing;
* all text is escaped, so a hostile label cannot inject markup.
"""

from __future__ import annotations

import functools
import math
import numbers
import re
import secrets
from collections.abc import Callable, Sequence
from dataclasses import dataclass, field
from decimal import Decimal
from html import escape as _html_escape

LINE = "line"
BAR = "bar"
STACKED_BAR = "stacked_bar"
KINDS = (LINE, BAR, STACKED_BAR)

# Okabe & Ito, "Color Universal Design" (2008), https://jfly.uni-koeln.de/color/ .
# Ordered so that the first five reach the 3:1 contrast against white that WCAG 2.1
# SC 1.4.11 asks of graphical objects; the last three (orange, sky blue, yellow) are
# lighter, so bars and markers always carry a dark outline and their lines a dark casing.
PALETTE = (
    "#0072B2",  # blue
    "#D55E00",  # vermillion
    "#009E73",  # bluish green
    "#CC79A7",  # reddish purple
    "#000000",  # black
    "#E69F00",  # orange
    "#56B4E9",  # sky blue
    "#F0E442",  # yellow
)
MAX_SERIES = len(PALETTE)
LIGHT_FROM = 5  # series from this index on get a dark casing under their line
DASHES = ("", "7 4", "2 3", "9 3 2 3", "4 2", "12 3", "1 2", "6 2 2 2 2 2")
MARKERS = ("circle", "square", "triangle", "diamond", "circle", "square", "triangle", "diamond")

INK = "#1a1a1a"  # text: 17.4:1 on white
AXIS = "#595f69"  # axis lines: 6.4:1 on white
GRID = "#d5d9df"  # light grid lines, decorative only
PAPER = "#ffffff"

MAX_VALUE = 1e15  # far above any count or rate a program reports; keeps axis arithmetic exact enough
MIN_SPAN = 1e-6  # a smaller range of values is drawn on a 0..1 axis (the table keeps the values)
WIDTH = 640
HEIGHT = 360
FONT_SIZE = 12
SMALL_FONT_SIZE = 11


@dataclass(frozen=True)
class ChartText:
    """Every word a chart writes, so that the Django caller can pass translations."""

    no_data: str = "No data for this period"
    missing: str = "No data"
    data_table: str = "Data table"
    category: str = "Category"
    suppressed_legend: str = "Hatched mark: count suppressed to protect privacy"
    summary: str = "{kind} with {series} series over {categories} categories, from {first} to {last}."
    summary_range: str = "Values range from {low} to {high}."
    summary_suppressed: str = "{count} values are suppressed and shown as hatched marks."
    summary_missing: str = "{count} values are missing."
    summary_table: str = "Every value is in the data table."
    kind_names: dict = field(
        default_factory=lambda: {LINE: "Line chart", BAR: "Bar chart", STACKED_BAR: "Stacked bar chart"}
    )


DEFAULT_TEXT = ChartText()

Value = float | int | None | str


@dataclass(frozen=True)
class Series:
    """One named series; a value is a number, ``None`` (no data) or a string (a suppressed cell, e.g. ``"<11"``)."""

    name: str
    values: Sequence[Value]

    def __post_init__(self) -> None:
        object.__setattr__(self, "name", str(self.name))
        object.__setattr__(self, "values", tuple(self.values))


@dataclass(frozen=True)
class ChartSpec:
    """A validated chart: what ``render_svg`` and ``render_figure`` draw and the PDF embeds."""

    kind: str
    title: str
    categories: tuple[str, ...]
    series: tuple[Series, ...]
    y_label: str = ""
    caption: str = ""
    x_label: str = ""
    value_format: Callable[[float | int], str] | None = None
    text: ChartText = DEFAULT_TEXT

    @property
    def is_empty(self) -> bool:
        return not self.categories or not self.series or all(v is None for s in self.series for v in s.values)

    def format_value(self, value: Value) -> str:
        if value is None:
            return self.text.missing
        if isinstance(value, str):
            return value
        if self.value_format is not None:
            return str(self.value_format(value))
        return default_format(value)

    def numbers(self) -> list[float]:
        return [v for s in self.series for v in s.values if _is_number(v)]


# Characters XML 1.0 does not allow at all (C0 controls, surrogates, U+FFFE/U+FFFF), and line breaks,
# which an XML parser would normalise: a label is one line of text.
_NOT_XML = re.compile(r"[\x00-\x08\x0b\x0c\x0e-\x1f\ud800-\udfff\ufffe\uffff]")
_LINE_BREAKS = re.compile(r"[\t\n\r]")


def clean_text(text: str) -> str:
    """A label as a chart writes it: characters that XML refuses removed, line breaks made spaces."""
    return _LINE_BREAKS.sub(" ", _NOT_XML.sub("", str(text)))


def escape(text: str) -> str:
    return _html_escape(clean_text(text), quote=True)


def default_format(value: float | int) -> str:
    if float(value).is_integer():
        return f"{int(value):,}"
    return f"{value:,.2f}".rstrip("0").rstrip(".")


def _is_number(value: object) -> bool:
    return isinstance(value, int | float) and not isinstance(value, bool)


def _checked_value(kind: str, name: str, value: object) -> Value:
    """A value as charts store it: None, a label, an int or a float (Decimal and numpy numbers converted)."""
    if value is None:
        return None
    if isinstance(value, str):
        if not value.strip():
            raise ValueError(f"Series {name!r} has a blank suppressed cell; give its label, such as '<11'.")
        return value
    if isinstance(value, bool) or not isinstance(value, numbers.Real | Decimal):
        raise ValueError(f"Series {name!r} has a value that is not a number, None or a string: {value!r}.")
    number = int(value) if isinstance(value, numbers.Integral) else float(value)
    if not math.isfinite(number):
        raise ValueError(f"Series {name!r} has a value that is not finite: {value!r}.")
    if abs(number) > MAX_VALUE:
        raise ValueError(f"Series {name!r} has a value too large to chart: {value!r}.")
    if kind == STACKED_BAR and number < 0:
        raise ValueError(
            f"Series {name!r} has a negative value ({value!r}); a stacked bar cannot show negatives."
        )
    return number


def _validate(
    kind: str, title: str, categories, series, y_label, caption, x_label, value_format, text
) -> ChartSpec:
    if kind not in KINDS:
        raise ValueError(f"Unknown chart kind {kind!r}; expected one of {', '.join(KINDS)}.")
    categories = tuple(str(c) for c in categories)
    series = tuple(s if isinstance(s, Series) else Series(*s) for s in series)
    if len(series) > MAX_SERIES:
        raise ValueError(
            f"A chart can show at most {MAX_SERIES} series so that each stays distinguishable; got {len(series)}."
        )
    series = tuple(Series(s.name, [_checked_value(kind, s.name, v) for v in s.values]) for s in series)
    for s in series:
        if len(s.values) != len(categories):
            raise ValueError(
                f"Series {s.name!r} has {len(s.values)} values for {len(categories)} categories."
            )
    return ChartSpec(
        kind=kind,
        title=str(title),
        categories=categories,
        series=series,
        y_label=str(y_label or ""),
        caption=str(caption or ""),
        x_label=str(x_label or ""),
        value_format=value_format,
        text=text or DEFAULT_TEXT,
    )


def chart_spec(
    kind, *, title, categories, series, y_label="", caption="", value_format=None, x_label="", text=None
) -> ChartSpec:
    """A checked chart of ``kind`` (LINE, BAR or STACKED_BAR), ready to render as SVG, table or figure."""
    return _validate(kind, title, categories, series, y_label, caption, x_label, value_format, text)


def chart(kind, *, chart_id=None, height=HEIGHT, **fields) -> str:
    """A chart as an accessible HTML figure (SVG and its data table); ``height`` (160 to 720) makes it
    shorter or taller. LINE: one line per series; BAR: bars grouped side by side for several
    series; STACKED_BAR: bars stacked (no negative values)."""
    return render_figure(chart_spec(kind, **fields), chart_id=chart_id, height=height)


line_chart_spec = functools.partial(chart_spec, LINE)
bar_chart_spec = functools.partial(chart_spec, BAR)
stacked_bar_chart_spec = functools.partial(chart_spec, STACKED_BAR)
line_chart = functools.partial(chart, LINE)
bar_chart = functools.partial(chart, BAR)
stacked_bar_chart = functools.partial(chart, STACKED_BAR)


# --- styles: one table, two outputs (CSS classes for HTML, attributes for the PDF) ---------------


def _class_styles() -> dict[str, dict[str, str]]:
    styles: dict[str, dict[str, str]] = {
        "hc-paper": {"fill": PAPER},
        "hc-grid": {"stroke": GRID, "stroke-width": "1", "fill": "none"},
        "hc-axis": {"stroke": AXIS, "stroke-width": "1", "fill": "none"},
        "hc-text": {"fill": INK, "font-size": f"{FONT_SIZE}px"},
        "hc-small": {"fill": INK, "font-size": f"{SMALL_FONT_SIZE}px"},
        "hc-empty": {"fill": INK, "font-size": "16px"},
        "hc-hatch": {"stroke": INK, "stroke-width": "1", "fill": "none"},
        "hc-suppressed": {"fill": PAPER, "stroke-width": "1.5"},
    }
    for i, colour in enumerate(PALETTE):
        styles[f"hc-bar-{i}"] = {"fill": colour, "stroke": INK, "stroke-width": "0.75"}
        line = {"stroke": colour, "stroke-width": "2.5", "fill": "none", "stroke-linejoin": "round"}
        if DASHES[i]:
            line["stroke-dasharray"] = DASHES[i]
        styles[f"hc-line-{i}"] = line
        if i >= LIGHT_FROM:
            casing = {"stroke": INK, "stroke-width": "4.5", "fill": "none", "stroke-linejoin": "round"}
            if DASHES[i]:
                casing["stroke-dasharray"] = DASHES[i]
            styles[f"hc-casing-{i}"] = casing
        styles[f"hc-marker-{i}"] = {"fill": colour, "stroke": INK, "stroke-width": "1"}
        styles[f"hc-edge-{i}"] = {"stroke": colour}
    return styles


CLASS_STYLES = _class_styles()


def css_rules() -> list[str]:
    """The rules ``haven/static/haven/charts.css`` must hold (a test checks the file against them)."""
    return [
        f".haven-chart .{name} {{ " + " ".join(f"{prop}: {value};" for prop, value in props.items()) + " }"
        for name, props in CLASS_STYLES.items()
    ]


class _Painter:
    def __init__(self, standalone: bool) -> None:
        self.standalone = standalone

    def __call__(self, *classes: str) -> str:
        if not self.standalone:
            return f'class="{" ".join(classes)}"'
        merged: dict[str, str] = {}
        for name in classes:
            merged.update(CLASS_STYLES[name])
        return " ".join(f'{prop}="{value}"' for prop, value in merged.items())


# --- geometry ------------------------------------------------------------------------------------


def _n(value: float) -> str:
    text = f"{value:.1f}"
    return text[:-2] if text.endswith(".0") else text


def _text_width(text: str, size: float = FONT_SIZE) -> float:
    return 0.6 * size * len(text)


def _shorten(text: str, limit: int) -> str:
    return text if len(text) <= limit else text[: max(1, limit - 1)] + "…"


def nice_ticks(low: float, high: float, target: int = 5) -> list[float]:
    """Round tick values covering low..high, about ``target`` of them (steps of 1, 2, 2.5 or 5 x 10^k)."""
    if high - low < MIN_SPAN:
        high = low + 1
    raw = (high - low) / target
    magnitude = 10 ** math.floor(math.log10(raw))
    step = next(m * magnitude for m in (1, 2, 2.5, 5, 10) if m * magnitude >= raw)
    first = math.floor(low / step + 1e-9)
    last = max(first + 1, math.ceil(high / step - 1e-9))
    # k * step, written with 12 significant digits so that 3 * 0.1 is 0.3, not 0.30000000000000004
    return [float(f"{k * step:.12g}") + 0.0 for k in range(first, last + 1)]


def _hatch(x: float, y: float, w: float, h: float, spacing: float = 3.0) -> str:
    """Diagonal hatch segments inside a rectangle, as one path (no <pattern>: the PDF renderer has none)."""
    parts = []
    d = spacing
    while d < w + h:
        u0, u1 = max(0.0, d - h), min(w, d)
        parts.append(f"M{_n(x + u0)} {_n(y + h - (d - u0))}L{_n(x + u1)} {_n(y + h - (d - u1))}")
        d += spacing
    return "".join(parts)


def _marker_path(shape: str, cx: float, cy: float, r: float = 4.0) -> str:
    if shape == "square":
        return f"M{_n(cx - r)} {_n(cy - r)}h{_n(2 * r)}v{_n(2 * r)}h{_n(-2 * r)}Z"
    if shape == "triangle":
        return f"M{_n(cx)} {_n(cy - r - 1)}L{_n(cx + r + 1)} {_n(cy + r)}L{_n(cx - r - 1)} {_n(cy + r)}Z"
    if shape == "diamond":
        return f"M{_n(cx)} {_n(cy - r - 1)}L{_n(cx + r + 1)} {_n(cy)}L{_n(cx)} {_n(cy + r + 1)}L{_n(cx - r - 1)} {_n(cy)}Z"
    # circle as two arcs, so every marker is a <path>
    return f"M{_n(cx - r)} {_n(cy)}a{_n(r)} {_n(r)} 0 1 0 {_n(2 * r)} 0a{_n(r)} {_n(r)} 0 1 0 {_n(-2 * r)} 0Z"


def _spread(positions: list[tuple[float, int]], gap: float, low: float, high: float) -> dict[int, float]:
    """Move label y positions apart by at least ``gap``, keeping them within low..high."""
    ordered = sorted(positions)
    placed: list[list[float]] = []
    for y, key in ordered:
        y = max(low, min(high, y))
        if placed and y < placed[-1][0] + gap:
            y = placed[-1][0] + gap
        placed.append([y, key])
    overflow = placed[-1][0] - high if placed else 0
    if overflow > 0:
        for item in placed:
            item[0] -= overflow
    return {int(key): y for y, key in placed}


# --- rendering -----------------------------------------------------------------------------------


def summary(spec: ChartSpec) -> str:
    """The one-paragraph text alternative put in the SVG's <desc>."""
    t = spec.text
    if spec.is_empty:
        return t.no_data
    parts = [
        t.summary.format(
            kind=t.kind_names.get(spec.kind, spec.kind),
            series=len(spec.series),
            categories=len(spec.categories),
            first=spec.categories[0],
            last=spec.categories[-1],
        )
    ]
    numbers = spec.numbers()
    if numbers:
        parts.append(
            t.summary_range.format(low=spec.format_value(min(numbers)), high=spec.format_value(max(numbers)))
        )
    suppressed = sum(isinstance(v, str) for s in spec.series for v in s.values)
    missing = sum(v is None for s in spec.series for v in s.values)
    if suppressed:
        parts.append(t.summary_suppressed.format(count=suppressed))
    if missing:
        parts.append(t.summary_missing.format(count=missing))
    parts.append(t.summary_table)
    return " ".join(parts)


def render_svg(
    spec: ChartSpec,
    standalone: bool = False,
    *,
    chart_id: str | None = None,
    width: int = WIDTH,
    height: int = HEIGHT,
    font_family: str = "DejaVu Sans, sans-serif",
    metadata: bool = True,
) -> str:
    """The chart as one <svg> element; ``standalone=True`` gives a self-contained SVG document for the PDF.

    ``metadata=False`` leaves out <title> and <desc>, for a consumer that reads the summary elsewhere
    (the PDF passes it as the image's alternative text).
    """
    chart_id = _checked_id(chart_id)
    if not (320 <= width <= 1600 and 160 <= height <= 720):
        raise ValueError(f"A chart is 320 to 1600 wide and 160 to 720 high; got {width} x {height}.")
    paint = _Painter(standalone)
    plot = None if spec.is_empty else _Plot(spec, paint, width, height)
    if plot is not None:
        height = plot.height  # a legend of many rows makes the chart taller rather than the plot too small
    else:
        height = 160  # a short panel with the message, not a large empty frame
    title_id, desc_id = f"{chart_id}-title", f"{chart_id}-desc"
    if standalone:
        opening = (
            f'<svg xmlns="http://www.w3.org/2000/svg" version="1.1" width="{width}" height="{height}" '
            f'viewBox="0 0 {width} {height}" role="img" aria-labelledby="{title_id} {desc_id}" '
            f'font-family="{escape(font_family)}">'
        )
    else:
        opening = (
            f'<svg xmlns="http://www.w3.org/2000/svg" class="haven-chart__svg" viewBox="0 0 {width} {height}" '
            f'role="img" aria-labelledby="{title_id} {desc_id}" focusable="false">'
        )
    if not metadata:
        opening = opening.replace(f' role="img" aria-labelledby="{title_id} {desc_id}"', "")
    out = [opening]
    if metadata:
        out.append(f'<title id="{title_id}">{escape(spec.title)}</title>')
        out.append(f'<desc id="{desc_id}">{escape(summary(spec))}</desc>')
    out.append(f'<rect {paint("hc-paper")} x="0" y="0" width="{width}" height="{height}"/>')
    if spec.is_empty:
        out.append(
            f'<text {paint("hc-empty")} x="{width / 2:g}" y="{height / 2:g}" text-anchor="middle">'
            f"{escape(spec.text.no_data)}</text>"
        )
    else:
        out.extend(plot.draw())
    out.append("</svg>")
    return "".join(out)


class _Plot:
    def __init__(self, spec: ChartSpec, paint: _Painter, width: int, height: int) -> None:
        self.spec, self.paint, self.width, self.height = spec, paint, width, height
        self.has_suppressed = any(isinstance(v, str) for s in spec.series for v in s.values)
        self.legend, legend_height = self._legend_layout()

        low, high = self._value_range()
        self.ticks = nice_ticks(low, high)
        self.low, self.high = self.ticks[0], self.ticks[-1]
        tick_width = max(_text_width(self._tick_label(t), SMALL_FONT_SIZE) for t in self.ticks)

        self.left = min(8 + tick_width + 6 + (20 if spec.y_label else 0), width * 0.35)
        label_room = 0.0
        if spec.kind == LINE:
            label_room = min(
                120.0, max(_text_width(_shorten(s.name, 18), SMALL_FONT_SIZE) for s in spec.series) + 24
            )
        self.right = width - 12 - label_room
        self.top = legend_height + 14
        self.height = max(height, int(self.top) + 100 + 30)
        self.bottom = self.height - 30
        self.band = (self.right - self.left) / len(spec.categories)

    # layout helpers
    def _tick_label(self, value: float) -> str:
        return self.spec.format_value(int(value) if float(value).is_integer() else value)

    def _value_range(self) -> tuple[float, float]:
        spec = self.spec
        if spec.kind == STACKED_BAR:
            totals = [
                sum(s.values[i] for s in spec.series if _is_number(s.values[i]))
                for i in range(len(spec.categories))
            ]
            values = totals
        else:
            values = spec.numbers()
        low = min([0.0, *values])
        high = max([0.0, *values])
        if high - low < MIN_SPAN:
            high = low + 1
        return low, high

    def _legend_layout(self) -> tuple[list[tuple[float, float, int]], float]:
        items = [
            (_text_width(_shorten(s.name, 28), SMALL_FONT_SIZE) + 40, i)
            for i, s in enumerate(self.spec.series)
        ]
        if self.has_suppressed:
            items.append((_text_width(self.spec.text.suppressed_legend, SMALL_FONT_SIZE) + 28, -1))
        x, row, placed = 12.0, 0, []
        for item_width, index in items:
            if x + item_width > self.width - 12 and x > 12:
                x, row = 12.0, row + 1
            placed.append((x, 14 + row * 18, index))
            x += item_width
        return placed, 14 + row * 18 + 6

    def y(self, value: float) -> float:
        return self.bottom - (value - self.low) / (self.high - self.low) * (self.bottom - self.top)

    def x_center(self, index: int) -> float:
        return self.left + (index + 0.5) * self.band

    # drawing
    def draw(self) -> list[str]:
        out = self._legend() + self._axes()
        if self.spec.kind == LINE:
            out += self._lines()
        elif self.spec.kind == BAR:
            out += self._bars()
        else:
            out += self._stacks()
        return out

    def _legend(self) -> list[str]:
        p, out = self.paint, []
        for x, y, index in self.legend:
            if index == -1:
                out.append(self._suppressed_mark(x + 1, y - 8, None, size=10))
                out.append(
                    f'<text {p("hc-small")} x="{_n(x + 16)}" y="{_n(y)}">{escape(self.spec.text.suppressed_legend)}</text>'
                )
                continue
            name = escape(_shorten(self.spec.series[index].name, 28))
            if self.spec.kind == LINE:
                if index >= LIGHT_FROM:
                    out.append(f'<path {p(f"hc-casing-{index}")} d="M{_n(x)} {_n(y - 4)}h26"/>')
                out.append(f'<path {p(f"hc-line-{index}")} d="M{_n(x)} {_n(y - 4)}h26"/>')
                out.append(
                    f'<path {p(f"hc-marker-{index}")} d="{_marker_path(MARKERS[index], x + 13, y - 4, 3.5)}"/>'
                )
            else:
                out.append(
                    f'<rect {p(f"hc-bar-{index}")} x="{_n(x)}" y="{_n(y - 10)}" width="22" height="12"/>'
                )
            out.append(f'<text {p("hc-small")} x="{_n(x + 32)}" y="{_n(y)}">{name}</text>')
        return out

    def _axes(self) -> list[str]:
        p, spec, out = self.paint, self.spec, []
        for tick in self.ticks:
            y = self.y(tick)
            cls = "hc-axis" if tick == 0 else "hc-grid"
            out.append(f'<path {p(cls)} d="M{_n(self.left)} {_n(y)}H{_n(self.right)}"/>')
            out.append(
                f'<text {p("hc-small")} x="{_n(self.left - 6)}" y="{_n(y + 4)}" text-anchor="end">'
                f"{escape(self._tick_label(tick))}</text>"
            )
        out.append(f'<path {p("hc-axis")} d="M{_n(self.left)} {_n(self.top)}V{_n(self.bottom)}"/>')
        if 0 not in self.ticks:
            out.append(f'<path {p("hc-axis")} d="M{_n(self.left)} {_n(self.bottom)}H{_n(self.right)}"/>')
        if spec.y_label:
            cx, cy = 14, (self.top + self.bottom) / 2
            out.append(
                f'<text {p("hc-small")} x="{_n(cx)}" y="{_n(cy)}" text-anchor="middle" '
                f'transform="rotate(-90 {_n(cx)} {_n(cy)})">{escape(_shorten(spec.y_label, 40))}</text>'
            )
        # Thin the category labels so that they never overlap: every k-th one, from the first, with k
        # a divisor or multiple of 12 so that monthly labels fall on the same months each year.
        labels = [_shorten(c, 16) for c in spec.categories]
        widest = max(_text_width(label, SMALL_FONT_SIZE) for label in labels) + 8
        needed = max(1, math.ceil(widest / self.band))
        step = (
            next(k for k in (1, 2, 3, 4, 6, 12) if k >= needed)
            if needed <= 12
            else 12 * math.ceil(needed / 12)
        )
        for i in range(0, len(labels), step):
            x = self.x_center(i)
            out.append(f'<path {p("hc-axis")} d="M{_n(x)} {_n(self.bottom)}v4"/>')
            out.append(
                f'<text {p("hc-small")} x="{_n(x)}" y="{_n(self.bottom + 17)}" text-anchor="middle">'
                f"{escape(labels[i])}</text>"
            )
        return out

    def _suppressed_mark(self, x: float, y: float, series_index: int | None, size: float = 9) -> str:
        p = self.paint
        edge = (
            ("hc-suppressed", f"hc-edge-{series_index}")
            if series_index is not None
            else ("hc-suppressed", "hc-hatch")
        )
        return (
            f'<g><rect {p(*edge)} x="{_n(x)}" y="{_n(y)}" width="{_n(size)}" height="{_n(size)}"/>'
            f'<path {p("hc-hatch")} d="{_hatch(x, y, size, size)}"/></g>'
        )

    def _baseline(self) -> float:
        return self.y(max(self.low, min(0.0, self.high)))

    def _lines(self) -> list[str]:
        p, spec, out = self.paint, self.spec, []
        show_markers = len(spec.categories) <= 24
        ends: list[tuple[float, int]] = []
        for si, s in enumerate(spec.series):
            runs, run = [], []
            for i, value in enumerate(s.values):
                if _is_number(value):
                    run.append((self.x_center(i), self.y(value)))
                else:
                    if run:
                        runs.append(run)
                    run = []
            if run:
                runs.append(run)
            for run in runs:
                if len(run) > 1:
                    d = "M" + "L".join(f"{_n(x)} {_n(y)}" for x, y in run)
                    if si >= LIGHT_FROM:
                        out.append(f'<path {p(f"hc-casing-{si}")} d="{d}"/>')
                    out.append(f'<path {p(f"hc-line-{si}")} d="{d}"/>')
                for x, y in run if show_markers or len(run) == 1 else []:
                    out.append(f'<path {p(f"hc-marker-{si}")} d="{_marker_path(MARKERS[si], x, y)}"/>')
            for i, value in enumerate(s.values):
                if isinstance(value, str):
                    size = min(9.0, max(4.0, self.band * 0.8))
                    out.append(
                        self._suppressed_mark(
                            self.x_center(i) - size / 2, self._baseline() - (si + 1) * (size + 2), si, size
                        )
                    )
            if runs:
                ends.append((runs[-1][-1][1], si))
        for si, y in _spread(ends, 13, self.top + 4, self.bottom).items():
            name = escape(_shorten(spec.series[si].name, 18))
            if si >= LIGHT_FROM:
                out.append(f'<path {p(f"hc-casing-{si}")} d="M{_n(self.right + 4)} {_n(y)}h12"/>')
            out.append(f'<path {p(f"hc-line-{si}")} d="M{_n(self.right + 4)} {_n(y)}h12"/>')
            out.append(f'<text {p("hc-small")} x="{_n(self.right + 20)}" y="{_n(y + 4)}">{name}</text>')
        return out

    def _bars(self) -> list[str]:
        p, spec, out = self.paint, self.spec, []
        group = self.band * 0.8
        width = group / len(spec.series)
        zero = self._baseline()
        for si, s in enumerate(spec.series):
            for i, value in enumerate(s.values):
                x = self.left + i * self.band + self.band * 0.1 + si * width
                if _is_number(value):
                    y = self.y(value)
                    top, h = min(y, zero), abs(zero - y)
                    out.append(
                        f'<rect {p(f"hc-bar-{si}")} x="{_n(x)}" y="{_n(top)}" width="{_n(width)}" height="{_n(h)}"/>'
                    )
                elif isinstance(value, str):
                    size = min(9.0, max(3.0, width))
                    out.append(self._suppressed_mark(x + (width - size) / 2, zero - size - 1, si, size))
        return out

    def _stacks(self) -> list[str]:
        p, spec, out = self.paint, self.spec, []
        width = self.band * 0.7
        for i in range(len(spec.categories)):
            x = self.left + i * self.band + self.band * 0.15
            running = 0.0
            unknown = []
            for si, s in enumerate(spec.series):
                value = s.values[i]
                if _is_number(value):
                    y0, y1 = self.y(running), self.y(running + value)
                    out.append(
                        f'<rect {p(f"hc-bar-{si}")} x="{_n(x)}" y="{_n(y1)}" width="{_n(width)}" height="{_n(y0 - y1)}"/>'
                    )
                    running += value
                elif isinstance(value, str):
                    unknown.append(si)
            # Suppressed parts cannot be stacked at a height: they sit as marks above the known total.
            size = min(9.0, max(3.0, width))
            top = self.y(running)
            for k, si in enumerate(unknown):
                out.append(
                    self._suppressed_mark(x + (width - size) / 2, top - (k + 1) * (size + 2), si, size)
                )
        return out


_ID = re.compile(r"[A-Za-z][A-Za-z0-9_-]{0,63}")


def _new_id() -> str:
    return "chart-" + secrets.token_hex(4)


def _checked_id(chart_id: str | None) -> str:
    if chart_id is None:
        return _new_id()
    if not _ID.fullmatch(chart_id):
        raise ValueError(f"chart_id {chart_id!r} must be a letter then letters, digits, '-' or '_'.")
    return chart_id


def render_table(spec: ChartSpec, *, chart_id: str | None = None) -> str:
    """The data table: caption, a header row, one row per category, every value as written."""
    t = spec.text
    caption = escape(spec.title + (f". {spec.y_label}" if spec.y_label else ""))
    head = "".join(f'<th scope="col">{escape(s.name)}</th>' for s in spec.series)
    rows = []
    for i, category in enumerate(spec.categories):
        cells = []
        for s in spec.series:
            value = s.values[i]
            cls = (
                ' class="hc-cell-suppressed"'
                if isinstance(value, str)
                else (' class="hc-cell-missing"' if value is None else "")
            )
            cells.append(f"<td{cls}>{escape(spec.format_value(value))}</td>")
        rows.append(f'<tr><th scope="row">{escape(category)}</th>{"".join(cells)}</tr>')
    return (
        f'<table class="haven-chart__table"><caption>{caption}</caption>'
        f'<thead><tr><th scope="col">{escape(spec.x_label or t.category)}</th>{head}</tr></thead>'
        f"<tbody>{''.join(rows)}</tbody></table>"
    )


def render_figure(spec: ChartSpec, *, chart_id: str | None = None, height: int = HEIGHT) -> str:
    """The accessible HTML figure: caption, SVG, and the data table in a <details> element."""
    chart_id = _checked_id(chart_id)
    caption = f'<p class="haven-chart__caption">{escape(spec.caption)}</p>' if spec.caption else ""
    if spec.categories and spec.series:
        table = (
            f'<details class="haven-chart__data"><summary>{escape(spec.text.data_table)}</summary>'
            f"{render_table(spec)}</details>"
        )
    else:
        table = ""
    return (
        f'<figure class="haven-chart" id="{chart_id}">'
        f'<figcaption class="haven-chart__title">{escape(spec.title)}</figcaption>'
        f"{render_svg(spec, chart_id=chart_id, height=height)}{caption}{table}</figure>"
    )
