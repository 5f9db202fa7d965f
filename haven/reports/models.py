"""Funder templates that coordinators add in the UI (the shipped ones are files in templates_yaml/).

Only a template that parses and names known indicators is ever stored (reports.actions).
"""

from django.conf import settings
from django.db import models
from django.utils import timezone
from django.utils.translation import gettext_lazy as _


class ReportTemplate(models.Model):
    slug = models.SlugField(_("short name"), max_length=60, unique=True)
    name = models.CharField(_("name"), max_length=200)
    yaml_text = models.TextField(_("template (YAML)"))
    created_at = models.DateTimeField(default=timezone.now)
    created_by = models.ForeignKey(settings.AUTH_USER_MODEL, null=True, on_delete=models.SET_NULL, related_name="+")
    updated_at = models.DateTimeField(default=timezone.now)
    updated_by = models.ForeignKey(settings.AUTH_USER_MODEL, null=True, on_delete=models.SET_NULL, related_name="+")

    class Meta:
        ordering = ["name"]
        verbose_name = _("report template")

    def __str__(self):
        return self.name


class ActivityRollup(models.Model):
    """Sums of the visits that count, per local month, site, service mode and what (reports.rollup).

    Reports read these few thousand rows instead of millions of supply lines. `kind` says what a
    row sums: "visit" (encounters, anonymous, syringes returned, reversals), "supply" (`ref` is
    the item, `amount` the units given) or "service" (`ref` is the service, `amount` how often).
    Counts of distinct people are never rolled up: they are counted from the visits themselves.
    """

    month = models.DateField()
    site_id = models.IntegerField()
    service_mode = models.CharField(max_length=20)
    kind = models.CharField(max_length=10)
    ref = models.IntegerField(default=0)
    secondary = models.BooleanField(default=False)  # the visit took supplies for other people
    identified = models.BooleanField(default=False)  # the visit had a participant
    amount = models.BigIntegerField(default=0)
    anonymous = models.BigIntegerField(default=0)
    returned = models.BigIntegerField(default=0)
    reversals = models.BigIntegerField(default=0)

    class Meta:
        constraints = [models.UniqueConstraint(
            fields=["month", "site_id", "service_mode", "kind", "ref", "secondary", "identified"],
            name="activity_rollup_once")]
        indexes = [models.Index(fields=["kind", "month"])]

    def __str__(self):
        return f"{self.kind} {self.month:%Y-%m} site {self.site_id}"


class RollupState(models.Model):
    """How far the rollup has read (one row, pk 1): the last visit id, the last audit sequence,
    and ids below the mark that were not committed yet when it was read."""

    SINGLETON_PK = 1

    last_encounter_id = models.BigIntegerField(default=0)
    last_audit_sequence = models.BigIntegerField(default=0)
    pending_ids = models.JSONField(default=list)
    built_at = models.DateTimeField(null=True)
    refreshed_at = models.DateTimeField(null=True)
    # While the first build runs (in chunks): the newest visit id it covers, and the audit
    # sequence when it began (voids after it are taken away by the catch-up).
    build_until = models.BigIntegerField(null=True)
    build_mark = models.BigIntegerField(default=0)

    def __str__(self):
        return f"rollup up to visit {self.last_encounter_id}"


class FirstVisit(models.Model):
    """Each participant's first visit that counts (reports.rollup): where new participants come from."""

    participant_id = models.BigIntegerField(unique=True)
    encounter_id = models.BigIntegerField()
    occurred_at = models.DateTimeField()
    site_id = models.IntegerField()
    service_mode = models.CharField(max_length=20)

    class Meta:
        # Counting new participants by site or mode reads this index only.
        indexes = [models.Index(fields=["occurred_at", "site_id", "service_mode"], name="first_visit_cover")]

    def __str__(self):
        return f"first visit of participant {self.participant_id}"


class ParticipantVisit(models.Model):
    """A narrow copy of the visits that count and have a participant (reports.rollup): when,
    where, how and who, with one index that holds all four, so that counting distinct people over
    a year reads the index only, not the wide visits table."""

    encounter_id = models.BigIntegerField(primary_key=True)
    occurred_at = models.DateTimeField()
    participant_id = models.BigIntegerField()
    site_id = models.IntegerField()
    service_mode = models.CharField(max_length=20)

    class Meta:
        indexes = [models.Index(fields=["occurred_at", "participant_id", "site_id", "service_mode"],
                                name="participant_visit_cover")]

    def __str__(self):
        return f"visit {self.encounter_id}"


class ParticipantYear(models.Model):
    """The local months of a year in which a participant came, per site and service mode, one bit
    per month (January = 1) (reports.rollup); and the same per site (service_mode ALL_MODES, ""),
    per mode (site_id ALL_SITES, 0) and program-wide (both). Counting distinct people over whole
    months of one year reads these few rows, a participant's year in one row per column, instead of
    every visit of the period."""

    participant_id = models.BigIntegerField()
    site_id = models.IntegerField()
    service_mode = models.CharField(max_length=20)
    year = models.SmallIntegerField()
    months = models.IntegerField()

    class Meta:
        constraints = [models.UniqueConstraint(fields=["year", "site_id", "service_mode", "participant_id"],
                                               name="participant_year_once")]
        indexes = [models.Index(fields=["participant_id"], name="participant_year_person")]

    def __str__(self):
        return f"participant {self.participant_id} in {self.year}"


class MonthReach(models.Model):
    """Counting from month `start` of a year (1 = January), how many ParticipantYear rows of a
    site and mode (or level: ALL_SITES, ALL_MODES) have `first` as their first month on or after
    it (reports.rollup keeps it with ParticipantYear). The people who came in months a to b of one
    year are the sum over `first` from a to b of the rows with `start` a: at most twelve counts per
    column, whatever the number of people. Counts only: no participant is named here."""

    year = models.SmallIntegerField()
    service_mode = models.CharField(max_length=20)
    site_id = models.IntegerField()
    start = models.SmallIntegerField()
    first = models.SmallIntegerField()
    people = models.IntegerField()

    class Meta:
        constraints = [models.UniqueConstraint(fields=["year", "start", "service_mode", "site_id", "first"],
                                               name="month_reach_once")]

    def __str__(self):
        return f"{self.people} people first in month {self.first} of {self.year} from month {self.start}"
