"""Chart colours: the shipped stylesheet matches the renderer, and contrast meets WCAG 2.1."""

from pathlib import Path

import pytest

from haven.reports.charts import AXIS, CLASS_STYLES, INK, LIGHT_FROM, PALETTE, PAPER, css_rules

STYLESHEET = Path(__file__).resolve().parents[2] / "static" / "haven" / "charts.css"


def relative_luminance(colour: str) -> float:
    # WCAG 2.1, definition of relative luminance: https://www.w3.org/TR/WCAG21/#dfn-relative-luminance
    channels = [int(colour[i : i + 2], 16) / 255 for i in (1, 3, 5)]
    linear = [c / 12.92 if c <= 0.04045 else ((c + 0.055) / 1.055) ** 2.4 for c in channels]
    return 0.2126 * linear[0] + 0.7152 * linear[1] + 0.0722 * linear[2]


def contrast(a: str, b: str) -> float:
    high, low = sorted((relative_luminance(a), relative_luminance(b)), reverse=True)
    return (high + 0.05) / (low + 0.05)


def test_the_stylesheet_holds_every_rule_the_renderer_uses():
    css = STYLESHEET.read_text(encoding="utf-8")
    missing = [rule for rule in css_rules() if rule not in css]
    assert not missing, "regenerate the block at the end of charts.css from charts.css_rules()"


def test_the_palette_is_okabe_ito():
    assert set(PALETTE) == {
        "#E69F00",
        "#56B4E9",
        "#009E73",
        "#F0E442",
        "#0072B2",
        "#D55E00",
        "#CC79A7",
        "#000000",
    }


def test_text_has_at_least_4_5_to_1_contrast_and_axes_3_to_1():
    assert contrast(INK, PAPER) >= 4.5  # SC 1.4.3
    assert contrast(AXIS, PAPER) >= 3  # SC 1.4.11


@pytest.mark.parametrize("index", range(len(PALETTE)))
def test_every_series_mark_has_a_3_to_1_edge_against_the_background(index):
    # SC 1.4.11: the darker colours pass on their own; the lighter ones get a dark outline or casing.
    bar, marker = CLASS_STYLES[f"hc-bar-{index}"], CLASS_STYLES[f"hc-marker-{index}"]
    assert contrast(bar["stroke"], PAPER) >= 3
    assert contrast(marker["stroke"], PAPER) >= 3
    if index < LIGHT_FROM:
        assert contrast(PALETTE[index], PAPER) >= 3
    else:
        assert contrast(CLASS_STYLES[f"hc-casing-{index}"]["stroke"], PAPER) >= 3


def test_series_differ_by_more_than_colour():
    dashes = [CLASS_STYLES[f"hc-line-{i}"].get("stroke-dasharray", "") for i in range(len(PALETTE))]
    assert len(set(dashes)) == len(PALETTE)


def test_every_text_style_is_ink_on_paper():
    # The accessibility sweep leaves chart text out of axe's colour check (axe cannot measure text
    # inside an SVG), on the strength of this test: every style a <text> uses is INK, 17:1 on PAPER.
    text_styles = {name: style for name, style in CLASS_STYLES.items()
                   if "font-size" in style}
    assert {"hc-text", "hc-small", "hc-empty"} <= set(text_styles)
    assert {style["fill"] for style in text_styles.values()} == {INK}
    assert CLASS_STYLES["hc-paper"]["fill"] == PAPER
    assert contrast(INK, PAPER) >= 7
