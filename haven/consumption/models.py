"""Supervised consumption: booths, stays (check-in to check-out), and medical responses.

A stay names the participant only when the person gave their code; otherwise it is
"anonymous #n" for the day at that site. What the person says they use and the after-care note
are their words: encrypted. Timers are computed from stored moments (`timers.py`), so a restart
loses none. `Board.version` grows with every change to a site's booths, so the screens that poll
the board get a tiny answer when nothing changed.
"""

from django.conf import settings
from django.core.validators import MaxValueValidator, MinValueValidator
from django.db import models
from django.db.models import Q
from django.utils import timezone
from django.utils.translation import gettext_lazy as _

from haven.core.fields import EncryptedTextField


class ConsumptionSettings(models.Model):
    """The program's check intervals. One row (pk 1); until a coordinator saves, the defaults apply."""

    SINGLETON_PK = 1

    # Program-set: each site's protocol says how often staff check a person in a booth.
    amber_after_minutes = models.PositiveIntegerField(
        _("check due after (minutes)"), default=10, validators=[MinValueValidator(1), MaxValueValidator(240)])
    red_after_minutes = models.PositiveIntegerField(
        _("overdue after (minutes)"), default=15, validators=[MinValueValidator(1), MaxValueValidator(240)])
    # The remote spotting line: a caller checks in every few minutes (2 to 3 in most programs);
    # a missed check-in escalates, first to a call back, then to sending help.
    spotting_check_in_minutes = models.PositiveIntegerField(
        _("remote spotting: check in every (minutes)"), default=3,
        validators=[MinValueValidator(1), MaxValueValidator(15)])
    spotting_missed_after_seconds = models.PositiveIntegerField(
        _("remote spotting: missed after (seconds late)"), default=60,
        validators=[MinValueValidator(15), MaxValueValidator(600)])
    spotting_send_help_after_seconds = models.PositiveIntegerField(
        _("remote spotting: send help after (seconds without an answer)"), default=60,
        validators=[MinValueValidator(15), MaxValueValidator(600)])
    updated_at = models.DateTimeField(null=True, blank=True)
    updated_by = models.ForeignKey(settings.AUTH_USER_MODEL, null=True, blank=True, on_delete=models.SET_NULL,
                                   related_name="+")

    class Meta:
        verbose_name = _("consumption settings")
        verbose_name_plural = _("consumption settings")

    def __str__(self):
        return f"checks after {self.amber_after_minutes}/{self.red_after_minutes} minutes"

    @classmethod
    def current(cls) -> "ConsumptionSettings":
        return cls.objects.filter(pk=cls.SINGLETON_PK).first() or cls(pk=cls.SINGLETON_PK)


class Booth(models.Model):
    class Kind(models.TextChoices):
        INJECTION = "injection", _("Injection")
        INHALATION = "inhalation", _("Inhalation")

    site = models.ForeignKey("places.Site", verbose_name=_("site"), on_delete=models.PROTECT, related_name="booths")
    name = models.CharField(_("name"), max_length=40)
    kind = models.CharField(_("kind"), max_length=20, choices=Kind.choices, default=Kind.INJECTION)
    active = models.BooleanField(_("active"), default=True)
    sort_order = models.PositiveIntegerField(default=100)
    # The site's board version at this booth's last change: a poll is sent only the booths changed
    # since the version it has.
    changed_version = models.PositiveBigIntegerField(default=0)

    class Meta:
        ordering = ["site", "sort_order", "name"]
        constraints = [models.UniqueConstraint(fields=["site", "name"], name="booth_name_per_site")]

    def __str__(self):
        return f"{self.name} ({self.site})"


class Board(models.Model):
    """A site's board version: every check-in, check, check-out and response adds one.

    `layout_version` is the version of the last change to the board as a whole (a booth added,
    closed or reopened, new check intervals): a screen older than that gets the whole board again.
    """

    site = models.OneToOneField("places.Site", on_delete=models.CASCADE, related_name="+", primary_key=True)
    version = models.PositiveBigIntegerField(default=0)
    layout_version = models.PositiveBigIntegerField(default=0)

    def __str__(self):
        return f"board of site {self.site_id} at version {self.version}"


class Route(models.TextChoices):
    INJECTION = "injection", _("Injection")
    SMOKING = "smoking", _("Smoking")
    SNORTING = "snorting", _("Snorting")
    ORAL = "oral", _("Oral")


class Stay(models.Model):
    """One use of a booth, from check-in to check-out."""

    site = models.ForeignKey("places.Site", on_delete=models.PROTECT, related_name="+")
    booth = models.ForeignKey(Booth, on_delete=models.PROTECT, related_name="stays")
    participant = models.ForeignKey("participants.Participant", null=True, blank=True, on_delete=models.SET_NULL,
                                    related_name="+")
    # For a person who gave no code: "anonymous #n", n counting from 1 each day at the site.
    anonymous_number = models.PositiveIntegerField(null=True, blank=True)
    substances = EncryptedTextField(_("what the person is using, in their words"), blank=True)
    route = models.CharField(_("route"), max_length=20, choices=Route.choices)
    drug_checking_sample = models.ForeignKey("drugchecking.Sample", null=True, blank=True,
                                             on_delete=models.SET_NULL, related_name="+")
    checked_in_at = models.DateTimeField(db_index=True)
    # The timer runs from here: the check-in, then every acknowledged check.
    last_check_at = models.DateTimeField()
    checks = models.PositiveIntegerField(default=0)
    checked_out_at = models.DateTimeField(null=True, blank=True)
    stay_seconds = models.PositiveIntegerField(null=True, blank=True)
    aftercare_note = EncryptedTextField(_("after-care note"), blank=True)
    checked_in_by = models.ForeignKey(settings.AUTH_USER_MODEL, null=True, on_delete=models.SET_NULL,
                                      related_name="+")
    checked_out_by = models.ForeignKey(settings.AUTH_USER_MODEL, null=True, blank=True, on_delete=models.SET_NULL,
                                       related_name="+")

    class Meta:
        ordering = ["-checked_in_at", "-pk"]
        constraints = [
            # One person per booth, held by the database too (two screens checking in at once).
            models.UniqueConstraint(fields=["booth"], condition=Q(checked_out_at__isnull=True),
                                    name="one_open_stay_per_booth"),
        ]
        indexes = [models.Index(fields=["site", "checked_out_at"], name="stay_site_open")]

    def __str__(self):
        return f"stay {self.pk} in {self.booth_id}"

    @property
    def who(self) -> str:
        if self.participant_id:
            return self.participant.display_id
        return _("anonymous #%(n)s") % {"n": self.anonymous_number}


class YesNo(models.TextChoices):
    YES = "yes", _("Yes")
    NO = "no", _("No")


class MedicalResponse(models.Model):
    """What staff did when a person in (or after) a stay showed signs of an overdose or needed care."""

    class BreathingSupport(models.TextChoices):
        NONE = "none", _("None")
        RESCUE_BREATHS = "rescue_breaths", _("Rescue breaths")
        BAG_VALVE_MASK = "bag_valve_mask", _("Bag valve mask")

    class Outcome(models.TextChoices):
        RECOVERED_ON_SITE = "recovered_on_site", _("Recovered on site")
        TRANSPORTED = "transported", _("Taken to hospital")
        LEFT = "left", _("Left before care ended")
        DIED = "died", _("Died")

    site = models.ForeignKey("places.Site", on_delete=models.PROTECT, related_name="+")
    stay = models.ForeignKey(Stay, null=True, blank=True, on_delete=models.PROTECT, related_name="responses")
    noticed_at = models.DateTimeField(_("signs noticed at"))
    responded_at = models.DateTimeField(_("response began at"))
    signs = EncryptedTextField(_("signs seen"))
    overdose = models.BooleanField(_("this was an overdose"), default=True)
    naloxone_doses_intranasal = models.PositiveIntegerField(_("naloxone doses, intranasal"), default=0)
    naloxone_doses_intramuscular = models.PositiveIntegerField(_("naloxone doses, intramuscular"), default=0)
    naloxone_item = models.ForeignKey("inventory.Item", null=True, blank=True, on_delete=models.PROTECT,
                                      related_name="+", verbose_name=_("naloxone used"))
    oxygen = models.BooleanField(_("oxygen given"), default=False)
    breathing_support = models.CharField(_("breathing support"), max_length=20, choices=BreathingSupport.choices,
                                         default=BreathingSupport.NONE)
    emergency_services_called = models.CharField(_("emergency services called"), max_length=5,
                                                 choices=YesNo.choices)
    emergency_services_reason = EncryptedTextField(_("why (not) called"), max_length=200, blank=True)
    outcome = models.CharField(_("outcome"), max_length=30, choices=Outcome.choices)
    overdose_report = models.OneToOneField("overdose.OverdoseReport", null=True, blank=True,
                                           on_delete=models.SET_NULL, related_name="consumption_response")
    created_at = models.DateTimeField(default=timezone.now)
    created_by = models.ForeignKey(settings.AUTH_USER_MODEL, null=True, on_delete=models.SET_NULL, related_name="+")

    class Meta:
        ordering = ["-noticed_at", "-pk"]

    def __str__(self):
        return f"medical response {self.pk}"

    @property
    def naloxone_doses(self) -> int:
        return self.naloxone_doses_intranasal + self.naloxone_doses_intramuscular

    @property
    def seconds_to_response(self) -> int:
        return max(int((self.responded_at - self.noticed_at).total_seconds()), 0)


class SpottingCall(models.Model):
    """One call to the remote spotting line, from the caller's first words to the end of the call.

    Everything the caller says about themselves is their words, encrypted, and erased when the call
    ends unless they ask for it to be kept; only counts remain (minutes, escalations, outcome).
    """

    class Send(models.TextChoices):
        EMS = "ems", _("Emergency services")
        CONTACT = "contact", _("The person's named contact")
        BOTH = "both", _("Emergency services and the named contact")

    class Outcome(models.TextChoices):
        SAFE = "safe", _("Call ended, the person was safe")
        HELP_OK = "help_ok", _("Help was sent; the person was all right")
        OVERDOSE_SURVIVED = "overdose_survived", _("Overdose; the person survived")
        DIED = "died", _("The person died")
        UNKNOWN = "unknown", _("Not known")

    alias = EncryptedTextField(_("what the caller wants to be called"), max_length=60)
    callback_number = EncryptedTextField(_("call-back number"), max_length=40, blank=True)
    location = EncryptedTextField(_("where they are and how to get in"), max_length=500, blank=True)
    using = EncryptedTextField(_("what they are using, in their words"), max_length=300, blank=True)
    send = models.CharField(_("who to send if they stop answering"), max_length=10, choices=Send.choices,
                            default=Send.EMS)
    contact = EncryptedTextField(_("named contact and how to reach them"), max_length=200, blank=True)
    keep_details = models.BooleanField(_("the caller asked us to keep these details"), default=False)
    check_in_seconds = models.PositiveIntegerField()
    missed_after_seconds = models.PositiveIntegerField()
    send_help_after_seconds = models.PositiveIntegerField()
    started_at = models.DateTimeField(db_index=True)
    started_by = models.ForeignKey(settings.AUTH_USER_MODEL, null=True, on_delete=models.SET_NULL, related_name="+")
    # The timer runs from here; each check-in starts a new cycle (escalations are per cycle).
    last_check_in_at = models.DateTimeField()
    cycle = models.PositiveIntegerField(default=0)
    check_ins = models.PositiveIntegerField(default=0)
    ended_at = models.DateTimeField(null=True, blank=True)
    ended_by = models.ForeignKey(settings.AUTH_USER_MODEL, null=True, blank=True, on_delete=models.SET_NULL,
                                 related_name="+")
    call_seconds = models.PositiveIntegerField(null=True, blank=True)
    outcome = models.CharField(_("outcome"), max_length=20, choices=Outcome.choices, blank=True)
    ems_dispatched = models.BooleanField(_("emergency services were sent"), default=False)
    details_erased_at = models.DateTimeField(null=True, blank=True)

    class Meta:
        ordering = ["-started_at", "-pk"]
        indexes = [models.Index(fields=["ended_at", "last_check_in_at"], name="spotting_call_open")]

    def __str__(self):
        return f"spotting call {self.pk}"

    @property
    def active(self) -> bool:
        return self.ended_at is None


class SpottingEscalation(models.Model):
    """A missed check-in, raised by the worker once per step and cycle, and what was done about it."""

    class Step(models.IntegerChoices):
        MISSED = 1, _("Missed check-in: call back now")
        SEND_HELP = 2, _("No answer: send help now")

    class Action(models.TextChoices):
        ANSWERED = "answered", _("The person answered")
        SENT_EMS = "sent_ems", _("Emergency services sent")
        SENT_CONTACT = "sent_contact", _("The named contact sent")
        SENT_BOTH = "sent_both", _("Emergency services and the contact sent")
        NO_ONE = "no_one", _("Could not send anyone")

    call = models.ForeignKey(SpottingCall, on_delete=models.CASCADE, related_name="escalations")
    cycle = models.PositiveIntegerField()
    step = models.PositiveSmallIntegerField(choices=Step.choices)
    due_at = models.DateTimeField()
    raised_at = models.DateTimeField()
    resolved_at = models.DateTimeField(null=True, blank=True)
    resolved_by = models.ForeignKey(settings.AUTH_USER_MODEL, null=True, blank=True, on_delete=models.SET_NULL,
                                    related_name="+")
    action = models.CharField(_("what was done"), max_length=20, choices=Action.choices, blank=True)

    class Meta:
        ordering = ["call", "cycle", "step"]
        constraints = [
            # Once: a restarted (or second) worker cannot raise the same step of the same cycle again.
            models.UniqueConstraint(fields=["call", "cycle", "step"], name="one_escalation_per_step"),
        ]

    def __str__(self):
        return f"escalation {self.step} of call {self.call_id} (cycle {self.cycle})"
