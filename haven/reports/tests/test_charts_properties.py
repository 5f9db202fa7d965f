"""Property test: whatever the series, a chart is well-formed XML and its table holds every value."""

from defusedxml.ElementTree import fromstring
from hypothesis import given, settings
from hypothesis import strategies as st

from haven.reports.charts import (
    Series,
    bar_chart,
    clean_text,
    line_chart,
    render_svg,
    stacked_bar_chart,
    stacked_bar_chart_spec,
)

SVG = "{http://www.w3.org/2000/svg}"

labels = st.text(min_size=0, max_size=30)
cell = st.one_of(
    st.none(),
    st.integers(min_value=0, max_value=10**9),
    st.floats(min_value=0, max_value=1e9, allow_nan=False, allow_infinity=False),
    st.sampled_from(["<11", "suppressed", "<5"]),
)
signed_cell = st.one_of(cell, st.integers(min_value=-(10**6), max_value=-1))


@st.composite
def chart_input(draw, values=cell):
    categories = draw(st.lists(labels, min_size=0, max_size=40))
    names = draw(st.lists(labels, min_size=1, max_size=8))
    series = [
        Series(name, draw(st.lists(values, min_size=len(categories), max_size=len(categories))))
        for name in names
    ]
    return draw(labels), categories, series


def assert_complete(html: str, categories, series) -> None:
    figure = fromstring(html)
    svg = figure.find(f"{SVG}svg")
    assert svg.get("role") == "img"
    assert svg.find(f"{SVG}title") is not None
    if not categories:
        return
    rows = [["".join(c.itertext()) for c in tr] for tr in figure.find(".//table").iter("tr")]
    assert rows[0] == ["Category", *(clean_text(s.name) for s in series)]
    assert [row[0] for row in rows[1:]] == [clean_text(c) for c in categories]
    for column, s in enumerate(series, start=1):
        for row, value in zip(rows[1:], s.values, strict=True):
            if value is None:
                assert row[column] == "No data"
            elif isinstance(value, str):
                assert row[column] == clean_text(value)
            else:
                assert float(row[column].replace(",", "")) == round(value, 2) or abs(
                    float(row[column].replace(",", "")) - value
                ) <= 0.005 + 1e-9 * abs(value)


@settings(max_examples=60, deadline=None)
@given(chart_input(values=signed_cell))
def test_random_line_charts_are_valid_and_complete(data):
    title, categories, series = data
    assert_complete(line_chart(title=title, categories=categories, series=series), categories, series)


@settings(max_examples=60, deadline=None)
@given(chart_input(values=signed_cell))
def test_random_bar_charts_are_valid_and_complete(data):
    title, categories, series = data
    assert_complete(bar_chart(title=title, categories=categories, series=series), categories, series)


@settings(max_examples=60, deadline=None)
@given(chart_input())
def test_random_stacked_bar_charts_are_valid_and_complete_and_so_is_their_standalone_svg(data):
    title, categories, series = data
    assert_complete(stacked_bar_chart(title=title, categories=categories, series=series), categories, series)
    spec = stacked_bar_chart_spec(title=title, categories=categories, series=series)
    assert fromstring(render_svg(spec, standalone=True)).tag == f"{SVG}svg"
