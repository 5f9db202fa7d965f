"""Contrast by WCAG 2.1's formulas, and the nearest readable colour when a program's colour is not."""

import pytest
from hypothesis import given
from hypothesis import strategies as st

from haven.branding import colours


def test_black_on_white_is_21_to_1_and_a_colour_on_itself_1_to_1():
    assert colours.contrast("#000000", "#ffffff") == pytest.approx(21.0)
    assert colours.contrast("#13294b", "#13294b") == pytest.approx(1.0)


def test_short_and_bare_hex_are_read_as_colours():
    assert colours.parse("#1A5") == "#11aa55"
    assert colours.parse(" 13294B ") == "#13294b"


@pytest.mark.parametrize("text", ["", "red", "#12345", "#1234567", "#ggg000", "rgb(0,0,0)"])
def test_anything_else_is_not_a_colour(text):
    with pytest.raises(colours.ColourError):
        colours.parse(text)


def test_text_is_white_on_a_dark_colour_and_dark_on_a_light_one():
    assert colours.text_on("#13294b")[0] == colours.LIGHT_TEXT
    assert colours.text_on("#ffcc00")[0] == colours.DARK_TEXT


def test_a_mid_grey_fails_with_either_text_and_its_nearest_readable_colour_passes():
    assert not colours.readable("#808080")
    nearest = colours.nearest_readable("#808080")
    assert colours.readable(nearest) and nearest != "#808080"


@given(st.integers(0, 0xFFFFFF))
def test_the_nearest_readable_colour_always_reaches_aa(value):
    colour = f"#{value:06x}"
    nearest = colours.nearest_readable(colour)
    assert colours.text_on(nearest)[1] >= colours.AA_TEXT
    if colours.readable(colour):
        assert nearest == colour
