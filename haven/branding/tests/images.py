"""Image files for the branding tests, made with Pillow on the spot."""

import io

from PIL import Image


def png(width=300, height=100, colour=(19, 41, 75, 255)) -> bytes:
    buffer = io.BytesIO()
    Image.new("RGBA", (width, height), colour).save(buffer, "PNG")
    return buffer.getvalue()


def jpeg_with_metadata(width=400, height=200) -> bytes:
    """A JPEG as a phone writes it: camera, author and GPS position in its EXIF, rotated by orientation 6."""
    exif = Image.Exif()
    exif[0x010F] = "PhoneMaker"  # Make
    exif[0x013B] = "Jordan Example"  # Artist
    exif[0x0112] = 6  # Orientation: rotate 90° clockwise to show
    exif[0x8825] = {1: "N", 2: (49.0, 16.0, 30.0), 3: "W", 4: (123.0, 7.0, 5.0)}  # GPS IFD
    buffer = io.BytesIO()
    Image.new("RGB", (width, height), (179, 71, 0)).save(buffer, "JPEG", exif=exif.tobytes(), quality=90)
    return buffer.getvalue()


def huge_png(side=6000) -> bytes:
    """A small file that decodes into 36 million pixels."""
    buffer = io.BytesIO()
    Image.new("1", (side, side), 0).save(buffer, "PNG", optimize=True)
    return buffer.getvalue()


def noisy_png(side=900) -> bytes:
    """A PNG that does not compress: well over 1 MiB."""
    import os

    buffer = io.BytesIO()
    Image.frombytes("RGB", (side, side), os.urandom(side * side * 3)).save(buffer, "PNG")
    return buffer.getvalue()


SVG = (b'<svg xmlns="http://www.w3.org/2000/svg" width="100" height="100"><script>alert(1)</script>'
       b'<rect width="100" height="100" fill="red"/></svg>')
