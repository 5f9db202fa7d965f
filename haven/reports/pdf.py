"""Printable PDF reports: headings, paragraphs, long tables and vector charts.

Plain Python over fpdf2, no Django import, no network: the fonts ship in
``haven/reports/fonts/`` (DejaVu Sans, Bitstream Vera licence, see
``LICENSE-DejaVu.txt``) so that Spanish, French and most Latin, Greek and
Cyrillic text prints as written. Charts come from ``haven.reports.charts`` as
standalone SVG (presentation attributes, no CSS) and stay vectors in the PDF.

    doc = ReportDocument(title="Quarterly report", kind_note="Shareable: counts of 1 to 10 shown as <11")
    doc.add_heading("Supplies")
    doc.add_table(["Month", "Syringes"], [["2026-01", 1200]], caption="Sterile syringes given")
    doc.add_chart(spec)
    pdf_bytes = doc.render()
"""

from __future__ import annotations

import io
import re
from collections.abc import Sequence
from decimal import Decimal
from pathlib import Path

from fpdf import FPDF, ResourceAccessPolicy
from fpdf.enums import WrapMode, XPos, YPos

from haven.reports.charts import ChartSpec, default_format, render_svg, summary

FONT_DIR = Path(__file__).resolve().parent / "fonts"
FONT_FAMILY = "DejaVu"
# Drawn narrower than on screen so that the chart's 11 px text prints at about 8 pt across the text width.
CHART_WIDTH, CHART_HEIGHT = 520, 300
INK = (26, 26, 26)
MUTED = (75, 80, 88)  # 8:1 on white

# Characters that are not text (C0/C1 controls except tab and newline, lone surrogates) cannot be printed.
_CONTROL = re.compile(r"[\x00-\x08\x0b-\x1f\x7f-\x9f\ud800-\udfff]")


def _rgb(colour: str) -> tuple[int, int, int] | None:
    """"#rrggbb" -> (r, g, b); anything else -> None (no rule drawn)."""
    if not re.fullmatch(r"#[0-9a-fA-F]{6}", colour or ""):
        return None
    return int(colour[1:3], 16), int(colour[3:5], 16), int(colour[5:7], 16)


def _clean(value: object) -> str:
    if value is None:
        return ""
    return _CONTROL.sub("", str(value))


class _HavenPDF(FPDF):
    def __init__(self, *, program: str, kind_note: str, page_label: str) -> None:
        super().__init__(orientation="portrait", unit="mm", format="A4")
        self.program = program
        self.kind_note = kind_note
        self.page_label = page_label
        # Nothing in a report may be fetched from anywhere: the SVGs are ours and self-contained.
        self.resource_access_policy = ResourceAccessPolicy(0)
        self.add_font(FONT_FAMILY, "", str(FONT_DIR / "DejaVuSans.ttf"))
        self.add_font(FONT_FAMILY, "B", str(FONT_DIR / "DejaVuSans-Bold.ttf"))
        self.set_margins(18, 18, 18)
        self.set_auto_page_break(auto=True, margin=22)
        self.set_text_color(*INK)

    def footer(self) -> None:
        self.set_y(-18)
        self.set_font(FONT_FAMILY, "", 8)
        self.set_text_color(*MUTED)
        page = self.page_label.format(page=self.page_no(), pages="{nb}")
        left = f"{self.program} · {page}" if self.program else page
        self.cell(0, 4, left, new_x=XPos.LMARGIN, new_y=YPos.NEXT)
        if self.kind_note:
            self.multi_cell(0, 4, self.kind_note, align="L", new_x=XPos.LMARGIN, new_y=YPos.NEXT)
        self.set_text_color(*INK)


class ReportDocument:
    """A report built top to bottom, then rendered once to PDF bytes."""

    def __init__(
        self,
        *,
        title: str,
        subtitle: str = "",
        kind_note: str = "",
        program: str = "",
        logo_png: bytes | None = None,
        accent: str = "",
        language: str = "en",
        page_label: str = "Page {page} of {pages}",
        columns_label: str = "Columns {first}–{last} of {count} (the first column repeats)",
    ) -> None:
        if not _clean(title).strip():
            raise ValueError("A report needs a title.")
        try:
            page_label.format(page=1, pages=1)
        except (KeyError, IndexError, ValueError) as error:
            raise ValueError(f"page_label may use only {{page}} and {{pages}}: {page_label!r}.") from error
        try:
            columns_label.format(first=2, last=3, count=3)
        except (KeyError, IndexError, ValueError) as error:
            raise ValueError(f"columns_label may use only {{first}}, {{last}} and {{count}}: {columns_label!r}.") \
                from error
        self._pdf_columns_label = columns_label
        self.title = _clean(title)
        self._pdf = _HavenPDF(program=_clean(program), kind_note=_clean(kind_note), page_label=page_label)
        pdf = self._pdf
        pdf.set_title(self.title)
        pdf.set_creator("Haven")
        pdf.set_lang(language)
        pdf.add_page()
        self._brand_header(logo_png, accent)
        pdf.set_font(FONT_FAMILY, "B", 18)
        pdf.multi_cell(0, 8, self.title, new_x=XPos.LMARGIN, new_y=YPos.NEXT)
        if subtitle:
            pdf.set_font(FONT_FAMILY, "", 12)
            pdf.multi_cell(0, 6, _clean(subtitle), new_x=XPos.LMARGIN, new_y=YPos.NEXT)
        if kind_note:
            pdf.ln(1)
            pdf.set_font(FONT_FAMILY, "", 9)
            pdf.set_text_color(*MUTED)
            pdf.multi_cell(0, 4.5, _clean(kind_note), new_x=XPos.LMARGIN, new_y=YPos.NEXT)
            pdf.set_text_color(*INK)
        pdf.ln(4)

    def _brand_header(self, logo_png: bytes | None, accent: str) -> None:
        """The program's logo and name above the title, and a rule in its accent colour ("#rrggbb")."""
        pdf = self._pdf
        top = pdf.get_y()
        text_x = pdf.l_margin
        if logo_png:
            # 12 mm high; fpdf2 keeps the aspect ratio. Our own cleaned PNG, read from memory, never a path or URL.
            info = pdf.image(io.BytesIO(logo_png), x=pdf.l_margin, y=top, h=12)
            text_x = pdf.l_margin + float(info.rendered_width) + 4
        if pdf.program:
            pdf.set_xy(text_x, top + (3.5 if logo_png else 0))
            pdf.set_font(FONT_FAMILY, "B", 11)
            pdf.cell(0, 5, pdf.program, new_x=XPos.LMARGIN, new_y=YPos.NEXT)
        if logo_png or pdf.program:
            pdf.set_y(top + (14 if logo_png else 7))
        colour = _rgb(accent)
        if colour:
            pdf.set_fill_color(*colour)
            pdf.rect(pdf.l_margin, pdf.get_y(), pdf.epw, 1.2, style="F")
            pdf.set_y(pdf.get_y() + 4)
        elif logo_png or pdf.program:
            pdf.ln(2)

    @property
    def page_count(self) -> int:
        return self._pdf.pages_count

    def _room_for(self, height: float) -> None:
        pdf = self._pdf
        if pdf.get_y() + height > pdf.page_break_trigger:
            pdf.add_page()

    def add_heading(self, text: str, *, level: int = 1) -> None:
        size = {1: 14, 2: 12}.get(level, 11)
        self._room_for(size * 0.5 + 14)  # keep a heading with the first lines that follow it
        pdf = self._pdf
        pdf.ln(2)
        pdf.set_font(FONT_FAMILY, "B", size)
        pdf.multi_cell(0, size * 0.5, _clean(text), new_x=XPos.LMARGIN, new_y=YPos.NEXT)
        pdf.ln(1.5)

    def add_paragraph(self, text: str) -> None:
        pdf = self._pdf
        pdf.set_font(FONT_FAMILY, "", 10)
        pdf.multi_cell(0, 5, _clean(text), new_x=XPos.LMARGIN, new_y=YPos.NEXT)
        pdf.ln(2)

    def add_table(
        self,
        columns: Sequence[str],
        rows: Sequence[Sequence[object]],
        caption: str = "",
        *,
        col_widths: Sequence[float] | None = None,
        numeric_columns: Sequence[bool] | None = None,
    ) -> None:
        """A table whose header row repeats on every page it runs onto; numbers are right-aligned.

        ``numeric_columns`` says which columns to right-align; by default, every column but the
        first whose cells all look like numbers (including suppressed cells such as "<11").
        """
        columns = [_clean(c) for c in columns]
        if not columns:
            raise ValueError("A table needs at least one column.")
        for number, row in enumerate(rows, start=1):
            if len(row) != len(columns):
                raise ValueError(f"Row {number} has {len(row)} cells for {len(columns)} columns.")
        pdf = self._pdf
        if caption:
            self._room_for(20)
            pdf.set_font(FONT_FAMILY, "B", 10)
            pdf.multi_cell(0, 5, _clean(caption), new_x=XPos.LMARGIN, new_y=YPos.NEXT)
            pdf.ln(1)
        body = [[_format_cell(value) for value in row] for row in rows]
        if numeric_columns is None:
            # By default every cell after the first that holds a number (or a placeholder such as
            # "—" or "<11") is right-aligned, so one row of words does not unalign a column of numbers.
            cell_aligns = [
                ["R" if i > 0 and (_is_numeric_cell(value) or _is_placeholder(text)) else "L"
                 for i, (value, text) in enumerate(zip(row, cells, strict=True))]
                for row, cells in zip(rows, body, strict=True)
            ]
            header_aligns = [
                "R" if i > 0 and rows and sum(row[i] == "R" for row in cell_aligns) * 2 > len(rows) else "L"
                for i in range(len(columns))
            ]
        elif len(numeric_columns) != len(columns):
            raise ValueError(
                f"numeric_columns has {len(numeric_columns)} entries for {len(columns)} columns."
            )
        else:
            header_aligns = ["R" if numeric else "L" for numeric in numeric_columns]
            cell_aligns = [header_aligns] * len(body)
        parts = [list(range(len(columns)))] if col_widths else self._column_parts(columns, body)
        for indexes in parts:
            label = "" if len(parts) == 1 else self._pdf_columns_label.format(
                first=indexes[1] + 1, last=indexes[-1] + 1, count=len(columns))

            def pick(values, indexes=indexes):
                return [values[i] for i in indexes]

            self._table_part(pick(columns), [pick(cells) for cells in body], pick(header_aligns),
                             [pick(aligns) for aligns in cell_aligns], col_widths, label=label)

    def _column_parts(self, columns, body) -> list[list[int]]:
        """Column indexes of each part of a table too wide for the page: the first column (what each
        row is) repeats in every part, and each part takes as many further columns as fit whole."""
        wanted, needed = self._column_needs(columns, body)
        if sum(needed) <= self._pdf.epw or len(columns) < 3:
            return [list(range(len(columns)))]
        room = self._pdf.epw - needed[0]
        parts, part, used = [], [0], 0.0
        for index in range(1, len(columns)):
            if len(part) > 1 and used + needed[index] > room:
                parts.append(part)
                part, used = [0], 0.0
            part.append(index)
            used += needed[index]
        parts.append(part)
        return parts

    def _table_part(self, columns, body, header_aligns, cell_aligns, col_widths, *, label: str) -> None:
        pdf = self._pdf
        widths = self._column_widths(columns, body, col_widths)
        header = self._row_layout(columns, widths, heading=True)
        first = self._row_layout(body[0], widths, heading=False) if body else ([], 0.0)
        # never a header (or the label of a part) alone at the foot of a page
        self._room_for((4.5 if label else 0) + header[1] + first[1])
        if label:
            pdf.set_font(FONT_FAMILY, "", 9)
            pdf.set_text_color(*MUTED)
            pdf.multi_cell(0, 4.5, label, new_x=XPos.LMARGIN, new_y=YPos.NEXT)
            pdf.set_text_color(*INK)
        self._paint_row(*header, widths, header_aligns, heading=True)
        for cells, aligns in zip(body, cell_aligns, strict=True):
            lines, height = self._row_layout(cells, widths, heading=False)
            if height > pdf.page_break_trigger - pdf.get_y():
                pdf.add_page()
                self._paint_row(*header, widths, header_aligns, heading=True)
            self._paint_row(lines, height, widths, aligns, heading=False)
        pdf.ln(4)

    # fpdf2's own table lays out every cell with multi_cell, about 1 ms a cell; this one writes
    # single-line cells with cell() and wraps only the cells that need it (bench/charts/run.py).
    _LINE = 5.0
    _PAD = 1.2
    _BASELINE = 3.5  # from the top of a 5 mm line to the baseline of 9 pt text

    def _column_widths(self, columns, body, col_widths) -> list[float]:
        pdf = self._pdf
        if col_widths:
            if len(col_widths) != len(columns):
                raise ValueError(f"col_widths has {len(col_widths)} entries for {len(columns)} columns.")
            weights = [float(w) for w in col_widths]
            total = sum(weights) or 1.0
            widths = [w * pdf.epw / total for w in weights]
            if min(widths) < self._MIN_WIDTH:
                raise ValueError(f"col_widths leave a column narrower than {self._MIN_WIDTH} mm: leave them out "
                                 "and wide tables are split over several parts.")
            return widths
        wanted, needed = self._column_needs(columns, body)
        room = pdf.epw
        if sum(wanted) <= room:
            return [w * room / sum(wanted) for w in wanted]
        if sum(needed) >= room:
            return [n * room / sum(needed) for n in needed]
        spare, extra = room - sum(needed), sum(w - n for w, n in zip(wanted, needed, strict=True))
        return [n + (w - n) * spare / extra for w, n in zip(wanted, needed, strict=True)]

    _MIN_WIDTH = 14.0

    def _column_needs(self, columns, body) -> tuple[list[float], list[float]]:
        """What each column wants (its widest cell, capped) and needs (its longest word)."""
        # Each column wants its widest cell (capped) and needs at least its longest word, so that
        # a number or a one-word heading never breaks inside itself. Columns get what they need,
        # then the rest of the page in proportion to what they still want.
        pdf = self._pdf
        pad = 2 * self._PAD
        pdf.set_font(FONT_FAMILY, "B", 9)
        wanted = [pdf.get_string_width(c) for c in columns]
        needed = [max((pdf.get_string_width(word) for word in c.split()), default=0.0) for c in columns]
        pdf.set_font(FONT_FAMILY, "", 9)
        for cells in body[:200]:
            wanted = [max(w, pdf.get_string_width(c)) for w, c in zip(wanted, cells, strict=True)]
            needed = [max(n, max((pdf.get_string_width(word) for word in c.split()), default=0.0))
                      for n, c in zip(needed, cells, strict=True)]
        wanted = [min(max(w + pad, self._MIN_WIDTH), 70.0) for w in wanted]
        needed = [min(n + pad, w) if n + pad <= 70.0 else 70.0 for n, w in zip(needed, wanted, strict=True)]
        return wanted, needed

    def _row_layout(self, cells, widths, *, heading: bool) -> tuple[list[list[str]], float]:
        """The lines of each cell of a row, and the row's height."""
        pdf = self._pdf
        pdf.set_font(FONT_FAMILY, "B" if heading else "", 9)
        lines = []
        for text, width in zip(cells, widths, strict=True):
            room = width - 2 * self._PAD
            if "\n" not in text and pdf.get_string_width(text) <= room:
                lines.append([text])
            else:
                # multi_cell keeps its own cell margin inside the width; the lines are painted by
                # _paint_row with _PAD, so that margin is given back (and a hair for rounding).
                lines.append(
                    pdf.multi_cell(
                        room + 2 * pdf.c_margin + 0.01, self._LINE, text, dry_run=True, output="LINES",
                        wrapmode=WrapMode.WORD,
                    )
                )
        # A cell taller than a page would never fit: keep what a page holds and mark the cut.
        most = max(1, int((pdf.page_break_trigger - pdf.t_margin - 2 * self._LINE) / self._LINE) - 1)
        lines = [cell if len(cell) <= most else [*cell[: most - 1], cell[most - 1] + " …"] for cell in lines]
        return lines, max(len(cell) for cell in lines) * self._LINE + 0.4

    def _paint_row(self, lines, height, widths, aligns, *, heading: bool) -> None:
        pdf = self._pdf
        pdf.set_font(FONT_FAMILY, "B" if heading else "", 9)
        if heading:
            pdf.set_fill_color(232, 236, 241)
        x, y = pdf.l_margin, pdf.get_y()
        for cell_lines, width, align in zip(lines, widths, aligns, strict=True):
            pdf.rect(x, y, width, height, style="DF" if heading else "D")
            for number, line in enumerate(cell_lines):
                # text() at a baseline is about 2.5 times faster than cell() and enough for one line
                left = x + width - self._PAD - pdf.get_string_width(line) if align == "R" else x + self._PAD
                pdf.text(left, y + 0.2 + number * self._LINE + self._BASELINE, line)
            x += width
        pdf.set_xy(pdf.l_margin, y + height)

    def add_chart(self, spec: ChartSpec, *, with_table: bool = False) -> None:
        """The chart as a vector image with its title and caption; ``with_table`` adds its numbers below."""
        pdf = self._pdf
        svg = render_svg(
            spec,
            standalone=True,
            font_family=FONT_FAMILY,
            metadata=False,
            width=CHART_WIDTH,
            height=CHART_HEIGHT,
        )
        # The SVG may be taller than asked when its legend needs more rows.
        svg_height = float(re.search(r'height="([\d.]+)"', svg).group(1))
        width = pdf.epw
        height = width * svg_height / CHART_WIDTH
        self._room_for(height + 14)
        pdf.set_font(FONT_FAMILY, "B", 11)
        pdf.multi_cell(0, 5.5, _clean(spec.title), new_x=XPos.LMARGIN, new_y=YPos.NEXT)
        pdf.ln(1)
        pdf.image(io.BytesIO(svg.encode("utf-8")), x=pdf.l_margin, w=width, h=height, alt_text=summary(spec))
        pdf.set_y(pdf.get_y() + 1)
        if spec.caption:
            pdf.set_font(FONT_FAMILY, "", 9)
            pdf.multi_cell(0, 4.5, _clean(spec.caption), new_x=XPos.LMARGIN, new_y=YPos.NEXT)
        pdf.ln(3)
        if with_table and spec.categories and spec.series:
            self.add_table(
                [spec.x_label or spec.text.category, *(s.name for s in spec.series)],
                [
                    [category, *(spec.format_value(s.values[i]) for s in spec.series)]
                    for i, category in enumerate(spec.categories)
                ],
                numeric_columns=[False, *(True for _ in spec.series)],
            )

    def render(self) -> bytes:
        return bytes(self._pdf.output())


# A number as a report writes it: "1,234", "-5", "12.5 %", "<11", or a dash for "nothing to show".
_NUMBER_LIKE = re.compile(r"[<>≤≥]?\s*[-−]?[\d,. \u00a0\u202f]*\d[\d,. \u00a0\u202f]*\s*%?|[-–—]?")


def _is_placeholder(text: str) -> bool:
    """A cell that stands for a number: nothing to show, or a suppressed count."""
    text = text.strip()
    return text in {"", "—", "–", "-"} or text.startswith("<")


def _is_numeric_cell(value: object) -> bool:
    if isinstance(value, int | float | Decimal) and not isinstance(value, bool):
        return True
    return bool(_NUMBER_LIKE.fullmatch(_clean(value).strip()))


def _format_cell(value: object) -> str:
    """Numbers as the charts write them ("1,234", at most two decimals); anything else as text."""
    if isinstance(value, int | float | Decimal) and not isinstance(value, bool):
        return default_format(value)
    return _clean(value)
