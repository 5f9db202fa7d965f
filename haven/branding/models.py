"""The program's brand: one row, set by an admin (actions.brand_update). Without a row, Haven uses
HAVEN_PROGRAM_NAME and its own colours."""

from django.conf import settings
from django.db import models
from django.utils.translation import gettext_lazy as _

NAME_MAX, SHORT_NAME_MAX = 80, 24


class Brand(models.Model):
    # Always 1: there is one program per Haven.
    name = models.CharField(_("program name"), max_length=NAME_MAX)
    short_name = models.CharField(_("short name"), max_length=SHORT_NAME_MAX, blank=True)
    # The cleaned PNG's SHA-256: the file is <data folder>/branding/logo-<digest>.png, and the digest is
    # in the logo's address, so a new logo is never hidden by a cached old one.
    logo_digest = models.CharField(max_length=64, blank=True)
    logo_width = models.PositiveIntegerField(null=True, blank=True)
    logo_height = models.PositiveIntegerField(null=True, blank=True)
    main_colour = models.CharField(_("main colour"), max_length=7, blank=True)
    accent_colour = models.CharField(_("accent colour"), max_length=7, blank=True)
    updated_at = models.DateTimeField(null=True, blank=True)
    updated_by = models.ForeignKey(settings.AUTH_USER_MODEL, null=True, blank=True, on_delete=models.SET_NULL,
                                   related_name="+")

    def __str__(self):
        return self.name
