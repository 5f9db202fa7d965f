"""Where the program works (sites) and the coarse areas it reports by.

Areas exist only for aggregate counts (overdose reports, drug checking, indicators). Haven never
stores where a participant lives.
"""

from django.db import models
from django.utils.translation import gettext_lazy as _


class Area(models.Model):
    class Kind(models.TextChoices):
        NEIGHBOURHOOD = "neighbourhood", _("Neighbourhood")
        POSTAL_CODE = "postal_code", _("ZIP or postal code")
        COUNTY = "county", _("County")
        OTHER = "other", _("Other")

    name = models.CharField(_("name"), max_length=120, unique=True)
    kind = models.CharField(_("kind"), max_length=20, choices=Kind.choices, default=Kind.NEIGHBOURHOOD)
    code = models.CharField(_("code"), max_length=40, blank=True, help_text=_("Optional official code."))
    active = models.BooleanField(_("active"), default=True)

    class Meta:
        ordering = ["name"]
        verbose_name = _("area")
        verbose_name_plural = _("areas")

    def __str__(self):
        return self.name


class Site(models.Model):
    class Kind(models.TextChoices):
        FIXED = "fixed", _("Fixed site")
        MOBILE = "mobile", _("Mobile unit")
        OUTREACH = "outreach", _("Street outreach")
        MAIL = "mail", _("Mail-based")
        PARTNER = "partner", _("Pharmacy or partner")

    name = models.CharField(_("name"), max_length=120, unique=True)
    kind = models.CharField(_("kind"), max_length=20, choices=Kind.choices, default=Kind.FIXED)
    area = models.ForeignKey(Area, verbose_name=_("area"), null=True, blank=True, on_delete=models.PROTECT,
                             related_name="sites")
    hours_per_week = models.DecimalField(_("hours open per week"), max_digits=5, decimal_places=1, null=True,
                                         blank=True)
    active = models.BooleanField(_("active"), default=True)

    class Meta:
        ordering = ["name"]
        verbose_name = _("site")
        verbose_name_plural = _("sites")

    def __str__(self):
        return self.name
