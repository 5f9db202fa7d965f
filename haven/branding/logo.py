"""A program's logo, made safe to show: checked, re-drawn and stripped; Pillow only, no Django import.

An uploaded image is never served as sent. It is opened as PNG, JPEG or WebP only (no SVG, which
can carry script), its size and pixel count are bounded before decoding (a small file can unpack
into gigabytes), it is turned upright by its EXIF orientation, scaled to fit a box, and written
again as a new PNG: EXIF, GPS, XMP, ICC profiles, comments and text chunks stay behind.
"""

from __future__ import annotations

import hashlib
import io
import warnings
from dataclasses import dataclass

MAX_BYTES = 1024 * 1024  # 1 MiB uploaded
MAX_PIXELS = 25_000_000  # before decoding: a 5000 x 5000 image at most
MAX_SIDE = 512  # stored: fits a 512 x 512 box (sharp in a header at 2x, small in a PDF)
MIN_SIDE = 16
FORMATS = ("PNG", "JPEG", "WEBP")


class LogoError(ValueError):
    """Why a file cannot be a logo: `code` is one of the keys of REASONS; `params` fill its message."""

    REASONS = ("empty", "too_large", "not_an_image", "format", "too_many_pixels", "too_small")

    def __init__(self, code: str, **params):
        super().__init__(code)
        self.code, self.params = code, params


@dataclass(frozen=True)
class Logo:
    png: bytes
    width: int
    height: int

    @property
    def digest(self) -> str:
        return hashlib.sha256(self.png).hexdigest()


def clean_logo(data: bytes, *, max_bytes: int = MAX_BYTES) -> Logo:
    """A new PNG of the image in `data`, without any of the file's metadata, or LogoError."""
    from PIL import Image, ImageOps, UnidentifiedImageError

    if not data:
        raise LogoError("empty")
    if len(data) > max_bytes:
        raise LogoError("too_large", size=len(data), limit=max_bytes)
    try:
        with warnings.catch_warnings():
            warnings.simplefilter("error", Image.DecompressionBombWarning)
            image = Image.open(io.BytesIO(data), formats=FORMATS)
            if image.width * image.height > MAX_PIXELS:
                raise LogoError("too_many_pixels", width=image.width, height=image.height)
            image.load()
    except LogoError:
        raise
    except (UnidentifiedImageError, Image.DecompressionBombError, Image.DecompressionBombWarning) as error:
        if isinstance(error, UnidentifiedImageError):
            raise LogoError("not_an_image") from None
        raise LogoError("too_many_pixels", width=0, height=0) from None
    except (OSError, SyntaxError, ValueError):  # truncated or corrupt data
        raise LogoError("not_an_image") from None
    if image.format not in FORMATS:
        raise LogoError("format", found=image.format or "")
    if min(image.size) < MIN_SIDE:
        raise LogoError("too_small", width=image.width, height=image.height, minimum=MIN_SIDE)
    image = ImageOps.exif_transpose(image)
    image = image.convert("RGBA")
    image.thumbnail((MAX_SIDE, MAX_SIDE), Image.Resampling.LANCZOS)
    # A fresh image holds the pixels only: nothing of the original's info dictionary comes along.
    fresh = Image.new("RGBA", image.size)
    fresh.paste(image)
    buffer = io.BytesIO()
    fresh.save(buffer, format="PNG", optimize=True)
    return Logo(png=buffer.getvalue(), width=fresh.width, height=fresh.height)
