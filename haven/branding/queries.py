"""The brand every page, card, PDF and e-mail shows: the admin's choices, else HAVEN_PROGRAM_NAME and
Haven's own colours. Read once a minute at most per process (Django's cache; the action clears it)."""

from __future__ import annotations

import hashlib
from dataclasses import dataclass
from pathlib import Path

from django.conf import settings
from django.core.cache import cache
from django.urls import reverse

from haven import conf
from haven.branding import colours
from haven.branding.models import Brand

CACHE_KEY = "branding:program"
CACHE_SECONDS = 60


@dataclass(frozen=True)
class Program:
    name: str
    short_name: str
    logo_digest: str = ""
    logo_width: int | None = None
    logo_height: int | None = None
    main_colour: str = ""
    accent_colour: str = ""

    @property
    def logo_url(self) -> str:
        return reverse("branding-logo", args=[self.logo_digest]) if self.logo_digest else ""

    @property
    def logo_path(self) -> Path | None:
        return logo_path(self.logo_digest) if self.logo_digest else None

    @property
    def main_text(self) -> str:
        return colours.text_on(self.main_colour)[0] if self.main_colour else ""

    @property
    def accent_text(self) -> str:
        return colours.text_on(self.accent_colour)[0] if self.accent_colour else ""

    @property
    def has_colours(self) -> bool:
        return bool(self.main_colour or self.accent_colour)

    @property
    def version(self) -> str:
        """Changes whenever what brand.css says changes, so browsers fetch it again."""
        text = "|".join((self.main_colour, self.accent_colour))
        return hashlib.sha256(text.encode()).hexdigest()[:12]

    def __str__(self) -> str:
        return self.name


def logo_folder() -> Path:
    return conf.data_dir() / "branding"


def logo_path(digest: str) -> Path:
    return logo_folder() / f"logo-{digest}.png"


def _from_database() -> Program:
    brand = Brand.objects.filter(pk=1).first()
    default = settings.HAVEN_PROGRAM_NAME
    if brand is None:
        return Program(name=default, short_name=default)
    # A data folder restored without its branding/ folder: no logo rather than a broken image.
    digest = brand.logo_digest if brand.logo_digest and logo_path(brand.logo_digest).exists() else ""
    return Program(name=brand.name or default, short_name=brand.short_name or brand.name or default,
                   logo_digest=digest, logo_width=brand.logo_width, logo_height=brand.logo_height,
                   main_colour=brand.main_colour, accent_colour=brand.accent_colour)


def current_program(*, fresh: bool = False) -> Program:
    """The brand now. `fresh`: straight from the database (the admin's page, the worker's e-mails)."""
    if not fresh:
        found = cache.get(CACHE_KEY)
        if found is not None:
            return found
    program = _from_database()
    cache.set(CACHE_KEY, program, CACHE_SECONDS)
    return program


def forget_cached_program() -> None:
    cache.delete(CACHE_KEY)


def stored_brand() -> Brand | None:
    return Brand.objects.filter(pk=1).first()
