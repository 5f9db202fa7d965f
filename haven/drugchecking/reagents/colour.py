"""Colours: sRGB <-> CIELAB (D65) and the CIEDE2000 colour difference, in plain Python.

References:
- IEC 61966-2-1:1999 (sRGB): the transfer function and the sRGB -> XYZ matrix.
- CIE 15:2004 (Colorimetry): XYZ -> CIELAB, D65 white point (0.95047, 1.0, 1.08883).
- G. Sharma, W. Wu, E. N. Dalal, "The CIEDE2000 color-difference formula: implementation notes,
  supplementary test data, and mathematical observations", Color Res. Appl. 30(1), 21-30 (2005).
  The tests check all 34 pairs of its Table 1.
"""

from __future__ import annotations

import math
import re

Lab = tuple[float, float, float]

_WHITE_D65 = (0.95047, 1.0, 1.08883)
_HEX = re.compile(r"^#?([0-9a-fA-F]{6}|[0-9a-fA-F]{3})$")
_POW25_7 = 25.0**7


def is_hex(text: str) -> bool:
    return bool(_HEX.match(text.strip()))


def hex_to_rgb(text: str) -> tuple[int, int, int]:
    match = _HEX.match(text.strip())
    if not match:
        raise ValueError(f"{text!r} is not a hex colour like #5a2d82")
    digits = match.group(1)
    if len(digits) == 3:
        digits = "".join(d * 2 for d in digits)
    return int(digits[0:2], 16), int(digits[2:4], 16), int(digits[4:6], 16)


def rgb_to_hex(rgb: tuple[int, int, int]) -> str:
    return "#{:02x}{:02x}{:02x}".format(*rgb)


def _linear(channel: float) -> float:
    channel /= 255.0
    return channel / 12.92 if channel <= 0.04045 else ((channel + 0.055) / 1.055) ** 2.4


def _gamma(value: float) -> float:
    value = value * 12.92 if value <= 0.0031308 else 1.055 * value ** (1 / 2.4) - 0.055
    return min(255, max(0, round(value * 255)))


def _f(t: float) -> float:
    return t ** (1 / 3) if t > (6 / 29) ** 3 else t / (3 * (6 / 29) ** 2) + 4 / 29


def _f_inverse(t: float) -> float:
    return t**3 if t > 6 / 29 else 3 * (6 / 29) ** 2 * (t - 4 / 29)


def rgb_to_lab(rgb: tuple[int, int, int]) -> Lab:
    r, g, b = (_linear(c) for c in rgb)
    x = 0.4124564 * r + 0.3575761 * g + 0.1804375 * b
    y = 0.2126729 * r + 0.7151522 * g + 0.0721750 * b
    z = 0.0193339 * r + 0.1191920 * g + 0.9503041 * b
    fx, fy, fz = _f(x / _WHITE_D65[0]), _f(y / _WHITE_D65[1]), _f(z / _WHITE_D65[2])
    return 116 * fy - 16, 500 * (fx - fy), 200 * (fy - fz)


def lab_to_rgb(lab: Lab) -> tuple[int, int, int]:
    """The nearest sRGB colour (out-of-gamut channels are clipped)."""
    lightness, a, b = lab
    fy = (lightness + 16) / 116
    x = _WHITE_D65[0] * _f_inverse(fy + a / 500)
    y = _WHITE_D65[1] * _f_inverse(fy)
    z = _WHITE_D65[2] * _f_inverse(fy - b / 200)
    r = 3.2404542 * x - 1.5371385 * y - 0.4985314 * z
    g = -0.9692660 * x + 1.8760108 * y + 0.0415560 * z
    b_ = 0.0556434 * x - 0.2040259 * y + 1.0572252 * z
    return _gamma(r), _gamma(g), _gamma(b_)


def hex_to_lab(text: str) -> Lab:
    return rgb_to_lab(hex_to_rgb(text))


def lab_to_hex(lab: Lab) -> str:
    return rgb_to_hex(lab_to_rgb(lab))


def ciede2000(lab1: Lab, lab2: Lab, k_l: float = 1.0, k_c: float = 1.0, k_h: float = 1.0) -> float:
    """CIEDE2000 colour difference, following Sharma, Wu & Dalal (2005), equations 1-22."""
    l1, a1, b1 = lab1
    l2, a2, b2 = lab2
    c_bar = (math.hypot(a1, b1) + math.hypot(a2, b2)) / 2
    g = 0.5 * (1 - math.sqrt(c_bar**7 / (c_bar**7 + _POW25_7)))
    a1p, a2p = (1 + g) * a1, (1 + g) * a2
    c1p, c2p = math.hypot(a1p, b1), math.hypot(a2p, b2)
    h1p = 0.0 if c1p == 0 else math.degrees(math.atan2(b1, a1p)) % 360
    h2p = 0.0 if c2p == 0 else math.degrees(math.atan2(b2, a2p)) % 360

    delta_l = l2 - l1
    delta_c = c2p - c1p
    if c1p * c2p == 0:
        delta_h_angle = 0.0
    else:
        delta_h_angle = h2p - h1p
        if delta_h_angle > 180:
            delta_h_angle -= 360
        elif delta_h_angle < -180:
            delta_h_angle += 360
    delta_h = 2 * math.sqrt(c1p * c2p) * math.sin(math.radians(delta_h_angle / 2))

    l_bar = (l1 + l2) / 2
    cp_bar = (c1p + c2p) / 2
    if c1p * c2p == 0:
        h_bar = h1p + h2p
    elif abs(h1p - h2p) <= 180:
        h_bar = (h1p + h2p) / 2
    elif h1p + h2p < 360:
        h_bar = (h1p + h2p + 360) / 2
    else:
        h_bar = (h1p + h2p - 360) / 2

    t = (
        1
        - 0.17 * math.cos(math.radians(h_bar - 30))
        + 0.24 * math.cos(math.radians(2 * h_bar))
        + 0.32 * math.cos(math.radians(3 * h_bar + 6))
        - 0.20 * math.cos(math.radians(4 * h_bar - 63))
    )
    delta_theta = 30 * math.exp(-(((h_bar - 275) / 25) ** 2))
    r_c = 2 * math.sqrt(cp_bar**7 / (cp_bar**7 + _POW25_7))
    s_l = 1 + 0.015 * (l_bar - 50) ** 2 / math.sqrt(20 + (l_bar - 50) ** 2)
    s_c = 1 + 0.045 * cp_bar
    s_h = 1 + 0.015 * cp_bar * t
    r_t = -math.sin(math.radians(2 * delta_theta)) * r_c

    term_l = delta_l / (k_l * s_l)
    term_c = delta_c / (k_c * s_c)
    term_h = delta_h / (k_h * s_h)
    return math.sqrt(term_l**2 + term_c**2 + term_h**2 + r_t * term_c * term_h)
