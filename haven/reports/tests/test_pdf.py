"""Printable PDF reports: text that can be read back, page counts, repeated table headers, embedded charts.

The PDF is read back without a PDF library: streams are inflated with zlib and the
glyph codes of each text run are mapped to characters through the font's ToUnicode
map, the same way a PDF reader extracts text.
"""

import re
import zlib
from decimal import Decimal

import pytest
from hypothesis import HealthCheck, given, settings
from hypothesis import strategies as st

from haven.reports.charts import Series, bar_chart_spec, line_chart_spec
from haven.reports.pdf import ReportDocument

OBJECT = re.compile(rb"(\d+) 0 obj(.*?)endobj", re.S)
LITERAL = re.compile(rb"\((?:\\.|[^\\()])*\)", re.S)
# A text-showing operator: one string with Tj, or an array of strings and spacings with TJ
# (fpdf2 writes justified lines that way).
SHOWN_TEXT = re.compile(
    rb"(?:" + LITERAL.pattern + rb"\s*Tj|\[(?:" + LITERAL.pattern + rb"|[-\d.\s])*\]\s*TJ)", re.S
)


def pdf_objects(pdf: bytes) -> dict[int, tuple[bytes, bytes]]:
    """Object number -> (dictionary text, inflated stream or b"")."""
    objects = {}
    for number, body in OBJECT.findall(pdf):
        start = re.search(rb"stream\r?\n", body)
        if not start:
            objects[int(number)] = (body, b"")
            continue
        head = body[: start.start()]
        length = int(re.search(rb"/Length\s+(\d+)", head).group(1))  # the data may end in bytes like \r
        data = body[start.end() : start.end() + length]
        if b"/FlateDecode" in head:
            data = zlib.decompress(data)
        objects[int(number)] = (head, data)
    return objects


def unescape_literal(literal: bytes) -> bytes:
    out, i, body = bytearray(), 0, literal[1:-1]
    escapes = {b"n": 10, b"r": 13, b"t": 9, b"b": 8, b"f": 12}
    while i < len(body):
        byte = body[i : i + 1]
        if byte != b"\\":
            out += byte
            i += 1
            continue
        following = body[i + 1 : i + 2]
        octal = re.match(rb"[0-7]{1,3}", body[i + 1 : i + 4])
        if octal:
            out.append(int(octal.group(0), 8) & 0xFF)
            i += 1 + len(octal.group(0))
        else:
            out.append(escapes.get(following, following[0]))
            i += 2
    return bytes(out)


def to_unicode_map(cmap: bytes) -> dict[int, str]:
    mapping = {}
    for block in re.findall(rb"beginbfchar(.*?)endbfchar", cmap, re.S):
        for code, text in re.findall(rb"<([0-9A-Fa-f]+)>\s*<([0-9A-Fa-f]+)>", block):
            mapping[int(code, 16)] = bytes.fromhex(text.decode()).decode("utf-16-be")
    for block in re.findall(rb"beginbfrange(.*?)endbfrange", cmap, re.S):
        for low, high, start in re.findall(rb"<([0-9A-Fa-f]+)>\s*<([0-9A-Fa-f]+)>\s*<([0-9A-Fa-f]+)>", block):
            first = ord(bytes.fromhex(start.decode()).decode("utf-16-be"))
            for offset, code in enumerate(range(int(low, 16), int(high, 16) + 1)):
                mapping[code] = chr(first + offset)
    return mapping


def font_maps(objects) -> dict[str, dict[int, str]]:
    """Font resource name (F1, F2...) -> its glyph code to character map."""
    fonts = {}
    for body, _ in objects.values():
        for name, ref in re.findall(rb"/(F\d+)\s+(\d+) 0 R", body):
            to_unicode = re.search(rb"/ToUnicode\s+(\d+) 0 R", objects[int(ref)][0])
            if to_unicode:
                fonts[name.decode()] = to_unicode_map(objects[int(to_unicode.group(1))][1])
    return fonts


def decode_shown_text(operator: bytes, font: dict[int, str]) -> str:
    text = []
    for literal in LITERAL.findall(operator):
        raw = unescape_literal(literal)
        text.extend(font.get(int.from_bytes(raw[i : i + 2], "big"), "?") for i in range(0, len(raw), 2))
    return "".join(text)


def page_texts(pdf: bytes) -> list[str]:
    """The text of each page, one line per text run, in the order the pages come."""
    objects = pdf_objects(pdf)
    fonts = font_maps(objects)
    pages = []
    for body, _ in objects.values():  # fpdf2 writes the page objects in page order
        if not re.search(rb"/Type\s*/Page\b", body):
            continue
        contents = re.search(rb"/Contents\s+(\d+) 0 R", body)
        stream = objects[int(contents.group(1))][1]
        lines, font = [], None
        for token in re.finditer(rb"/(F\d+)\s+[\d.]+\s+Tf|" + SHOWN_TEXT.pattern, stream, re.S):
            if token.group(1):
                font = fonts[token.group(1).decode()]
                continue
            lines.append(decode_shown_text(token.group(0), font))
        pages.append("\n".join(lines))
    return pages


def monthly_spec(kind=line_chart_spec):
    months = [f"2026-{m:02d}" for m in range(1, 13)]
    return kind(
        title="Naloxone kits given by month",
        categories=months,
        series=[
            Series("Kits given", [30, 42, "<11", 51, None, 60, 61, 58, 70, 66, 72, 80]),
            Series("Reversals reported", [3, 5, 2, 4, 6, 5, 7, 3, 2, 4, 5, 6]),
        ],
        y_label="Kits",
        caption="Counts of 1 to 10 are shown as <11.",
    )


def test_a_report_is_a_pdf_whose_text_can_be_read_back():
    doc = ReportDocument(
        title="Rapport trimestriel : résumé des activités",
        subtitle="Informe del año — Señales de alerta",
        kind_note="Shareable: counts of 1 to 10 people shown as <11",
        program="North drop-in",
    )
    doc.add_heading("Matériel stérile")
    doc.add_paragraph("Ελληνικά, кириллица and naïve café all print as written.")
    pdf = doc.render()

    assert pdf.startswith(b"%PDF-")
    assert pdf.rstrip().endswith(b"%%EOF")
    (text,) = page_texts(pdf)
    assert "Rapport trimestriel : résumé des activités" in text
    assert "Informe del año — Señales de alerta" in text
    assert "Matériel stérile" in text
    assert "naïve café" in text
    assert "кириллица" in text


def test_every_page_footer_has_the_program_the_page_number_and_the_kind_note():
    doc = ReportDocument(
        title="Report", kind_note="Shareable: counts of 1 to 10 people shown as <11", program="East van"
    )
    doc.add_table(["Day", "Visits"], [[f"day {i}", i] for i in range(120)])
    pages = page_texts(doc.render())

    assert len(pages) >= 2
    for number, text in enumerate(pages, start=1):
        # "{nb}" is filled in at the end as a text run of its own
        assert f"East van · Page {number} of \n{len(pages)}" in text
        assert "Shareable: counts of 1 to 10 people shown as <11" in text


def test_the_footer_words_can_be_translated_and_the_program_left_out():
    doc = ReportDocument(title="Informe", page_label="Página {page} de {pages}")
    (text,) = page_texts(doc.render())

    assert "Página 1 de \n1" in text
    assert "·" not in text


def test_a_long_table_breaks_across_pages_and_repeats_its_header_on_each():
    rows = [[f"2024-{i:04d}", i, "<11" if i % 7 == 0 else i * 3] for i in range(300)]
    doc = ReportDocument(title="Every week")
    doc.add_table(["Week", "Visits", "Kits"], rows, caption="Visits and kits by week")
    pdf = doc.render()
    pages = page_texts(pdf)

    # A4 with 18 mm top and 22 mm bottom margins holds a header and 46 rows of 5.4 mm;
    # the first page also holds the title and the caption.
    rows_per_page = [text.count("2024-") for text in pages]
    assert rows_per_page == [43, 46, 46, 46, 46, 46, 27]
    assert len(pages) == doc.page_count == 7
    assert len(re.findall(rb"/Type\s*/Page\b", pdf)) == 7
    for text in pages:
        assert text.count("Week\nVisits\nKits") == 1
    all_text = "\n".join(pages)
    for week, visits, kits in rows:
        assert (
            f"{week}\n{visits:,}\n{kits:,}" in all_text
            if kits != "<11"
            else f"{week}\n{visits:,}\n<11" in all_text
        )
    assert "Visits and kits by week" in pages[0]


def test_a_chart_is_embedded_as_vector_drawing_with_its_labels_and_alternative_text():
    doc = ReportDocument(title="Naloxone")
    doc.add_chart(monthly_spec(), with_table=True)
    pdf = doc.render()
    (text,) = page_texts(pdf)

    assert "Naloxone kits given by month" in text
    assert "Counts of 1 to 10 are shown as <11." in text
    for label in ("Kits given", "Reversals reported", "2026-01", "Kits"):
        assert label in text  # drawn by the SVG: legend, axis and direct labels
    assert "2026-03\n<11\n2" in text  # the data table under the chart
    assert b"/Subtype /Image" not in pdf  # vectors, not a bitmap
    objects = pdf_objects(pdf)
    page_stream = next(data for _, data in objects.values() if b"Tj" in data)
    assert page_stream.count(b" re ") + page_stream.count(b" re\n") >= 1
    assert b" c " in page_stream or b" c\n" in page_stream or b" l " in page_stream  # the line is a path
    assert b"/Alt" in pdf and b"Line chart with 2 series" in pdf  # alternative text in the structure tree


def test_charts_that_do_not_fit_move_to_the_next_page_instead_of_being_cut():
    doc = ReportDocument(title="Charts")
    for kind in (line_chart_spec, bar_chart_spec, line_chart_spec):
        doc.add_chart(monthly_spec(kind))
    pages = page_texts(doc.render())

    assert len(pages) == 2  # two charts fit on an A4 page, the third goes on the next
    assert pages[1].count("Naloxone kits given by month") == 1


def test_an_empty_chart_prints_the_no_data_message():
    doc = ReportDocument(title="Quiet month")
    doc.add_chart(line_chart_spec(title="Overdose reports", categories=[], series=[]), with_table=True)
    (text,) = page_texts(doc.render())

    assert "No data for this period" in text


def test_hostile_and_control_characters_do_not_break_the_pdf():
    doc = ReportDocument(title="Report (with) \\ back\\slash \x00\x07", kind_note="<script>")
    doc.add_paragraph("a" * 500)
    doc.add_table(["(", ")"], [["\\", "\x1b[31m"]])
    (text,) = page_texts(doc.render())

    assert "Report (with) \\ back\\slash" in text
    assert "a" * 40 in text
    assert "<script>" in text


def test_a_row_with_the_wrong_number_of_cells_gets_a_clear_error():
    doc = ReportDocument(title="Report")
    with pytest.raises(ValueError, match="Row 2 has 1 cells for 2 columns"):
        doc.add_table(["a", "b"], [[1, 2], [3]])


def test_a_page_label_with_an_unknown_placeholder_gets_a_clear_error():
    with pytest.raises(ValueError, match="page_label"):
        ReportDocument(title="Informe", page_label="Página {página}")


def test_a_long_kind_note_wraps_in_the_footer_instead_of_running_off_the_page():
    note = (
        "Shareable: counts of 1 to 10 people are shown as <11, and other counts are rounded. " * 2
    ).strip()
    doc = ReportDocument(title="Report", kind_note=note)
    (text,) = page_texts(doc.render())

    lines = text.split("\n")
    assert max(len(line) for line in lines) < len(note)  # no line holds the whole note
    assert text.count("are rounded.") == 4  # twice under the title, twice in the footer


def test_a_report_needs_a_title():
    with pytest.raises(ValueError, match="title"):
        ReportDocument(title="  ")


def text_runs_with_x(pdf: bytes) -> list[tuple[float, str]]:
    """(x, text) of every text run placed with Td, on every page."""
    objects = pdf_objects(pdf)
    fonts = font_maps(objects)
    runs = []
    for _, stream in objects.values():
        font = None
        pattern = rb"/(F\d+)\s+[\d.]+\s+Tf|([\d.]+) [\d.]+ Td[^(\[]*?(" + SHOWN_TEXT.pattern + rb")"
        for token in re.finditer(pattern, stream, re.S):
            if token.group(1):
                font = fonts[token.group(1).decode()]
                continue
            text = decode_shown_text(token.group(3), font)
            runs.append((float(token.group(2)), text))
    return runs


def test_numbers_are_right_aligned_and_written_with_separators():
    doc = ReportDocument(title="Sites")
    doc.add_table(
        ["Site", "Visits"], [["North drop-in", 5], ["East van", 12345.0], ["Mail", Decimal("2.50")]]
    )
    runs = dict((text, x) for x, text in text_runs_with_x(doc.render()))

    assert {"5", "12,345", "2.5"} <= runs.keys()
    assert runs["5"] > runs["12,345"]  # ends line up, so the shorter number starts further right
    assert runs["North drop-in"] == runs["East van"]  # text stays left-aligned


def test_a_cell_longer_than_a_page_is_cut_with_a_mark_instead_of_overflowing():
    doc = ReportDocument(title="Notes")
    doc.add_table(["Note"], [["word " * 20000], ["after"]])
    pages = page_texts(doc.render())

    # The row does not fit under the title, so it starts a page of its own, cut to what the page holds.
    assert len(pages) == 2
    assert "word" not in pages[0]
    assert pages[1].startswith("Note\nword word")
    assert "…" in pages[1]
    assert pages[1].count("word") < 20000
    assert "after" in pages[1]


@pytest.mark.parametrize(
    "options, message",
    [
        ({"col_widths": [1]}, "col_widths has 1 entries for 2 columns"),
        ({"numeric_columns": [True]}, "numeric_columns has 1 entries for 2 columns"),
    ],
)
def test_table_options_of_the_wrong_length_get_a_clear_error(options, message):
    doc = ReportDocument(title="Report")
    with pytest.raises(ValueError, match=message):
        doc.add_table(["a", "b"], [[1, 2]], **options)


def test_a_chart_with_hostile_labels_prints_them_as_text():
    spec = bar_chart_spec(
        title='<script>alert("x")</script> & co',
        categories=["<b>a</b>", "b & c"],
        series=[Series("</svg><svg>", [3, "<11"])],
    )
    doc = ReportDocument(title="Report")
    doc.add_chart(spec, with_table=True)
    (text,) = page_texts(doc.render())

    assert '<script>alert("x")</script> & co' in text
    assert "</svg><svg>" in text
    assert "<b>a</b>" in text


@settings(max_examples=12, deadline=None, suppress_health_check=[HealthCheck.too_slow])
@given(
    st.lists(
        st.lists(
            st.one_of(
                st.integers(min_value=-(10**9), max_value=10**9),
                st.text(
                    alphabet=st.characters(codec="latin-1", categories=["L", "N", "P", "S"]), max_size=12
                ),
            ),
            min_size=3,
            max_size=3,
        ),
        max_size=120,
    )
)
def test_random_tables_print_every_cell(rows):
    doc = ReportDocument(title="Random")
    doc.add_table(["First", "Second", "Third"], rows)
    pages = page_texts(doc.render())

    runs = [line for page in pages for line in page.split("\n")]
    expected = [f"{cell:,}" if isinstance(cell, int) else cell for row in rows for cell in row]
    position = 0
    for cell in expected:  # in reading order
        if cell:  # the alphabet has no spaces, so a cell is one run of text
            position = runs.index(cell, position) + 1
    assert len(pages) == doc.page_count


def test_a_table_too_wide_for_the_page_is_split_into_parts_that_repeat_the_first_column():
    sites = [f"Site {number:02d}" for number in range(1, 41)]
    rows = [[f"Indicator {row}", *(row * 100 + column for column in range(40))] for row in range(3)]
    doc = ReportDocument(title="By site")
    doc.add_table(["Indicator", *sites], rows)
    text = "\n".join(page_texts(doc.render()))

    parts = re.findall(r"Columns (\d+)–(\d+) of 41", text)
    assert len(parts) > 1 and parts[0][0] == "2" and parts[-1][1] == "41"
    assert [int(first) for first, _last in parts[1:]] == [int(last) + 1 for _first, last in parts[:-1]]
    assert " ".join(text.split()).count("Indicator 2") == len(parts)
    words = text.split()
    for site in sites:
        assert site.split()[1] in words
    for row in rows:
        for value in row[1:]:
            assert f"{value:,}" in words


@pytest.mark.parametrize("columns", [13, 40, 120])
def test_a_wide_table_never_breaks_a_word_inside_a_cell(columns):
    names = [f"Outreach point {number:03d}" for number in range(columns)]
    doc = ReportDocument(title="Wide")
    doc.add_table(["Indicator", *names], [["Encounters (visits)", *range(columns)]])
    words = "\n".join(page_texts(doc.render())).split()

    assert words.count("Outreach") == columns
    assert "Encounters" in words


def test_column_widths_that_leave_no_room_for_text_get_a_clear_error():
    doc = ReportDocument(title="Report")
    with pytest.raises(ValueError, match="narrower than"):
        doc.add_table(["a", "b"], [[1, 2]], col_widths=[1000, 1])
