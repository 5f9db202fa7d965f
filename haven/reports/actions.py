"""Every write of the reports app: funder templates (validated whole before anything is saved)."""

from __future__ import annotations

from django.core.exceptions import PermissionDenied, ValidationError
from django.db import transaction
from django.utils import timezone

from haven.core.audit import audit_record
from haven.reports.funder_templates import TemplateError, built_in_templates, parse_template
from haven.reports.models import ReportTemplate

# The reports pages that share the URL space of templates (/reports/<slug>/).
RESERVED_SLUGS = frozenset({"templates", "open-data"})


@transaction.atomic
def report_template_save(*, actor, yaml_text: str, request=None) -> ReportTemplate:
    """Add a template, or replace the stored one with the same slug. Invalid YAML, an unknown
    indicator or a bad period raises ValidationError (every problem, by line) and saves nothing."""
    if not actor.has_role_permission("reports.templates"):
        raise PermissionDenied("reports.templates")
    try:
        template = parse_template(yaml_text)
    except TemplateError as error:
        raise ValidationError({"yaml_text": error.problems}) from None
    if template.slug in RESERVED_SLUGS:
        raise ValidationError({"yaml_text": [f"“{template.slug}” is the name of a reports page. Choose another "
                                             "slug."]})
    if template.slug in {built_in.slug for built_in in built_in_templates()}:
        raise ValidationError({"yaml_text": [f"“{template.slug}” is the slug of a template that comes with "
                                             "Haven. Choose another slug."]})
    now = timezone.now()
    stored = ReportTemplate.objects.select_for_update().filter(slug=template.slug).first()
    created = stored is None
    if created:
        stored = ReportTemplate(slug=template.slug, created_by=actor, created_at=now)
    stored.name, stored.yaml_text, stored.updated_by, stored.updated_at = template.name, yaml_text, actor, now
    stored.save()
    audit_record(actor=actor, action="create" if created else "update", obj=stored, request=request,
                 detail={"fields": ["slug", "name", "yaml_text"]})
    return stored


@transaction.atomic
def report_template_delete(*, actor, template: ReportTemplate, request=None) -> None:
    if not actor.has_role_permission("reports.templates"):
        raise PermissionDenied("reports.templates")
    audit_record(actor=actor, action="delete", obj=template, request=request, detail={"slug": template.slug})
    template.delete()
