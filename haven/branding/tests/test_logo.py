"""A logo is re-drawn as a new PNG: bounded in bytes and pixels, upright, without the file's metadata."""

import io

import pytest
from PIL import Image

from haven.branding.logo import MAX_SIDE, LogoError, clean_logo
from haven.branding.tests import images


def test_a_phone_photo_loses_its_camera_author_and_place_and_stands_upright():
    original = Image.open(io.BytesIO(images.jpeg_with_metadata()))
    assert original.getexif().get(0x013B) == "Jordan Example" and original.getexif().get_ifd(0x8825)

    logo = clean_logo(images.jpeg_with_metadata())

    cleaned = Image.open(io.BytesIO(logo.png))
    assert cleaned.format == "PNG"
    assert dict(cleaned.getexif()) == {} and cleaned.info == {}
    assert b"Jordan" not in logo.png and b"PhoneMaker" not in logo.png
    assert (logo.width, logo.height) == (200, 400)  # orientation 6 turned the 400 x 200 picture upright


def test_a_large_logo_is_scaled_to_fit_the_box():
    logo = clean_logo(images.png(2000, 500))
    assert (logo.width, logo.height) == (MAX_SIDE, 128)


@pytest.mark.parametrize(("data", "code"), [
    (b"", "empty"),
    (b"%PDF-1.4 not an image", "not_an_image"),
    (images.SVG, "not_an_image"),
    (images.png()[:60], "not_an_image"),  # cut off mid-file
    (images.huge_png(), "too_many_pixels"),
    (images.png(8, 8), "too_small"),
])
def test_what_cannot_be_a_logo_is_refused_with_a_reason(data, code):
    with pytest.raises(LogoError) as refused:
        clean_logo(data)
    assert refused.value.code == code


def test_a_gif_is_refused_as_a_format_haven_does_not_take():
    buffer = io.BytesIO()
    Image.new("RGB", (64, 64)).save(buffer, "GIF")
    with pytest.raises(LogoError) as refused:
        clean_logo(buffer.getvalue())
    assert refused.value.code == "not_an_image"


def test_a_file_over_the_limit_is_refused_before_it_is_decoded():
    with pytest.raises(LogoError) as refused:
        clean_logo(images.noisy_png())
    assert refused.value.code == "too_large" and refused.value.params["size"] > refused.value.params["limit"]
