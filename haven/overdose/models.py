"""Overdose reports and the detection settings.

A report says when (to the hour), in which coarse area, and what happened. Nothing in it
identifies a person: no names, no addresses, no participant; the free-text notes and substances
are screened for personal details before they are stored (recording.py) and stored encrypted.
"""

from django.conf import settings
from django.db import models
from django.utils import timezone
from django.utils.translation import gettext_lazy as _

from haven.core.fields import EncryptedJSONField, EncryptedTextField


class YesNoUnknown(models.TextChoices):
    YES = "yes", _("Yes")
    NO = "no", _("No")
    UNKNOWN = "unknown", _("Unknown")


class OverdoseReport(models.Model):
    class Kind(models.TextChoices):
        OVERDOSE = "overdose", _("Overdose")
        BAD_REACTION = "bad_reaction", _("Bad reaction, not an overdose")

    class Source(models.TextChoices):
        ENCOUNTER = "encounter", _("Reversal reported at a visit")
        STAFF = "staff", _("Witnessed by staff")
        PUBLIC = "public", _("Public form")
        EMERGENCY_SERVICES = "emergency_services", _("Partner: emergency services")
        HOSPITAL = "hospital", _("Partner: hospital")
        PARTNER_OTHER = "partner_other", _("Partner: other")

    PARTNER_SOURCES = (Source.EMERGENCY_SERVICES, Source.HOSPITAL, Source.PARTNER_OTHER)

    occurred_at = models.DateTimeField(_("when it happened"), db_index=True)
    # Coarse on purpose (a neighbourhood or a postal code); unknown is allowed: such a report
    # still counts in totals, only not in the spike detection by area.
    area = models.ForeignKey("places.Area", verbose_name=_("area"), null=True, blank=True,
                             on_delete=models.PROTECT, related_name="+")
    kind = models.CharField(_("what happened"), max_length=20, choices=Kind.choices, default=Kind.OVERDOSE)
    fatal = models.CharField(_("the person died"), max_length=10, choices=YesNoUnknown.choices,
                             default=YesNoUnknown.UNKNOWN)
    naloxone_doses = models.PositiveIntegerField(_("naloxone doses given"), null=True, blank=True)
    emergency_services_called = models.CharField(_("emergency services called"), max_length=10,
                                                 choices=YesNoUnknown.choices, default=YesNoUnknown.UNKNOWN)
    # Short lower-case words ("fentanyl", "xylazine"): a list, so reports can be counted by substance
    # (in Python: the list is encrypted, as people type what they want there and it was once names).
    substances = EncryptedJSONField(_("substances suspected"), default=list, blank=True)
    source = models.CharField(_("source"), max_length=20, choices=Source.choices)
    # One reversal becomes one report, once.
    reversal = models.OneToOneField("encounters.ReversalReport", null=True, blank=True, on_delete=models.SET_NULL,
                                    related_name="overdose_report")
    # The drug checking module comes later; until then the sample's code, as the lab wrote it.
    drug_checking_sample = models.CharField(_("drug checking sample"), max_length=40, blank=True)
    # Encrypted: people write names and places here, although the screener asks them not to.
    notes = EncryptedTextField(_("notes"), blank=True)
    # For imported rows: a digest of the row's values, so importing the same rows again adds nothing.
    import_key = models.CharField(max_length=64, unique=True, null=True, blank=True, editable=False)
    created_by = models.ForeignKey(settings.AUTH_USER_MODEL, null=True, blank=True, on_delete=models.SET_NULL,
                                   related_name="+")
    created_at = models.DateTimeField(default=timezone.now)

    class Meta:
        ordering = ["-occurred_at", "-pk"]
        indexes = [models.Index(fields=["area", "occurred_at"])]
        verbose_name = _("overdose report")
        verbose_name_plural = _("overdose reports")

    def __str__(self):
        return f"overdose report {self.pk}"

    @property
    def is_partner_import(self) -> bool:
        return self.source in self.PARTNER_SOURCES


class DetectionSettings(models.Model):
    """How spikes are detected. One row (pk 1); until a coordinator saves, the defaults apply."""

    SINGLETON_PK = 1

    enabled = models.BooleanField(_("detect spikes"), default=True)
    method = models.CharField(_("method"), max_length=30, default="ears-c2")
    # None: the method's own default (0.001 for EARS, 0.01 for the others).
    alpha = models.FloatField(_("significance level"), null=True, blank=True)
    baseline = models.PositiveIntegerField(_("baseline days"), default=7)
    threshold = models.PositiveIntegerField(_("reports in 24 hours in one area"), default=3)
    updated_at = models.DateTimeField(null=True, blank=True)
    updated_by = models.ForeignKey(settings.AUTH_USER_MODEL, null=True, blank=True, on_delete=models.SET_NULL,
                                   related_name="+")

    class Meta:
        verbose_name = _("detection settings")
        verbose_name_plural = _("detection settings")

    def __str__(self):
        return f"detection settings ({self.method})"

    @classmethod
    def current(cls) -> "DetectionSettings":
        """The saved settings, or the defaults (unsaved): reading never writes."""
        return cls.objects.filter(pk=cls.SINGLETON_PK).first() or cls(pk=cls.SINGLETON_PK)
