"""Encounters: one visit, who (a participant or nobody in particular), what was given and done.

An anonymous encounter (no participant) is first-class: it is counted in every report.
"""

from django.conf import settings
from django.core.validators import MinValueValidator
from django.db import models
from django.utils import timezone
from django.utils.translation import gettext_lazy as _

from haven.core.fields import EncryptedTextField


class ServiceMode(models.TextChoices):
    FIXED = "fixed", _("Fixed site")
    MOBILE = "mobile", _("Mobile unit")
    OUTREACH = "outreach", _("Outreach")
    MAIL = "mail", _("Mail")
    PEER_DELIVERY = "peer_delivery", _("Peer delivery")


class Service(models.Model):
    """A configurable catalog of services: education topics, testing, wound care, referrals."""

    class Kind(models.TextChoices):
        EDUCATION = "education", _("Education")
        TESTING = "testing", _("Testing")
        CARE = "care", _("Care")
        REFERRAL = "referral", _("Referral offered")
        OTHER = "other", _("Other")

    name = models.CharField(_("name"), max_length=120, unique=True)
    kind = models.CharField(_("kind"), max_length=20, choices=Kind.choices)
    # Hook for the referral module: which kind of referral this service stands for.
    referral_type = models.CharField(max_length=60, blank=True)
    active = models.BooleanField(_("active"), default=True)
    sort_order = models.PositiveIntegerField(default=100)

    class Meta:
        ordering = ["sort_order", "name"]

    def __str__(self):
        return self.name


class Encounter(models.Model):
    # The client's own id for this submission: a retry (or an offline queue syncing twice) with the
    # same id returns the first encounter instead of making a second.
    client_id = models.UUIDField(unique=True)
    participant = models.ForeignKey("participants.Participant", null=True, blank=True, on_delete=models.PROTECT,
                                    related_name="encounters")
    occurred_at = models.DateTimeField(_("when"), default=timezone.now, db_index=True)
    site = models.ForeignKey("places.Site", on_delete=models.PROTECT, related_name="encounters")
    service_mode = models.CharField(_("service mode"), max_length=20, choices=ServiceMode.choices)
    staff = models.ForeignKey(settings.AUTH_USER_MODEL, null=True, on_delete=models.SET_NULL, related_name="+")
    # How many other people the supplies are for (secondary exchange).
    secondary_people = models.PositiveIntegerField(_("for how many other people"), default=0)
    syringes_returned = models.PositiveIntegerField(_("syringes returned"), default=0)
    returns_estimated = models.BooleanField(_("returns estimated"), default=False)
    sharps_containers_returned = models.PositiveIntegerField(_("sharps containers returned"), default=0)
    services = models.ManyToManyField(Service, blank=True, related_name="encounters")
    created_at = models.DateTimeField(default=timezone.now)
    # Entered offline and synced later, or imported from a legacy log.
    source = models.CharField(max_length=10, default="web",
                              choices=[("web", "web"), ("offline", "offline"), ("api", "api"), ("import", "import")])
    voided_at = models.DateTimeField(null=True, blank=True)
    void_reason = EncryptedTextField(max_length=200, blank=True)  # staff may name a person in it
    # A correction replaces a visit with a new one and voids the old (the stock ledger and reports
    # follow as for any void and new visit); this links the new version to the one it replaced.
    replaces = models.OneToOneField("self", null=True, blank=True, on_delete=models.PROTECT,
                                    related_name="replaced_by")

    class Meta:
        ordering = ["-occurred_at"]
        indexes = [
            models.Index(fields=["site", "occurred_at"]),
            models.Index(fields=["participant", "occurred_at"]),
        ]

    def __str__(self):
        return f"encounter {self.pk} at {self.site_id}"


class EncounterSupply(models.Model):
    encounter = models.ForeignKey(Encounter, on_delete=models.CASCADE, related_name="supplies")
    item = models.ForeignKey("inventory.Item", on_delete=models.PROTECT, related_name="+")
    quantity = models.PositiveIntegerField(validators=[MinValueValidator(1)])
    # Which kit this line came from, when it came from one.
    kit = models.ForeignKey("inventory.Kit", null=True, blank=True, on_delete=models.PROTECT, related_name="+")

    class Meta:
        indexes = [models.Index(fields=["item", "encounter"])]

    def __str__(self):
        return f"{self.quantity} × {self.item_id}"


class ReversalReport(models.Model):
    """An overdose reversal a participant tells staff about (it feeds the overdose module)."""

    class Outcome(models.TextChoices):
        SURVIVED = "survived", _("Survived")
        DIED = "died", _("Died")
        UNKNOWN = "unknown", _("Unknown")

    class YesNoUnknown(models.TextChoices):
        YES = "yes", _("Yes")
        NO = "no", _("No")
        UNKNOWN = "unknown", _("Unknown")

    encounter = models.ForeignKey(Encounter, on_delete=models.CASCADE, related_name="reversals")
    occurred_on = models.DateField(_("when it happened"), null=True, blank=True)
    area = models.ForeignKey("places.Area", null=True, blank=True, on_delete=models.SET_NULL, related_name="+")
    naloxone_doses_used = models.PositiveIntegerField(_("naloxone doses used"), default=1)
    outcome = models.CharField(_("outcome"), max_length=10, choices=Outcome.choices, default=Outcome.SURVIVED)
    emergency_services_called = models.CharField(_("emergency services came"), max_length=10,
                                                 choices=YesNoUnknown.choices, default=YesNoUnknown.UNKNOWN)

    def __str__(self):
        return f"reversal at encounter {self.encounter_id}"
