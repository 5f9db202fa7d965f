"""Support on the person's terms: goals, support contacts, safety plans, voluntary referrals, and who
may read them.

A person's words are encrypted (EncryptedTextField). There is no diagnosis field anywhere, no
"non-compliance" state, and nothing here is a condition for any service: declining a referral is an
outcome like any other. Notes and plans are need-to-know (queries.notes_access): staff assigned to the
person and coordinators read them; anyone else breaks the glass with a reason, audited and listed for
coordinators. Sharing with a named partner needs the person's time-limited, revocable consent, and
every disclosure is listed per person.
"""

from django.conf import settings
from django.db import models
from django.utils import timezone
from django.utils.translation import gettext_lazy as _

from haven.core.fields import BlindIndexField, EncryptedTextField

USER = settings.AUTH_USER_MODEL


class Assignment(models.Model):
    """A worker the person works with: they read the person's notes without breaking the glass."""

    participant = models.ForeignKey("participants.Participant", on_delete=models.CASCADE, related_name="+")
    staff = models.ForeignKey(USER, on_delete=models.CASCADE, related_name="support_assignments")
    assigned_at = models.DateTimeField(default=timezone.now)
    assigned_by = models.ForeignKey(USER, null=True, on_delete=models.SET_NULL, related_name="+")
    ended_at = models.DateTimeField(null=True, blank=True)

    class Meta:
        ordering = ["-assigned_at"]

    def __str__(self):
        # Ids only: a string of a record may end up in a log line.
        return f"{self._meta.model_name} {self.pk}"


class SupportConsent(models.Model):
    """The person agreed that Haven keeps their support notes; withdrawing it erases them."""

    participant = models.ForeignKey("participants.Participant", on_delete=models.CASCADE, related_name="+")
    given_at = models.DateTimeField(default=timezone.now)
    given_by = models.ForeignKey(USER, null=True, on_delete=models.SET_NULL, related_name="+")
    withdrawn_at = models.DateTimeField(null=True, blank=True)
    withdrawn_by = models.ForeignKey(USER, null=True, blank=True, on_delete=models.SET_NULL, related_name="+")
    kept_by_law = models.JSONField(default=list, blank=True)  # record kinds kept at withdrawal (settings)

    class Meta:
        ordering = ["-given_at"]

    def __str__(self):
        # Ids only: a string of a record may end up in a log line.
        return f"{self._meta.model_name} {self.pk}"


class Goal(models.Model):
    class Category(models.TextChoices):
        LESS_AT_A_TIME = "less_at_a_time", _("Use less at a time")
        TEST_BEFORE = "test_before", _("Test before using")
        NEVER_ALONE = "never_alone", _("Never use alone")
        MOUD = "moud", _("Start or stay on methadone or buprenorphine")
        HOUSING = "housing", _("Housing")
        ID_DOCUMENTS = "id_documents", _("ID documents")
        INCOME = "income", _("Income")
        HEALTH_CARE = "health_care", _("Health care")
        FAMILY = "family", _("Reconnect with family")
        STOP_SUBSTANCE = "stop_substance", _("Stop using a substance")
        OTHER = "other", _("Something else")

    class Status(models.TextChoices):
        WORKING_ON = "working_on", _("Working on it")
        REACHED = "reached", _("Reached")
        SET_ASIDE = "set_aside", _("Set aside for now")

    participant = models.ForeignKey("participants.Participant", on_delete=models.CASCADE, related_name="+")
    category = models.CharField(_("kind of goal"), max_length=20, choices=Category.choices, blank=True)
    text = EncryptedTextField(_("the goal, in their words"), null=True, blank=True)
    status = models.CharField(_("status"), max_length=12, choices=Status.choices, default=Status.WORKING_ON)
    created_at = models.DateTimeField(default=timezone.now)
    created_by = models.ForeignKey(USER, null=True, on_delete=models.SET_NULL, related_name="+")

    class Meta:
        ordering = ["-created_at"]

    def __str__(self):
        # Ids only: a string of a record may end up in a log line.
        return f"{self._meta.model_name} {self.pk}"


class GoalProgress(models.Model):
    goal = models.ForeignKey(Goal, on_delete=models.CASCADE, related_name="progress")
    note = EncryptedTextField(_("progress"), null=True, blank=True)
    recorded_at = models.DateTimeField(default=timezone.now)
    recorded_by = models.ForeignKey(USER, null=True, on_delete=models.SET_NULL, related_name="+")

    class Meta:
        ordering = ["recorded_at"]

    def __str__(self):
        # Ids only: a string of a record may end up in a log line.
        return f"{self._meta.model_name} {self.pk}"


class SupportContact(models.Model):
    class Kind(models.TextChoices):
        PEER_SUPPORT = "peer_support", _("Peer support")
        COUNSELLING = "counselling", _("Counselling session")
        CRISIS = "crisis", _("Crisis support")
        NAVIGATION = "navigation", _("System navigation")

    class Mode(models.TextChoices):
        IN_PERSON = "in_person", _("In person")
        PHONE = "phone", _("Phone")
        OUTREACH = "outreach", _("Outreach")

    participant = models.ForeignKey("participants.Participant", on_delete=models.CASCADE, related_name="+")
    kind = models.CharField(_("kind of support"), max_length=20, choices=Kind.choices)
    mode = models.CharField(_("how"), max_length=12, choices=Mode.choices)
    duration_minutes = models.PositiveSmallIntegerField(_("minutes"))
    occurred_at = models.DateTimeField(_("when"), default=timezone.now)
    staff = models.ForeignKey(USER, null=True, on_delete=models.SET_NULL, related_name="+")
    site = models.ForeignKey("places.Site", null=True, blank=True, on_delete=models.SET_NULL, related_name="+")
    note = EncryptedTextField(_("note"), null=True, blank=True)
    # Kinds of personal details the screener flagged and the worker confirmed (never the values).
    confirmed_flags = models.JSONField(default=list, blank=True)

    class Meta:
        ordering = ["-occurred_at"]

    def __str__(self):
        # Ids only: a string of a record may end up in a log line.
        return f"{self._meta.model_name} {self.pk}"


SAFETY_PLAN_FIELDS = {
    "suicide": ["warning_signs", "coping_steps", "people_and_places", "professionals", "safer_environment",
                "reasons_for_living"],
    "overdose": ["warning_signs", "never_use_alone", "naloxone_on_hand", "check_in_people", "people_and_places",
                 "professionals", "safer_environment"],
}


class SafetyPlan(models.Model):
    """A plan the person owns. They can take a copy away by a code (only its keyed hash is kept)."""

    class Kind(models.TextChoices):
        SUICIDE = "suicide", _("Suicide safety plan")
        OVERDOSE = "overdose", _("Overdose safety plan")

    participant = models.ForeignKey("participants.Participant", on_delete=models.CASCADE, related_name="+")
    kind = models.CharField(max_length=10, choices=Kind.choices)
    warning_signs = EncryptedTextField(_("My warning signs"), null=True, blank=True)
    coping_steps = EncryptedTextField(_("Things I can do on my own"), null=True, blank=True)
    people_and_places = EncryptedTextField(_("People and places that help"), null=True, blank=True)
    professionals = EncryptedTextField(_("Services I can call"), null=True, blank=True)
    safer_environment = EncryptedTextField(_("Making where I am safer"), null=True, blank=True)
    reasons_for_living = EncryptedTextField(_("My reasons for living"), null=True, blank=True)
    never_use_alone = EncryptedTextField(_("How I avoid using alone"), null=True, blank=True)
    naloxone_on_hand = EncryptedTextField(_("Where my naloxone is"), null=True, blank=True)
    check_in_people = EncryptedTextField(_("Who checks in on me"), null=True, blank=True)
    updated_at = models.DateTimeField(default=timezone.now)
    updated_by = models.ForeignKey(USER, null=True, on_delete=models.SET_NULL, related_name="+")
    copy_code_index = BlindIndexField(null=True, blank=True, unique=True)

    class Meta:
        ordering = ["kind"]
        constraints = [models.UniqueConstraint(fields=["participant", "kind"], name="one_plan_of_each_kind")]

    def __str__(self):
        # Ids only: a string of a record may end up in a log line.
        return f"{self._meta.model_name} {self.pk}"

    def filled_fields(self):
        return [(self._meta.get_field(name).verbose_name, getattr(self, name))
                for name in SAFETY_PLAN_FIELDS[self.kind] if getattr(self, name)]


class ShareConsent(models.Model):
    """The person agrees that a named partner may receive named information, until a date."""

    class Scope(models.TextChoices):
        HANDOFF = "handoff", _("A warm hand-off note for a referral")
        SAFETY_PLAN = "safety_plan", _("My safety plan")
        REFERRAL = "referral", _("That I was referred, and what I want from it")

    participant = models.ForeignKey("participants.Participant", on_delete=models.CASCADE, related_name="+")
    partner_name = models.CharField(_("partner"), max_length=300)
    organization = models.ForeignKey("directory.Organization", null=True, blank=True, on_delete=models.SET_NULL,
                                     related_name="+")
    scope = models.CharField(_("may receive"), max_length=20, choices=Scope.choices)
    given_at = models.DateTimeField(default=timezone.now)
    given_by = models.ForeignKey(USER, null=True, on_delete=models.SET_NULL, related_name="+")
    expires_at = models.DateTimeField(_("until"))
    withdrawn_at = models.DateTimeField(null=True, blank=True)
    withdrawn_by = models.ForeignKey(USER, null=True, blank=True, on_delete=models.SET_NULL, related_name="+")

    class Meta:
        ordering = ["-given_at"]

    def __str__(self):
        # Ids only: a string of a record may end up in a log line.
        return f"{self._meta.model_name} {self.pk}"

    def in_force(self, now=None) -> bool:
        now = now or timezone.now()
        return self.withdrawn_at is None and self.expires_at > now


class Disclosure(models.Model):
    """One time information left the program: to whom, what, under which consent, by whom."""

    participant = models.ForeignKey("participants.Participant", on_delete=models.CASCADE, related_name="+")
    consent = models.ForeignKey(ShareConsent, on_delete=models.PROTECT, related_name="disclosures")
    referral = models.ForeignKey("Referral", null=True, blank=True, on_delete=models.SET_NULL, related_name="+")
    partner_name = models.CharField(max_length=300)
    what = models.CharField(max_length=20, choices=ShareConsent.Scope.choices)
    disclosed_at = models.DateTimeField(default=timezone.now)
    disclosed_by = models.ForeignKey(USER, null=True, on_delete=models.SET_NULL, related_name="+")

    class Meta:
        ordering = ["-disclosed_at"]

    def __str__(self):
        # Ids only: a string of a record may end up in a log line.
        return f"{self._meta.model_name} {self.pk}"


class BreakGlass(models.Model):
    """Someone without need-to-know read a person's notes, for a reason; coordinators see every one."""

    participant = models.ForeignKey("participants.Participant", on_delete=models.CASCADE, related_name="+")
    user = models.ForeignKey(USER, on_delete=models.CASCADE, related_name="+")
    reason = EncryptedTextField(_("reason"))
    at = models.DateTimeField(default=timezone.now)
    expires_at = models.DateTimeField()

    class Meta:
        ordering = ["-at"]

    def __str__(self):
        # Ids only: a string of a record may end up in a log line.
        return f"{self._meta.model_name} {self.pk}"


class Referral(models.Model):
    """A voluntary referral, made with the person's consent. Declining is an outcome, never a failure."""

    class Status(models.TextChoices):
        OFFERED = "offered", _("Offered")
        ACCEPTED = "accepted", _("Accepted by the person")
        DECLINED = "declined", _("Declined by the person")
        CONTACTED = "contacted", _("Service contacted")
        CONNECTED = "connected", _("Connected")
        CLOSED = "closed", _("Closed")

    participant = models.ForeignKey("participants.Participant", on_delete=models.CASCADE, related_name="+")
    service = models.ForeignKey("directory.Service", null=True, blank=True, on_delete=models.SET_NULL,
                                related_name="+")
    # What the service was called when the referral was made: a directory entry may go away.
    service_name = models.CharField(_("service"), max_length=300, blank=True)
    place = models.CharField(_("or a place not in the directory"), max_length=300, blank=True)
    category = models.CharField(_("kind of service"), max_length=30, blank=True)
    wants = EncryptedTextField(_("what they want from it"), null=True, blank=True)
    consent_given_at = models.DateTimeField()
    status = models.CharField(max_length=10, choices=Status.choices, default=Status.OFFERED)
    offered_at = models.DateTimeField(default=timezone.now)
    accepted_at = models.DateTimeField(null=True, blank=True)
    declined_at = models.DateTimeField(null=True, blank=True)
    contacted_at = models.DateTimeField(null=True, blank=True)
    connected_at = models.DateTimeField(null=True, blank=True)
    closed_at = models.DateTimeField(null=True, blank=True)
    outcome = EncryptedTextField(_("outcome, in their words"), null=True, blank=True)
    follow_up_on = models.DateField(_("follow up on"), null=True, blank=True)
    handoff_note = EncryptedTextField(_("warm hand-off note"), null=True, blank=True)
    share_consent = models.ForeignKey(ShareConsent, null=True, blank=True, on_delete=models.SET_NULL,
                                      related_name="referrals")
    consent_withdrawn_at = models.DateTimeField(null=True, blank=True)
    made_by = models.ForeignKey(USER, null=True, on_delete=models.SET_NULL, related_name="+")
    site = models.ForeignKey("places.Site", null=True, blank=True, on_delete=models.SET_NULL, related_name="+")

    class Meta:
        ordering = ["-offered_at"]

    def __str__(self):
        # Ids only: a string of a record may end up in a log line.
        return f"{self._meta.model_name} {self.pk}"

    @property
    def destination(self) -> str:
        return self.service_name or self.place


