"""SVG charts: accessible structure, every value in the table, escaping, suppressed, missing and empty data."""

import re
import xml.etree.ElementTree as ET
from decimal import Decimal

import pytest
from defusedxml.ElementTree import fromstring

from haven.reports.charts import (
    BAR,
    LINE,
    MAX_SERIES,
    STACKED_BAR,
    ChartText,
    Series,
    bar_chart,
    bar_chart_spec,
    line_chart,
    line_chart_spec,
    nice_ticks,
    render_figure,
    render_svg,
    stacked_bar_chart,
    stacked_bar_chart_spec,
)

SVG = "{http://www.w3.org/2000/svg}"
CHARTS = [line_chart, bar_chart, stacked_bar_chart]
MONTHS = ["2026-01", "2026-02", "2026-03", "2026-04"]


def parse(html: str) -> ET.Element:
    return fromstring(html)


def svg_of(figure: ET.Element) -> ET.Element:
    return figure.find(f"{SVG}svg")


def table_rows(figure: ET.Element) -> list[list[str]]:
    table = figure.find(".//table")
    return [["".join(cell.itertext()) for cell in row] for row in table.iter("tr")]


def drawn_text(figure: ET.Element) -> list[str]:
    return ["".join(t.itertext()) for t in svg_of(figure).iter(f"{SVG}text")]


def two_series():
    return [
        Series("Sterile syringes given", [120, 95, 130, 150]),
        Series("Naloxone kits given", [12, "<11", None, 20]),
    ]


@pytest.mark.parametrize("chart", CHARTS)
def test_every_chart_is_a_figure_with_an_svg_image_labelled_by_its_title_and_description(chart):
    figure = parse(chart(title="Supplies given", categories=MONTHS, series=two_series(), chart_id="supplies"))

    assert figure.tag == "figure"
    svg = svg_of(figure)
    assert svg.get("role") == "img"
    assert svg.get("aria-labelledby") == "supplies-title supplies-desc"
    assert svg.find(f"{SVG}title").get("id") == "supplies-title"
    assert svg.find(f"{SVG}title").text == "Supplies given"
    description = svg.find(f"{SVG}desc").text
    assert "with 2 series over 4 categories, from 2026-01 to 2026-04." in description
    assert "Values range from 12 to 150." in description
    assert "1 values are suppressed" in description
    assert "1 values are missing" in description


@pytest.mark.parametrize("chart", CHARTS)
def test_the_data_table_carries_every_value_with_scoped_headers(chart):
    figure = parse(chart(title="Supplies given", categories=MONTHS, series=two_series(), y_label="People"))

    table = figure.find(".//details/table")
    assert "".join(table.find("caption").itertext()) == "Supplies given. People"
    assert [th.get("scope") for th in table.find("thead").iter("th")] == ["col", "col", "col"]
    assert [th.get("scope") for th in table.find("tbody").iter("th")] == ["row"] * 4
    assert table_rows(figure) == [
        ["Category", "Sterile syringes given", "Naloxone kits given"],
        ["2026-01", "120", "12"],
        ["2026-02", "95", "<11"],
        ["2026-03", "130", "No data"],
        ["2026-04", "150", "20"],
    ]


def test_value_format_is_used_in_the_table_and_on_the_axis():
    figure = parse(
        line_chart(
            title="Share of visits with naloxone",
            categories=MONTHS,
            series=[Series("Share", [0.25, 0.5, 0.125, 1.0])],
            value_format=lambda v: f"{v * 100:.0f} %",
        )
    )

    assert [row[1] for row in table_rows(figure)[1:]] == ["25 %", "50 %", "12 %", "100 %"]
    assert "100 %" in drawn_text(figure)


def test_large_numbers_get_thousands_separators_by_default():
    figure = parse(bar_chart(title="Syringes", categories=["2026"], series=[Series("Given", [1234567])]))

    assert table_rows(figure)[1] == ["2026", "1,234,567"]


@pytest.mark.parametrize("chart", CHARTS)
def test_hostile_labels_are_escaped_everywhere(chart):
    hostile = '<script>alert("x")</script>&'
    html = chart(
        title=hostile,
        categories=[hostile, "b"],
        series=[Series(hostile, [1, 2])],
        y_label=hostile,
        caption=hostile,
        x_label=hostile,
    )

    assert "<script>" not in html
    figure = parse(html)  # still well-formed XML
    assert not list(figure.iter("script"))
    assert figure.find("figcaption").text == hostile
    assert table_rows(figure)[0] == [hostile, hostile]
    assert table_rows(figure)[1][0] == hostile


def test_a_chart_id_that_could_break_out_of_an_attribute_is_refused():
    with pytest.raises(ValueError, match="chart_id"):
        line_chart(title="t", categories=["a"], series=[Series("s", [1])], chart_id='x" onload="alert(1)')


@pytest.mark.parametrize("chart", CHARTS)
def test_no_inline_style_and_no_style_element_in_html_charts(chart):
    html = chart(title="Supplies", categories=MONTHS, series=two_series(), y_label="People")

    assert "style=" not in html
    assert "<style" not in html
    assert "fill=" not in html  # colours come from charts.css classes
    assert "http://" not in html.replace('xmlns="http://www.w3.org/2000/svg"', "")
    assert "https://" not in html


def test_a_suppressed_cell_is_drawn_as_a_hatched_mark_and_never_as_a_bar():
    spec = bar_chart_spec(title="Kits", categories=["a", "b"], series=[Series("Kits", [40, "<11"])])
    svg = fromstring(render_svg(spec))

    bars = [r for r in svg.iter(f"{SVG}rect") if r.get("class") == "hc-bar-0" and r.get("height") != "12"]
    assert len(bars) == 1  # only the 40; the legend swatch has height 12
    marks = [r for r in svg.iter(f"{SVG}rect") if "hc-suppressed" in (r.get("class") or "")]
    assert len(marks) == 2  # one on the plot, one in the legend
    assert all(r.get("width") == r.get("height") for r in marks)  # a fixed-size square, not a height
    assert any("hc-hatch" == p.get("class") for p in svg.iter(f"{SVG}path"))
    assert "Hatched mark: count suppressed to protect privacy" in drawn_text(fromstring(render_figure(spec)))


def test_a_suppressed_segment_of_a_stacked_bar_does_not_add_to_the_stack_height():
    with_suppressed = stacked_bar_chart_spec(
        title="Kits", categories=["a"], series=[Series("x", [30]), Series("y", ["<11"])]
    )
    without = stacked_bar_chart_spec(
        title="Kits", categories=["a"], series=[Series("x", [30]), Series("y", [None])]
    )

    def bar_rects(spec):
        svg = fromstring(render_svg(spec, chart_id="c"))
        return [
            (r.get("y"), r.get("height"))
            for r in svg.iter(f"{SVG}rect")
            if (r.get("class") or "").startswith("hc-bar-") and r.get("height") != "12"
        ]

    assert bar_rects(with_suppressed) == bar_rects(without)


def test_missing_values_break_a_line_instead_of_dropping_to_zero():
    spec = line_chart_spec(
        title="Visits", categories=list("abcde"), series=[Series("Visits", [5, 6, None, 8, 9])]
    )
    svg = fromstring(render_svg(spec))

    lines = [p for p in svg.iter(f"{SVG}path") if p.get("class") == "hc-line-0" and "L" in p.get("d")]
    assert len(lines) == 2


@pytest.mark.parametrize("chart", CHARTS)
def test_no_categories_gives_a_clear_no_data_figure(chart):
    figure = parse(chart(title="Overdose reports", categories=[], series=[]))

    assert "No data for this period" in drawn_text(figure)
    assert svg_of(figure).find(f"{SVG}desc").text == "No data for this period"
    assert figure.find(".//table") is None


@pytest.mark.parametrize("chart", CHARTS)
def test_only_missing_values_gives_the_no_data_figure_and_still_a_table(chart):
    figure = parse(chart(title="Reports", categories=["a", "b"], series=[Series("Reports", [None, None])]))

    assert "No data for this period" in drawn_text(figure)
    assert table_rows(figure)[1:] == [["a", "No data"], ["b", "No data"]]


def test_words_can_be_translated():
    text = ChartText(no_data="Sin datos para este período", missing="Sin datos", data_table="Tabla de datos")
    empty = parse(line_chart(title="Informe", categories=[], series=[], text=text))
    some = parse(line_chart(title="Informe", categories=["a"], series=[Series("s", [None])], text=text))

    assert "Sin datos para este período" in drawn_text(empty)
    assert some.find(".//summary").text == "Tabla de datos"
    assert table_rows(some)[1] == ["a", "Sin datos"]


def test_negative_values_are_drawn_below_zero_in_line_and_bar_charts():
    for spec_of in (line_chart_spec, bar_chart_spec):
        spec = spec_of(title="Change", categories=["a", "b"], series=[Series("Change", [-20, 10])])
        figure = parse(render_figure(spec))
        assert "-20" in drawn_text(figure)
        assert table_rows(figure)[1] == ["a", "-20"]


def test_a_stacked_bar_chart_refuses_negative_values():
    with pytest.raises(ValueError, match="negative"):
        stacked_bar_chart(title="t", categories=["a"], series=[Series("s", [-1])])


@pytest.mark.parametrize(
    "values, message",
    [
        ([1, 2], "2 values for 1 categories"),
        ([float("nan")], "not finite"),
        ([float("inf")], "not finite"),
        ([True], "not a number"),
        ([[1]], "not a number"),
        ([" "], "blank suppressed cell"),
        ([1e300], "too large"),
    ],
)
def test_bad_values_get_a_clear_error(values, message):
    with pytest.raises(ValueError, match=message):
        line_chart(title="t", categories=["a"], series=[Series("s", values)])


def test_decimal_and_numpy_numbers_are_accepted_as_numbers():
    import numpy as np

    figure = parse(
        bar_chart(
            title="Doses",
            categories=["a", "b", "c"],
            series=[Series("Doses", [Decimal("2.50"), np.int64(7), np.float64(1.25)])],
        )
    )

    assert [row[1] for row in table_rows(figure)[1:]] == ["2.5", "7", "1.25"]


def test_more_series_than_distinguishable_styles_is_refused():
    series = [Series(f"s{i}", [i]) for i in range(MAX_SERIES + 1)]
    with pytest.raises(ValueError, match="at most 8 series"):
        bar_chart(title="t", categories=["a"], series=series)


def test_many_categories_are_thinned_to_labels_that_do_not_overlap():
    months = [f"{2021 + i // 12}-{i % 12 + 1:02d}" for i in range(60)]
    figure = parse(
        line_chart(title="Five years", categories=months, series=[Series("Visits", list(range(60)))])
    )

    labels = [t for t in svg_of(figure).iter(f"{SVG}text") if "".join(t.itertext()) in months]
    assert 4 <= len(labels) < 60
    xs = [float(t.get("x")) for t in labels]
    gaps = [b - a for a, b in zip(xs, xs[1:], strict=False)]
    widest = 0.6 * 11 * len("2021-01")
    assert min(gaps) > widest  # no two labels overlap
    step = months.index("".join(labels[1].itertext())) - months.index("".join(labels[0].itertext()))
    assert 12 % step == 0  # labels fall on the same months every year
    assert len(table_rows(figure)) == 61  # the table still has every month


def test_long_category_labels_are_shortened_on_the_axis_but_whole_in_the_table():
    long_name = "Outreach van, north-east industrial area"
    figure = parse(bar_chart(title="Sites", categories=[long_name], series=[Series("Visits", [3])]))

    assert long_name not in drawn_text(figure)
    assert any(t.endswith("…") for t in drawn_text(figure))
    assert table_rows(figure)[1][0] == long_name


def test_lines_get_direct_labels_that_do_not_overlap():
    figure = parse(
        line_chart(
            title="Visits",
            categories=["a", "b"],
            series=[Series("North", [10, 50]), Series("East", [10, 50]), Series("South", [10, 51])],
        )
    )
    label_y = sorted(
        float(t.get("y"))
        for t in svg_of(figure).iter(f"{SVG}text")
        if t.text in {"North", "East", "South"} and float(t.get("x")) > 400
    )
    assert len(label_y) == 3
    assert all(b - a >= 13 for a, b in zip(label_y, label_y[1:], strict=False))


@pytest.mark.parametrize("kind", [LINE, BAR, STACKED_BAR])
def test_the_standalone_svg_uses_presentation_attributes_and_no_classes(kind):
    spec_of = {LINE: line_chart_spec, BAR: bar_chart_spec, STACKED_BAR: stacked_bar_chart_spec}[kind]
    spec = spec_of(title="Supplies", categories=MONTHS, series=two_series(), y_label="People")
    svg = render_svg(spec, standalone=True)

    root = fromstring(svg)
    assert root.tag == f"{SVG}svg"
    assert root.get("width") == "640"
    assert "class=" not in svg
    assert "style" not in svg
    assert re.search(r'fill="#0072B2"', svg)


def test_nice_ticks_cover_the_range_with_round_steps():
    assert nice_ticks(0, 97) == [0, 20, 40, 60, 80, 100]
    assert nice_ticks(-20, 10) == [-20, -10, 0, 10]
    assert nice_ticks(0, 1) == [0, 0.2, 0.4, 0.6, 0.8, 1.0]
    assert nice_ticks(5, 5)[0] <= 5 <= nice_ticks(5, 5)[-1]


def test_a_compact_chart_keeps_a_usable_plot_by_growing_when_its_legend_needs_rows():
    series = [Series(f"Site number {i} with a long name", [i, i + 1]) for i in range(8)]
    spec = bar_chart_spec(title="Sites", categories=["a", "b"], series=series)
    svg = fromstring(render_svg(spec, width=320, height=160))

    _, _, width, height = (float(v) for v in svg.get("viewBox").split())
    assert width == 320
    assert height > 160  # eight legend rows on a narrow chart
    bars = [
        r
        for r in svg.iter(f"{SVG}rect")
        if r.get("class", "").startswith("hc-bar-") and r.get("height") != "12"
    ]
    assert min(float(r.get("y")) for r in bars) > 8 * 18  # every bar sits below the legend


def test_a_short_chart_can_be_asked_for_and_a_size_out_of_range_is_refused():
    figure = parse(line_chart(title="t", categories=["a", "b"], series=[Series("s", [1, 2])], height=200))
    assert svg_of(figure).get("viewBox") == "0 0 640 200"
    with pytest.raises(ValueError, match="160 to 720 high"):
        line_chart(title="t", categories=["a"], series=[Series("s", [1])], height=40)
