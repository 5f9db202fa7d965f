"""Colour contrast for the program's own colours, by WCAG 2.1's formulas; no Django import.

Text on a brand colour must reach 4.5:1 (success criterion 1.4.3, level AA, normal text). The text
is white or Haven's near-black, whichever reads better; a colour on which neither reaches 4.5:1 is
refused, with the nearest colour that does.
"""

from __future__ import annotations

import re

AA_TEXT = 4.5
LIGHT_TEXT = "#ffffff"
DARK_TEXT = "#1a1a1a"  # Haven's text colour (haven.css --text)
_HEX = re.compile(r"^#?([0-9a-fA-F]{6}|[0-9a-fA-F]{3})$")


class ColourError(ValueError):
    """Not a colour written as #rrggbb or #rgb."""


def parse(text: str) -> str:
    """'#1A5' or '1a5' or '#11aa55' -> '#11aa55'."""
    found = _HEX.match((text or "").strip())
    if not found:
        raise ColourError(text)
    digits = found.group(1).lower()
    if len(digits) == 3:
        digits = "".join(digit * 2 for digit in digits)
    return f"#{digits}"


def _rgb(colour: str) -> tuple[int, int, int]:
    colour = parse(colour)
    return int(colour[1:3], 16), int(colour[3:5], 16), int(colour[5:7], 16)


def _hex(rgb) -> str:
    return "#" + "".join(f"{max(0, min(255, round(value))):02x}" for value in rgb)


def luminance(colour: str) -> float:
    """Relative luminance (WCAG 2.1, definition of relative luminance)."""

    def channel(value: int) -> float:
        c = value / 255
        return c / 12.92 if c <= 0.04045 else ((c + 0.055) / 1.055) ** 2.4

    red, green, blue = (channel(value) for value in _rgb(colour))
    return 0.2126 * red + 0.7152 * green + 0.0722 * blue


def contrast(first: str, second: str) -> float:
    lighter, darker = sorted((luminance(first), luminance(second)), reverse=True)
    return (lighter + 0.05) / (darker + 0.05)


def text_on(background: str) -> tuple[str, float]:
    """The text colour that reads best on `background`, and its contrast ratio."""
    light, dark = contrast(background, LIGHT_TEXT), contrast(background, DARK_TEXT)
    return (LIGHT_TEXT, light) if light >= dark else (DARK_TEXT, dark)


def readable(background: str, minimum: float = AA_TEXT) -> bool:
    return text_on(background)[1] >= minimum


def nearest_readable(background: str, minimum: float = AA_TEXT) -> str:
    """The colour closest to `background` (mixed towards black under white text, or towards white
    under dark text, in steps of 1 %) on which text reaches `minimum`."""
    if readable(background, minimum):
        return parse(background)
    start = _rgb(background)
    candidates = []
    for target, text in (((0, 0, 0), LIGHT_TEXT), ((255, 255, 255), DARK_TEXT)):
        for step in range(1, 101):
            share = step / 100
            mixed = _hex(tuple(value + (goal - value) * share for value, goal in zip(start, target, strict=True)))
            if contrast(mixed, text) >= minimum:
                candidates.append((step, mixed))
                break
    return min(candidates)[1]


def hover_shade(colour: str) -> str:
    """A slightly darker (or, for a dark colour, lighter) shade for hover states, same text colour."""
    text, _ratio = text_on(colour)
    target = (0, 0, 0) if text == LIGHT_TEXT else (255, 255, 255)
    return _hex(tuple(value + (goal - value) * 0.15 for value, goal in zip(_rgb(colour), target, strict=True)))
