"""Every write to the directory: validated, transactional and audited.

An HSDS import is all or nothing: the package is checked first (hsds.validate) and written in one
transaction, so a package with one broken reference leaves the directory exactly as it was.
"""

from __future__ import annotations

import hashlib
import secrets
import uuid

from django.core.exceptions import ValidationError
from django.db import transaction
from django.utils import timezone
from django.utils.translation import gettext as _

from haven.core.audit import audit_record
from haven.core.models import AuditEvent
from haven.directory import hsds, vocabulary
from haven.directory.models import (
    Address,
    Attribute,
    Contact,
    DirectoryPartner,
    Language,
    Location,
    Organization,
    Phone,
    Schedule,
    Service,
    ServiceAtLocation,
    Taxonomy,
    TaxonomyTerm,
)

MODELS = {
    "taxonomy": Taxonomy, "taxonomy_term": TaxonomyTerm, "organization": Organization, "service": Service,
    "location": Location, "address": Address, "service_at_location": ServiceAtLocation, "contact": Contact,
    "phone": Phone, "schedule": Schedule, "language": Language, "attribute": Attribute,
}
PARTNER_TOKEN_PREFIX = "hvp"


def _model_values(table: str, row: dict) -> dict:
    """HSDS row -> model field values (HSDS `x_id` columns are the models' foreign key attnames)."""
    by_attname = {django_field.attname: django_field for django_field in MODELS[table]._meta.concrete_fields}
    values = {}
    for column in hsds.KEPT[table]:
        if column == "id":
            continue
        django_field = by_attname[column]
        value = row.get(column)
        if value is None:
            value = None if django_field.null else ("" if django_field.get_internal_type() in
                                                     ("CharField", "TextField") else django_field.default)
        elif django_field.get_internal_type() == "DateTimeField":
            from django.utils.dateparse import parse_datetime

            value = parse_datetime(value) or timezone.now()
        values[django_field.attname] = value
    return values


@transaction.atomic
def vocabulary_ensure() -> None:
    """Haven's taxonomies and terms exist (idempotent)."""
    taxonomies, terms = vocabulary.taxonomy_rows()
    for row in taxonomies:
        Taxonomy.objects.update_or_create(id=row["id"], defaults=_model_values("taxonomy", row))
    for row in terms:
        TaxonomyTerm.objects.update_or_create(id=row["id"], defaults=_model_values("taxonomy_term", row))


@transaction.atomic
def directory_import(*, actor, tables: dict, report: hsds.Report | None = None, organization=None,
                     request=None) -> hsds.Report:
    """Check the package, then add or update every entry in it, in one transaction.

    With `organization` (a partner's own), every organization, service and location in the package
    must be that organization's. Raises ValidationError carrying the report when anything is wrong.
    """
    report = hsds.validate(tables, report)
    if organization is not None:
        own = str(organization.pk)
        for row in tables.get("organization", []):
            if row.get("id") != own:
                report.errors.append(hsds.Problem("organization", str(row.get("id")), "id",
                                                  hsds.gettext_noop("a partner token may only change its own organization")))
        for table in ("service", "location"):
            for row in tables.get(table, []):
                if row.get("organization_id") != own:
                    report.errors.append(hsds.Problem(table, str(row.get("id")), "organization_id",
                                                      hsds.gettext_noop("a partner token may only change its own organization")))
                existing = MODELS[table].objects.filter(pk=row.get("id")).values_list("organization_id", flat=True)
                if any(str(value) != own for value in existing):
                    report.errors.append(hsds.Problem(table, str(row.get("id")), "id",
                                                      hsds.gettext_noop("this entry belongs to another organization")))
    if not report.ok:
        raise ValidationError(_("The package was not imported: fix the problems listed."), params={"report": report})
    vocabulary_ensure()
    written = {}
    for table in hsds.TABLES:
        rows = tables.get(table, [])
        if table == "attribute":
            rows = [row for row in rows if row.get("link_entity", "") in ("", *hsds.KEPT)]
        for row in rows:
            MODELS[table].objects.update_or_create(id=row["id"], defaults=_model_values(table, row))
        written[table] = len(rows)
    audit_record(actor=actor, action=AuditEvent.Action.IMPORT, object_type="directory.package", request=request,
                 detail={"counts": written, "partner_organization": str(organization.pk) if organization else None})
    return report


SERVICE_FIELDS = ["name", "description", "status", "url", "email", "application_process", "fees_description",
                  "eligibility_description", "interpretation_services", "wait_time", "alert"]


@transaction.atomic
def service_save(*, actor, service: Service | None = None, organization: Organization, values: dict,
                 low_barrier: list[str], category: str = "", languages: list[str] | None = None,
                 request=None) -> Service:
    """Create or change a service with its low-barrier attributes, category and languages."""
    vocabulary_ensure()
    unknown = set(low_barrier) - set(vocabulary.LOW_BARRIER_CODES)
    if unknown or (category and category not in vocabulary.CATEGORY_CODES):
        raise ValidationError(_("Choose attributes and a category from the lists."))
    creating = service is None
    service = service or Service(organization=organization)
    service.organization = organization
    for name in SERVICE_FIELDS:
        if name in values:
            setattr(service, name, values[name] or "")
    if not service.name.strip():
        raise ValidationError({"name": [_("Give the service a name.")]})
    service.last_modified = timezone.now()
    service.save()
    term_ids = {vocabulary.term_id(code) for code in vocabulary.LOW_BARRIER_CODES + vocabulary.CATEGORY_CODES}
    Attribute.objects.filter(link_id=service.pk, taxonomy_term_id__in=term_ids).delete()
    for code in [*low_barrier, *([category] if category else [])]:
        Attribute.objects.create(link_id=service.pk, link_entity="service", taxonomy_term_id=vocabulary.term_id(code),
                                 value="true" if code in vocabulary.LOW_BARRIER_CODES else "")
    if languages is not None:
        service.languages.all().delete()
        for code in languages:
            Language.objects.create(service=service, code=code)
    audit_record(actor=actor, action=AuditEvent.Action.CREATE if creating else AuditEvent.Action.UPDATE,
                 obj=service, request=request, detail={"fields": SERVICE_FIELDS})
    return service


@transaction.atomic
def organization_create(*, actor, name: str, description: str = "", request=None) -> Organization:
    name = " ".join((name or "").split())
    if not name:
        raise ValidationError({"name": [_("Give the organization a name.")]})
    organization = Organization.objects.create(name=name, description=description or name)
    audit_record(actor=actor, action=AuditEvent.Action.CREATE, obj=organization, request=request,
                 detail={"fields": ["name", "description"]})
    return organization


@transaction.atomic
def availability_update(*, actor=None, service: Service, beds: int | None, slots: int | None,
                        partner: DirectoryPartner | None = None, request=None) -> Service:
    """Beds or places free now, stamped with when: people need to know how fresh the number is."""
    for value in (beds, slots):
        if value is not None and not (0 <= value <= 100_000):
            raise ValidationError(_("Availability is a whole number from 0."))
    vocabulary_ensure()
    codes = {"beds_available": beds, "slots_available": slots,
             "availability_updated": timezone.now().isoformat(timespec="seconds")}
    Attribute.objects.filter(link_id=service.pk, taxonomy_term_id__in=[vocabulary.term_id(c) for c in codes]).delete()
    for code, value in codes.items():
        if value is not None:
            Attribute.objects.create(link_id=service.pk, link_entity="service", taxonomy_term_id=vocabulary.term_id(code),
                                     value=str(value))
    Service.objects.filter(pk=service.pk).update(last_modified=timezone.now())
    audit_record(actor=actor, action=AuditEvent.Action.UPDATE, obj=service, request=request,
                 detail={"fields": ["availability"], "partner": partner.pk if partner else None})
    return service


def _digest(token: str) -> str:
    return hashlib.sha256(token.encode()).hexdigest()


@transaction.atomic
def partner_create(*, actor, organization: Organization, label: str, request=None) -> tuple[DirectoryPartner, str]:
    """A token for a partner to keep its own organization's entries current; the secret is returned once."""
    label = " ".join((label or "").split())[:100]
    if not label:
        raise ValidationError({"label": [_("Name the token, for example the partner's system.")]})
    lookup = secrets.token_hex(6)
    token = f"{PARTNER_TOKEN_PREFIX}_{lookup}_{secrets.token_urlsafe(32)}"
    partner = DirectoryPartner.objects.create(organization=organization, label=label, lookup=lookup,
                                              digest=_digest(token), created_by=actor)
    audit_record(actor=actor, action=AuditEvent.Action.SECURITY, obj=partner, request=request,
                 detail={"partner_token": "created", "organization": str(organization.pk)})
    return partner, token


@transaction.atomic
def partner_revoke(*, actor, partner: DirectoryPartner, request=None) -> None:
    DirectoryPartner.objects.filter(pk=partner.pk, revoked_at__isnull=True).update(revoked_at=timezone.now())
    audit_record(actor=actor, action=AuditEvent.Action.SECURITY, obj=partner, request=request,
                 detail={"partner_token": "revoked"})


def partner_for_token(token: str) -> DirectoryPartner | None:
    parts = (token or "").strip().split("_", 2)
    if len(parts) != 3 or parts[0] != PARTNER_TOKEN_PREFIX:
        return None
    partner = DirectoryPartner.objects.select_related("organization").filter(lookup=parts[1]).first()
    if partner is None or partner.revoked_at is not None or not secrets.compare_digest(partner.digest,
                                                                                        _digest(token.strip())):
        return None
    DirectoryPartner.objects.filter(pk=partner.pk).update(last_used_at=timezone.now())
    return partner


def new_id() -> str:
    return str(uuid.uuid4())
