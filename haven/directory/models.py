"""The service directory, in the shape of the Open Referral Human Services Data Specification 3.0.

Table and field names are HSDS's own (data/hsds/*.json, see data/hsds/SOURCE.md): a field here is
called what the specification calls it, so import and export are a rename-free copy. Haven keeps the
subset of HSDS that a referral needs (hsds.KEPT lists it; a test checks every name against the
published schema). Haven's own vocabularies (low-barrier attributes, service categories) are HSDS
taxonomies linked by HSDS attributes, so they travel in any HSDS package.

Nothing about participants is stored here: the directory is public information.
"""

import uuid

from django.db import models
from django.utils import timezone
from django.utils.translation import gettext_lazy as _


def _text(label, **kwargs):
    return models.TextField(label, blank=True, default="", **kwargs)


class Organization(models.Model):
    id = models.UUIDField(primary_key=True, default=uuid.uuid4)
    name = models.CharField(_("name"), max_length=300)
    alternate_name = _text(_("alternate name"))
    description = _text(_("description"))
    email = models.CharField(_("e-mail"), max_length=254, blank=True, default="")
    website = models.CharField(_("website"), max_length=500, blank=True, default="")
    tax_status = models.CharField(max_length=200, blank=True, default="")
    tax_id = models.CharField(max_length=200, blank=True, default="")
    year_incorporated = models.PositiveSmallIntegerField(null=True, blank=True)
    legal_status = models.CharField(max_length=200, blank=True, default="")
    logo = models.CharField(max_length=500, blank=True, default="")
    uri = models.CharField(_("URI"), max_length=500, blank=True, default="")
    # No database constraint: the parent may be in another package.
    parent_organization_id = models.UUIDField(null=True, blank=True)

    class Meta:
        ordering = ["name"]

    def __str__(self):
        return self.name


class Service(models.Model):
    class Status(models.TextChoices):
        # HSDS service.status enum, in its own words.
        ACTIVE = "active", _("active")
        INACTIVE = "inactive", _("inactive")
        DEFUNCT = "defunct", _("defunct")
        TEMPORARILY_CLOSED = "temporarily closed", _("temporarily closed")

    id = models.UUIDField(primary_key=True, default=uuid.uuid4)
    organization = models.ForeignKey(Organization, on_delete=models.CASCADE, related_name="services")
    name = models.CharField(_("name"), max_length=300)
    alternate_name = _text(_("alternate name"))
    description = _text(_("description"))
    url = models.CharField(_("web address"), max_length=500, blank=True, default="")
    email = models.CharField(_("e-mail"), max_length=254, blank=True, default="")
    status = models.CharField(_("status"), max_length=20, choices=Status.choices, default=Status.ACTIVE)
    interpretation_services = _text(_("interpretation services"))
    application_process = _text(_("how to get it"))
    fees_description = _text(_("fees"))
    wait_time = _text(_("wait time"))
    fees = _text(_("fees (deprecated in HSDS, kept for exchange)"))
    accreditations = _text(_("accreditations"))
    eligibility_description = _text(_("who it is for"))
    minimum_age = models.PositiveSmallIntegerField(_("minimum age"), null=True, blank=True)
    maximum_age = models.PositiveSmallIntegerField(_("maximum age"), null=True, blank=True)
    assured_date = models.CharField(max_length=10, blank=True, default="")
    assurer_email = models.CharField(max_length=254, blank=True, default="")
    licenses = _text(_("licences"))
    alert = _text(_("alert"))
    last_modified = models.DateTimeField(_("last modified"), default=timezone.now)

    class Meta:
        ordering = ["name"]

    def __str__(self):
        return self.name


class Location(models.Model):
    class LocationType(models.TextChoices):
        PHYSICAL = "physical", _("physical")
        POSTAL = "postal", _("postal")
        VIRTUAL = "virtual", _("virtual")

    id = models.UUIDField(primary_key=True, default=uuid.uuid4)
    location_type = models.CharField(_("kind of location"), max_length=10, choices=LocationType.choices,
                                     default=LocationType.PHYSICAL)
    url = models.CharField(_("web address"), max_length=500, blank=True, default="")
    organization = models.ForeignKey(Organization, null=True, blank=True, on_delete=models.CASCADE,
                                     related_name="locations")
    name = models.CharField(_("name"), max_length=300, blank=True, default="")
    alternate_name = _text(_("alternate name"))
    description = _text(_("description"))
    transportation = _text(_("getting there"))
    latitude = models.FloatField(_("latitude"), null=True, blank=True)
    longitude = models.FloatField(_("longitude"), null=True, blank=True)
    external_identifier = models.CharField(max_length=200, blank=True, default="")
    external_identifier_type = models.CharField(max_length=200, blank=True, default="")

    class Meta:
        ordering = ["name"]

    def __str__(self):
        return self.name or str(self.id)


class Address(models.Model):
    id = models.UUIDField(primary_key=True, default=uuid.uuid4)
    location = models.ForeignKey(Location, on_delete=models.CASCADE, related_name="addresses")
    attention = _text(_("attention"))
    address_1 = models.CharField(_("address"), max_length=300)
    address_2 = models.CharField(_("address, second line"), max_length=300, blank=True, default="")
    city = models.CharField(_("city"), max_length=200)
    region = models.CharField(_("region"), max_length=200, blank=True, default="")
    state_province = models.CharField(_("state or province"), max_length=200)
    postal_code = models.CharField(_("postal code"), max_length=40)
    country = models.CharField(_("country"), max_length=2)
    address_type = models.CharField(_("kind of address"), max_length=10, choices=Location.LocationType.choices,
                                    default=Location.LocationType.PHYSICAL)

    class Meta:
        ordering = ["address_1"]

    def __str__(self):
        # Ids only: a string of a record may end up in a log line.
        return f"{self._meta.model_name} {self.pk}"


class ServiceAtLocation(models.Model):
    id = models.UUIDField(primary_key=True, default=uuid.uuid4)
    service = models.ForeignKey(Service, on_delete=models.CASCADE, related_name="service_at_locations")
    location = models.ForeignKey(Location, on_delete=models.CASCADE, related_name="service_at_locations")
    description = _text(_("description"))

    class Meta:
        ordering = ["id"]

    def __str__(self):
        # Ids only: a string of a record may end up in a log line.
        return f"{self._meta.model_name} {self.pk}"


class Schedule(models.Model):
    """When a service (or a location, or a service at a location) is open: HSDS's iCalendar subset."""

    class Weekday(models.TextChoices):
        MO = "MO", _("Monday")
        TU = "TU", _("Tuesday")
        WE = "WE", _("Wednesday")
        TH = "TH", _("Thursday")
        FR = "FR", _("Friday")
        SA = "SA", _("Saturday")
        SU = "SU", _("Sunday")

    class Frequency(models.TextChoices):
        WEEKLY = "WEEKLY", _("weekly")
        MONTHLY = "MONTHLY", _("monthly")

    id = models.UUIDField(primary_key=True, default=uuid.uuid4)
    service = models.ForeignKey(Service, null=True, blank=True, on_delete=models.CASCADE, related_name="schedules")
    location = models.ForeignKey(Location, null=True, blank=True, on_delete=models.CASCADE, related_name="schedules")
    service_at_location = models.ForeignKey(ServiceAtLocation, null=True, blank=True, on_delete=models.CASCADE,
                                            related_name="schedules")
    valid_from = models.CharField(max_length=10, blank=True, default="")
    valid_to = models.CharField(max_length=10, blank=True, default="")
    dtstart = models.CharField(max_length=10, blank=True, default="")
    timezone = models.FloatField(null=True, blank=True)  # a UTC offset in hours, as HSDS has it
    until = models.CharField(max_length=10, blank=True, default="")
    count = models.PositiveIntegerField(null=True, blank=True)
    wkst = models.CharField(max_length=2, blank=True, default="", choices=Weekday.choices)
    freq = models.CharField(max_length=7, blank=True, default="", choices=Frequency.choices)
    interval = models.PositiveSmallIntegerField(null=True, blank=True)
    byday = models.CharField(_("days"), max_length=100, blank=True, default="")
    byweekno = models.CharField(max_length=100, blank=True, default="")
    bymonthday = models.CharField(max_length=100, blank=True, default="")
    byyearday = models.CharField(max_length=100, blank=True, default="")
    description = _text(_("description"))
    opens_at = models.CharField(_("opens at"), max_length=14, blank=True, default="")
    closes_at = models.CharField(_("closes at"), max_length=14, blank=True, default="")
    schedule_link = models.CharField(max_length=500, blank=True, default="")
    attending_type = models.CharField(max_length=100, blank=True, default="")
    notes = _text(_("notes"))

    class Meta:
        ordering = ["id"]

    def __str__(self):
        # Ids only: a string of a record may end up in a log line.
        return f"{self._meta.model_name} {self.pk}"


class Contact(models.Model):
    """A contact point at an organization or service (a role or desk: never a participant)."""

    id = models.UUIDField(primary_key=True, default=uuid.uuid4)
    organization = models.ForeignKey(Organization, null=True, blank=True, on_delete=models.CASCADE,
                                     related_name="contacts")
    service = models.ForeignKey(Service, null=True, blank=True, on_delete=models.CASCADE, related_name="contacts")
    service_at_location = models.ForeignKey(ServiceAtLocation, null=True, blank=True, on_delete=models.CASCADE,
                                            related_name="contacts")
    location = models.ForeignKey(Location, null=True, blank=True, on_delete=models.CASCADE, related_name="contacts")
    name = models.CharField(_("name"), max_length=300, blank=True, default="")
    title = models.CharField(_("title"), max_length=300, blank=True, default="")
    department = models.CharField(_("department"), max_length=300, blank=True, default="")
    email = models.CharField(_("e-mail"), max_length=254, blank=True, default="")

    class Meta:
        ordering = ["id"]

    def __str__(self):
        # Ids only: a string of a record may end up in a log line.
        return f"{self._meta.model_name} {self.pk}"


class Phone(models.Model):
    id = models.UUIDField(primary_key=True, default=uuid.uuid4)
    location = models.ForeignKey(Location, null=True, blank=True, on_delete=models.CASCADE, related_name="phones")
    service = models.ForeignKey(Service, null=True, blank=True, on_delete=models.CASCADE, related_name="phones")
    organization = models.ForeignKey(Organization, null=True, blank=True, on_delete=models.CASCADE,
                                     related_name="phones")
    contact = models.ForeignKey(Contact, null=True, blank=True, on_delete=models.CASCADE, related_name="phones")
    service_at_location = models.ForeignKey(ServiceAtLocation, null=True, blank=True, on_delete=models.CASCADE,
                                            related_name="phones")
    number = models.CharField(_("number"), max_length=60)
    extension = models.PositiveIntegerField(_("extension"), null=True, blank=True)
    type = models.CharField(_("kind"), max_length=40, blank=True, default="")
    description = _text(_("description"))

    class Meta:
        ordering = ["id"]

    def __str__(self):
        # Ids only: a string of a record may end up in a log line.
        return f"{self._meta.model_name} {self.pk}"


class Language(models.Model):
    id = models.UUIDField(primary_key=True, default=uuid.uuid4)
    service = models.ForeignKey(Service, null=True, blank=True, on_delete=models.CASCADE, related_name="languages")
    location = models.ForeignKey(Location, null=True, blank=True, on_delete=models.CASCADE, related_name="languages")
    phone = models.ForeignKey(Phone, null=True, blank=True, on_delete=models.CASCADE, related_name="languages")
    name = models.CharField(_("language"), max_length=100, blank=True, default="")
    code = models.CharField(_("language code"), max_length=20, blank=True, default="")
    note = _text(_("note"))

    class Meta:
        ordering = ["name", "code"]

    def __str__(self):
        # Ids only: a string of a record may end up in a log line.
        return f"{self._meta.model_name} {self.pk}"


class Taxonomy(models.Model):
    id = models.UUIDField(primary_key=True, default=uuid.uuid4)
    name = models.CharField(_("name"), max_length=300)
    description = _text(_("description"))
    uri = models.CharField(max_length=500, blank=True, default="")
    version = models.CharField(max_length=100, blank=True, default="")

    class Meta:
        ordering = ["name"]
        verbose_name_plural = "taxonomies"

    def __str__(self):
        # Ids only: a string of a record may end up in a log line.
        return f"{self._meta.model_name} {self.pk}"


class TaxonomyTerm(models.Model):
    id = models.UUIDField(primary_key=True, default=uuid.uuid4)
    code = models.CharField(_("code"), max_length=200, blank=True, default="")
    name = models.CharField(_("name"), max_length=300)
    description = _text(_("description"))
    # No database constraint: HSDS packages may name parents in another package.
    parent_id = models.UUIDField(null=True, blank=True)
    taxonomy = models.CharField(_("taxonomy name"), max_length=300, blank=True, default="")
    language = models.CharField(max_length=20, blank=True, default="")
    taxonomy_id = models.UUIDField(null=True, blank=True)
    term_uri = models.CharField(max_length=500, blank=True, default="")

    class Meta:
        ordering = ["name"]

    def __str__(self):
        # Ids only: a string of a record may end up in a log line.
        return f"{self._meta.model_name} {self.pk}"


class Attribute(models.Model):
    """Links a taxonomy term (with an optional value) to any directory entry, as HSDS does.

    `link_id` names the entry and `link_entity` its table; there is no database foreign key because
    the entry may be in any table.
    """

    id = models.UUIDField(primary_key=True, default=uuid.uuid4)
    link_id = models.UUIDField(db_index=True)
    taxonomy_term = models.ForeignKey(TaxonomyTerm, on_delete=models.CASCADE, related_name="attributes")
    link_type = models.CharField(max_length=100, blank=True, default="")
    link_entity = models.CharField(max_length=40, blank=True, default="")
    value = _text(_("value"))

    class Meta:
        ordering = ["id"]

    def __str__(self):
        # Ids only: a string of a record may end up in a log line.
        return f"{self._meta.model_name} {self.pk}"


class DirectoryPartner(models.Model):
    """A partner organization that keeps its own entries current through the API with its own token.

    Only a digest of the token is kept (the secret is shown once). A partner token writes to its own
    organization's entries and nothing else: it is not a staff account and reads no participant data.
    """

    organization = models.ForeignKey(Organization, on_delete=models.CASCADE, related_name="partners")
    label = models.CharField(_("label"), max_length=100)
    lookup = models.CharField(max_length=20, unique=True)
    digest = models.CharField(max_length=64)
    created_at = models.DateTimeField(default=timezone.now)
    created_by = models.ForeignKey("accounts.User", null=True, on_delete=models.SET_NULL, related_name="+")
    last_used_at = models.DateTimeField(null=True, blank=True)
    revoked_at = models.DateTimeField(null=True, blank=True)

    class Meta:
        ordering = ["-created_at"]

    def __str__(self):
        # Ids only: a string of a record may end up in a log line.
        return f"{self._meta.model_name} {self.pk}"


