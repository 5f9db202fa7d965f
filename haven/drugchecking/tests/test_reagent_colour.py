"""Colour science under the reagent engine: sRGB -> CIELAB (D65) and CIEDE2000."""

import pytest

from haven.drugchecking.reagents.colour import ciede2000, hex_to_lab, hex_to_rgb, lab_to_hex, rgb_to_lab

# G. Sharma, W. Wu, E. N. Dalal (2005), Color Res. Appl. 30(1):21-30, Table 1: all 34 pairs,
# (L1, a1, b1, L2, a2, b2, Delta E 00). Pairs 7-16 and 21-24 sit on the formula's discontinuities.
SHARMA_PAIRS = [
    (50.0000, 2.6772, -79.7751, 50.0000, 0.0000, -82.7485, 2.0425),
    (50.0000, 3.1571, -77.2803, 50.0000, 0.0000, -82.7485, 2.8615),
    (50.0000, 2.8361, -74.0200, 50.0000, 0.0000, -82.7485, 3.4412),
    (50.0000, -1.3802, -84.2814, 50.0000, 0.0000, -82.7485, 1.0000),
    (50.0000, -1.1848, -84.8006, 50.0000, 0.0000, -82.7485, 1.0000),
    (50.0000, -0.9009, -85.5211, 50.0000, 0.0000, -82.7485, 1.0000),
    (50.0000, 0.0000, 0.0000, 50.0000, -1.0000, 2.0000, 2.3669),
    (50.0000, -1.0000, 2.0000, 50.0000, 0.0000, 0.0000, 2.3669),
    (50.0000, 2.4900, -0.0010, 50.0000, -2.4900, 0.0009, 7.1792),
    (50.0000, 2.4900, -0.0010, 50.0000, -2.4900, 0.0010, 7.1792),
    (50.0000, 2.4900, -0.0010, 50.0000, -2.4900, 0.0011, 7.2195),
    (50.0000, 2.4900, -0.0010, 50.0000, -2.4900, 0.0012, 7.2195),
    (50.0000, -0.0010, 2.4900, 50.0000, 0.0009, -2.4900, 4.8045),
    (50.0000, -0.0010, 2.4900, 50.0000, 0.0010, -2.4900, 4.8045),
    (50.0000, -0.0010, 2.4900, 50.0000, 0.0011, -2.4900, 4.7461),
    (50.0000, 2.5000, 0.0000, 50.0000, 0.0000, -2.5000, 4.3065),
    (50.0000, 2.5000, 0.0000, 73.0000, 25.0000, -18.0000, 27.1492),
    (50.0000, 2.5000, 0.0000, 61.0000, -5.0000, 29.0000, 22.8977),
    (50.0000, 2.5000, 0.0000, 56.0000, -27.0000, -3.0000, 31.9030),
    (50.0000, 2.5000, 0.0000, 58.0000, 24.0000, 15.0000, 19.4535),
    (50.0000, 2.5000, 0.0000, 50.0000, 3.1736, 0.5854, 1.0000),
    (50.0000, 2.5000, 0.0000, 50.0000, 3.2972, 0.0000, 1.0000),
    (50.0000, 2.5000, 0.0000, 50.0000, 1.8634, 0.5757, 1.0000),
    (50.0000, 2.5000, 0.0000, 50.0000, 3.2592, 0.3350, 1.0000),
    (60.2574, -34.0099, 36.2677, 60.4626, -34.1751, 39.4387, 1.2644),
    (63.0109, -31.0961, -5.8663, 62.8187, -29.7946, -4.0864, 1.2630),
    (61.2901, 3.7196, -5.3901, 61.4292, 2.2480, -4.9620, 1.8731),
    (35.0831, -44.1164, 3.7933, 35.0232, -40.0716, 1.5901, 1.8645),
    (22.7233, 20.0904, -46.6940, 23.0331, 14.9730, -42.5619, 2.0373),
    (36.4612, 47.8580, 18.3852, 36.2715, 50.5065, 21.2231, 1.4146),
    (90.8027, -2.0831, 1.4410, 91.1528, -1.6435, 0.0447, 1.4441),
    (90.9257, -0.5406, -0.9208, 88.6381, -0.8985, -0.7239, 1.5381),
    (6.7747, -0.2908, -2.4247, 5.8714, -0.0985, -2.2286, 0.6377),
    (2.0776, 0.0795, -1.1350, 0.9033, -0.0636, -0.5514, 0.9082),
]


def test_the_sharma_table_has_all_34_pairs():
    assert len(SHARMA_PAIRS) == 34


@pytest.mark.parametrize("pair", SHARMA_PAIRS, ids=[f"pair-{n}" for n in range(1, 35)])
def test_ciede2000_matches_sharma_wu_dalal_to_four_decimals(pair):
    *values, expected = pair
    first, second = tuple(values[:3]), tuple(values[3:])
    assert ciede2000(first, second) == pytest.approx(expected, abs=5e-5)


@pytest.mark.parametrize("pair", SHARMA_PAIRS[:20], ids=[f"pair-{n}" for n in range(1, 21)])
def test_ciede2000_is_symmetric(pair):
    first, second = tuple(pair[:3]), tuple(pair[3:6])
    assert ciede2000(first, second) == pytest.approx(ciede2000(second, first), abs=1e-9)


def test_identical_colours_have_no_difference():
    assert ciede2000((41.0, 20.0, -30.0), (41.0, 20.0, -30.0)) == 0.0


@pytest.mark.parametrize(
    ("hex_code", "lab"),
    [
        # Reference sRGB (D65) -> CIELAB values, e.g. Bruce Lindbloom's calculator and CIE 15:2004.
        ("#ffffff", (100.0, 0.0, 0.0)),
        ("#000000", (0.0, 0.0, 0.0)),
        ("#ff0000", (53.24, 80.09, 67.20)),
        ("#00ff00", (87.73, -86.18, 83.18)),
        ("#0000ff", (32.30, 79.19, -107.86)),
        ("#808080", (53.59, 0.0, 0.0)),
    ],
)
def test_srgb_converts_to_cielab_d65(hex_code, lab):
    got = hex_to_lab(hex_code)
    for value, expected in zip(got, lab, strict=True):
        assert value == pytest.approx(expected, abs=0.02)


@pytest.mark.parametrize("hex_code", ["#5a2d82", "#1f5bb6", "#f2cf1d", "#7a4a20", "#123456"])
def test_cielab_converts_back_to_the_same_srgb(hex_code):
    assert lab_to_hex(hex_to_lab(hex_code)) == hex_code


def test_short_hex_codes_and_missing_hash_are_read():
    assert hex_to_rgb("#fff") == (255, 255, 255)
    assert hex_to_rgb("5A2D82") == (0x5A, 0x2D, 0x82)
    assert rgb_to_lab((255, 255, 255))[0] == pytest.approx(100.0, abs=0.01)


@pytest.mark.parametrize("bad", ["#12345", "#ggg000", "purple", ""])
def test_a_bad_hex_code_is_a_clear_error(bad):
    with pytest.raises(ValueError, match="hex colour"):
        hex_to_rgb(bad)
