"""Housing: the person's housing status (HUD HMIS categories), the bed and unit board, the housing
navigation journey, keeping housing, and consent to send records to the Continuum of Care's HMIS.

Nothing here can make housing conditional on drug use, treatment or testing: there is no such field,
and tests/test_no_conditions.py fails if one appears. Participants' addresses are never stored; a
unit's address is kept for staff only (encrypted, never in the partners' view or the phone list).
"""

from django.conf import settings
from django.db import models
from django.db.models import Q
from django.utils import timezone
from django.utils.translation import gettext_lazy as _

from haven.core.fields import BlindIndexField, EncryptedJSONField, EncryptedTextField

USER = settings.AUTH_USER_MODEL


class IdsOnly(models.Model):
    """A string of a record may end up in a log line: ids only."""

    class Meta:
        abstract = True

    def __str__(self):
        return f"{self._meta.model_name} {self.pk}"


class LowBarrier(models.TextChoices):
    """What a place does not require, or allows; never a condition on the person (vocabulary.LOW_BARRIER_CODES)."""

    HOUSING_FIRST = "housing_first", _("Housing First")
    NO_CONDITIONS = "no_conditions", _("No sobriety, treatment or testing requirement")
    SUPPLIES_ALLOWED = "supplies_allowed", _("Harm reduction supplies allowed")
    PETS = "pets", _("Pets welcome")
    PARTNERS = "partners", _("Partners can stay together")
    STORAGE = "storage", _("Storage for belongings")
    NO_CURFEW = "no_curfew", _("No curfew")
    ACCESSIBLE = "accessible", _("Wheelchair accessible")


class HousingStatus(IdsOnly):
    """Where the person stays, in HMIS terms, when they choose to say. Optional, every time."""

    class Kind(models.TextChoices):
        PRIOR = "prior", _("At enrolment (prior living situation)")
        CURRENT = "current", _("Current living situation")

    participant = models.ForeignKey("participants.Participant", on_delete=models.CASCADE, related_name="+")
    kind = models.CharField(max_length=10, choices=Kind.choices)
    # HMIS codes: PriorLivingSituation or CurrentLivingSituation list; ResidencePriorLengthOfStay list.
    living_situation = models.PositiveSmallIntegerField(_("living situation"))
    length_of_stay = models.PositiveSmallIntegerField(_("length of stay"), null=True, blank=True)
    information_date = models.DateField(_("date"), default=timezone.localdate)
    recorded_at = models.DateTimeField(default=timezone.now)
    recorded_by = models.ForeignKey(USER, null=True, on_delete=models.SET_NULL, related_name="+")
    site = models.ForeignKey("places.Site", null=True, blank=True, on_delete=models.SET_NULL, related_name="+")
    same_as_before = models.BooleanField(default=False)

    class Meta:
        ordering = ["-information_date", "-recorded_at"]



class Property(IdsOnly):
    """A shelter, drop-in beds, transitional or permanent housing, run by the program or a partner."""

    class Kind(models.TextChoices):
        SHELTER = "shelter", _("Emergency shelter")
        DROP_IN = "drop_in", _("Drop-in beds")
        TRANSITIONAL = "transitional", _("Transitional housing")
        PERMANENT = "permanent", _("Permanent housing (Housing First)")

    class GenderPolicy(models.TextChoices):
        ALL = "all", _("All genders")
        WOMEN = "women", _("Women and gender-diverse people")
        MEN = "men", _("Men")
        FAMILIES = "families", _("Families")
        YOUTH = "youth", _("Young people")

    name = models.CharField(_("name"), max_length=120)
    kind = models.CharField(_("kind"), max_length=15, choices=Kind.choices)
    site = models.ForeignKey("places.Site", verbose_name=_("site"), on_delete=models.PROTECT, related_name="+")
    # A partner that runs the place updates its availability with its own directory partner token.
    organization = models.ForeignKey("directory.Organization", verbose_name=_("run by partner"), null=True,
                                     blank=True, on_delete=models.SET_NULL, related_name="+")
    address = EncryptedTextField(_("address (staff only)"), null=True, blank=True)
    phone = models.CharField(_("phone to call"), max_length=40, blank=True)
    low_barrier = models.JSONField(_("low-barrier"), default=list, blank=True)
    gender_policy = models.CharField(_("who can stay"), max_length=10, choices=GenderPolicy.choices,
                                     default=GenderPolicy.ALL)
    active = models.BooleanField(default=True)

    class Meta:
        ordering = ["name"]
        verbose_name_plural = "properties"



class Bed(IdsOnly):
    """One bed or unit. `status` is what staff or the partner last said; a hold is a separate row."""

    class Status(models.TextChoices):
        AVAILABLE = "available", _("Available")
        OCCUPIED = "occupied", _("Occupied")
        CLOSED = "closed", _("Closed")

    property = models.ForeignKey(Property, on_delete=models.CASCADE, related_name="beds")
    label = models.CharField(_("bed or unit"), max_length=40)
    status = models.CharField(max_length=10, choices=Status.choices, default=Status.AVAILABLE)
    updated_at = models.DateTimeField(default=timezone.now)

    class Meta:
        ordering = ["property__name", "label"]
        constraints = [models.UniqueConstraint(fields=["property", "label"], name="housing_bed_label_unique")]



class BedHold(IdsOnly):
    """A bed held for a person for some hours. At most one active hold per bed (the database says so)."""

    class Outcome(models.TextChoices):
        USED = "used", _("The person arrived")
        RELEASED = "released", _("Released")
        EXPIRED = "expired", _("Expired")

    bed = models.ForeignKey(Bed, on_delete=models.CASCADE, related_name="holds")
    participant = models.ForeignKey("participants.Participant", null=True, blank=True, on_delete=models.SET_NULL,
                                    related_name="+")
    held_by = models.ForeignKey(USER, null=True, on_delete=models.SET_NULL, related_name="+")
    held_at = models.DateTimeField(default=timezone.now)
    expires_at = models.DateTimeField()
    active = models.BooleanField(default=True)
    ended_at = models.DateTimeField(null=True, blank=True)
    outcome = models.CharField(max_length=10, choices=Outcome.choices, blank=True)

    class Meta:
        ordering = ["-held_at"]
        constraints = [models.UniqueConstraint(fields=["bed"], condition=Q(active=True),
                                               name="housing_one_active_hold_per_bed")]



STEPS = ["assessment", "documents", "application", "matched", "moved_in", "retained_3", "retained_6", "retained_12"]
RETENTION_MONTHS = (3, 6, 12)


class Journey(IdsOnly):
    """A person's way into housing with a navigator, and keeping it."""

    class LostReason(models.TextChoices):
        ARREARS = "arrears", _("Rent arrears")
        LANDLORD = "landlord", _("Landlord ended the tenancy")
        CONFLICT = "conflict", _("Conflict with neighbours or guests")
        HEALTH = "health", _("Hospital or health care")
        CUSTODY = "custody", _("Jail or prison")
        CHOSE_TO_LEAVE = "chose_to_leave", _("Chose to leave")
        DIED = "died", _("Died")
        OTHER = "other", _("Another reason")

    participant = models.ForeignKey("participants.Participant", on_delete=models.CASCADE, related_name="+")
    site = models.ForeignKey("places.Site", on_delete=models.PROTECT, related_name="+")
    navigator = models.ForeignKey(USER, null=True, on_delete=models.SET_NULL, related_name="housing_journeys")
    started_at = models.DateTimeField(default=timezone.now)
    assessed_on = models.DateField(_("needs assessment"), null=True, blank=True)
    id_ready_on = models.DateField(_("ID ready"), null=True, blank=True)
    income_ready_on = models.DateField(_("proof of income ready"), null=True, blank=True)
    references_ready_on = models.DateField(_("references ready"), null=True, blank=True)
    matched_on = models.DateField(_("matched"), null=True, blank=True)
    matched_property = models.ForeignKey(Property, null=True, blank=True, on_delete=models.SET_NULL,
                                         related_name="+")
    moved_in_on = models.DateField(_("moved in"), null=True, blank=True)
    lost_on = models.DateField(_("lost housing"), null=True, blank=True)
    lost_reason = models.CharField(_("why"), max_length=20, choices=LostReason.choices, blank=True)
    destination = models.PositiveSmallIntegerField(null=True, blank=True)  # HMIS Destination list
    closed_on = models.DateField(null=True, blank=True)
    steps_code_index = BlindIndexField(null=True, blank=True, unique=True)

    class Meta:
        ordering = ["-started_at"]
        constraints = [models.UniqueConstraint(fields=["participant"], condition=Q(closed_on__isnull=True),
                                               name="housing_one_open_journey")]


    @property
    def documents_ready(self) -> bool:
        return bool(self.id_ready_on and self.income_ready_on and self.references_ready_on)


class Application(IdsOnly):
    class Status(models.TextChoices):
        SUBMITTED = "submitted", _("Submitted")
        ACCEPTED = "accepted", _("Accepted")
        DECLINED = "declined", _("Not offered")
        WITHDRAWN = "withdrawn", _("Withdrawn by the person")

    journey = models.ForeignKey(Journey, on_delete=models.CASCADE, related_name="applications")
    where = models.CharField(_("housing program or landlord"), max_length=200)
    applied_on = models.DateField(_("applied on"))
    status = models.CharField(max_length=10, choices=Status.choices, default=Status.SUBMITTED)

    class Meta:
        ordering = ["applied_on"]



class RetentionCheck(IdsOnly):
    journey = models.ForeignKey(Journey, on_delete=models.CASCADE, related_name="retention_checks")
    months = models.PositiveSmallIntegerField()
    checked_on = models.DateField()
    still_housed = models.BooleanField()
    checked_by = models.ForeignKey(USER, null=True, on_delete=models.SET_NULL, related_name="+")

    class Meta:
        ordering = ["months"]
        constraints = [models.UniqueConstraint(fields=["journey", "months"], name="housing_one_check_per_mark")]



class Task(IdsOnly):
    """A reminder for the navigator (and a step the person can see by their code)."""

    journey = models.ForeignKey(Journey, on_delete=models.CASCADE, related_name="tasks")
    title = EncryptedTextField(_("what to do"))
    due_on = models.DateField(_("due"))
    done_at = models.DateTimeField(null=True, blank=True)
    created_by = models.ForeignKey(USER, null=True, on_delete=models.SET_NULL, related_name="+")

    class Meta:
        ordering = ["due_on"]



class TenancyFlag(IdsOnly):
    """Something the person agreed to flag so that support can help keep the home."""

    class Kind(models.TextChoices):
        ARREARS = "arrears", _("Rent arrears")
        LANDLORD = "landlord", _("Conflict with the landlord")
        REPAIRS = "repairs", _("Repairs not done")
        GUESTS = "guests", _("Guests or neighbours")
        OTHER = "other", _("Something else")

    journey = models.ForeignKey(Journey, on_delete=models.CASCADE, related_name="flags")
    kind = models.CharField(_("flag"), max_length=10, choices=Kind.choices)
    agreed_at = models.DateTimeField(default=timezone.now)
    resolved_at = models.DateTimeField(null=True, blank=True)
    support_contact = models.ForeignKey("support.SupportContact", null=True, blank=True, on_delete=models.SET_NULL,
                                        related_name="+")
    referral = models.ForeignKey("support.Referral", null=True, blank=True, on_delete=models.SET_NULL,
                                 related_name="+")
    raised_by = models.ForeignKey(USER, null=True, on_delete=models.SET_NULL, related_name="+")

    class Meta:
        ordering = ["-agreed_at"]



class CheckIn(IdsOnly):
    """A check-in after move-in; the conversation itself is a support contact (haven/support)."""

    journey = models.ForeignKey(Journey, on_delete=models.CASCADE, related_name="check_ins")
    support_contact = models.ForeignKey("support.SupportContact", null=True, on_delete=models.SET_NULL,
                                        related_name="+")
    on = models.DateField(default=timezone.localdate)
    staff = models.ForeignKey(USER, null=True, on_delete=models.SET_NULL, related_name="+")

    class Meta:
        ordering = ["-on"]



# Identifiers a person may agree to send to the HMIS (Client.csv); each is optional.
HMIS_IDENTIFIERS = ["FirstName", "LastName", "DOB"]


class HmisConsent(IdsOnly):
    """The person agreed that their housing records go to the CoC's HMIS, with the identifiers they chose."""

    participant = models.ForeignKey("participants.Participant", on_delete=models.CASCADE, related_name="+")
    identifiers = EncryptedJSONField(default=dict, blank=True, null=True)  # {"FirstName": "...", "DOB": "1980-01-31"}
    given_at = models.DateTimeField(default=timezone.now)
    given_by = models.ForeignKey(USER, null=True, on_delete=models.SET_NULL, related_name="+")
    withdrawn_at = models.DateTimeField(null=True, blank=True)
    withdrawn_by = models.ForeignKey(USER, null=True, blank=True, on_delete=models.SET_NULL, related_name="+")

    class Meta:
        ordering = ["-given_at"]

