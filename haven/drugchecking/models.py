"""Drug checking: samples, the tests run on them, and the public lookup's rate-limit trace.

A sample is known by a code the participant takes away; only a keyed hash of it is stored
(`code_index`), so Haven can find the result when the participant types the code, but a stolen
database does not give codes back. Staff find samples by their number (the primary key). No name is
ever asked; a participant may be linked (the participant row, never their code).
Substances are named by the keys of the vocabulary (data/substances.yaml).
"""

from django.conf import settings
from django.db import models
from django.utils import timezone
from django.utils.translation import gettext_lazy as _

from haven.core.fields import BlindIndexField, EncryptedTextField
from haven.drugchecking import vocabulary

CODE_INDEX_PURPOSE = "drugchecking-sample-code"


class Sample(models.Model):
    class Form(models.TextChoices):
        POWDER = "powder", _("Powder")
        CRYSTAL = "crystal", _("Crystal")
        PILL = "pill", _("Pill or tablet")
        TAR = "tar", _("Tar")
        LIQUID = "liquid", _("Liquid")
        BLOTTER = "blotter", _("Blotter or tab")
        COOKER_RESIDUE = "cooker_residue", _("Residue from a used cooker")
        COTTON_RESIDUE = "cotton_residue", _("Residue from a used cotton")
        SYRINGE_RESIDUE = "syringe_residue", _("Residue from a used syringe")

    class Status(models.TextChoices):
        RECEIVED = "received", _("Received")
        TESTED = "tested", _("Tested, waiting for review")
        REVIEWED = "reviewed", _("Reviewed: the result is ready")

    class Classification(models.TextChoices):
        EXPECTED = "expected", _("As expected")
        UNEXPECTED = "unexpected", _("Contains something unexpected")
        DIFFERENT = "different", _("A different substance")
        INCONCLUSIVE = "inconclusive", _("Inconclusive")

    code_index = BlindIndexField(unique=True)
    site = models.ForeignKey("places.Site", verbose_name=_("site"), on_delete=models.PROTECT, related_name="+")
    area = models.ForeignKey("places.Area", verbose_name=_("area"), null=True, blank=True,
                             on_delete=models.PROTECT, related_name="+")
    participant = models.ForeignKey("participants.Participant", null=True, blank=True, on_delete=models.SET_NULL,
                                    related_name="+")
    received_at = models.DateTimeField(_("received"), default=timezone.now, db_index=True)
    received_by = models.ForeignKey(settings.AUTH_USER_MODEL, null=True, on_delete=models.SET_NULL, related_name="+")
    expected = models.CharField(_("sold or expected as"), max_length=60)
    form = models.CharField(_("form"), max_length=20, choices=Form.choices)
    colour = models.CharField(_("colour"), max_length=60, blank=True)
    pill_marks = models.CharField(_("pill marks"), max_length=60, blank=True)
    pill_weight_mg = models.DecimalField(_("pill weight (mg)"), max_digits=7, decimal_places=1, null=True, blank=True)
    already_used = models.BooleanField(_("already used"), null=True, blank=True)
    effects = EncryptedTextField(_("effects felt"), blank=True)  # the person's own words
    consent_publish = models.BooleanField(_("consent to publish the de-identified result"), default=False)

    status = models.CharField(_("status"), max_length=12, choices=Status.choices, default=Status.RECEIVED)
    # Set by the review: what the participant sees, and what public outputs count.
    classification = models.CharField(_("finding"), max_length=14, choices=Classification.choices, blank=True)
    found = models.JSONField(_("substances found"), default=list, blank=True)
    advice = models.TextField(_("advice"), blank=True)
    # Pills: milligrams of the expected substance (weight x percent), for the unusual-dose rule.
    expected_dose_mg = models.DecimalField(max_digits=7, decimal_places=1, null=True, blank=True)
    reviewed_at = models.DateTimeField(null=True, blank=True)
    reviewed_by = models.ForeignKey(settings.AUTH_USER_MODEL, null=True, blank=True, on_delete=models.SET_NULL,
                                    related_name="+")

    class Meta:
        ordering = ["-received_at", "-pk"]
        indexes = [models.Index(fields=["site", "received_at"]), models.Index(fields=["status", "received_at"])]
        verbose_name = _("drug checking sample")
        verbose_name_plural = _("drug checking samples")

    def __str__(self):
        return f"sample {self.pk}"

    @property
    def expected_name(self) -> str:
        return vocabulary.name_of(self.expected)

    @property
    def found_names(self) -> list[str]:
        return [vocabulary.name_of(key) for key in self.found or ()]


class Analysis(models.Model):
    """One test of a sample: who, when, method and lot, and what it showed."""

    class Method(models.TextChoices):
        STRIP = "strip", _("Immunoassay strip")
        REAGENT = "reagent", _("Reagent test")
        FTIR = "ftir", _("FTIR spectrometry")
        RAMAN = "raman", _("Raman spectrometry")
        GCMS = "gcms", _("Laboratory: GC-MS")
        LCMS = "lcms", _("Laboratory: LC-MS")
        NMR = "nmr", _("Laboratory: NMR")

    class StripResult(models.TextChoices):
        POSITIVE = "positive", _("Positive")
        NEGATIVE = "negative", _("Negative")
        INVALID = "invalid", _("Invalid (no control line)")

    sample = models.ForeignKey(Sample, on_delete=models.CASCADE, related_name="analyses")
    method = models.CharField(_("method"), max_length=10, choices=Method.choices)
    performed_at = models.DateTimeField(_("when"), default=timezone.now)
    performed_by = models.ForeignKey(settings.AUTH_USER_MODEL, null=True, on_delete=models.SET_NULL, related_name="+")
    lot = models.CharField(_("lot"), max_length=60, blank=True)
    strip = models.CharField(_("strip"), max_length=20, blank=True)
    strip_result = models.CharField(_("strip result"), max_length=10, choices=StripResult.choices, blank=True)
    # Reagents: {"marquis": ["purple", "black"], ...} and the engine's interpretation (as_dict()).
    observations = models.JSONField(default=dict, blank=True)
    interpretation = models.JSONField(default=dict, blank=True)
    # Spectrometry and laboratory: [{"substance": key, "match_score": 0.93, "percent": 12.5,
    # "abundance": "major"}], keys from the vocabulary.
    components = models.JSONField(default=list, blank=True)
    notes = EncryptedTextField(_("notes"), blank=True)
    # For imported rows: a digest of the row, so importing the same file again adds nothing.
    import_key = models.CharField(max_length=64, unique=True, null=True, blank=True, editable=False)

    class Meta:
        ordering = ["performed_at", "pk"]
        verbose_name = _("analysis")
        verbose_name_plural = _("analyses")

    def __str__(self):
        return f"{self.method} of sample {self.sample_id}"
