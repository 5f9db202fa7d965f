"""Harms from drug laws: rights reports, legal requests for the program's data, and peer warnings.

Nothing here identifies the person a report is about. A rights report holds a date, a coarse area
(an `Area`, never an address), structured choices and an encrypted note that was screened for
personal details; an officer's name or badge number is optional, encrypted and shown to coordinators
only. Peer warnings keep no reporter at all (no account, no address, not even the time of day).
Legal requests are for admins, and every view of them is audited.
"""

from __future__ import annotations

from django.conf import settings
from django.db import models
from django.utils import timezone
from django.utils.translation import gettext_lazy as _

from haven.core.fields import EncryptedTextField

USER = settings.AUTH_USER_MODEL


class Category(models.TextChoices):
    POLICE = "police", _("Police encounter")
    DENIAL_OF_CARE = "denial_of_care", _("Denial of care")
    DISCRIMINATION = "discrimination", _("Discrimination")


class Event(models.TextChoices):
    """What happened, in structured choices; one report may tick several."""

    STOPPED = "stopped", _("Stopped by police")
    SEARCHED = "searched", _("Searched")
    SYRINGES_CONFISCATED = "syringes_confiscated", _("Syringes or supplies taken")
    NALOXONE_CONFISCATED = "naloxone_confiscated", _("Naloxone taken")
    CHECKING_CONFISCATED = "checking_confiscated", _("Drug checking results or strips taken")
    ARRESTED_NEAR_SITE = "arrested_near_site", _("Arrested near a program site")
    CITED_NEAR_SITE = "cited_near_site", _("Ticketed or cited near a program site")
    HARASSMENT = "harassment", _("Harassed by police")
    THREATS = "threats", _("Threatened by police")
    VIOLENCE = "violence", _("Violence by police")
    ASKED_ABOUT_PROGRAM = "asked_about_program", _("Police asked about the program or its participants")
    EMERGENCY_DEPARTMENT = "emergency_department", _("Refused or mistreated at an emergency department")
    PHARMACY_NALOXONE = "pharmacy_naloxone", _("Pharmacy refused naloxone")
    PHARMACY_SYRINGES = "pharmacy_syringes", _("Pharmacy refused syringes")
    SHELTER_REFUSAL = "shelter_refusal", _("Refused by a shelter")
    TREATMENT_DISCHARGE = "treatment_discharge", _("Discharged from treatment for using drugs")
    FORCED_URINE_TEST = "forced_urine_test", _("Forced urine drug test")
    CHILD_WELFARE_THREAT = "child_welfare_threat", _("Threatened with child welfare")
    DISCRIMINATION_HEALTH = "discrimination_health", _("Discrimination in health care")
    DISCRIMINATION_HOUSING = "discrimination_housing", _("Discrimination in housing")
    DISCRIMINATION_WORK = "discrimination_work", _("Discrimination at work or in benefits")
    DISCRIMINATION_OTHER = "discrimination_other", _("Other discrimination")


CATEGORY_OF = {
    **{event: Category.POLICE for event in (
        Event.STOPPED, Event.SEARCHED, Event.SYRINGES_CONFISCATED, Event.NALOXONE_CONFISCATED,
        Event.CHECKING_CONFISCATED, Event.ARRESTED_NEAR_SITE, Event.CITED_NEAR_SITE, Event.HARASSMENT,
        Event.THREATS, Event.VIOLENCE, Event.ASKED_ABOUT_PROGRAM)},
    **{event: Category.DENIAL_OF_CARE for event in (
        Event.EMERGENCY_DEPARTMENT, Event.PHARMACY_NALOXONE, Event.PHARMACY_SYRINGES, Event.SHELTER_REFUSAL,
        Event.TREATMENT_DISCHARGE, Event.FORCED_URINE_TEST, Event.CHILD_WELFARE_THREAT)},
    **{event: Category.DISCRIMINATION for event in (
        Event.DISCRIMINATION_HEALTH, Event.DISCRIMINATION_HOUSING, Event.DISCRIMINATION_WORK,
        Event.DISCRIMINATION_OTHER)},
}


class RightsReport(models.Model):
    class Source(models.TextChoices):
        STAFF = "staff", _("Seen or heard by staff")
        WITH_PARTICIPANT = "with_participant", _("A participant, with staff")
        PUBLIC = "public", _("Anonymous, on the public form")

    class Status(models.TextChoices):
        COUNTED = "counted", _("Counted")
        TO_CHECK = "to_check", _("To check")  # anonymous reports: a coordinator checks before counting
        SET_ASIDE = "set_aside", _("Set aside")

    source = models.CharField(_("who reports"), max_length=20, choices=Source.choices)
    occurred_on = models.DateField(_("when it happened"))
    area = models.ForeignKey("places.Area", null=True, blank=True, on_delete=models.SET_NULL, related_name="+",
                             verbose_name=_("area"))
    events = models.JSONField(_("what happened"), default=list)
    note = EncryptedTextField(_("what happened, in their words"), null=True, blank=True)
    # Kinds of personal details the screener found and staff confirmed as fine (never the values).
    confirmed_flags = models.JSONField(default=list, blank=True)
    # Optional; coordinators only (rights.officers); never in a report, an export or the public page.
    officer_details = EncryptedTextField(_("officer names or badge numbers"), null=True, blank=True)
    wants_help = models.BooleanField(_("wants help"), default=False)
    # Whether a legal aid referral was made in support (the referral is the person's, in support; the
    # report keeps no link to it, so a report never leads to a person).
    referred = models.BooleanField(default=False)
    status = models.CharField(max_length=10, choices=Status.choices, default=Status.COUNTED, db_index=True)
    recorded_by = models.ForeignKey(USER, null=True, blank=True, on_delete=models.SET_NULL, related_name="+")
    # The day only: a time of day next to a server log could point at whoever sent a public report.
    received_on = models.DateField(default=timezone.localdate)

    class Meta:
        ordering = ["-occurred_on", "-pk"]
        indexes = [models.Index(fields=["status", "occurred_on"])]

    def __str__(self):
        # Ids only: a string of a record may end up in a log line.
        return f"{self._meta.model_name} {self.pk}"

    @property
    def categories(self) -> list[str]:
        return sorted({CATEGORY_OF[event] for event in self.events if event in CATEGORY_OF})

    def event_labels(self) -> list[str]:
        labels = dict(Event.choices)
        return [labels.get(event, event) for event in self.events]


class PublicPage(models.Model):
    """Whether the advocacy counts are on a public page: off until the program switches it on."""

    enabled = models.BooleanField(default=False)
    changed_at = models.DateTimeField(default=timezone.now)
    changed_by = models.ForeignKey(USER, null=True, blank=True, on_delete=models.SET_NULL, related_name="+")

    def __str__(self):
        return f"{self._meta.model_name} {self.pk}"


class LegalRequest(models.Model):
    """A subpoena, warrant, court order or informal police request for the program's data."""

    class Kind(models.TextChoices):
        SUBPOENA = "subpoena", _("Subpoena")
        WARRANT = "warrant", _("Search warrant")
        COURT_ORDER = "court_order", _("Court order")
        INFORMAL = "informal", _("Informal police request")
        OTHER = "other", _("Other request")

    class Response(models.TextChoices):
        PENDING = "pending", _("No response yet")
        REFUSED = "refused", _("Refused")
        NARROWED = "narrowed", _("Narrowed")
        PRODUCED = "produced", _("Produced as asked")
        WITHDRAWN = "withdrawn", _("Withdrawn by the requester")

    kind = models.CharField(_("kind of request"), max_length=12, choices=Kind.choices)
    received_on = models.DateField(_("received on"), default=timezone.localdate)
    requester = EncryptedTextField(_("who asked"))
    requested = EncryptedTextField(_("what they asked for"))
    legal_basis = EncryptedTextField(_("legal basis"), null=True, blank=True)
    deadline = models.DateField(_("deadline"))
    counsel = EncryptedTextField(_("counsel"), null=True, blank=True)
    participants = models.ManyToManyField("participants.Participant", blank=True, related_name="+",
                                          verbose_name=_("participants the request names"))
    response = models.CharField(_("response"), max_length=10, choices=Response.choices, default=Response.PENDING)
    response_note = EncryptedTextField(_("what was decided, and why"), null=True, blank=True)
    responded_on = models.DateField(_("responded on"), null=True, blank=True)
    # A court may order the program not to tell the person; the accounting then leaves it out, until a date.
    gag_order = models.BooleanField(_("a court ordered us not to tell the person"), default=False)
    gag_until = models.DateField(_("until"), null=True, blank=True)
    logged_by = models.ForeignKey(USER, null=True, on_delete=models.SET_NULL, related_name="+")
    logged_at = models.DateTimeField(default=timezone.now)

    class Meta:
        ordering = ["-received_on", "-pk"]

    def __str__(self):
        return f"{self._meta.model_name} {self.pk}"

    def gag_in_force(self, today=None) -> bool:
        today = today or timezone.localdate()
        return self.gag_order and (self.gag_until is None or self.gag_until >= today)


class Production(models.Model):
    """Exactly what the program decided to hand over for a legal request: named records, nothing more.

    The file itself is kept encrypted, so the log can link to what left and anyone checking later
    sees the same bytes (`sha256`)."""

    class RecordKind(models.TextChoices):
        ENROLMENT = "enrolment", _("Enrolment date")
        VISITS = "visits", _("Visit dates and sites")
        REFERRALS = "referrals", _("Referral dates and kinds of service")

    legal_request = models.ForeignKey(LegalRequest, on_delete=models.PROTECT, related_name="productions")
    participants = models.ManyToManyField("participants.Participant", related_name="+")
    record_kinds = models.JSONField(default=list)
    since = models.DateField(null=True, blank=True)
    until = models.DateField(null=True, blank=True)
    content = EncryptedTextField()
    rows = models.PositiveIntegerField(default=0)
    sha256 = models.CharField(max_length=64)
    produced_by = models.ForeignKey(USER, null=True, on_delete=models.SET_NULL, related_name="+")
    produced_at = models.DateTimeField(default=timezone.now)

    class Meta:
        ordering = ["-produced_at"]

    def __str__(self):
        return f"{self._meta.model_name} {self.pk}"

    def kind_labels(self) -> list[str]:
        labels = dict(self.RecordKind.choices)
        return [str(labels.get(kind, kind)) for kind in self.record_kinds]


class PeerWarning(models.Model):
    """A bad batch, a bad date or another danger, reported without a name. No reporter is ever kept."""

    class Kind(models.TextChoices):
        BAD_BATCH = "bad_batch", _("A bad batch")
        BAD_DATE = "bad_date", _("A bad date (a dangerous client)")
        DANGER = "danger", _("Another danger")

    class Status(models.TextChoices):
        NEW = "new", _("New")
        DRAFTED = "drafted", _("Alert drafted")
        DISMISSED = "dismissed", _("Dismissed")

    kind = models.CharField(_("what kind of warning"), max_length=10, choices=Kind.choices)
    occurred_on = models.DateField(_("when"))
    area = models.ForeignKey("places.Area", null=True, blank=True, on_delete=models.SET_NULL, related_name="+",
                             verbose_name=_("area"))
    description = EncryptedTextField(_("what happened"))
    status = models.CharField(max_length=10, choices=Status.choices, default=Status.NEW, db_index=True)
    alert = models.ForeignKey("alerts.Alert", null=True, blank=True, on_delete=models.SET_NULL, related_name="+")
    reviewed_by = models.ForeignKey(USER, null=True, blank=True, on_delete=models.SET_NULL, related_name="+")
    received_on = models.DateField(default=timezone.localdate)

    class Meta:
        ordering = ["-received_on", "-pk"]

    def __str__(self):
        return f"{self._meta.model_name} {self.pk}"
